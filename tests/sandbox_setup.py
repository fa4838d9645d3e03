"""The grader's sandbox for the tests: bubblewrap (Debian's ``bubblewrap`` package).

``require_sandbox()`` installs it with apt-get where it is missing and that is possible (as
root, as in CI), then skips the calling test with the reason where no sandbox can run;
``require_limits()`` also skips where no control group can be made for the kernels' limits.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from apt import apt_install  # noqa: E402


@functools.lru_cache(maxsize=1)
def install_bwrap() -> str:
    """Install bubblewrap with apt-get if it is missing; "" once it is there, else the reason."""
    return apt_install("bubblewrap", lambda: shutil.which("bwrap") is not None)


def require_sandbox() -> None:
    """Skip the test, saying why, where the grader's sandbox cannot run; fail where it should run
    (Linux as root, as in CI: bubblewrap is installed then, so a sandbox that does not start is a bug)."""
    from nnbook.grading import sandbox

    why = install_bwrap()
    if not why:
        sandbox.problem.cache_clear()
        why = sandbox.problem()
    _fail_or_skip(why, f"the grader's sandbox does not start: {why}", f"the grader's sandbox cannot run here: {why}")


def _fail_or_skip(why: str, failure: str, skip: str) -> None:
    """Nothing when ``why`` is empty; else fail on Linux as root (where it must work), skip elsewhere."""
    if why and sys.platform.startswith("linux") and os.geteuid() == 0:
        pytest.fail(failure)
    if why:
        pytest.skip(skip)


def require_limits() -> None:
    """Skip the test, saying why, where the sandbox or its control groups (``grading.limits``) cannot be had."""
    from nnbook.grading import limits

    require_sandbox()
    limits.problem.cache_clear()
    why = limits.problem()
    _fail_or_skip(why, f"no control group can be made, as root: {why}", f"no control group can be made here: {why}")
