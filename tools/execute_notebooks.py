"""Execute the book's notebooks into the build's execution cache, on every core, before the build.

Jupyter Book (MyST-NB in ``cache`` mode) executes the notebooks one after another while Sphinx
reads the pages: one core works, the others wait, and the console fills with "Executing notebook"
lines that say neither which notebook nor how far the build is. This script runs first
(``make book`` and the tests' build call it): it reads every notebook of ``_toc.yml`` exactly as
MyST-NB reads it, looks it up in the execution cache (``_build/.jupyter_cache``, MyST-NB's own
jupyter-cache), executes the ones missing from it, a kernel per core, and stores each result
there as MyST-NB would. The build that follows then finds every notebook in the cache and
executes nothing; a second run of this script finds nothing to do.

It prints one line per notebook as it finishes, with the count and the time it took::

    executing 12 of 50 notebooks (38 already in the cache), 2 at a time
    [ 1/12] book/11-training.md  51 s
    ...

A notebook that fails is reported and left out of the cache: the build executes it again and
shows the error with its traceback (``nb_execution_raise_on_error``), as it does without this
script. The times of the last run are kept in ``_build/.execution-times.json`` so that the
longest notebooks start first.

Usage: ``python tools/execute_notebooks.py [--jobs N] [--path-output DIR]``
(``DIR`` as for ``jupyter-book build --path-output``; the cache is ``DIR/_build/.jupyter_cache``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import multiprocessing
import os
import re
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = ("zh_CN", "zh_TW")
# Each kernel wraps matplotlib's PNG formatter (once pyplot is imported) so that a figure's output
# carries the figure drawn in every edition's language too (nnbook.plots._l10n); with
# NNBOOK_EDITIONS empty it does nothing. The notebooks' code, and so the cache's keys, stay as they are.
KERNEL_ARGUMENTS = ["--IPKernelApp.exec_lines=import nnbook.plots._l10n; "
                    "nnbook.plots._l10n.install_figure_formatter()"]


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def toc_docs(root: Path = ROOT) -> list[str]:
    """Every document of ``_toc.yml`` (without suffix), root first, in the table of contents' order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                docs.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [re.sub(r"\.(md|ipynb)$", "", doc) for doc in docs]


def toc_sources(root: Path = ROOT) -> list[Path]:
    """Every source file of ``_toc.yml``, in the table of contents' order."""
    sources = []
    for doc in toc_docs(root):
        found = [root / f"{doc}{suffix}" for suffix in (".md", ".ipynb") if (root / f"{doc}{suffix}").is_file()]
        if not found:
            raise FileNotFoundError(f"_toc.yml lists {doc!r}, but there is no {doc}.md or {doc}.ipynb")
        sources.append(found[0])
    return sources


def book_config(root: Path = ROOT) -> dict:
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}


def read_notebooks(sources: list[Path], config: dict):
    """{source: notebook} for the sources that are notebooks, each read as MyST-NB reads it for
    the build (the same reader, the same MyST configuration), so that it hashes to the same
    cache key."""
    from myst_nb.core.config import NbParserConfig
    from myst_nb.core.read import create_nb_reader
    from myst_parser.config.main import MdParserConfig

    extensions = set((config.get("parse") or {}).get("myst_enable_extensions") or [])
    md_config = MdParserConfig(enable_extensions=extensions)
    nb_config = NbParserConfig()
    notebooks = {}
    for path in sources:
        text = path.read_text(encoding="utf-8")
        reader = create_nb_reader(str(path), md_config, nb_config, text)
        if reader is not None:
            notebooks[path] = reader.read(text)
    return notebooks


def execute_one(path: str, notebook, timeout: int | None, allow_errors: bool):
    """Run in a worker process: execute ``notebook`` in place in its own folder, as MyST-NB's
    cache mode does. Returns (notebook, seconds, error or None)."""
    from jupyter_cache.executors.utils import single_nb_execution

    result = single_nb_execution(notebook, cwd=str(Path(path).parent), timeout=timeout,
                                 allow_errors=allow_errors, meta_override=True,
                                 extra_arguments=KERNEL_ARGUMENTS)
    error = None
    if result.err is not None:
        lines = str(result.err).strip().splitlines()
        error = type(result.err).__name__ + (f": {lines[-1]}" if lines else "")
    return notebook, result.time, error


