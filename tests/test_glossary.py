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


# --------------------------------------------------------------------------- the English pages: no inline glosses

# Any CJK ideograph, CJK punctuation or full-width form.
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
# The pages that keep Chinese on purpose: the errata quote the sources in their own script, the
# bibliography gives the sources' titles as published, and the glossary page has its 简体 and 繁體
# columns (and names them in its opening paragraph). Every other English page, chapters, intro,
# how-to-use, notation and performance included, carries none: the Chinese names of a term are in
# the glossary and in its link's tooltip.
KEEPS_CHINESE = {"errata.md", "bibliography.md", "glossary.md"}


def test_the_cjk_pattern_finds_a_gloss():
    assert CJK.search("the **neuron** (神经元 / 神經元)") and CJK.search("（")
    assert not CJK.search("the **neuron**, σ(z) = 1 / (1 + e^(−z)), 3×3, ≤ 0.5, naïve")


def test_the_english_pages_carry_no_chinese():
    found = []
    for path in sorted((ROOT / "book").glob("*.md")):
        if path.name in KEEPS_CHINESE:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if CJK.search(line):
                found.append(f"book/{path.name}:{number}: {line.strip()[:90]}")
    assert not found, "Chinese on an English page (the glossary and the term's tooltip give it):\n" + "\n".join(found)


def _prose(chapter: str) -> str:
    """A chapter's English text, code cells left out, emphasis marks removed, compared as
    :func:`glossary._words` compares (case and hyphens ignored)."""
    text = (ROOT / "book" / f"{chapter}.md").read_text(encoding="utf-8")
    text = re.sub(r"^```\{code-cell\}.*?^```", "", text, flags=re.S | re.M)
    return glossary._words(text.replace("*", ""))


def _named(prose: str, phrase: str) -> bool:
    words = r"\s+".join(map(re.escape, glossary._words(phrase).split()))
    return re.search(r"(?<![\w-])" + words + r"(?:e?s)?(?![\w-])", prose) is not None


def _english_forms(entry) -> list[str]:
    term = entry["en"]
    short = re.sub(r"\s*\([^)]*\)", "", term).strip()
    return [term, short, *re.findall(r"\(([^)]*)\)", term), *entry["also"]]


def test_every_chapter_names_in_english_the_terms_the_glossary_gives_it():
    """The term itself, its short form or bracketed part, or a wording its entry lists under ``also``
    (a plural allowed), in the chapter's prose (not only in a code comment)."""
    missing = [f"{entry['chapter']}: {entry['en']!r}"
               for entry in glossary.load_glossary(GLOSSARY_DIR)
               if not any(_named(_prose(entry["chapter"]), form) for form in _english_forms(entry))]
    assert not missing, "glossary terms their chapter never names in English:\n" + "\n".join(missing)


@pytest.mark.parametrize("term, chapter", [
    ("machine learning", "01-neuron"), ("deep learning", "01-neuron"),
    ("deep neural network", "05-forward"), ("feature", "05-forward"), ("shallow neural network", "05-forward"),
    ("global minimum", "11-training"), ("CNN", "15-frameworks"), ("RNN", "15-frameworks"),
])
def test_terms_once_given_only_in_chinese_are_named_in_english(term, chapter):
    """These terms used to be covered only by the Chinese text or by another term's wording."""
    entries = [e for e in glossary.load_glossary(GLOSSARY_DIR) if e["en"] == term]
    assert chapter in {e["chapter"] for e in entries}, f"the glossary no longer gives {term!r} to {chapter}"
    assert _named(_prose(chapter), term), f"{chapter} does not name {term!r} itself"


def test_no_also_wording_is_another_glossary_term():
    """An ``also`` wording links bold text to the entry: it must not be a different term of the
    glossary (global minimum once borrowed local minimum's wording)."""
    entries = glossary.load_glossary(GLOSSARY_DIR)
    terms = {glossary._words(e["en"]) for e in entries}
    clashes = [f"{e['en']}: also {a!r}" for e in entries for a in e["also"]
               if glossary._words(a) in terms and glossary._words(a) != glossary._words(e["en"])]
    assert not clashes, clashes


