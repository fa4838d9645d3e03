"""The whole book, built once per test session as ``make book`` builds it.

The build (``tools/execute_notebooks.py``, then ``jupyter-book build . -W``, into ``_build/html``,
the path ``make book`` prints, then the 简体 and 繁體 editions into ``_build/html/zh-cn`` and
``zh-tw``, with -W too: ``tools/i18n.py build``) is shared with the browser tests through the
session fixtures ``book_build`` and ``built_book`` (``tests/conftest.py``,
``tests/book_support.py``; the Chinese editions' own tests are in ``tests/test_i18n.py``). The
tests here read the HTML: no warning in any edition's build, every notebook executed before
Sphinx reads it, every page titled, the table of contents in its five parts, every internal link
and anchor resolving (in the three editions, and between them), every chapter downloadable as a
notebook that runs, the launch buttons, and the JavaScript taken from the bundled copies rather
than a CDN.

Set ``NNBOOK_BOOK_OUTPUT=/some/dir`` to build into ``/some/dir/_build/html`` instead.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pytest

from book_support import ROOT, bundle_assets, is_notebook, parse_page, site_pages, source_of, toc, toc_files

PARTS = ["Foundations", "Learning", "Practice", "Exercises", "Reference"]


# ----------------------------------------------------------------------------- tests

def test_build_has_no_warnings(book_build):
    assert book_build.returncode == 0 and not book_build.warnings, (
        f"jupyter-book build . -W (or the Chinese editions' build) failed (exit {book_build.returncode}) with "
        f"{len(book_build.warnings)} warnings/errors:\n" + "\n".join(book_build.warnings[:60])
        + ("" if book_build.warnings else "\n" + book_build.log[-3000:])
    )


def test_the_build_reads_every_notebook_from_the_cache(book_build):
    """tools/execute_notebooks.py executed every notebook missing from the cache before the build,
    and stored it under the key MyST-NB looks up: the build itself executed none."""
    assert book_build.returncode == 0, book_build.log[-3000:]
    executed = [line for line in book_build.log.splitlines() if "Executing notebook" in line]
    assert not executed, ("the build executed notebooks the pre-execution should have cached:\n"
                          + "\n".join(executed[:10]))
    assert re.search(r"^(all \d+ notebooks are in the execution cache|executed \d+ notebooks in )",
                     book_build.log, flags=re.M), book_build.log[:3000]


def test_toc_has_the_five_parts_in_order(built_book):
    captions = [part.get("caption") for part in toc().get("parts", [])]
    assert captions == PARTS, f"expected the TOC parts {PARTS}, toc.yml has {captions}"
    # The rendered sidebar shows them too, in the same order.
    intro = (built_book / f"{toc()['root']}.html").read_text(encoding="utf-8")
    shown = re.findall(r'<p aria-level="2" class="caption" role="heading"><span class="caption-text">([^<]+)</span>', intro)
    assert shown == PARTS, f"the sidebar of the first page shows the parts {shown}, expected {PARTS}"


def test_every_page_has_a_title(built_book):
    missing = []
    for doc in toc_files():
        page = built_book / f"{doc}.html"
        if not page.is_file():
            missing.append(f"{doc}: no {page.name} in the build")
            continue
        parsed = parse_page(page)
        title = parsed.title.strip()
        if not title or title.startswith("<no title>") or not any(h.strip() for h in parsed.h1):
            missing.append(f"{doc}: title {title!r}, h1 {parsed.h1!r}")
    assert not missing, "pages without a title:\n" + "\n".join(missing)


def test_internal_links_and_anchors_resolve(built_book):
    broken = []
    pages = site_pages(built_book)
    assert len(pages) >= len(toc_files()), "fewer HTML pages than TOC entries"
    n_checked = 0
    for page in pages:
        for tag, url in parse_page(page).links:
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
                if unquote(parts.fragment) not in parse_page(target).ids:
                    broken.append(f"{rel}: <{tag}> {url} -> no anchor #{parts.fragment}")
    assert n_checked > 100, f"only {n_checked} local links were checked"
    assert not broken, f"{len(broken)} broken local links:\n" + "\n".join(broken[:80])


def test_every_chapter_downloads_as_a_notebook(built_book):
    import nbformat

    problems = []
    for doc in toc_files():
        src = source_of(doc)
        if src.suffix != ".md" or not is_notebook(src):
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

    doc = toc()["root"]
    nb = nbformat.read(built_book / "_sources" / f"{doc}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")


def test_launch_buttons_and_thebe(built_book):
    problems = []
    for doc in toc_files():
        if source_of(doc).suffix != ".md" or not is_notebook(source_of(doc)):
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
    for doc in toc_files():
        if source_of(doc).suffix == ".ipynb":
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
    for page in site_pages(built_book):
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
    pages_with_math = [p for p in site_pages(built_book) if 'class="math' in p.read_text(encoding="utf-8")]
    assert pages_with_math, "no page with math to check MathJax on"
    for page in pages_with_math:
        assert bundle_assets.MATHJAX_JS in page.read_text(encoding="utf-8"), f"{page.name} does not load the bundled MathJax"


WIDGET_CALL = re.compile(r"\bwidgets\.\w+\(")


def _code_of(source) -> str:
    """The code cells of a page's source (a MyST Markdown notebook or an .ipynb), joined."""
    text = source.read_text(encoding="utf-8")
    if source.suffix == ".ipynb":
        import json

        return "\n".join("".join(cell["source"]) for cell in json.loads(text)["cells"] if cell["cell_type"] == "code")
    return "\n".join(re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", text, flags=re.S | re.M))


def test_widget_pages_embed_their_state(built_book):
    """Every page whose code calls one of the book's widgets shows it (and no other page shows
    one), and carries every shown widget's state and the bundled widget manager."""
    import json

    calling = {doc for doc in toc_files() if WIDGET_CALL.search(_code_of(source_of(doc)))}
    bundled = bundle_assets.bundle_is_complete()  # reads every source: asked once
    assert len(calling) >= 10, f"only {sorted(calling)} call a widget: the chapters have lost theirs"
    showing = set()
    for doc in toc_files():
        html = (built_book / f"{doc}.html").read_text(encoding="utf-8")
        views = [json.loads(view)["model_id"] for view in
                 re.findall(r'<script type="application/vnd.jupyter.widget-view\+json">(.*?)</script>', html, re.S)]
        if not views:
            continue
        showing.add(doc)
        match = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', html, re.S)
        assert match, f"{doc}: widgets displayed but no widget state in the page"
        state = json.loads(match.group(1))["state"]
        missing = [model for model in views if model not in state]
        assert not missing, f"{doc}: widgets {missing} have no stored state"
        if bundled:
            for name in (bundle_assets.REQUIRE_JS, bundle_assets.WIDGETS_JS):
                assert f"_static/{name}" in html, f"{doc}: {name} is not loaded"
    assert showing == calling, (f"pages whose code calls a widget but show none: {sorted(calling - showing)}; "
                                f"pages that show a widget their code does not call: {sorted(showing - calling)}")


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