def _fmt(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds // 60:.0f} min {seconds % 60:02.0f} s"


def install_cjk_font() -> str:
    """Install Debian's fonts-wqy-microhei (the figures' CJK font, nnbook.plots._l10n) with apt-get
    where it is missing and this is root; "" when the font is there, else why it is not."""
    from apt import apt_install
    from nnbook.plots._l10n import CJK_FONT_FILES

    return apt_install("fonts-wqy-microhei", Path(CJK_FONT_FILES[0]).is_file)


def catalogues_digest(root: Path = ROOT) -> str:
    """A short digest of the UI catalogues the figures' words are translated from."""
    import hashlib

    digest = hashlib.sha256()
    for locale in EDITIONS:
        path = root / "locales" / locale / "LC_MESSAGES" / "nnbook-ui.po"
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", "-j", type=int, default=cores(), help="kernels at a time (default: the cores)")
    parser.add_argument("--path-output", type=Path, default=ROOT,
                        help="the folder that holds _build (as jupyter-book build --path-output)")
    args = parser.parse_args(argv)
    out = lambda line: print(line, flush=True)  # noqa: E731

    config = book_config()
    execute = config.get("execute") or {}
    if execute.get("execute_notebooks") != "cache":
        out(f"execute_notebooks is {execute.get('execute_notebooks')!r}, not 'cache': the build executes "
            "the notebooks itself")
        return 0
    build = args.path_output.resolve() / "_build"
    cache_path = Path(execute["cache"]).resolve() if execute.get("cache") else build / ".jupyter_cache"
    times_path = build / ".execution-times.json"

    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    # The kernels draw every figure with words once more per Chinese edition, its words in the
    # edition's language (nnbook.plots._l10n), in the CJK font Debian's fonts-wqy-microhei installs;
    # each edition's build keeps its own pictures. NNBOOK_EDITIONS= (empty) in the environment
    # draws English only.
    os.environ.setdefault("NNBOOK_EDITIONS", ",".join(EDITIONS))
    if os.environ["NNBOOK_EDITIONS"].strip():
        why = install_cjk_font()
        if why:
            out(f"no CJK font for matplotlib ({why}): the Chinese editions' figures keep their English words")
            os.environ["NNBOOK_EDITIONS"] = ""
    editions = os.environ["NNBOOK_EDITIONS"].strip()
    if editions:
        editions += f" {catalogues_digest()}"  # a changed translation is a changed picture

    cache = get_cache(str(cache_path))
    notebooks = read_notebooks(toc_sources(), config)
    pending = {}
    for path, nb in notebooks.items():
        try:
            record = cache.match_cache_notebook(nb)
        except KeyError:
            pending[path] = nb
            continue
        # A notebook executed for other editions (an older cache: English figures only), or with
        # other UI catalogues, is executed again: its code is the same, its figures' pictures are not.
        if (record.data or {}).get("editions", "") != editions:
            pending[path] = nb
    n_cached = len(notebooks) - len(pending)
    if not pending:
        out(f"all {len(notebooks)} notebooks are in the execution cache: nothing to execute")
        return 0

    try:
        last = json.loads(times_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        last = {}
    rel = {path: path.relative_to(ROOT).as_posix() for path in pending}
    # Longest first (by the last run's times; unknown ones first, in the book's order), so that
    # no long notebook starts last while the other cores idle.
    order = sorted(pending, key=lambda p: -last.get(rel[p], float("inf")))
    jobs = max(1, min(args.jobs, len(order)))
    out(f"executing {len(order)} of {len(notebooks)} notebooks"
        + (f" ({n_cached} already in the cache)" if n_cached else "")
        + f", {jobs} at a time; the build then reads them from the cache")

    # The kernels link FAIL messages to the published book, never to a local _build/html that
    # happens to exist (tools/exercise_links.py, this script's neighbour).
    from exercise_links import link_to_the_published_book

    link_to_the_published_book()
    timeout = execute.get("timeout", 30)
    allow_errors = bool(execute.get("allow_errors", False))
    started = time.monotonic()
    failed = []
    # Fresh interpreters (not forks of this one, which holds the cache's database connection).
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context) as pool:
        futures = {pool.submit(execute_one, str(path), pending[path], timeout, allow_errors): path
                   for path in order}
        width = len(str(len(order)))
        for done, future in enumerate(concurrent.futures.as_completed(futures), start=1):
            path = futures[future]
            try:
                nb, seconds, error = future.result()
            except Exception as err:  # noqa: BLE001  (a worker that died: reported, the build retries)
                nb, seconds, error = None, 0.0, f"{type(err).__name__}: {err}"
            if error is None:
                cache.cache_notebook_bundle(CacheBundleIn(nb, str(path), data={"execution_seconds": seconds, "editions": editions}),
                                            check_validity=False, overwrite=True)
                last[rel[path]] = round(seconds, 1)
                out(f"[{done:>{width}}/{len(order)}] {rel[path]}  {_fmt(seconds)}")
            else:
                failed.append(rel[path])
                out(f"[{done:>{width}}/{len(order)}] {rel[path]}  FAILED ({error}): the build runs it "
                    "again and shows the traceback")
    build.mkdir(parents=True, exist_ok=True)
    times_path.write_text(json.dumps(last, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    out(f"executed {len(order) - len(failed)} notebooks in {_fmt(time.monotonic() - started)}"
        + (f"; {len(failed)} failed: {', '.join(failed)}" if failed else ""))
    # A failure is the build's to report (with the traceback), so this step itself succeeds.
    return 0


if __name__ == "__main__":
    sys.exit(main())
