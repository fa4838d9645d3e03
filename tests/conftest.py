"""Shared fixtures.

The expensive ones live here, once per test session: the book build (as ``make book`` builds it,
``tests/book_support.py``, started in the background as soon as the tests are collected), the
local server of ``_build/html``, headless Chromium, and one visit of every page of every edition
(``page_visits``, one browser per core, ``tests/browser_support.py``, started in the
background as soon as the book is built), from which the browser, accessibility, layout and widget
tests all read.
"""

import numpy as np
import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so the suite cannot pass one day and fail the next.
settings.register_profile("nnbook", derandomize=True, deadline=None)
settings.load_profile("nnbook")


# The book is built once, in a background thread started as soon as the tests are collected, and
# the tests that read it run last, so that the build overlaps with the other tests. Every test
# that reads the book is marked ``book``: `make test` (tools/run_tests.py) runs `-m book` and
# `-m "not book"` as two processes side by side.
BOOK_FIXTURES = {"book_build", "built_book", "site", "browser", "axe_source", "page_visits", "site_at_rest"}


def _needs_book(item) -> bool:
    return bool(BOOK_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by the marks
def pytest_collection_modifyitems(config, items):
    for item in items:
        if _needs_book(item):
            item.add_marker(pytest.mark.book)
    # Stable: the order within each group is kept. The tests that read the visit of every page come
    # last: the visits run in the background meanwhile (`page_visits`).
    items.sort(key=lambda item: (_needs_book(item), _reads_visits(item)))


def _reads_visits(item) -> bool:
    return bool({"page_visits", "site_at_rest"} & set(getattr(item, "fixturenames", ())))


def pytest_collection_finish(session):
    if any(_needs_book(item) for item in session.items):
        from book_support import start_build

        start_build()
    if any(_reads_visits(item) for item in session.items):
        from browser_support import start_visits

        start_visits(_axe_script)


def pytest_terminal_summary(terminalreporter):
    """When each step of the session's book build and page visits began and ended."""
    import sys

    support = sys.modules.get("book_support")
    if support is not None and support.PHASES:
        terminalreporter.section("the built book's steps (seconds from the collection of the tests)")
        for name, start, end in sorted(support.PHASES, key=lambda p: p[1]):
            terminalreporter.write_line(f"{start:6.0f} to {end:6.0f}: {name} ({end - start:.0f} s)")


KERNEL_MODULES = {"test_exercises.py", "test_lab.py"}  # start kernels: with the grader (below)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under pytest-xdist's ``--dist loadfile`` (tools/run_tests.py), each test module runs in one
    worker, and the grader's modules (tests/test_grading*.py) together in one, one after another:
    they look at the whole machine (the kernels' control groups and /dev/shm folders left behind,
    the memory in use), which a grading run in the other worker would change. The modules that
    start Jupyter kernels of their own (the exercises under nbval, JupyterLab) run there too: one
    of the grader's tests lets a fork bomb loose in an unlimited sandbox, and a kernel starting
    meanwhile in the other worker once died before it answered."""
    if config.getvalue("dist") != "loadfile":
        return None
    from pathlib import Path

    from xdist.scheduler import LoadFileScheduling

    class GraderInOneWorker(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = super()._split_scope(nodeid)
            name = Path(module).name
            return "the grader" if name.startswith("test_grading") or name in KERNEL_MODULES else module

    return GraderInOneWorker(config, log)


@pytest.fixture(autouse=True)
def _no_hidden_cases_from_another_test(request):
    """The checks' tests run the questions as a learner's notebook does, with no hidden case: a
    grading test in the same process (one xdist worker runs several modules) may have loaded an
    instructor's hidden cases, which are kept for the life of the process."""
    if request.module.__name__.startswith("test_checks"):
        from nnbook.checks._core import clear_hidden_cases

        clear_hidden_cases()


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


# ----------------------------------------------------------------------------- the built book

@pytest.fixture(scope="session")
def book_build():
    """The session's one build of the book (tests/test_book.py), waited for."""
    from book_support import session_build

    return session_build()


@pytest.fixture(scope="session")
def built_book(book_build):
    """The ``_build/html`` directory of this session's build (fails if the build made none)."""
    if not (book_build.html / "index.html").is_file():
        pytest.fail(f"the book build produced no {book_build.html / 'index.html'}:\n{book_build.log[-5000:]}")
    return book_build.html


@pytest.fixture(scope="session")
def site(built_book):
    """The built site served on 127.0.0.1 at a free port: (base URL, html directory)."""
    from browser_support import serve

    with serve(built_book) as base:
        yield base, built_book


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (tests/test_browser.py); skips where there is none."""
    from browser_support import launch_chromium

    chrome = launch_chromium()
    try:
        yield chrome
    finally:
        chrome.close()


def _axe_script() -> str | None:
    """axe-core's script (npm's ``axe-core``, fetched into node_modules by ``make test``, or here
    when missing, by tools/bundle_assets.py), or None where it cannot be had."""
    from book_support import bundle_assets

    path = bundle_assets.fetch_axe()
    return path.read_text(encoding="utf-8") if path else None


@pytest.fixture(scope="session")
def axe_source():
    script = _axe_script()
    if script is None:
        pytest.skip("axe-core is not available (npm missing or offline): run `make assets` with npm")
    return script


@pytest.fixture(scope="session")
def page_visits(site):
    """{page: Visit} for every page of every edition (browser_support.PAGES): each page loaded
    once, at 1280 px, narrowed to 390 px, then its widgets worked at 1280 px (:func:`visit_pages`).
    The visits start in the background as soon as the book is built, in browsers of their own
    (browser_support.start_visits, from pytest_collection_finish), and the tests that read them run
    last: the other tests of the built book run meanwhile."""
    from browser_support import session_visits

    return session_visits(_axe_script)


@pytest.fixture
def site_at_rest(built_book):
    """The built site once no browser of the session's visit of every page reads it any more (for a
    test that writes into it: a second build): the visit's end waited for, if one was started."""
    from browser_support import visits_finished

    visits_finished()
    return built_book


# ----------------------------------------------------------------------------- the exercise checks

class _Verdicts:
    """One quiet ``check`` of an answer, read three ways (the tests of ``nnbook.checks``)."""

    @staticmethod
    def result(qid, answer, seed=0):
        from nnbook.checks import check

        return check(qid, answer, seed=seed, quiet=True)

    def status(self, qid, answer, seed=0):
        return self.result(qid, answer, seed).status

    def message(self, qid, answer, seed=0):
        return self.result(qid, answer, seed).message


@pytest.fixture
def verdict():
    """``verdict.status(qid, answer, seed=0)``, ``verdict.message(...)``, ``verdict.result(...)``."""
    return _Verdicts()
