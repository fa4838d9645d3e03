"""Weigh the pages of the built site: each page's own weight, and what the pages share.

A page's own weight is its HTML (widget states included) plus the files it loads that no other
page loads (its figures); files that several pages load (the theme, MathJax, the widget
manager, in ``_static``) are shared: a reader's browser fetches them once and caches them.
A page loads a file through ``src=`` (images, scripts) or ``<link rel=stylesheet|preload|icon
href=…>``; ordinary links (``<a href>``, ``<link rel=next>``) are not loaded with the page.

A first visit loads the page and every file it references, shared or not: :func:`first_visit`
adds them up. What scripts fetch later (MathJax's components, which its loader fetches, the
fonts, a Chinese font file where the page shows Chinese) is not in the HTML, so this is a lower
bound of what a browser with an empty cache transfers; ``benchmarks/page_weight.py`` measures it
in Chromium.

Usage: ``python tools/page_weight.py [_build/html] [--budget MB]`` prints the heaviest pages
and the shared total, and exits with status 1 if a page's own weight is over the budget (3 MB).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

BUDGET_MB = 3.0
MB = 1024 * 1024

_SRC = re.compile(r"""<(?:img|script|source|iframe|embed)\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""\b(rel|href)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
# <link rel=…> values that make the browser fetch the file with the page (not next/prev/search).
_FETCHED_RELS = {"stylesheet", "preload", "modulepreload", "icon", "shortcut", "apple-touch-icon"}


def _references(text: str) -> list[str]:
    refs = [m.group(1) for m in _SRC.finditer(text)]
    for tag in _LINK.finditer(text):
        attrs = {k.lower(): v for k, v in _ATTR.findall(tag.group(0))}
        if set(attrs.get("rel", "").lower().split()) & _FETCHED_RELS and attrs.get("href"):
            refs.append(attrs["href"])
    return refs


def loaded_files(page: Path, root: Path) -> set[Path]:
    """The local files ``page`` loads (resolved inside ``root``)."""
    text = page.read_text(encoding="utf-8", errors="replace")
    files = set()
    for ref in _references(text):
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc or not parts.path:
            continue  # data: URIs are inside the HTML already; remote files are not the site's
        path = (page.parent / unquote(parts.path)).resolve()
        if path.is_file() and root.resolve() in path.parents:
            files.add(path)
    return files


def weigh(root: Path) -> tuple[dict[str, int], int, int]:
    """(own weight of each page in bytes, shared bytes, number of shared files)."""
    root = Path(root)
    pages = sorted(p for p in root.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)
    if not pages:
        raise FileNotFoundError(f"expected the built site's HTML pages in {root}, found none")
    loads = {page: loaded_files(page, root) for page in pages}
    users: dict[Path, int] = defaultdict(int)
    for files in loads.values():
        for f in files:
            users[f] += 1
    own = {}
    for page, files in loads.items():
        own[str(page.relative_to(root))] = page.stat().st_size + sum(f.stat().st_size for f in files if users[f] == 1)
    shared = [f for f, n in users.items() if n > 1]
    return own, sum(f.stat().st_size for f in shared), len(shared)


def first_visit(root: Path) -> dict[str, int]:
    """What a browser with an empty cache loads for each page, as far as its HTML says: the page
    and every local file it references (``{page: bytes}``)."""
    root = Path(root)
    pages = sorted(p for p in root.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)
    if not pages:
        raise FileNotFoundError(f"expected the built site's HTML pages in {root}, found none")
    return {str(page.relative_to(root)): page.stat().st_size + sum(f.stat().st_size for f in loaded_files(page, root))
            for page in pages}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", nargs="?", default="_build/html", help="the built site (default: _build/html)")
    parser.add_argument("--budget", type=float, default=BUDGET_MB, help="largest own weight of a page, in MB")
    parser.add_argument("--top", type=int, default=10, help="how many of the heaviest pages to list")
    args = parser.parse_args(argv)
    own, shared, n_shared = weigh(Path(args.html))
    visit = first_visit(Path(args.html))
    ranked = sorted(own.items(), key=lambda kv: -kv[1])
    print(f"{len(own)} pages; the heaviest (own weight: HTML with widget states, and files only it loads;"
          " first visit: with the shared files it references):")
    for name, size in ranked[: args.top]:
        print(f"  {size / MB:7.2f} MB own  {visit[name] / MB:7.2f} MB first visit  {name}")
    print(f"shared by several pages (loaded once, cached): {n_shared} files, {shared / MB:.2f} MB")
    over = [(n, s) for n, s in ranked if s > args.budget * MB]
    if over:
        print(f"over the {args.budget:g} MB budget: " + ", ".join(f"{n} ({s / MB:.2f} MB)" for n, s in over))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
