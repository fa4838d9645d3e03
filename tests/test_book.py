"""The whole book, built once per test session with ``jupyter-book build . -W``.

The build (into ``_build/html``, the path ``make book`` prints) is shared with the browser tests
through the session fixtures ``book_build`` and ``built_book`` (``tests/conftest.py``). The tests
here read the HTML: no warning in the build, every page titled, the table of contents in its five
parts, every internal link and anchor resolving, every chapter downloadable as a notebook that
runs, the launch buttons, and the JavaScript taken from the bundled copies rather than a CDN.

Set ``NNBOOK_BOOK_OUTPUT=/some/dir`` to build into ``/some/dir/_build/html`` instead.
"""

from __future__ import annotations

import concurrent.futures
import functools
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = Path(os.environ.get("NNBOOK_BOOK_OUTPUT", ROOT)).resolve()
HTML = OUTPUT / "_build" / "html"
PARTS = ["Foundations", "Learning", "Practice", "Exercises", "Reference"]
REPO_URL = "https://github.com/nnbook/nnbook"

sys.path.insert(0, str(ROOT / "tools"))
import bundle_assets  # noqa: E402


@dataclass
class BuildResult:
    returncode: int
    log: str
    html: Path

    @property
    def warnings(self) -> list[str]:
        # Sphinx writes "path:line: WARNING: ..." (kernels log "[IPKernelApp] WARNING | ..." to stderr).
        return [line for line in self.log.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL):", line)]


@functools.cache
def run_jupyter_book(timeout: float) -> tuple[int, str]:
    """``jupyter-book build . -W --keep-going`` into OUTPUT: its exit code and its log, uncoloured."""
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", str(ROOT), "-W", "--keep-going"]
    if OUTPUT != ROOT:
        cmd += ["--path-output", str(OUTPUT)]
    env = dict(os.environ, NO_COLOR="1", PYTHONWARNINGS="ignore::DeprecationWarning")
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, timeout=timeout)
    return proc.returncode, re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)


def _build() -> BuildResult:
    """Bundle the JavaScript (no-op when up to date) and build the book, once per process."""
    bundle_assets.bundle()
    returncode, log = run_jupyter_book(timeout=1800)
    return BuildResult(returncode, log, HTML)


_session_build: concurrent.futures.Future | None = None


def start_build() -> None:
    """Start the session's build in a background thread, once (tests/conftest.py does it when
    the tests are collected): the tests that do not read the book run meanwhile."""
    global _session_build
    if _session_build is not None:
        return
    _session_build = future = concurrent.futures.Future()

    def run():
        try:
            future.set_result(_build())
        except BaseException as err:  # noqa: BLE001  (handed to whoever waits for the build)
            future.set_exception(err)

    threading.Thread(target=run, name="book-build", daemon=True).start()


def session_build() -> BuildResult:
    """The session's build (the fixture ``book_build``): started if need be, then waited for."""
    start_build()
    return _session_build.result()


# ----------------------------------------------------------------------------- helpers

def _toc() -> dict:
    return yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))


def _toc_files() -> list[str]:
    """Every file of the TOC (without suffix), root first."""
    toc = _toc()
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [re.sub(r"\.(md|ipynb)$", "", f) for f in files]


def _source(docname: str) -> Path:
    for suffix in (".md", ".ipynb"):
        path = ROOT / f"{docname}{suffix}"
        if path.is_file():
            return path
    raise FileNotFoundError(f"no source for TOC entry {docname!r}")


