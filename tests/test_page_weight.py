"""tools/page_weight.py: a page's own weight is its HTML and the files only it loads; and what
tools/bundle_assets.py does to keep pages light: the widget manager built from its sources (its
HTML sanitizer checked in Chromium), MathJax's components without its menu."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import bundle_assets  # noqa: E402
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


def test_each_chinese_font_file_is_declared_for_the_characters_it_holds():
    assert bundle_assets._unicode_range({0x4E00, 0x4E01, 0x4E02, 0x4E10, 0x4E12, 0x4E13}) == "U+4e00-4e02,U+4e10,U+4e12-4e13"


def test_the_widget_manager_is_built_again_when_a_source_changes(monkeypatch, tmp_path):
    sources = [tmp_path / name for name in ("widget_manager.js", "widget_sanitize.js", "package.json", "package-lock.json")]
    for path in sources:
        path.write_text(f"// {path.name}\n", encoding="utf-8")
    monkeypatch.setattr(bundle_assets, "WIDGET_MANAGER_SOURCES", tuple(sources))
    key = bundle_assets.widget_manager_key()
    assert key.startswith(f"{bundle_assets.WIDGET_MANAGER_FORMAT}:")
    assert bundle_assets.widget_manager_key() == key
    sources[3].write_text('{"lockfileVersion": 3}\n', encoding="utf-8")
    assert bundle_assets.widget_manager_key() != key
    monkeypatch.setattr(bundle_assets, "WIDGET_MANAGER_FORMAT", bundle_assets.WIDGET_MANAGER_FORMAT + 1)
    assert bundle_assets.widget_manager_key().split(":")[1] == bundle_assets.widget_manager_key().split(":")[1]
    assert not bundle_assets.widget_manager_key().startswith(key.split(":")[0] + ":")


def test_the_licences_of_the_bundled_packages_are_collected(tmp_path):
    for name, licence in (("@lumino/widgets", "BSD-3-Clause"), ("jquery", "MIT")):
        pkg = tmp_path / "node_modules" / name
        pkg.mkdir(parents=True)
        (pkg / "package.json").write_text(json.dumps({"name": name, "version": "1.0.0", "license": licence}))
        (pkg / "LICENSE.txt").write_text(f"the {name} licence")
    assert bundle_assets._package_dir("node_modules/@lumino/widgets/dist/index.js") == "node_modules/@lumino/widgets"
    assert bundle_assets._package_dir("(disabled):node_modules/jquery/x.js") == "node_modules/jquery"
    assert bundle_assets._package_dir("widget_manager.js") is None
    metafile = {"inputs": {"widget_manager.js": {}, "node_modules/jquery/dist/jquery.js": {},
                           "node_modules/@lumino/widgets/dist/index.js": {},
                           "node_modules/@lumino/widgets/style/index.css": {}}}
    text = bundle_assets._third_party_licences(tmp_path, metafile)
    assert "@lumino/widgets@1.0.0 (BSD-3-Clause)" in text and "the @lumino/widgets licence" in text
    assert "jquery@1.0.0 (MIT)" in text and text.count("the jquery licence") == 1


def test_with_the_bundle_mathjax_loads_its_components_without_the_menu(monkeypatch):
    monkeypatch.setattr(bundle_assets, "_manifest_if_present", lambda: {"cjk_ranges": []})
    monkeypatch.setattr(bundle_assets, "missing_cjk_chars", lambda manifest=None: set())

    class Config:
        mathjax_path = "https://cdn.example/tex-chtml.js"
        nb_ipywidgets_js = {}
        html_css_files = ["nnbook.css"]
        mathjax3_config = {"options": {"menuOptions": {"settings": {"inTabOrder": False}}, "skipHtmlTags": ["pre"]},
                           "loader": {"load": ["[tex]/cancel"]}}

    config = Config()
    bundle_assets._use_local_assets(None, config)
    assert config.mathjax_path == "vendor/mathjax/startup.js"
    assert config.mathjax3_config["loader"]["load"] == [*bundle_assets.MATHJAX_LOAD, "[tex]/cancel"]
    assert "ui/menu" not in config.mathjax3_config["loader"]["load"]
    assert config.mathjax3_config["options"] == {"skipHtmlTags": ["pre"]}  # menuOptions would be invalid
    assert config.html_css_files == [bundle_assets.CJK_CSS, "nnbook.css"]
    if bundle_assets.bundle_is_complete():  # the components it names are in the bundle
        for component in bundle_assets.MATHJAX_LOAD + ["core", "output/chtml/fonts/tex"]:
            assert (bundle_assets.VENDOR / "mathjax" / f"{component}.js").is_file(), component


# What the widget manager keeps of a description written in HTML (description_allow_html), with the
# lists of tags and attributes of @jupyter-widgets/base-manager: (HTML, what is kept).
SANITIZED = [
    ("<b onclick=\"steal()\">bold</b><script>steal()</script> text", "<b>bold</b> text"),
    ('<a href="javascript:steal()" title="t">link</a>', '<a title="t">link</a>'),
    ('<a href=" JaVa\tScRiPt:steal()">link</a>', "<a>link</a>"),
    ('<a href="https://example.org/?a=1&amp;b=2">link</a>', '<a href="https://example.org/?a=1&amp;b=2">link</a>'),
    ('<a href="../book/intro.html">relative</a>', '<a href="../book/intro.html">relative</a>'),
    ('<span class="c" aria-label="l" data-x="1" style="color: red">s</span>',
     '<span class="c" aria-label="l" style="color: red">s</span>'),
    ('<div><p>not allowed, text kept</p></div>', "not allowed, text kept"),
    ('<img src="w.png" onerror="steal()">', '<img src="w.png" />'),
    ('<img src="data:image/svg+xml,x">', "<img />"),
    ("<style>b { color: red }</style><textarea>gone</textarea>kept", "kept"),
    ("a &lt; b &amp; c <!-- comment -->", "a &lt; b &amp; c "),
    ('<i title="&quot;&gt;<script>">x</i>', '<i title="&quot;&gt;&lt;script&gt;">x</i>'),
    # The manager takes the maths out before and puts it back, escaped, for MathJax to read.
    ("w<sub>1</sub> and $x < y$", "w1 and $x &lt; y$"),
]


def test_the_widget_managers_sanitizer_keeps_what_sanitize_html_keeps():
    """The bundled widget manager, run in Chromium, cleans descriptions through the manager's own
    call (inline_sanitize, which sets the allowed tags and attributes)."""
    from browser_support import Chromium, find_chromium

    manager = bundle_assets.STATIC / bundle_assets.WIDGETS_JS
    if not bundle_assets.bundle_is_complete():
        pytest.skip("no widget manager bundle here (run `python tools/bundle_assets.py`, which needs npm)")
    executable = find_chromium()
    if executable is None:
        pytest.skip("no Chromium (Debian's chromium package) to run the widget manager in")
    browser = Chromium(executable)
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        browser.evaluate(session, manager.read_text(encoding="utf-8") + "\n;true")
        cases = json.dumps([html for html, _ in SANITIZED])
        got = browser.evaluate(session, f"""(() => {{
            const manager = new window.nnbookWidgets.HTMLManager({{}});
            return {cases}.map(html => manager.inline_sanitize(html));
        }})()""")
        styles = browser.evaluate(session, "document.querySelectorAll('style[data-nnbook-widgets]').length")
    finally:
        browser.close()
    assert got == [kept for _, kept in SANITIZED]
    assert styles == 1  # the widgets' stylesheet (the lab variables come with the first control)
