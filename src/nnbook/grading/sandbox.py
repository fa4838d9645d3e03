"""The sandbox each submission's kernel runs in: bubblewrap (``bwrap``).

What the kernel sees (``command`` builds the command line):

* a private ``/tmp`` (its working directory ``/tmp/work`` is there) and ``/dev/shm``, both
  size-capped tmpfs; the system (``/usr`` and a few files of ``/etc``) and the Python environment,
  read-only;
* copies, read-only, of three files that the grader reads for it and hands over as open file
  descriptors (``--ro-bind-data``: nothing of the host is mounted for them, and no host path shows
  in ``/proc/self/mountinfo``): its notebook (``/tmp/work/submission.ipynb``), its connection file
  (``/run/nnbook/kernel.json``) and the library, as a zip (``/opt/nnbook/nnbook.zip``) built for
  the sandbox (``library_zip``): the core library only, with a ``nnbook.checks`` whose ``check``
  and ``score`` do nothing (the grader never runs them there), and none of the checkers, the
  multiple-choice answers, the grader, the plots or the widgets;
* the folder of its sockets, at the same path on both sides (``run``): made for this one kernel,
  in ``/dev/shm`` where that is a tmpfs, holding nothing else but the scratch folder of the
  checkers. The kernel may write there until its sockets are made; then (a grader running as
  root) the folder is root's and only the scratch folder stays the kernel's, so that no link can
  replace a socket. What the kernel writes counts in its memory limit;
* nothing else: not the class folder, not the other submissions, not the grader's folders, not
  the instructor's home, not a ``--checks`` file, not the CSV, not the repository.

It runs in new namespaces (mount, PID, network, IPC, UTS, cgroup): no network, its own PID
namespace (it cannot see or signal the grader, and everything it starts dies with it), a new
session (no terminal), and ``--die-with-parent``. It runs as an unprivileged user (uid 65534)
with no capabilities and cannot make user namespaces (``mode``): a grader running as root starts
bubblewrap as root, without a user namespace (so that the mounts come from folders only root can
reach, such as a Python under /root), then drops to uid 65534 on the host (``setpriv``: no
capabilities, empty bounding set, no new privileges) and starts the kernel through a second
bubblewrap, as that user, in a user namespace that can make no other (``--disable-userns``);
root without ``CAP_SYS_ADMIN`` (a container) drops to uid 65534 first and runs bubblewrap as
that user; any other grader runs bubblewrap in a user namespace, as uid 65534 mapped to the
grader's own user. The kernel's launcher (``wrap``), a small shell, joins the kernel's control
groups and opens the files to copy in before any of this starts.
Its environment is built from nothing (``--clearenv``): the grader's variables never reach it.
"""

from __future__ import annotations

import functools
import io
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

SANDBOX_UID = 65534  # "nobody": the kernel's user
WORKDIR = "/tmp/work"  # the kernel's working directory (and HOME)
LIBRARY_MOUNT = "/opt/nnbook"  # the library's zip is /opt/nnbook/nnbook.zip
LIBRARY_ZIP = f"{LIBRARY_MOUNT}/nnbook.zip"
CONNECTION_FILE = "/run/nnbook/kernel.json"
NOTEBOOK = f"{WORKDIR}/submission.ipynb"
_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "fonts", "localtime", "mime.types", "nsswitch.conf",
        "host.conf", "hosts", "ssl", "ca-certificates", "alternatives", "matplotlibrc")
TMP_BYTES = 512 * 1024 * 1024  # size of the private /tmp
SHM_BYTES = 64 * 1024 * 1024  # size of the private /dev/shm
_SUBPACKAGES_KEPT = ()  # subpackages of nnbook a submission gets (none: the exercises need none)
_MODULES_LEFT_OUT = ("cli.py", "__main__.py")
_CHECKS_STANDIN = '''"""Stand-in for the exercise checks in the grader's sandbox: the grader checks the answers itself."""


class CheckFailed(AssertionError):
    """What a checker raises for a wrong answer."""


def check(qid, answer=None, *args, **kwargs):
    """Does nothing here: the grader evaluates the answer named in this call and checks it outside."""
    return None


def score(chapter=None, *args, **kwargs):
    """Does nothing here: the grader totals the points itself."""
    return None


def question(qid, *args, **kwargs):
    """Registers nothing here: the grader has its own questions."""
    return lambda checker: checker


__all__ = ["check", "score", "question", "CheckFailed"]
'''
_ABSENT = '"""Not available to a graded submission."""\n'


