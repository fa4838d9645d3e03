"""Run the whole test suite as two pytest processes side by side (what ``make test`` runs).

* the tests of the built book (marked ``book`` by ``tests/conftest.py``): the book build (its
  notebooks executed a kernel per core, ``tools/execute_notebooks.py``), then every page of every
  edition in headless Chromium (one browser per core), axe-core, the layout and the widgets at work;
* every other test (library, widgets, checks, exercise notebooks, grader, README), meanwhile, in
  pytest-xdist's workers (:data:`WORKERS`), each test module in one worker, so that a module's
  fixtures (a class graded once, a widget's states) are computed once: much of their time is spent
  waiting (kernels starting, a sandboxed notebook's time limit, a browser drawing), which the other
  worker fills.

Chromium and bubblewrap are installed first where missing (see :func:`install_system_tools`).

The second prints to the console as it runs; the first writes ``_build/test-book.log``, which is
printed when both are done. The exit status is 0 only if both passed. Extra arguments go to both
pytest commands, e.g. ``python tools/run_tests.py -x``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK_LOG = ROOT / "_build" / "test-book.log"
STARTED = time.monotonic()
# pytest-xdist workers for the tests that do not read the book.
WORKERS = 2


def _fmt(seconds: float) -> str:
    return f"{seconds // 60:.0f} min {seconds % 60:02.0f} s"


def install_system_tools() -> None:
    """Debian's ``chromium`` (the browser tests) and ``bubblewrap`` (the grader's sandbox), installed
    with apt-get where missing, as the tests themselves would, but one after the other before the
    two processes start: two apt-get runs at once fight over dpkg's lock."""
    sys.path.insert(0, str(ROOT / "tests"))
    from browser_support import find_chromium, install_chromium

    if find_chromium() is None:
        print("installing chromium (the browser tests) ...", flush=True)
        path, why = install_chromium()
        if path is None:
            print(f"no chromium: {why}; the browser tests will skip", flush=True)
    try:
        from sandbox_setup import install_bwrap
    except ImportError:  # the grader's tests install it themselves
        return
    why = install_bwrap()
    if why:
        print(f"{why}; the grader's sandboxed tests will skip", flush=True)


def _wait_saying_how_far(proc: subprocess.Popen, every: float = 30.0) -> int:
    """Wait for the book's tests, printing every ``every`` seconds how far their log has got."""
    while True:
        try:
            return proc.wait(timeout=every)
        except subprocess.TimeoutExpired:
            text = BOOK_LOG.read_text(encoding="utf-8", errors="replace")
            done = re.findall(r"\[\s*(\d+)%\]", text)
            where = f"{done[-1]} % of them done" if done else "building the book, then loading its pages"
            print(f"(the tests of the built book: {where}, {_fmt(time.monotonic() - STARTED)} so far)", flush=True)


def _workers(argv: list[str]) -> list[str]:
    """pytest-xdist's options for the tests that do not read the book: :data:`WORKERS` workers, a
    test module each at a time (``--dist loadfile``); none where xdist is missing or the command
    line chooses (``-n``, ``-p no:xdist``)."""
    import importlib.util

    chosen = any(a.startswith(("-n", "--numprocesses", "--dist")) or "xdist" in a for a in argv)
    if chosen or importlib.util.find_spec("xdist") is None:
        return []
    return ["-n", str(WORKERS), "--dist", "loadfile"]


def main(argv: list[str]) -> int:
    install_system_tools()
    pytest = [sys.executable, "-m", "pytest"]
    BOOK_LOG.parent.mkdir(parents=True, exist_ok=True)
    print(f"The tests of the built book run alongside, in a second process: {BOOK_LOG.relative_to(ROOT)}, "
          "printed at the end.", flush=True)
    with open(BOOK_LOG, "w", encoding="utf-8") as log:
        # Only this process keeps pytest's cache (last failures): the two would overwrite each other's.
        book = subprocess.Popen(pytest + ["-m", "book", "-p", "no:cacheprovider", *argv], cwd=ROOT,
                                stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, NO_COLOR="1", PYTHONUNBUFFERED="1"))
        try:
            rest = subprocess.run(pytest + ["-m", "not book", *_workers(argv), *argv], cwd=ROOT).returncode
            rest_time = time.monotonic() - STARTED
            print(f"\n(the other tests: {_fmt(rest_time)}; waiting for the tests of the built book)", flush=True)
            book_status = _wait_saying_how_far(book)
        except BaseException:
            book.terminate()
            book.wait()
            raise
    print(f"\n{'=' * 30} the tests of the built book ({BOOK_LOG.relative_to(ROOT)}) {'=' * 30}")
    print(BOOK_LOG.read_text(encoding="utf-8", errors="replace"), end="", flush=True)
    print(f"\nthe other tests: {'passed' if rest == 0 else f'FAILED (exit {rest})'} in {_fmt(rest_time)}; "
          f"the tests of the built book: {'passed' if book_status == 0 else f'FAILED (exit {book_status})'}; "
          f"{_fmt(time.monotonic() - STARTED)} in all", flush=True)
    # pytest exits 5 when a selection has no test; either half may be empty when run on a subset.
    return 0 if {rest, book_status} <= {0, 5} else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
