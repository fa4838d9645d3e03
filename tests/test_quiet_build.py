"""The book build is quiet and incremental.

* Its console output has no WARNING line at all: not Sphinx's (``-W`` fails on those) and not the
  kernels' own log lines (``[IPKernelApp] WARNING | ...``), which ``-W`` does not see.
* No class of warning is suppressed in ``_config.yml``.
* A second build with nothing changed executes no notebook and reads no page.
"""

from __future__ import annotations

import logging
import re
import sys

import yaml

from book_support import ROOT, run_jupyter_book


def test_the_build_prints_no_warning_line(book_build):
    assert book_build.returncode == 0, book_build.log[-3000:]
    lines = [line for line in book_build.log.splitlines() if "WARNING" in line or "without encryption" in line]
    assert not lines, f"{len(lines)} warning lines, e.g.:\n" + "\n".join(lines[:10])


def test_no_warning_class_is_suppressed():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert "suppress_warnings" not in (config.get("sphinx", {}).get("config") or {})


def test_no_page_forces_its_execution():
    forced = [str(p.relative_to(ROOT)) for p in (ROOT / "book").glob("*.md")
              if re.search(r"execution_mode:\s*force", p.read_text(encoding="utf-8"))]
    assert not forced, forced


def test_a_second_build_executes_no_notebook(book_build, site_at_rest):
    """The same command as the session's build again, on an unchanged tree. It writes the site's
    index and static files again, so it runs once the browsers that visit every page, which read
    them, are done (``site_at_rest``)."""
    assert book_build.returncode == 0
    returncode, log = run_jupyter_book(timeout=600)
    assert returncode == 0, log[-3000:]
    executed = [line for line in log.splitlines() if "Executing notebook" in line]
    assert not executed, "a build with no change executed:\n" + "\n".join(executed)
    assert re.search(r"updating environment: 0 added, 0 changed, 0 removed", log), log[-3000:]


def _kernel_config():
    """Run tools/ipython_kernel_config.py as IPython does (with a ``get_config``): its namespace."""
    from traitlets.config import Config

    namespace = {"get_config": Config}
    path = ROOT / "tools" / "ipython_kernel_config.py"
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    return namespace


def _record(error: BaseException) -> logging.LogRecord:
    try:
        raise error
    except BaseException:
        exc_info = sys.exc_info()
    return logging.LogRecord("tornado.general", logging.ERROR, __file__, 1,
                             "Uncaught exception in ZMQStream callback", None, exc_info)


def test_the_kernel_drops_only_a_closed_socket_at_shutdown():
    import zmq

    config = _kernel_config()
    logger = logging.getLogger("tornado.general")
    try:
        closed = zmq.ZMQError(zmq.ENOTSOCK)
        at_shutdown = config["SocketClosedAtShutdown"](shutting_down=lambda: True)
        running = config["SocketClosedAtShutdown"](shutting_down=lambda: False)
        assert not at_shutdown.filter(_record(closed))
        assert running.filter(_record(closed)), "a closed socket while the kernel runs is a real error"
        assert at_shutdown.filter(_record(zmq.ZMQError(zmq.EAGAIN)))
        assert at_shutdown.filter(_record(ValueError("a bug in a callback")))
        # In this process there is no kernel and the main thread runs: not shutting down.
        assert config["shutting_down"]() is False
        assert config["c"].IPKernelApp.log_level == "ERROR"
    finally:
        for f in [f for f in logger.filters if type(f).__name__ == "SocketClosedAtShutdown"]:
            logger.removeFilter(f)
