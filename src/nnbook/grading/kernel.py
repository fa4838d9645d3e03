"""One submission's Jupyter kernel: started in the sandbox (or not), with limits, run cell by cell.

The kernel talks to the grader over Unix sockets in a small folder that the sandbox shares, made
for each start of a kernel and holding nothing else (``transport="ipc"``: the sandbox has no
network, not even loopback). Its whole process tree runs in a control group of its own
(``limits``: memory with its tmpfs, processes, CPU); each process also has a memory and a
file-size limit of its own (``LAUNCHER``: one allocation too big is a ``MemoryError`` in its
cell rather than the end of the kernel). Its outputs are read and dropped (a flood of prints
costs nothing). ``execute`` stops at a deadline: it interrupts a cell that runs too long, and a
kernel that does not answer the interrupt is marked ``stuck`` (the caller starts a fresh one); a
request of the grader (``request``) is never interrupted: at its deadline the kernel is marked
``stuck`` at once. Only text comes back from the kernel: the helper's replies are ``wire``
messages, checked against the schema; nothing is called back. ``shutdown`` kills the kernel and
everything it started, waits until it is gone, and removes its control group and its sockets' folder.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import kernelside, remote, sandbox, wire
from . import limits as _limits
from .report import short

MAX_FILE = 256 * 1024 * 1024  # RLIMIT_FSIZE of the kernel
INTERRUPT_GRACE = 5.0  # seconds a kernel has to answer an interrupt
_BASE64_REPR = re.compile(r"'[A-Za-z0-9+/=]*'")  # how the helper's reply comes: the repr of base64 text

# Run in the kernel's process before the ipykernel starts: the memory and file-size limits.
LAUNCHER = """\
import resource, sys
memory, fsize = int(sys.argv[1]), int(sys.argv[2])
try:
    if memory > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
except (ValueError, OSError) as exc:  # e.g. macOS has no RLIMIT_AS
    print("nnbook grade: could not set the kernel's limits:", exc, file=sys.stderr)