def _is_notebook(path: Path) -> bool:
    """A MyST Markdown notebook: its front matter names a kernel (plain Markdown pages do not)."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, flags=re.S)
    return bool(match) and "kernelspec" in (yaml.safe_load(match.group(1)) or {})


class _PageParser(HTMLParser):
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
def _parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _site_pages(html: Path) -> list[Path]:
    return [p for p in sorted(html.rglob("*.html"))
            if not p.relative_to(html).as_posix().startswith(("_static/", "_sources/", "_images/"))]


# ----------------------------------------------------------------------------- tests

def test_build_has_no_warnings(book_build):
    assert book_build.returncode == 0 and not book_build.warnings, (
        f"jupyter-book build . -W failed (exit {book_build.returncode}) with "
        f"{len(book_build.warnings)} warnings/errors:\n" + "\n".join(book_build.warnings[:60])
        + ("" if book_build.warnings else "\n" + book_build.log[-3000:])
    )


def test_toc_has_the_five_parts_in_order(built_book):
    captions = [part.get("caption") for part in _toc().get("parts", [])]
    assert captions == PARTS, f"expected the TOC parts {PARTS}, _toc.yml has {captions}"
    # The rendered sidebar shows them too, in the same order.
    intro = (built_book / f"{_toc()['root']}.html").read_text(encoding="utf-8")
    shown = re.findall(r'<p aria-level="2" class="caption" role="heading"><span class="caption-text">([^<]+)</span>', intro)
    assert shown == PARTS, f"the sidebar of the first page shows the parts {shown}, expected {PARTS}"


def test_every_page_has_a_title(built_book):
    missing = []
    for doc in _toc_files():
        page = built_book / f"{doc}.html"
        if not page.is_file():
            missing.append(f"{doc}: no {page.name} in the build")
            continue
        parsed = _parse(page)
        title = parsed.title.strip()
        if not title or title.startswith("<no title>") or not any(h.strip() for h in parsed.h1):
            missing.append(f"{doc}: title {title!r}, h1 {parsed.h1!r}")
    assert not missing, "pages without a title:\n" + "\n".join(missing)


def test_internal_links_and_anchors_resolve(built_book):
    broken = []
    pages = _site_pages(built_book)
    assert len(pages) >= len(_toc_files()), "fewer HTML pages than TOC entries"
    n_checked = 0
    for page in pages:
        for tag, url in _parse(page).links:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("mailto:", "javascript:", "data:")):
                continue
            if not parts.path and parts.fragment in ("", "top"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            n_checked += 1
            rel = page.relative_to(built_book)
            if not target.is_file():
                broken.append(f"{rel}: <{tag}> {url} -> missing file")
                continue
            if parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in _parse(target).ids:
                    broken.append(f"{rel}: <{tag}> {url} -> no anchor #{parts.fragment}")
    assert n_checked > 100, f"only {n_checked} local links were checked"
    assert not broken, f"{len(broken)} broken local links:\n" + "\n".join(broken[:80])


def test_every_chapter_downloads_as_a_notebook(built_book):
    import nbformat

    problems = []
    for doc in _toc_files():
        src = _source(doc)
        if src.suffix != ".md" or not _is_notebook(src):
            continue
        ipynb = built_book / "_sources" / f"{doc}.ipynb"
        html = (built_book / f"{doc}.html").read_text(encoding="utf-8")
        if not ipynb.is_file():
            problems.append(f"{doc}: no {ipynb.relative_to(built_book)}")
            continue
        if f"_sources/{doc}.ipynb" not in html:
            problems.append(f"{doc}: the page has no download link to its .ipynb")
        nb = nbformat.read(ipynb, as_version=4)
        nbformat.validate(nb)
        if nb.metadata.get("kernelspec", {}).get("name") != "python3":
            problems.append(f"{doc}: the notebook's kernel is {nb.metadata.get('kernelspec')}")
        text = src.read_text(encoding="utf-8")
        n_code = len(re.findall(r"^```\{code-cell\}", text, flags=re.M))
        got = sum(cell.cell_type == "code" for cell in nb.cells)
        if got != n_code:
            problems.append(f"{doc}: {got} code cells in the notebook, {n_code} in the page source")
    assert not problems, "\n".join(problems)


def test_downloaded_notebook_runs_as_it_is(built_book, tmp_path):
    """The first page's notebook, downloaded from the site, runs top to bottom in a fresh kernel."""
    import nbformat
    from nbclient import NotebookClient

    doc = _toc()["root"]
    nb = nbformat.read(built_book / "_sources" / f"{doc}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")


def test_launch_buttons_and_thebe(built_book):
    problems = []
    for doc in _toc_files():
        if _source(doc).suffix != ".md" or not _is_notebook(_source(doc)):
            continue
        html = (built_book / f"{doc}.html").read_text(encoding="utf-8")
        binder = f"https://mybinder.org/v2/gh/nnbook/nnbook/main?urlpath=lab/tree/{doc}.md"
        if binder not in html:
            problems.append(f"{doc}: no Binder link {binder}")
        if "initThebeSBT()" not in html:
            problems.append(f"{doc}: no Thebe live-code button")
        # Colab opens notebooks only: a .md chapter must not offer a Colab link to itself.
        if f"colab.research.google.com/github/nnbook/nnbook/blob/main/{doc}.md" in html:
            problems.append(f"{doc}: a Colab link to the Markdown source, which Colab cannot open")
        if 'repo: "nnbook/nnbook"' not in html or 'ref: "main"' not in html:
            problems.append(f"{doc}: the Thebe configuration does not name nnbook/nnbook at main")
    # The notebooks of the TOC (exercises, solutions) open on Colab directly.
    for doc in _toc_files():
        if _source(doc).suffix == ".ipynb":
            html = (built_book / f"{doc}.html").read_text(encoding="utf-8")
            colab = f"https://colab.research.google.com/github/nnbook/nnbook/blob/main/{doc}.ipynb"
            if colab not in html:
                problems.append(f"{doc}: no Colab link {colab}")
    assert not problems, "\n".join(problems)
    requirements = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    assert "jupytext" in requirements, "Binder needs jupytext to open the .md chapters as notebooks"
    assert re.search(r"^\s*(-e\s+)?\.\s*$", requirements, flags=re.M), "Binder must install nnbook from the repository"


