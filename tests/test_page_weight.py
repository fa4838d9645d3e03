"""tools/page_weight.py: a page's own weight is its HTML and the files only it loads."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import page_weight  # noqa: E402


def _site(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_images").mkdir()
    (tmp_path / "_static" / "theme.css").write_bytes(b"x" * 5000)
    (tmp_path / "_images" / "fig.png").write_bytes(b"p" * 700)
    a = ('<link rel="stylesheet" href="_static/theme.css"><link rel="next" href="b.html">'
         '<img src="_images/fig.png" alt="f"><img src="data:image/png;base64,AAAA" alt="inline">'
         '<script src="https://cdn.example/x.js"></script><a href="_images/fig.png">fig</a>')
    b = '<link href="_static/theme.css" rel="stylesheet"><link rel="prev" href="a.html"><p>text</p>'
    (tmp_path / "a.html").write_text(a, encoding="utf-8")
    (tmp_path / "b.html").write_text(b, encoding="utf-8")
    return tmp_path, len(a.encode()), len(b.encode())


def test_own_weight_counts_the_html_and_the_files_only_it_loads(tmp_path):
    root, size_a, size_b = _site(tmp_path)
    own, shared, n_shared = page_weight.weigh(root)
    assert own == {"a.html": size_a + 700, "b.html": size_b}
    assert (shared, n_shared) == (5000, 1)


def test_a_first_visit_loads_the_shared_files_too(tmp_path):
    root, size_a, size_b = _site(tmp_path)
    assert page_weight.first_visit(root) == {"a.html": size_a + 700 + 5000, "b.html": size_b + 5000}


def test_main_reports_pages_over_the_budget(tmp_path, capsys):
    root, size_a, _ = _site(tmp_path)
    assert page_weight.main([str(root)]) == 0
    assert page_weight.main([str(root), "--budget", str((size_a + 100) / page_weight.MB)]) == 1
    out = capsys.readouterr().out
    assert "a.html" in out and "over the" in out and "first visit" in out


def test_an_empty_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="expected the built site's HTML pages"):
        page_weight.weigh(tmp_path)


def test_the_widget_manager_loses_its_ipywidgets_7_modules_and_source_maps():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    import bundle_assets

    css = 'n.push([e.id,".a{color:red}","",{version:3,sources:["webpack://./a.css"],names:[],mappings:"AAAA",sourcesContent:[".a{color:\\"red\\"}"],sourceRoot:""}]);'
    bundle = ('define("@jupyter-widgets/base",["module"],(e=>1));\n'
              f'define("@jupyter-widgets/controls",["module"],(e=>{{{css}}}));\n'
              'define("@jupyter-widgets/base7",["module"],(e=>7));\n'
              'define("@jupyter-widgets/controls7",["module"],(e=>77));\n'
              f'define("@jupyter-widgets/html-manager",["module"],(e=>{{{css}}}));\n')
    main, v7 = bundle_assets.slim_widget_manager(bundle)
    assert v7.startswith('define("@jupyter-widgets/base7"') and 'define("@jupyter-widgets/controls7"' in v7
    assert "base7" not in main and "version:3" not in main and "webpack://" not in main
    assert main.count('n.push([e.id,".a{color:red}","",0]);') == 2
    for name in ("base", "controls", "html-manager"):
        assert f'define("@jupyter-widgets/{name}"' in main
    with pytest.raises(ValueError, match="unexpected widget manager bundle"):
        bundle_assets.slim_widget_manager('define("@jupyter-widgets/base",[],(e=>1));')


def test_each_chinese_font_file_is_declared_for_the_characters_it_holds():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    import bundle_assets

    assert bundle_assets._unicode_range({0x4E00, 0x4E01, 0x4E02, 0x4E10, 0x4E12, 0x4E13}) == "U+4e00-4e02,U+4e10,U+4e12-4e13"
