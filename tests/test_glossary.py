"""The glossary page: its renderer (the Sphinx extension tools/glossary.py) and the rendered table."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest
import yaml

from test_book import ROOT

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
