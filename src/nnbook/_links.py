"""Links from the exercise feedback to the book: the local build when there is one, else the web.

A FAIL message ends with a link to the section that explains the question. When the notebook
runs inside a checkout of the repository whose book has been built (``make book`` wrote
``_build/html``), the link opens that local page, which needs no network; anywhere else
(Colab, Binder, a notebook downloaded on its own) it opens the published book.
``NNBOOK_BOOK_URL=https://...`` points every link at that site instead.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

BOOK_URL = "https://nnbook.github.io/nnbook/"


def local_book(start: str | os.PathLike | None = None) -> Path | None:
    """The ``_build/html`` folder of the repository checkout that holds ``start`` (default: the
    current directory, which Jupyter sets to the notebook's folder), or None when ``start`` is not
    inside a checkout or its book has not been built."""
    folder = Path(start if start is not None else os.getcwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / "_toc.yml").is_file() and (candidate / "_config.yml").is_file():
            html = candidate / "_build" / "html"
            return html if (html / "index.html").is_file() else None
    return None


def section_url(section: str, *, relative: bool = False, start: str | os.PathLike | None = None) -> str:
    """The link to ``section`` ("03-matrices.html#ch03-batch", a page of ``book/``).

    The local built page when there is one (see :func:`local_book`): a ``file://`` URL, or with
    ``relative=True`` a path relative to ``start`` (what a link in a notebook's HTML output needs:
    JupyterLab opens relative links itself, while a browser refuses ``file://`` links from a page
    served over HTTP). Otherwise the page of the published book (or of ``NNBOOK_BOOK_URL``).
    """
    if re.match(r"^[a-z]+://", section):
        return section
    path = section if section.startswith("book/") else "book/" + section
    page, _, anchor = path.partition("#")
    fragment = f"#{anchor}" if anchor else ""
    base = os.environ.get("NNBOOK_BOOK_URL")
    html = None if base else local_book(start)
    if html is not None and (html / page).is_file():
        if relative:
            here = Path(start if start is not None else os.getcwd()).resolve()
            return Path(os.path.relpath(html / page, here)).as_posix() + fragment
        return (html / page).as_uri() + fragment
    return (base or BOOK_URL).rstrip("/") + "/" + path
