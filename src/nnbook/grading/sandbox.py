"""The sandbox each submission's kernel runs in: bubblewrap (``bwrap``).

What the kernel sees (``command`` builds the ``bwrap`` command line):

* its own working directory (the copy of its notebook), read-write, and a private ``/tmp``;
* the system (``/usr`` and a few files of ``/etc``), the Python environment and the ``nnbook``
  package itself, all read-only. The package is mounted alone (``/opt/nnbook/nnbook``), so
  that ``nnbook.__file__`` leads to nothing else: no repository, no solution notebooks;
* nothing else: not the class folder, not the other submissions, not the instructor's home,
  not a ``--checks`` file, not the grader's CSV.

It runs in new namespaces of every kind (``--unshare-all``): no network, its own PID namespace
(it cannot see or signal the grader, and everything it starts dies with it), its own user
namespace (as user 65534, with no capabilities and no further user namespaces), a new session
(no terminal), and ``--die-with-parent``: when the grader's worker goes, so does the sandbox.
Its environment is built from nothing (``--clearenv``): the grader's variables never reach it.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

SANDBOX_UID = 65534  # "nobody" inside the sandbox
LIBRARY_MOUNT = "/opt/nnbook"  # the nnbook package is mounted alone at /opt/nnbook/nnbook
_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "fonts", "localtime", "mime.types", "nsswitch.conf",
        "host.conf", "hosts", "ssl", "ca-certificates", "alternatives", "matplotlibrc")
_TMP_BYTES = 512 * 1024 * 1024  # size of the private /tmp


class SandboxUnavailable(RuntimeError):
    """No sandbox can run here: grading untrusted code would be unsafe."""


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


@functools.lru_cache(maxsize=1)
def problem() -> str:
    """Why the sandbox cannot run here ("" when it can): tries a real one."""
    if not sys.platform.startswith("linux"):
        return f"the sandbox needs Linux (bubblewrap), this is {sys.platform}"
    exe = bwrap_path()
    if exe is None:
        return "bubblewrap (bwrap) is not installed; on Debian or Ubuntu: apt-get install bubblewrap"
    cmd = command([python(), "-c", "import nnbook, numpy; print('sandbox ok')"], None, {})
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not start a sandbox: {exc}"
    if run.returncode != 0 or "sandbox ok" not in run.stdout:
        detail = " ".join((run.stderr or run.stdout).split())[:300]
        return f"bubblewrap could not start a sandbox here (exit code {run.returncode}): {detail}"
    return ""


def require() -> None:
    """Raise ``SandboxUnavailable`` with the reason and what to do, where no sandbox runs."""
    why = problem()
    if why:
        raise SandboxUnavailable(
            f"{why}. nnbook grade runs every submission in a sandbox, so that no submission can read the "
            "solutions, other students' work or your files. Install bubblewrap, or grade inside the container "
            "described in the README (Dockerfile), or pass --no-sandbox for code you trust (your own notebooks).")


def python() -> str:
    """This environment's interpreter, by a path that exists inside the sandbox too."""
    return os.path.join(os.path.realpath(os.path.dirname(sys.executable)), os.path.basename(sys.executable))


def library_dir() -> Path:
    import nnbook

    return Path(nnbook.__file__).resolve().parent


def _ro_dirs() -> list[Path]:
    """The Python environment, read-only: prefix, base prefix and the interpreter's own folder."""
    found = []
    for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
              os.path.dirname(os.path.realpath(sys.executable))):
        path = Path(os.path.realpath(p))
        if path == Path("/") or str(path).startswith("/usr/") or path == Path("/usr"):
            continue
        if path.is_dir() and not any(path == f or f in path.parents for f in found):
            found.append(path)
    return found


def command(argv: list[str], run: Path | None, env: dict, *, cwd: str = "/tmp/work",
            notebook: Path | None = None) -> list[str]:
    """The ``bwrap`` command that runs ``argv`` with the environment ``env`` only, in ``cwd`` (a folder of
    the private /tmp). ``run`` (the kernel's sockets) is shared read-write at its own path; the
    ``notebook`` copy, read-only, is ``cwd/submission.ipynb``."""
    cmd = [bwrap_path() or "bwrap", "--unshare-all", "--unshare-user", "--die-with-parent", "--new-session",
           "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID), "--disable-userns",
           "--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        top = Path("/") / name
        if top.is_symlink():
            cmd += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            cmd += ["--ro-bind", str(top), str(top)]
    for name in _ETC:
        if (Path("/etc") / name).exists():
            cmd += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    cmd += ["--proc", "/proc", "--dev", "/dev", "--size", str(_TMP_BYTES), "--tmpfs", "/tmp"]
    for path in _ro_dirs():
        cmd += ["--ro-bind", str(path), str(path)]
    cmd += ["--ro-bind", str(library_dir()), f"{LIBRARY_MOUNT}/nnbook"]
    cmd += ["--dir", cwd]
    if run is not None:
        cmd += ["--bind", str(run), str(run)]
    if notebook is not None:
        cmd += ["--ro-bind", str(notebook), f"{cwd}/submission.ipynb"]
    cmd += ["--chdir", cwd, "--clearenv"]
    inside = {"PATH": f"{os.path.dirname(python())}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
              "PYTHONPATH": LIBRARY_MOUNT, "USER": "student", "LOGNAME": "student", **env}
    for key, value in inside.items():
        cmd += ["--setenv", key, str(value)]
    return cmd + ["--", *argv]
