"""Debian packages the project installs itself where they are missing (as root, with apt-get):
Chromium for the browser tests, bubblewrap for the grader's sandbox, a CJK font for the Chinese
editions' figures."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable


def apt_install(package: str, present: Callable[[], bool]) -> str:
    """Install Debian's ``package`` with apt-get unless ``present()``; "" once it is there, else why
    it is not (no apt-get, not root, apt-get failed or timed out, or installed yet still absent)."""
    if present():
        return ""
    if shutil.which("apt-get") is None:
        return f"{package} is not installed and apt-get is not available to install it"
    if os.geteuid() != 0:
        return f"{package} is not installed, and installing it with apt-get needs root"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", package]):
        try:
            result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        except subprocess.TimeoutExpired:
            return f"`{' '.join(cmd)}` timed out"
        if result.returncode != 0:
            return f"`{' '.join(cmd)}` failed: {result.stderr.strip()[-300:]}"
    return "" if present() else f"apt-get installed {package}, but it is still not found"
