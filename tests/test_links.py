"""The "read:" link of a FAIL message: the local built page inside a built checkout, else the web."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from book_support import ROOT

from nnbook import _links
from nnbook.checks import _core, check

sys.path.insert(0, str(ROOT / "tools"))
import exercise_links  # noqa: E402

PUBLISHED = "https://nnbook.github.io/nnbook/book/03-matrices.html#ch03-batch"


def _checkout(root: Path, built: bool = True, pages=("03-matrices.html",)) -> Path:
    """A repository checkout in ``root`` (its marker files), with a built book when ``built``."""
    (root / "exercises").mkdir(parents=True)
    (root / "_toc.yml").write_text("root: book/intro\n", encoding="utf-8")
    (root / "_config.yml").write_text("title: t\n", encoding="utf-8")
    if built:
        (root / "_build" / "html" / "book").mkdir(parents=True)
        (root / "_build" / "html" / "index.html").write_text("<html></html>", encoding="utf-8")
        for page in pages:
            (root / "_build" / "html" / "book" / page).write_text("<html></html>", encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def _no_url_override(monkeypatch):
    monkeypatch.delenv("NNBOOK_BOOK_URL", raising=False)


def test_inside_a_built_checkout_the_link_is_the_local_page(tmp_path):
    root = _checkout(tmp_path / "repo")
    page = (root / "_build" / "html" / "book" / "03-matrices.html").resolve()
    start = root / "exercises"
    assert _links.local_book(start) == (root / "_build" / "html").resolve()
    assert _links.section_url("03-matrices.html#ch03-batch", start=start) == page.as_uri() + "#ch03-batch"
    assert _links.section_url("book/03-matrices.html", start=start) == page.as_uri()
    # In a notebook's HTML output: relative to the notebook's folder, which JupyterLab opens itself.
    assert (_links.section_url("03-matrices.html#ch03-batch", relative=True, start=start)
            == "../_build/html/book/03-matrices.html#ch03-batch")


@pytest.mark.parametrize("where", ["not built", "outside", "page missing"])
def test_otherwise_the_link_is_the_published_page(tmp_path, where):
    if where == "not built":
        start = _checkout(tmp_path / "repo", built=False) / "exercises"
    elif where == "outside":
        start = tmp_path / "somewhere"
        start.mkdir()
    else:
        start = _checkout(tmp_path / "repo", pages=("01-neuron.html",)) / "exercises"
    if where == "page missing":  # the book is built, only this page is not in it
        assert _links.local_book(start) == (tmp_path / "repo" / "_build" / "html").resolve()
    else:
        assert _links.local_book(start) is None
    assert _links.section_url("03-matrices.html#ch03-batch", start=start) == PUBLISHED
    assert _links.section_url("03-matrices.html#ch03-batch", relative=True, start=start) == PUBLISHED


def test_nnbook_book_url_and_absolute_sections_win(tmp_path, monkeypatch):
    start = _checkout(tmp_path / "repo") / "exercises"
    monkeypatch.setenv("NNBOOK_BOOK_URL", "https://example.org/nnbook/")
    assert (_links.section_url("03-matrices.html#ch03-batch", start=start)
            == "https://example.org/nnbook/book/03-matrices.html#ch03-batch")
    assert _links.section_url("https://example.org/x.html", start=start) == "https://example.org/x.html"


def test_a_fail_message_links_where_the_notebook_runs(tmp_path, monkeypatch):
    section = _core.get_question("01.1").section
    page_name, _, anchor = section.removeprefix("book/").partition("#")
    root = _checkout(tmp_path / "repo", pages=(page_name,))
    page = (root / "_build" / "html" / "book" / page_name).resolve()

    monkeypatch.chdir(root / "exercises")  # Jupyter starts a notebook's kernel in its folder
    result = check("01.1", lambda: -1.0, quiet=True)
    assert result.status == "failed"
    assert f"read: {page.as_uri()}#{anchor}" in result.text()
    assert f'href="../_build/html/book/{page_name}#{anchor}"' in result.html()

    monkeypatch.chdir(tmp_path)  # a notebook on its own: the published book
    result = check("01.1", lambda: -1.0, quiet=True)
    assert f"read: https://nnbook.github.io/nnbook/book/{page_name}#{anchor}" in result.text()
    assert f'href="https://nnbook.github.io/nnbook/book/{page_name}#{anchor}"' in result.html()


def test_the_book_build_links_its_pages_to_the_published_book(monkeypatch):
    """Pages executed by the build do not depend on a _build/html left by an earlier build."""
    monkeypatch.setenv("NNBOOK_BOOK_URL", "recorded")  # so that the test's end restores the variable
    monkeypatch.delenv("NNBOOK_BOOK_URL")
    exercise_links.setup(app=None)
    assert os.environ["NNBOOK_BOOK_URL"] == _links.BOOK_URL
    monkeypatch.setenv("NNBOOK_BOOK_URL", "https://example.org/mirror/")
    exercise_links.setup(app=None)
    assert os.environ["NNBOOK_BOOK_URL"] == "https://example.org/mirror/"


def test_the_how_to_page_shows_a_fail_message_linking_to_the_published_book(built_book):
    page = (built_book / "book" / "how-to-use.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]*)"[^>]*>Read the section in the book', page)
    assert links and all(link.startswith(_links.BOOK_URL + "book/") for link in links), links