sys.argv = [sys.argv[0]] + sys.argv[3:]
from ipykernel.kernelapp import launch_new_instance
launch_new_instance()
"""


@dataclass
class Outcome:
    status: str  # "ok", "error", "timeout", "dead"
    ename: str = ""
    evalue: str = ""
    reply: dict = field(default_factory=dict)


class Kernel:
    """A kernel for one submission. ``private`` is the grader's own folder for it (the sandbox never
    sees it); ``notebook`` the grader's copy of the submission. Each start gets fresh folders: in
    ``private``, the files copied into the sandbox (the notebook, the connection file, the library);
    apart, the folder of its sockets and the checkers' scratch folder (``run``), which the sandbox
    shares, made for this kernel alone and removed with it. With ``limits`` the whole process tree
    runs in a control group of its own (``limits.Group``)."""

    def __init__(self, private: Path, memory_mb: float, *, use_sandbox: bool = True, notebook: Path | None = None,
                 limits: bool = True):
        memory = int(memory_mb * 1024 * 1024) if memory_mb else 0
        self.km = self.kc = self.group = None
        self.run: Path | None = None
        self.scratch: Path | None = None  # the checkers' files for this kernel (``checks.scratch_root``)
        self.dead = False
        self.stuck = False
        self.stops = 0  # how many executions ended at a deadline or with the kernel's death
        try:
            own = Path(tempfile.mkdtemp(prefix="k-", dir=private))  # the grader's, for this start only
            self.run = _sockets_folder(use_sandbox) if use_sandbox else own
            scratch = self.run / "scratch"
            scratch.mkdir()
            if use_sandbox and sandbox.as_root():
                os.chown(scratch, sandbox.SANDBOX_UID, sandbox.SANDBOX_UID)
            self.scratch = scratch  # the checkers' files: at the same path on both sides
            if limits:
                self.group = _limits.Group(memory)
            files = {}
            if use_sandbox:
                (own / "nnbook.zip").write_bytes(sandbox.library_zip())
                files[sandbox.LIBRARY_ZIP] = own / "nnbook.zip"
                if notebook is not None:
                    shutil.copyfile(notebook, own / "submission.ipynb")
                    files[sandbox.NOTEBOOK] = own / "submission.ipynb"
            self._start(own, memory, use_sandbox, files)
        except BaseException:
            self.shutdown()
            raise

    def _start(self, own: Path, memory: int, use_sandbox: bool, files: dict):
        from jupyter_client import KernelManager

        run, group = self.run, self.group
        inside = Path(sandbox.WORKDIR) if use_sandbox else run
        env = {"HOME": str(inside), "IPYTHONDIR": str(inside / ".ipython"), "MPLCONFIGDIR": str(inside / ".matplotlib"),
               "XDG_CACHE_HOME": str(inside / ".cache"), "XDG_CONFIG_HOME": str(inside / ".config"),
               "JUPYTER_RUNTIME_DIR": str(inside / ".runtime"), "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1",
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "TQDM_DISABLE": "1",
               "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        python = sandbox.python() if use_sandbox else sys.executable
        launcher = [python, "-c", LAUNCHER, str(memory), str(MAX_FILE)]
        procs = group.procs if group is not None else []

        class Manager(KernelManager):
            def format_kernel_cmd(self, extra_arguments=None):
                if not use_sandbox:
                    argv = launcher + ["-f", os.path.realpath(self.connection_file)]
                    return sandbox.wrap(argv, procs=procs)
                argv = launcher + ["-f", sandbox.CONNECTION_FILE]
                return sandbox.command(argv, run, env, cwd=sandbox.WORKDIR,
                                       files={**files, sandbox.CONNECTION_FILE: self.connection_file}, procs=procs)

            def interrupt_kernel(self):  # a message: a signal would stop at the sandbox's door
                msg = self.session.msg("interrupt_request", content={})
                self._connect_control_socket()
                self.session.send(self._control_socket, msg)

        if use_sandbox:
            launch_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        else:
            launch_env = {k: v for k, v in os.environ.items() if not k.startswith(("NNBOOK_", "JPY_", "JUPYTER_"))}
            launch_env.update(env)
        ipc = os.name != "nt"
        self.km = Manager(kernel_name="python3", transport="ipc" if ipc else "tcp",
                          ip=str(run / "k") if ipc else "127.0.0.1")
        self.km.connection_file = str(own / "kernel.json")
        self.km.start_kernel(cwd=str(run) if not use_sandbox else str(own), env=launch_env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.kc = self.km.client()
        self.kc.start_channels(stdin=False)  # nothing is ever asked of the grader
        self.kc.wait_for_ready(timeout=60)
        if use_sandbox and sandbox.as_root():  # its sockets are made: the folder is no longer the kernel's to change
            os.chown(run, 0, 0)
            os.chmod(run, 0o711)

    def alive(self) -> bool:
        if not self.dead and not self.km.is_alive():
            self.dead = True
        return not self.dead

    def exit_code(self):
        proc = getattr(self.km.provisioner, "process", None)
        code = getattr(proc, "returncode", None) if proc is not None else None
        return code

    def _drain_iopub(self):
        while True:
            try:
                self.kc.get_iopub_msg(timeout=0)
            except queue.Empty:
                return

    def execute(self, code: str, deadline: float, user_expressions=None, *, interrupt: bool = True,
                store_history: bool = True) -> Outcome:
        """Run ``code``; at ``deadline`` return "timeout". With ``interrupt`` the kernel is interrupted
        first (a cell that loops may leave a usable kernel); without, or if it does not answer the
        interrupt, it is marked ``stuck``: only a fresh kernel helps."""
        if self.stuck or not self.alive():
            self.stops += 1
            return Outcome("timeout" if self.stuck else "dead")
        msg_id = self.kc.execute(code, silent=False, store_history=store_history,
                                 user_expressions=user_expressions or {}, allow_stdin=False, stop_on_error=False)
        reply = self._wait(msg_id, deadline)
        if reply is not None:
            self.stops += reply.status == "dead"
            return reply
        self.stops += 1
        if not self.alive():
            return Outcome("dead")
        if not interrupt:
            self.stuck = True
            return Outcome("timeout")
        try:
            self.km.interrupt_kernel()
        except Exception:
            pass
        if self._wait(msg_id, time.monotonic() + INTERRUPT_GRACE) is None:
            self.stuck = True  # it ignored the interrupt: only a fresh kernel helps
        return Outcome("timeout")

    def _wait(self, msg_id, deadline) -> Outcome | None:
        checked = time.monotonic()
        while True:
            now = time.monotonic()
            if now >= deadline:
                return None
            try:
                msg = self.kc.get_shell_msg(timeout=min(0.05, deadline - now))
            except queue.Empty:
                self._drain_iopub()
                if now - checked > 0.5:
                    checked = now
                    if not self.alive():
                        return Outcome("dead")
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            self._drain_iopub()
            content = msg.get("content")
            if not isinstance(content, dict):
                return Outcome("error", "Error", "the kernel's reply has no content")
            if content.get("status") == "ok":
                return Outcome("ok", reply=content)
            return Outcome("error", str(content.get("ename", "Error")), str(content.get("evalue", "")), content)

    def expression(self, expr: str, deadline: float, *, interrupt: bool = False) -> tuple[Outcome, dict]:
        """Evaluate ``expr`` in the kernel (a user expression, outside the notebook's history):
        the outcome, and the expression's result (``status``, ``data`` or ``ename``/``evalue``)."""
        out = self.execute("", deadline, user_expressions={"r": expr}, interrupt=interrupt, store_history=False)
        result = out.reply.get("user_expressions", {}).get("r", {}) if out.status == "ok" else {}
        return out, result if isinstance(result, dict) else {}

    def request(self, message: str, deadline: float) -> str:
        """Send a ``wire`` message to the helper's ``call`` and return its reply's text (base64),
        or raise ``remote.TimeLimit``, ``remote.KernelDied`` or ``remote.Refused``. A request that
        reaches its deadline leaves the kernel stuck: it is not interrupted, it is killed."""
        out, result = self.expression(f"{kernelside.HELPER}.call({message!r})", deadline)
        if out.status == "timeout":
            raise remote.TimeLimit("the time limit was reached while checking this answer")
        if out.status == "dead" or not self.alive():
            raise remote.KernelDied("the kernel died while checking this answer")
        if out.status != "ok" or result.get("status") != "ok":
            raise remote.Refused(f"the answer could not be called ({short(result.get('ename', out.ename))}: "
                               f"{short(result.get('evalue', out.evalue))})")
        data = result.get("data")
        text = data.get("text/plain", "") if isinstance(data, dict) else ""
        if not isinstance(text, str) or len(text) > wire.MAX_REPLY + 2:
            raise remote.Refused("the answer's value could not be read: it is larger than "
                               f"{wire.MAX_REPLY // (1024 * 1024)} MB")
        if not _BASE64_REPR.fullmatch(text):
            raise remote.Refused("the answer's value could not be read: the kernel sent something else")
        return text[1:-1]

    def shutdown(self):
        """Kill the kernel and all it started; return once every process of it is gone, its control
        group and its sockets' folder removed."""
        km = self.km
        proc = getattr(getattr(km, "provisioner", None), "process", None)
        try:
            if self.kc is not None:
                self.kc.stop_channels()
        except Exception:
            pass
        try:
            if km is not None:
                km.shutdown_kernel(now=True)
        except Exception:
            pass
        if proc is not None:  # its own session (and, sandboxed, its own PID namespace: all of it dies)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError, OSError):
                pass
            try:
                proc.wait(timeout=10)
            except Exception:
                pass
        if self.group is not None:  # whatever escaped the session: every process of the group
            self.group.remove()
            self.group = None
        if self.run is not None and self.run.name.startswith(_SOCKETS_PREFIX):
            shutil.rmtree(self.run, ignore_errors=True)


_SOCKETS_PREFIX = "nnbook-kernel-"


def _sockets_parent() -> str:
    """Where the sockets' folders are made: /dev/shm where it is a tmpfs (what a kernel writes there is
    memory, counted in its control group, and the folder's path names nothing of the grader's), else
    the temporary folder."""
    try:
        with open("/proc/self/mountinfo", encoding="utf-8") as f:
            if any(line.split(" - ")[0].split()[4] == "/dev/shm" and line.split(" - ")[1].startswith("tmpfs ")
                   for line in f if " - " in line):
                if os.access("/dev/shm", os.W_OK | os.X_OK):
                    return "/dev/shm"
    except (OSError, IndexError):
        pass
    return tempfile.gettempdir()


def _sockets_folder(use_sandbox: bool) -> Path:
    """A fresh folder for one kernel's sockets (and the scratch folder), writable by the sandbox's user only."""
    run = Path(tempfile.mkdtemp(prefix=_SOCKETS_PREFIX, dir=_sockets_parent()))
    if use_sandbox and sandbox.as_root():
        os.chown(run, sandbox.SANDBOX_UID, sandbox.SANDBOX_UID)
    return run