# The 简体 catalogues' use of the terms (the glossary's 简体 term, the English name in brackets at
# its first use in the chapter) is checked by tests/test_i18n.py
# (test_translated_chapter_uses_the_glossary_terms), for every term of every chapter.


# --------------------------------------------------------------------------- term links and tooltips

def test_term_anchor_is_stable_and_unique():
    assert glossary.term_anchor("neuron") == "term-neuron"
    assert glossary.term_anchor("rectified linear unit (ReLU)") == "term-rectified-linear-unit-relu"
    assert glossary.term_anchor("matrix–vector product") == "term-matrix-vector-product"
    rows = glossary.merge_terms(glossary.load_glossary(GLOSSARY_DIR))
    anchors = [glossary.term_anchor(row["en"]) for row in rows]
    assert len(set(anchors)) == len(anchors)


def test_bold_names_in_each_edition():
    entry = dict(_term("rectified linear unit (ReLU)", zh_hans="线性整流函数 / 修正线性单元",
                       zh_hant="線性整流函數"), also=("rectifier",))
    assert {"relu", "rectified linear unit", "rectified linear units", "rectifier"} <= glossary.bold_names(entry)
    assert glossary.bold_names(entry, "zh_CN") == {"线性整流函数", "修正线性单元"}
    assert glossary.bold_names(entry, "zh_TW") == {"線性整流函數", "线性整流函数", "修正线性单元"}
    softmax = dict(_term("softmax", zh_hans="softmax 函数（归一化指数函数）"), also=())
    assert {"softmax 函数", "归一化指数函数"} <= glossary.bold_names(softmax, "zh_CN")


def test_tooltip_names_the_other_two_languages_with_their_lang():
    row = _term("neuron", zh_hans="神经元", zh_hant="神經元")
    english = glossary.tooltip_html(row, "en")
    assert 'lang="zh-Hans"' in english and 'lang="zh-Hant"' in english and "神经元" in english and "神經元" in english
    assert 'lang="en"' not in english
    simplified = glossary.tooltip_html(row, "zh_CN")
    assert 'lang="en"' in simplified and ">English</span> neuron<" in simplified
    assert 'lang="zh-Hant"' in simplified and "神經元" in simplified and "神经元" not in simplified
    traditional = glossary.tooltip_html(row, "zh_TW")
    assert 'lang="zh-Hans"' in traditional and "神经元" in traditional and "神經元" not in traditional
    assert "&lt;b&gt;" in glossary.tooltip_html(_term("<b>", zh_hans="<b>"), "en")  # escaped


_MINI_CHAPTER = """# The neuron

A network is built from the **neuron**. A second **neuron** is not linked again. A **gradient**
belongs to another chapter, and **neurons** too are the same term.

## The **weight** in a title

Each input has a **weight**.
"""

_MINI_CHAPTER_ZH = """# 神经元

神经网络由**神经元**（neuron）组成。每个输入有一个**权重**（weight）。
"""


def _mini_build(tmp_path, language, chapter_text):
    """A two-page MyST project (the chapter 01-neuron and the glossary) built with the extension."""
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(f"import sys\nsys.path.insert(0, {str(ROOT / 'tools')!r})\n"
                                 f"extensions = ['myst_parser', 'glossary']\nlanguage = {language!r}\n",
                                 encoding="utf-8")
    (src / "index.md").write_text("# Book\n\n```{toctree}\n01-neuron\nglossary\n```\n", encoding="utf-8")
    (src / "01-neuron.md").write_text(chapter_text, encoding="utf-8")
    (src / "glossary.md").write_text("# Glossary\n\n```{glossary-table}\n```\n", encoding="utf-8")
    out = tmp_path / "html"
    app = Sphinx(str(src), str(src), str(out), str(tmp_path / "doctrees"), "html", status=None,
                 warning=None, freshenv=True)
    app.build()
    return out


