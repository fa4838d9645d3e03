"""The glossary page: its renderer (the Sphinx extension tools/glossary.py) and the rendered table."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest
import yaml

from book_support import ROOT

GLOSSARY_DIR = ROOT / "book" / "_glossary"
sys.path.insert(0, str(ROOT / "tools"))
import glossary  # noqa: E402


@pytest.fixture(scope="module")
def renderer() -> dict:
    return {name: getattr(glossary, name) for name in ("load_glossary", "merge_terms", "glossary_table", "counts")}


def _term(en, chapter="01-neuron", definition="A definition.", zh_hans="简", zh_hant="繁"):
    return {"en": en, "zh_hans": zh_hans, "zh_hant": zh_hant, "definition": definition, "chapter": chapter}


def _write(directory: Path, name: str, terms) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(yaml.safe_dump(terms, allow_unicode=True), encoding="utf-8")


def test_sorted_alphabetically_ignoring_case(renderer, tmp_path):
    _write(tmp_path, "02.yml", [_term("weight", "02-x"), _term("Bias", "02-x")])
    _write(tmp_path, "01.yml", [_term("activation", "01-y"), _term("neuron", "01-y")])
    rows = renderer["merge_terms"](renderer["load_glossary"](tmp_path))
    assert [row["en"] for row in rows] == ["activation", "Bias", "neuron", "weight"]


def test_a_term_in_several_chapters_is_one_row_defining_chapter_first(renderer, tmp_path):
    _write(tmp_path, "04.yml", [_term("sigmoid", "04-activations", "Later wording.", zh_hans="乙")])
    _write(tmp_path, "01.yml", [_term("Sigmoid", "01-neuron", "First wording.", zh_hans="甲")])
    rows = renderer["merge_terms"](renderer["load_glossary"](tmp_path))
    assert len(rows) == 1
    assert rows[0]["chapters"] == ["01-neuron", "04-activations"]
    assert rows[0]["definition"] == "First wording." and rows[0]["zh_hans"] == "甲"


def test_table_has_the_five_columns_and_links_the_chapters(renderer, tmp_path):
    _write(tmp_path, "01.yml", [_term("neuron", "01-neuron", "Sums | then squashes.", "神经元", "神經元")])
    table = renderer["glossary_table"](renderer["load_glossary"](tmp_path))
    lines = table.splitlines()
    assert lines[0] == "| English | 简体 | 繁體 | Definition | Chapter |"
    assert lines[2] == r"| **neuron** | 神经元 | 神經元 | Sums \| then squashes. | {doc}`01-neuron` |"


@pytest.mark.parametrize(
    "content, message",
    [
        ("en: neuron\n", "expected a YAML list of terms, got a dict"),
        ("- just a string\n", "expected a mapping with the fields"),
        ("- en: neuron\n  zh_hans: 神经元\n  zh_hant: 神經元\n  chapter: 01-neuron\n", r"'neuron'\): missing definition"),
        ("- en: neuron\n  zh_hans: ''\n  zh_hant: 神經元\n  definition: d\n  chapter: 01-neuron\n", "missing zh_hans"),
    ],
)
def test_bad_glossary_files_are_named_in_the_error(renderer, tmp_path, content, message):
    (tmp_path / "07.yml").write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as info:
        renderer["load_glossary"](tmp_path)
    assert "07.yml" in str(info.value)


def test_a_chapter_that_does_not_exist_is_an_error(renderer, tmp_path):
    _write(tmp_path / "_glossary", "03.yml", [_term("matrix", "03-matrice")])
    (tmp_path / "03-matrices.md").write_text("# Matrices\n", encoding="utf-8")
    entries = renderer["load_glossary"](tmp_path / "_glossary")
    with pytest.raises(ValueError, match=r"03.yml: term 'matrix' names the chapter '03-matrice'"):
        renderer["glossary_table"](entries, book_dir=tmp_path)


def test_not_a_directory(renderer, tmp_path):
    with pytest.raises(ValueError, match="expected a directory of glossary files"):
        renderer["load_glossary"](tmp_path / "missing")


def test_the_book_glossary_files_are_valid(renderer):
    entries = renderer["load_glossary"](GLOSSARY_DIR)
    assert entries, "no terms in book/_glossary"
    # Every chapter named exists (the same check the page makes when the book is built).
    renderer["glossary_table"](entries, book_dir=ROOT / "book")


def test_rendered_page_shows_every_term_sorted(renderer, built_book):
    rows = renderer["merge_terms"](renderer["load_glossary"](GLOSSARY_DIR))
    page = (built_book / "book" / "glossary.html").read_text(encoding="utf-8")
    body = page[page.index("<tbody>"): page.rindex("</tbody>")]
    shown = [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<tr[^>]*>\s*<td[^>]*><p><strong>(.*?)</strong>", body, flags=re.S)]
    assert shown == [row["en"] for row in rows], "the page's terms differ from book/_glossary/*.yml"
    assert shown == sorted(shown, key=str.casefold)
    # Each row links its chapter pages, and the Chinese names are on the page.
    assert body.count('<td><p><a class="reference internal"') >= len(rows) or body.count("reference internal") >= len(rows)
    for row in rows:
        assert row["zh_hans"] in page and row["zh_hant"] in page


def test_the_page_is_plain_markdown_rendered_by_the_extension():
    """Nothing to execute: the page has no kernel, and its table and numbers come from the extension."""
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    assert not text.startswith("---") and "code-cell" not in text
    assert "```{glossary-table}" in text and "{glossary-count}`terms`" in text


def test_the_page_gives_the_counts(renderer, built_book):
    numbers = renderer["counts"](renderer["load_glossary"](GLOSSARY_DIR))
    text = html.unescape(re.sub(r"<[^>]+>", "", (built_book / "book" / "glossary.html").read_text(encoding="utf-8")))
    assert f"It holds {numbers['terms']} terms from {numbers['chapters']} chapters." in " ".join(text.split())


# --------------------------------------------------------------------------- links to the term's section

_CHAPTER = """
Title
=====