def test_no_script_or_style_from_a_cdn(built_book):
    """On page load nothing comes from another host (Thebe's own code loads only when clicked)."""
    remote = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="(https?://[^"]+)"[^>]*>', re.I)
    problems = []
    for page in _site_pages(built_book):
        html = page.read_text(encoding="utf-8")
        for match in remote.finditer(html):
            tag = match.group(0)
            if tag.lower().startswith("<link") and not re.search(r'rel="(stylesheet|preload|modulepreload|icon)"', tag):
                continue
            problems.append(f"{page.relative_to(built_book)}: {match.group(1)}")
    assert not problems, "assets loaded from other hosts:\n" + "\n".join(problems[:40])


def test_javascript_is_bundled(built_book):
    if not bundle_assets.bundle_is_complete():
        pytest.skip("no JavaScript bundle (npm unavailable): the site uses the public CDN")
    for name in bundle_assets.REQUIRED_FILES:
        assert (built_book / "_static" / name).is_file(), f"{name} is missing from the build"
    pages_with_math = [p for p in _site_pages(built_book) if 'class="math' in p.read_text(encoding="utf-8")]
    assert pages_with_math, "no page with math to check MathJax on"
    for page in pages_with_math:
        assert bundle_assets.MATHJAX_JS in page.read_text(encoding="utf-8"), f"{page.name} does not load the bundled MathJax"


def test_widget_pages_embed_their_state(built_book):
    """A page whose notebook displays widgets carries their state and the bundled manager."""
    import json

    import nbformat

    n_widget_pages = 0
    for doc in _toc_files():
        ipynb = built_book / "_sources" / f"{doc}.ipynb"
        if not ipynb.is_file():
            continue
        nb = nbformat.read(ipynb, as_version=4)
        views = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])
                 if "application/vnd.jupyter.widget-view+json" in out.get("data", {})]
        if not views:
            continue
        n_widget_pages += 1
        html = (built_book / f"{doc}.html").read_text(encoding="utf-8")
        match = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', html, re.S)
        assert match, f"{doc}: widgets displayed but no widget state in the page"
        state = json.loads(match.group(1))["state"]
        for out in views:
            model = out["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
            assert model in state, f"{doc}: widget {model} has no stored state"
        if bundle_assets.bundle_is_complete():
            for name in (bundle_assets.REQUIRE_JS, bundle_assets.WIDGETS_JS):
                assert f"_static/{name}" in html, f"{doc}: {name} is not loaded"
    if n_widget_pages == 0:
        pytest.skip("no chapter displays a widget yet")


# ----------------------------------------------------------------------------- the bundler

class _Config:
    mathjax_path = "https://cdn.example/mathjax.js"
    nb_ipywidgets_js = {"https://cdn.example/require.js": {}}


def test_without_a_bundle_the_site_keeps_the_cdn(monkeypatch, tmp_path):
    monkeypatch.setattr(bundle_assets, "STATIC", tmp_path)
    monkeypatch.setattr(bundle_assets, "MANIFEST", tmp_path / "vendor" / "manifest.json")
    assert not bundle_assets.bundle_is_complete()
    config = _Config()
    bundle_assets._use_local_assets(None, config)
    assert config.mathjax_path == _Config.mathjax_path
    assert config.nb_ipywidgets_js == _Config.nb_ipywidgets_js


def test_with_the_bundle_sphinx_points_at_the_local_copies():
    if not bundle_assets.bundle_is_complete():
        pytest.skip("no JavaScript bundle here (npm unavailable)")
    config = _Config()
    bundle_assets._use_local_assets(None, config)
    assert config.mathjax_path == bundle_assets.MATHJAX_JS
    assert list(config.nb_ipywidgets_js) == [bundle_assets.WIDGETS_PATH_JS, bundle_assets.REQUIRE_JS,
                                             bundle_assets.WIDGETS_JS]
    for name in config.nb_ipywidgets_js:
        assert (bundle_assets.STATIC / name).is_file(), name


def test_without_npm_the_bundler_says_it_falls_back(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(bundle_assets, "STATIC", tmp_path)
    monkeypatch.setattr(bundle_assets, "VENDOR", tmp_path / "vendor")
    monkeypatch.setattr(bundle_assets, "MANIFEST", tmp_path / "vendor" / "manifest.json")
    monkeypatch.setattr(bundle_assets.shutil, "which", lambda name: None)
    assert bundle_assets.bundle() is False
    assert "npm was not found" in capsys.readouterr().out
    assert not (tmp_path / "vendor").exists()
    assert bundle_assets.main([]) == 0  # a missing npm does not stop the build