def _describedby(page: str) -> dict:
    """{link text: (href, tooltip element's HTML)} for every term link of a built page."""
    found = {}
    for match in re.finditer(r'<a class="reference internal nnbook-term-link" href="([^"]+)" '
                             r'aria-describedby="([^"]+)"><strong>(.*?)</strong></a>', page, flags=re.S):
        href, tip_id, text = match.groups()
        tip = re.search(r'<span class="nnbook-term-tip" role="tooltip" id="' + re.escape(tip_id)
                        + r'">(.*?</span>)</span></span>', page, flags=re.S)
        assert tip, f"{text}: no element with role=tooltip and id {tip_id}"
        found.setdefault(" ".join(html.unescape(text).split()), []).append((href, tip.group(1)))
    return found


def test_a_chapters_first_bold_term_links_to_its_glossary_row(tmp_path):
    out = _mini_build(tmp_path, "en", _MINI_CHAPTER)
    page = (out / "01-neuron.html").read_text(encoding="utf-8")
    links = _describedby(page)
    assert set(links) == {"neuron", "weight"}  # not gradient (chapter 7's), not the title's weight
    assert [href for href, _ in links["neuron"]] == ["glossary.html#term-neuron"]  # the first use only
    assert links["weight"][0][0] == "glossary.html#term-weight"
    tip = links["neuron"][0][1]
    assert re.search(r'lang="zh-Hans"><span class="nnbook-term-label">简体</span> 神经元<', tip)
    assert re.search(r'lang="zh-Hant"><span class="nnbook-term-label">繁體</span> 神經元<', tip)
    assert "<strong>neurons</strong>" in page  # a later use stays plain bold
    glossary_page = (out / "glossary.html").read_text(encoding="utf-8")
    assert re.search(r'<tr class="[^"]*" id="term-neuron"', glossary_page)
    assert re.search(r'<tr class="[^"]*" id="term-weight"', glossary_page)
    assert 'href="_static/glossary-tip.css' in page and 'src="_static/glossary-tip.js' in page


def test_in_a_chinese_edition_the_chinese_bold_term_links_and_the_tooltip_gives_the_english(tmp_path):
    out = _mini_build(tmp_path, "zh_CN", _MINI_CHAPTER_ZH)
    links = _describedby((out / "01-neuron.html").read_text(encoding="utf-8"))
    assert set(links) == {"神经元", "权重"}
    href, tip = links["神经元"][0]
    assert href == "glossary.html#term-neuron"
    assert re.search(r'lang="en"><span class="nnbook-term-label">English</span> neuron<', tip)
    assert re.search(r'lang="zh-Hant"><span class="nnbook-term-label">繁體</span> 神經元<', tip)


def _bold_in_source(chapter: str) -> list[str]:
    """The bold texts of a chapter's prose (headings and code cells left out), in order."""
    text = (ROOT / "book" / f"{chapter}.md").read_text(encoding="utf-8")
    text = re.sub(r"^```\{code-cell\}.*?^```", "", text, flags=re.S | re.M)
    text = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return [" ".join(bold.split()) for bold in re.findall(r"\*\*(.+?)\*\*", text, flags=re.S)]


def _unbolded(bolds_of, edition: str) -> list[str]:
    """The (chapter, term) pairs of the glossary whose chapter sets none of the term's names in bold."""
    missing = []
    for entry in glossary.load_glossary(GLOSSARY_DIR):
        bolds = {glossary._words(b) for b in bolds_of(entry["chapter"])}
        if not bolds & glossary.bold_names(entry, edition):
            missing.append(f"{entry['chapter']}: {entry['en']!r}")
    return missing


def test_every_chapter_sets_in_bold_every_term_the_glossary_gives_it():
    """A term is linked to its glossary row where the chapter first sets it in bold, so each
    (chapter, term) pair of the glossary needs a bold use in that chapter's prose, or the pair
    has no link in the English edition."""
    missing = _unbolded(_bold_in_source, "en")
    assert not missing, "glossary terms their chapter never sets in bold:\n" + "\n".join(missing)


