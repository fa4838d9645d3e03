"""The book build and the table of contents, for the tests that read the built site.

Not a test module: ``tests/conftest.py`` builds the book once per session through
:func:`start_build` and :func:`session_build` (the fixtures ``book_build`` and ``built_book``), and
the tests of the built site read it with the helpers here.

The build is what ``make book`` runs: ``tools/execute_notebooks.py`` executes the notebooks missing
from the execution cache (a kernel per core), then ``jupyter-book build . -W --keep-going`` reads
them from there, then ``tools/i18n.py build`` builds the 简体 and 繁體 editions from the same cache
into ``_build/html/zh-cn`` and ``_build/html/zh-tw`` (EDITIONS), side by side, with ``-W`` too.
Set ``NNBOOK_BOOK_OUTPUT=/some/dir`` to build into ``/some/dir/_build/html``.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = Path(os.environ.get("NNBOOK_BOOK_OUTPUT", ROOT)).resolve()
HTML = OUTPUT / "_build" / "html"
# The book's editions: (the <html lang> of their pages, their folder in HTML). A page has the same
# path in each edition's folder (book/01-neuron.html).
EDITIONS = {"en": HTML, "zh-Hans": HTML / "zh-cn", "zh-Hant": HTML / "zh-tw"}
# Where the tests of the built site save a screenshot of each page they visit.
SCREENSHOTS = OUTPUT / "_build" / "screenshots"

sys.path.insert(0, str(ROOT / "tools"))
import bundle_assets  # noqa: E402
from execute_notebooks import toc_docs  # noqa: E402


@dataclass
class BuildResult:
    returncode: int
    log: str
    html: Path

    @property
    def warnings(self) -> list[str]:
        # Sphinx writes "path:line: WARNING: ..." (kernels log "[IPKernelApp] WARNING | ..." to stderr).
        return [line for line in self.log.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL):", line)]


def _env() -> dict:
    return dict(os.environ, NO_COLOR="1", PYTHONWARNINGS="ignore::DeprecationWarning")


def _run(cmd: list[str], timeout: float) -> tuple[int, str]:
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=_env(), timeout=timeout)
    return proc.returncode, re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)


def execute_notebooks(timeout: float) -> tuple[int, str]:
    """``tools/execute_notebooks.py`` for OUTPUT: the notebooks missing from the execution cache
    executed into it, a kernel per core. Its exit code and its log."""
    return _run([sys.executable, str(ROOT / "tools" / "execute_notebooks.py"), "--path-output", str(OUTPUT)],
                timeout)


@functools.cache
def run_jupyter_book(timeout: float) -> tuple[int, str]:
    """``jupyter-book build . -W --keep-going`` into OUTPUT: its exit code and its log, uncoloured."""
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", str(ROOT), "-W", "--keep-going"]
    if OUTPUT != ROOT:
        cmd += ["--path-output", str(OUTPUT)]
    return _run(cmd, timeout)


@functools.cache
def run_chinese_editions(timeout: float) -> tuple[int, str]:
    """``tools/i18n.py build`` for OUTPUT: the 简体 and 繁體 editions, from the English build's
    execution cache, side by side. Its exit code and its log."""
    return _run([sys.executable, str(ROOT / "tools" / "i18n.py"), "build", "--path-output", str(OUTPUT)], timeout)


def build(english_done=None) -> BuildResult:
    """Bundle the JavaScript (no-op when up to date), execute the notebooks on every core, and
    build the book in its three editions, as ``make book`` does (the Chinese ones only if the
    English one succeeded, as make stops at a failed step). The log holds every step's output.
    The screenshots of the pages of an earlier build (``_build/screenshots``) are removed first.
    ``english_done(result)``, if given, is called with the English edition's BuildResult as soon as
    it is built, before the Chinese ones (which write only in their own folders of HTML)."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    with phase("bundling the JavaScript"):
        bundle_assets.bundle()
    with phase("executing the notebooks"):
        _, executed = execute_notebooks(timeout=1800)
    with phase("building the English edition"):
        returncode, log = run_jupyter_book(timeout=1800)
    if english_done is not None:
        english_done(BuildResult(returncode, executed + log, HTML))
    if returncode == 0:
        with phase("building the Chinese editions"):
            returncode, chinese = run_chinese_editions(timeout=1800)
        log += chinese
    return BuildResult(returncode, executed + log, HTML)