Curvature is mentioned first in passing here.

.. _ch99-slopes:

Slopes
------

A slope's rate of change is its **curvature**.

Networks
--------

Layers that see an image through windows are *convolutional* networks. Later, **XOR** again.

Exclusive or
~~~~~~~~~~~~

No single neuron computes XOR.
"""


@pytest.fixture(scope="module")
def chapter_tree():
    from docutils.core import publish_doctree

    return publish_doctree(_CHAPTER, settings_overrides={"report_level": 5, "doctitle_xform": False})  # as Sphinx reads


def test_a_term_links_to_the_section_where_it_is_set_in_bold(chapter_tree):
    # the label's id is preferred to the one derived from the title
    assert glossary.term_section_id(chapter_tree, "curvature") == "ch99-slopes"
    # bold beats a plain earlier mention; the innermost section around it counts
    assert glossary.term_section_id(chapter_tree, "XOR") == "networks"


def test_other_wordings_and_plain_mentions(chapter_tree):
    assert glossary.term_section_id(chapter_tree, "CNN") is None  # never named: the chapter's top
    assert glossary.term_section_id(chapter_tree, "CNN", also=("convolutional",)) == "networks"
    assert glossary.term_section_id(chapter_tree, "window") == "networks"  # a plain mention, plural allowed
    assert glossary.term_section_id(chapter_tree, "single neuron") == "exclusive-or"
    assert glossary.term_section_id(chapter_tree, "exclusive or (XOR)") == "networks"  # its bold part


def test_also_must_be_a_list_of_wordings(tmp_path):
    (tmp_path / "15.yml").write_text("- en: CNN\n  zh_hans: 卷积神经网络\n  zh_hant: 卷積神經網路\n  definition: d\n"
                                     "  chapter: 15-frameworks\n  also: convolutional\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"15.yml, term 1 \('CNN'\): expected 'also' as a list"):
        glossary.load_glossary(tmp_path)


@pytest.mark.parametrize("en, zh_hans, zh_hant", [
    ("XOR", "异或", "互斥或"),
    ("machine learning", "机器学习", "機器學習"),
    ("deep learning", "深度学习", "深度學習"),
    ("deep neural network", "深度神经网络", "深度神經網路"),
    ("unsupervised learning", "无监督学习", "無監督學習"),
    ("structured data", "结构化数据", "結構化資料"),
    ("unstructured data", "非结构化数据", "非結構化資料"),
    ("least squares", "最小二乘法", "最小平方法"),
    ("curvature", "曲率", "曲率"),
    ("affine", "仿射", "仿射"),
    ("one-hot encoding", "独热编码", "獨熱編碼"),
    ("directional derivative", "方向导数", "方向導數"),
    ("global minimum", "全局最优解", "全域最小值"),
    ("feature", "特征", "特徵"),
    ("sample", "样本", "樣本"),
    ("CNN", "卷积神经网络", "卷積神經網路"),
    ("RNN", "循环神经网络", "循環神經網路"),
    ("perceptron", "感知机", "感知器"),
    ("multilayer perceptron", "多层感知机", "多層感知器"),
    ("topological order", "拓扑序", "拓撲序"),
    ("power rule", "幂法则", "冪法則"),
    ("forward propagation", "正向传播", "正向傳播"),
])
def test_the_glossary_has_the_term_in_both_scripts(renderer, en, zh_hans, zh_hant):
    rows = {row["en"]: row for row in renderer["merge_terms"](renderer["load_glossary"](GLOSSARY_DIR))}
    assert en in rows, f"{en!r} is missing from the glossary"
    assert zh_hans in rows[en]["zh_hans"] and zh_hant in rows[en]["zh_hant"]


def test_sorts_and_cross_products_are_told_apart(renderer):
    rows = {row["en"]: row for row in renderer["merge_terms"](renderer["load_glossary"](GLOSSARY_DIR))}
    assert "拓扑排序" not in rows["topological order"]["zh_hans"]  # 拓扑排序 is the sort, named in the definition
    assert "拓扑排序" in rows["topological order"]["definition"]
    assert "cross product" in rows["outer product"]["definition"]


def test_glossary_links_land_on_the_terms_section(renderer, built_book):
    """Every chapter link of the table carries an anchor that exists on the chapter's page, and the
    terms that chapters set in bold land on that section, not on the chapter's top."""
    page = (built_book / "book" / "glossary.html").read_text(encoding="utf-8")
    body = page[page.index("<tbody>"): page.rindex("</tbody>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    anchored, targets = {}, {}
    for row in rows:
        term = html.unescape(re.sub(r"<[^>]+>", "", re.search(r"<strong>(.*?)</strong>", row, re.S).group(1))).strip()
        for href in re.findall(r'href="([^"]+)"', row):
            path, _, anchor = href.partition("#")
            if anchor:
                anchored[(term, path)] = anchor
                if path not in targets:
                    targets[path] = (built_book / "book" / path).read_text(encoding="utf-8")
                assert f'id="{anchor}"' in targets[path], f"{term}: {href} has no such anchor"
    # most terms are introduced below a chapter's opening; those that are not link to its top
    assert len(anchored) >= 0.75 * sum(len(re.findall(r'href="', row)) for row in rows)
    for term, chapter, section in [("structured data", "01-neuron.html", "ch01-supervised"),
                                   ("curvature", "08-gradient-descent.html", "ch08-bowl"),
                                   ("affine", "04-activations.html", "ch04-why-nonlinear")]:
        assert anchored.get((term, chapter)) == section, (term, anchored.get((term, chapter)))