@pytest.mark.parametrize("locale", ["zh_CN", "zh_TW"])
def test_every_translated_chapter_sets_in_bold_every_term_the_glossary_gives_it(locale):
    """The same in each Chinese catalogue: the glossary's Chinese name of each term in bold."""
    from babel.messages.pofile import read_po

    def bolds_of(chapter):
        with open(ROOT / "locales" / locale / "LC_MESSAGES" / "book" / f"{chapter}.po", "rb") as handle:
            return [" ".join(bold.split()) for message in read_po(handle) if message.id
                    for bold in re.findall(r"\*\*(.+?)\*\*", message.string, flags=re.S)]

    missing = _unbolded(bolds_of, locale)
    assert not missing, f"{locale}: glossary terms their chapter never sets in bold:\n" + "\n".join(missing)


def test_built_chapters_link_every_term_they_set_in_bold(built_book):
    """Every glossary term a chapter introduces in bold is a link to the glossary row, once, whose
    tooltip carries the 简体 and 繁體 names with their lang attributes; the row exists."""
    entries = glossary.load_glossary(GLOSSARY_DIR)
    rows = {row["en"]: row for row in glossary.merge_terms(entries)}
    glossary_page = (built_book / "book" / "glossary.html").read_text(encoding="utf-8")
    chapters = sorted({entry["chapter"] for entry in entries})
    linked_total = 0
    for chapter in chapters:
        names = glossary.chapter_terms(entries, chapter)
        expected = {names[glossary._words(b)]["en"] for b in _bold_in_source(chapter) if glossary._words(b) in names}
        page = (built_book / "book" / f"{chapter}.html").read_text(encoding="utf-8")
        links = _describedby(page)
        got = {}
        for text, uses in links.items():
            assert len(uses) == 1, f"{chapter}: {text!r} is linked {len(uses)} times"
            href, tip = uses[0]
            anchor = href.partition("#")[2]
            assert href == f"glossary.html#{anchor}" and f'id="{anchor}"' in glossary_page, (chapter, href)
            en = next(en for en in rows if glossary.term_anchor(en) == anchor)
            got[en] = tip
        assert set(got) == expected, f"{chapter}: linked {sorted(set(got) - expected)}, not linked {sorted(expected - set(got))}"
        for en, tip in got.items():
            assert f'lang="zh-Hans"><span class="nnbook-term-label">简体</span> {html.escape(rows[en]["zh_hans"])}<' in tip
            assert f'lang="zh-Hant"><span class="nnbook-term-label">繁體</span> {html.escape(rows[en]["zh_hant"])}<' in tip
        linked_total += len(got)
    assert linked_total >= 100, f"only {linked_total} term links in the chapters"
    neuron = (built_book / "book" / "01-neuron.html").read_text(encoding="utf-8")
    assert ('<a class="reference internal nnbook-term-link" href="glossary.html#term-neuron" '
            'aria-describedby="nnbook-tip-term-neuron"><strong>neuron</strong></a>') in neuron


def test_built_english_chapters_show_chinese_only_in_the_tooltips(built_book):
    """The article of each English chapter has no Chinese once its tooltips are taken out."""
    found = []
    for path in sorted((built_book / "book").glob("[01]*.html")):
        page = path.read_text(encoding="utf-8")
        article = page[page.index("<article"): page.rindex("</article>")]
        article = re.sub(r'<span class="nnbook-term-tip" role="tooltip".*?</span></span></span>', "", article, flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", " ", article))
        found += [f"{path.name}: …{text[max(0, m.start() - 30): m.end() + 30]}…" for m in CJK.finditer(text)][:3]
    assert not found, "\n".join(found)


# --------------------------------------------------------------------------- the tooltip in a browser

GLOSSARY_SHOTS = ROOT / "_build" / "screenshots-glossary"

_TIP_STATE_JS = r"""
((id) => {
  const link = document.querySelector(`a[aria-describedby="${id}"]`);
  const tip = document.getElementById(id);
  const r = tip.getBoundingClientRect();
  return {shown: getComputedStyle(tip).display !== 'none', focused: document.activeElement === link,
          left: r.left, right: r.right, width: document.documentElement.clientWidth};
})
"""

# Every term link of the page focused in turn: its tooltip shows, inside the window.
_EVERY_TIP_JS = r"""
(() => (document.activeElement.blur(), Array.from(document.querySelectorAll('a.nnbook-term-link'))).map(link => {
  link.scrollIntoView({block: 'center'});
  link.focus();
  const tip = document.getElementById(link.getAttribute('aria-describedby'));
  const r = tip.getBoundingClientRect();
  const seen = {term: link.textContent, shown: getComputedStyle(tip).display !== 'none',
                left: r.left, right: r.right, width: document.documentElement.clientWidth};
  link.blur();
  return seen;
}))()
"""


def _key(browser, session, key, code):
    for kind in ("rawKeyDown", "keyUp"):
        browser.call("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": key,
                                                "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code},
                     session=session)


def _mouse(browser, session, x, y):
    browser.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y}, session=session)
    browser.pump(0.2)