# When each step of the session's build and visits began and ended (seconds from the import of this
# module, as the tests are collected): tests/conftest.py prints them at the end of the session.
STARTED = time.monotonic()
PHASES: list[tuple[str, float, float]] = []


@contextlib.contextmanager
def phase(name: str):
    start = time.monotonic()
    try:
        yield
    finally:
        PHASES.append((name, start - STARTED, time.monotonic() - STARTED))


_session_build: concurrent.futures.Future | None = None
_english_build: concurrent.futures.Future | None = None


def start_build() -> None:
    """Start the session's build in a background thread, once (tests/conftest.py does it when
    the tests are collected): the tests that do not read the book run meanwhile."""
    global _session_build, _english_build
    if _session_build is not None:
        return
    _session_build = future = concurrent.futures.Future()
    _english_build = english = concurrent.futures.Future()

    def run():
        try:
            future.set_result(build(english_done=english.set_result))
        except BaseException as err:  # noqa: BLE001  (handed to whoever waits for the build)
            future.set_exception(err)
            if not english.done():
                english.set_exception(err)

    threading.Thread(target=run, name="book-build", daemon=True).start()


def session_build() -> BuildResult:
    """The session's build (the fixture ``book_build``): started if need be, then waited for."""
    start_build()
    return _session_build.result()


def session_english_build() -> BuildResult:
    """The English edition of the session's build, waited for (the Chinese ones may still be
    building): its ``html`` holds the English pages, its ``log`` the English steps' output."""
    start_build()
    return _english_build.result()


# ----------------------------------------------------------------------------- the sources

def toc() -> dict:
    return yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))


def toc_files() -> list[str]:
    """Every file of the TOC (without suffix), root first: the documents the build executes."""
    return toc_docs(ROOT)


def source_of(docname: str) -> Path:
    for suffix in (".md", ".ipynb"):
        path = ROOT / f"{docname}{suffix}"
        if path.is_file():
            return path
    raise FileNotFoundError(f"no source for TOC entry {docname!r}")


def is_notebook(path: Path) -> bool:
    """A MyST Markdown notebook: its front matter names a kernel (plain Markdown pages do not)."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, flags=re.S)
    return bool(match) and "kernelspec" in (yaml.safe_load(match.group(1)) or {})


# ----------------------------------------------------------------------------- the built pages

class PageParser(HTMLParser):
    """Collects a page's ids, links (href/src) and title."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []
        self.title = ""
        self.h1 = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag in ("a", "link") and attrs.get("href") is not None:
            self.links.append((tag, attrs["href"]))
        if tag in ("img", "script", "source", "iframe") and attrs.get("src"):
            self.links.append((tag, attrs["src"]))
        if tag in ("title", "h1"):
            self._in = tag
            if tag == "h1":
                self.h1.append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1[-1] += data


@functools.cache
def parse_page(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def site_pages(html: Path) -> list[Path]:
    """Every page under ``html``: the Chinese editions' folders included, their assets (and the
    theme's template copies in _static) not."""
    return [p for p in sorted(html.rglob("*.html"))
            if not {"_static", "_sources", "_images"} & set(p.relative_to(html).parts)]


def widget_pages(html_dir: Path) -> list[str]:
    """The TOC's pages (``book/01-neuron.html``, …) whose HTML displays a widget."""
    pages = [f"{doc}.html" for doc in toc_files()]
    return [p for p in pages
            if "application/vnd.jupyter.widget-view+json" in (html_dir / p).read_text(encoding="utf-8")]
