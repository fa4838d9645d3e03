"""Sphinx extension: exercise feedback executed by the build links to the published book.

A FAIL message links to the section that explains it: inside a checkout whose book has been
built, to the local page (see ``src/nnbook/_links.py``). A page of the book that shows such a
message (the *How to use this book* page does) must not depend on whether an earlier build
left ``_build/html`` behind, so the build's kernels, which inherit this process's environment,
get ``NNBOOK_BOOK_URL`` set to the published book (unless it is set already).
"""

from __future__ import annotations

import os


def link_to_the_published_book() -> None:
    """Set ``NNBOOK_BOOK_URL`` for the kernels started from here on (unless it is set already);
    also called by tools/execute_notebooks.py, which runs the notebooks before the build."""
    from nnbook._links import BOOK_URL

    os.environ.setdefault("NNBOOK_BOOK_URL", BOOK_URL)


def setup(app):
    link_to_the_published_book()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