def check_tooltips(browser, url: str, tip_id: str, shots: Path | None = None) -> dict:
    """Hover, Escape, keyboard focus and the accessibility tree of one term link on ``url``, at
    1280 and 390 px; returns what was seen (tests/test_glossary.py asserts on it)."""
    from browser_support import open_settled, set_width, take_screenshot

    target, session = open_settled(browser, url)
    seen = {}
    state = lambda: browser.evaluate(session, f"({_TIP_STATE_JS})({tip_id!r})")  # noqa: E731
    try:
        for width in (1280, 390):
            set_width(browser, session, width)
            browser.pump(0.3)
            where = browser.evaluate(session, f"""(() => {{
                const a = document.querySelector('a[aria-describedby="{tip_id}"]');
                a.scrollIntoView({{block: 'center'}});
                const r = a.getBoundingClientRect();
                return {{x: r.left + r.width / 2, y: r.top + r.height / 2}}; }})()""")
            _mouse(browser, session, 2, 2)
            seen[width, "before"] = state()
            _mouse(browser, session, where["x"], where["y"])
            seen[width, "hover"] = state()
            # WCAG 1.4.13: the pointer can move onto the tooltip without it vanishing.
            tip = browser.evaluate(session, f"""(() => {{
                const r = document.getElementById('{tip_id}').getBoundingClientRect();
                return {{x: r.left + r.width / 2, y: r.top + r.height / 2}}; }})()""")
            _mouse(browser, session, where["x"], (where["y"] + tip["y"]) / 2)
            _mouse(browser, session, tip["x"], tip["y"])
            seen[width, "pointer on the tooltip"] = state()
            _mouse(browser, session, where["x"], where["y"])
            if shots:
                take_screenshot(browser, session, shots / f"hover-{width}.png")
            _key(browser, session, "Escape", 27)
            browser.pump(0.2)
            seen[width, "hover+Escape"] = state()
            _mouse(browser, session, 2, 2)
            _mouse(browser, session, where["x"], where["y"])
            seen[width, "hover again"] = state()
            _mouse(browser, session, 2, 2)
            # The keyboard: start the sequential navigation at the link's paragraph, press Tab.
            browser.evaluate(session, f"""(() => {{
                const p = document.querySelector('a[aria-describedby="{tip_id}"]').parentElement.closest('p, li, td');
                p.tabIndex = -1; p.focus(); return true; }})()""")
            _key(browser, session, "Tab", 9)
            browser.pump(0.3)
            seen[width, "Tab"] = state()
            if shots:
                take_screenshot(browser, session, shots / f"focus-{width}.png")
            _key(browser, session, "Escape", 27)
            browser.pump(0.2)
            seen[width, "Tab+Escape"] = state()
            seen[width, "every tip"] = browser.evaluate(session, _EVERY_TIP_JS)
        browser.call("Accessibility.enable", session=session)
        nodes_ = browser.call("Accessibility.getFullAXTree", session=session)["nodes"]
        seen["ax"] = [{"name": n.get("name", {}).get("value"), "description": n.get("description", {}).get("value"),
                       "focusable": any(p["name"] == "focusable" and p["value"].get("value") for p in n.get("properties", [])),
                       "describedby": [p["value"].get("value") for p in n.get("properties", []) if p["name"] == "describedby"]}
                      for n in nodes_ if n.get("role", {}).get("value") == "link"]
    finally:
        browser.close_page(target)
    return seen


