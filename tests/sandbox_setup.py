"""The grader's sandbox for the tests: bubblewrap (Debian's ``bubblewrap`` package).

``require_sandbox()`` installs it with apt-get where it is missing and that is possible (as
root, as in CI), then skips the calling test with the reason where no sandbox can run;
``require_limits()`` also skips where no control group can be made for the kernels' limits.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys

import pytest


@functools.lru_cache(maxsize=1)
def install_bwrap() -> str:
    """Install bubblewrap with apt-get if it is missing; "" once it is there, else the reason."""
    if shutil.which("bwrap"):
        return ""
    if shutil.which("apt-get") is None:
        return "bubblewrap (bwrap) is not installed and apt-get is not available to install it"
    if os.geteuid() != 0:
        return "bubblewrap (bwrap) is not installed, and installing it with apt-get needs root"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "bubblewrap"]):
        try:
            result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        except subprocess.TimeoutExpired:
            return f"`{' '.join(cmd)}` timed out"
        if result.returncode != 0:
            return f"`{' '.join(cmd)}` failed: {result.stderr.strip()[-300:]}"
    return "" if shutil.which("bwrap") else "apt-get installed bubblewrap but no bwrap binary was found"


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