class SandboxUnavailable(RuntimeError):
    """No sandbox can run here: grading untrusted code would be unsafe."""


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def as_root() -> bool:
    """True where the grader runs as root: the kernel then drops to ``SANDBOX_UID`` with ``setpriv``."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _capable(bit: int) -> bool:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            effective = next(line.split()[1] for line in f if line.startswith("CapEff:"))
        return bool(int(effective, 16) >> bit & 1)
    except (OSError, StopIteration, ValueError):
        return False


def mode() -> str:
    """How the sandbox is made here: "root" (root with CAP_SYS_ADMIN: bubblewrap as root, then uid 65534
    through a second bubblewrap), "drop" (root without it, as in a container: uid 65534 first, then
    bubblewrap in a user namespace) or "user" (any other user: bubblewrap in a user namespace)."""
    if not as_root():
        return "user"
    return "root" if _capable(21) else "drop"  # 21: CAP_SYS_ADMIN


@functools.lru_cache(maxsize=1)
def problem() -> str:
    """Why the sandbox cannot run here ("" when it can): tries a real one."""
    if not sys.platform.startswith("linux"):
        return f"the sandbox needs Linux (bubblewrap), this is {sys.platform}"
    if bwrap_path() is None:
        return "bubblewrap (bwrap) is not installed; on Debian or Ubuntu: apt-get install bubblewrap"
    if mode() != "user" and shutil.which("setpriv") is None:
        return "setpriv (util-linux) is not installed; on Debian or Ubuntu: apt-get install util-linux"
    probe = ("import os, nnbook, nnbook.checks, numpy; assert os.getuid() != 0 and os.geteuid() != 0; "
             "assert not hasattr(nnbook.checks, '_core'); print('sandbox ok')")
    with tempfile.TemporaryDirectory(prefix="nnbook-probe-") as tmp:
        zipped = Path(tmp) / "nnbook.zip"
        zipped.write_bytes(library_zip())
        cmd = command([python(), "-c", probe], None, {}, files={LIBRARY_ZIP: zipped})
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"bubblewrap could not start a sandbox: {exc}"
    if run.returncode != 0 or "sandbox ok" not in run.stdout:
        detail = " ".join((run.stderr or run.stdout).split())[-300:]
        hint = ""
        if mode() == "drop":
            hint = (f" (root without CAP_SYS_ADMIN, as in a container: the sandbox runs as uid {SANDBOX_UID} from the "
                    "start, so the Python environment must be readable by every user, not under /root)")
        return f"bubblewrap could not start a sandbox here (exit code {run.returncode}): {detail}{hint}"
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


@functools.lru_cache(maxsize=1)
def library_zip() -> bytes:
    """The library as a submission gets it: a zip of nnbook's own modules, without the command line,
    with a do-nothing ``nnbook.checks`` and empty ``grading``, ``plots`` and ``widgets``."""
    root = library_dir()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(root.glob("*.py")):
            if path.name not in _MODULES_LEFT_OUT:
                z.writestr(f"nnbook/{path.name}", path.read_bytes())
        for sub in sorted(p for p in root.iterdir() if (p / "__init__.py").is_file()):
            if sub.name in _SUBPACKAGES_KEPT:
                for path in sorted(sub.rglob("*.py")):
                    z.writestr(f"nnbook/{path.relative_to(root).as_posix()}", path.read_bytes())
            else:
                z.writestr(f"nnbook/{sub.name}/__init__.py", _CHECKS_STANDIN if sub.name == "checks" else _ABSENT)
    return buffer.getvalue()


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


def wrap(argv: list[str], *, procs=(), fds: dict[int, str] | None = None) -> list[str]:
    """``argv`` started by a small shell that first joins the control groups (writes its process id
    to each file of ``procs``) and opens the files ``fds`` (descriptor -> path) for reading."""
    lines = [f"echo $$ > {shlex.quote(str(p))} || exit 125" for p in procs]
    lines += [f"exec {fd}< {shlex.quote(str(path))} || exit 125" for fd, path in (fds or {}).items()]
    if not lines:
        return list(argv)
    lines.append("exec " + " ".join(shlex.quote(str(a)) for a in argv))
    return ["/bin/sh", "-c", "\n".join(lines), "nnbook-kernel"]


def command(argv: list[str], run: Path | None, env: dict, *, cwd: str = WORKDIR, files: dict | None = None,
            procs=()) -> list[str]:
    """The command that runs ``argv`` in the sandbox with the environment ``env`` only, in ``cwd`` (a
    folder of the private /tmp). ``run`` (the kernel's sockets) is shared read-write at its own path;
    ``files`` (inside path -> host file) are copied in read-only; ``procs``: the control groups to join."""
    how = mode()
    root = how == "root"
    setpriv = [shutil.which("setpriv") or "setpriv", f"--reuid={SANDBOX_UID}", f"--regid={SANDBOX_UID}",
               "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
    cmd = (setpriv if how == "drop" else []) + [bwrap_path() or "bwrap"]
    if root:  # no user namespace: the kernel drops to SANDBOX_UID itself (setpriv, below)
        cmd += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    else:
        cmd += ["--unshare-all", "--unshare-user", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID),
                "--disable-userns"]
    cmd += ["--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr"]
    exe = bwrap_path()
    if root and exe and not exe.startswith("/usr/"):  # the second bwrap runs inside
        cmd += ["--ro-bind", exe, exe]
    made = {Path("/"), Path("/usr"), Path("/tmp"), Path("/dev"), Path("/proc")}

    def parents(dest: Path):  # folders above a mount point, readable by the sandbox's user
        for parent in reversed(dest.parents):
            if parent not in made:
                made.add(parent)
                cmd.extend(["--perms", "0755", "--dir", str(parent)])

    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        top = Path("/") / name
        if top.is_symlink():
            cmd += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            cmd += ["--ro-bind", str(top), str(top)]
        made.add(top)
    parents(Path("/etc/x"))
    for name in _ETC:
        if (Path("/etc") / name).exists():
            cmd += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    cmd += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(SHM_BYTES), "--tmpfs", "/dev/shm",
            "--perms", "1777", "--size", str(TMP_BYTES), "--tmpfs", "/tmp"]
    made.add(Path("/dev/shm"))
    for path in _ro_dirs():
        parents(path)
        cmd += ["--ro-bind", str(path), str(path)]
        made.add(path)
    parents(Path(cwd))
    cmd += ["--perms", "1777", "--dir", cwd]
    made.add(Path(cwd))
    if run is not None:
        parents(Path(run))
        cmd += ["--bind", str(run), str(run)]
    fds = {}
    for fd, (inside, host) in enumerate(sorted((files or {}).items()), start=3):
        if fd > 9:
            raise ValueError(f"expected at most 7 files to copy into the sandbox, got {len(files)}")
        parents(Path(inside))
        fds[fd] = str(host)
        cmd += ["--perms", "0444", "--ro-bind-data", str(fd), str(inside)]
    cmd += ["--chdir", cwd, "--clearenv"]
    inside_env = {"PATH": f"{os.path.dirname(python())}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
                  "PYTHONPATH": LIBRARY_ZIP, "USER": "student", "LOGNAME": "student", **env}
    for key, value in inside_env.items():
        cmd += ["--setenv", key, str(value)]
    cmd.append("--")
    if root:  # drop to SANDBOX_UID, then a user namespace of its own that can make no other
        cmd += setpriv + [bwrap_path() or "bwrap", "--unshare-user", "--disable-userns", "--uid", str(SANDBOX_UID),
                "--gid", str(SANDBOX_UID), "--dev-bind", "/", "/", "--chdir", cwd, "--"]  # dev-bind: /dev/null stays usable
    return wrap(cmd + list(argv), procs=procs, fds=fds)