def test_the_tooltip_shows_on_hover_and_focus_hides_on_escape_and_stays_in_the_window(site, browser):
    base, _ = site
    GLOSSARY_SHOTS.mkdir(parents=True, exist_ok=True)
    seen = check_tooltips(browser, f"{base}/book/01-neuron.html", "nnbook-tip-term-neuron", GLOSSARY_SHOTS)
    for width in (1280, 390):
        assert not seen[width, "before"]["shown"], width
        hover = seen[width, "hover"]
        assert hover["shown"] and 0 <= hover["left"] and hover["right"] <= hover["width"], (width, hover)
        assert seen[width, "pointer on the tooltip"]["shown"], f"{width} px: the tooltip vanishes under the pointer"
        assert not seen[width, "hover+Escape"]["shown"], f"{width} px: Escape does not dismiss the tooltip"
        assert seen[width, "hover again"]["shown"], f"{width} px: the tooltip does not come back after Escape"
        tab = seen[width, "Tab"]
        assert tab["focused"] and tab["shown"], f"{width} px: Tab does not reach the term, or its tooltip stays hidden"
        assert seen[width, "Tab+Escape"]["focused"] and not seen[width, "Tab+Escape"]["shown"]
        tips = seen[width, "every tip"]
        assert len(tips) >= 15
        outside = [t for t in tips if not t["shown"] or t["left"] < 0 or t["right"] > t["width"]]
        assert not outside, f"{width} px: tooltips hidden or outside the window: {outside}"
    neuron = [link for link in seen["ax"] if link["name"] == "neuron"]
    assert neuron, "the accessibility tree has no link named 'neuron'"
    assert neuron[0]["focusable"] and neuron[0]["describedby"] == ["nnbook-tip-term-neuron"]
    assert neuron[0]["description"] == "简体 神经元 繁體 神經元"


@pytest.mark.parametrize("edition, bold, other_lang, other_name", [
    ("zh-cn", "神经元", "zh-Hant", "神經元"), ("zh-tw", "神經元", "zh-Hans", "神经元")])
def test_built_chinese_chapters_link_the_chinese_term_with_the_english_in_the_tooltip(built_book, edition, bold,
                                                                                          other_lang, other_name):
    """The Chinese editions of the session's build: the bold Chinese term links to the same
    glossary row, and its tooltip gives the English term and the other script, each with its lang."""
    html_dir = built_book / edition
    assert (html_dir / "book" / "01-neuron.html").is_file(), f"the build made no {edition} edition"
    links = _describedby((html_dir / "book" / "01-neuron.html").read_text(encoding="utf-8"))
    href, tip = links[bold][0]
    assert href == "glossary.html#term-neuron"
    assert re.search(r'lang="en"><span class="nnbook-term-label">English</span> neuron<', tip)
    assert re.search(rf'lang="{other_lang}"><span class="nnbook-term-label">[^<]+</span> {other_name}<', tip)
    assert 'id="term-neuron"' in (html_dir / "book" / "glossary.html").read_text(encoding="utf-8")
    glossary_page = (html_dir / "book" / "glossary.html").read_text(encoding="utf-8")
    chapters = sorted({e["chapter"] for e in glossary.load_glossary(GLOSSARY_DIR)})
    unlinked, broken = [], []
    for chapter in chapters:
        links = _describedby((html_dir / "book" / f"{chapter}.html").read_text(encoding="utf-8"))
        unlinked += [chapter] if not links else []
        broken += [f"{chapter}: {href}" for uses in links.values() for href, _ in uses
                   if f'id="{href.partition("#")[2]}"' not in glossary_page]
    assert not unlinked, f"{edition}: chapters without a term link: {unlinked}"
    assert not broken, f"{edition}: term links to no glossary row: {broken}"
