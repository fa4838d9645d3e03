"""Limits on the whole process tree of a submission's kernel: control groups (cgroups).

A per-process limit (``setrlimit``) is not enough: six forked children of 1 GB each pass a
limit of 2 GB, files in ``/dev/shm`` or ``/tmp`` (tmpfs) belong to no process, and nothing
caps the number of processes. Each kernel therefore runs in a control group of its own, made
for it before it starts and removed, with everything in it, when it stops (``Group``):

* memory: everything the tree holds, including its tmpfs pages (``/tmp``, ``/dev/shm``), at most
  the memory limit; past it the kernel's out-of-memory killer stops the tree's largest process;
* processes (and threads): at most ``MAX_PIDS``; a fork bomb stops there;
* CPU: at most ``CPUS`` processors' worth of time, whatever the tree starts, so that one
  submission cannot starve the others graded beside it (its deadlines cap the total).

The groups are made below the grader's own group, in cgroup v2 where the machine has it with
these controllers (``memory.max``, ``pids.max``, ``cpu.max``, ``cgroup.kill``), else in cgroup v1
(``memory``, ``pids`` and ``cpu`` hierarchies). In cgroup v2 a group with processes cannot share
out its controllers: where the grader's own group has processes (a scope delegated to it), they
move to a leaf group of their own (``LEAF``) beside the kernels'. The kernel's launcher writes its own process id
into the group's ``cgroup.procs`` before it starts the sandbox, so nothing of it ever runs outside.
Making groups needs root or a group delegated to the grader's user; where neither is there,
``require`` says so and how to fix it (``--no-limits`` grades on knowingly).
"""

from __future__ import annotations

import errno
import functools
import os
import signal
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from .sandbox import SandboxUnavailable

MAX_PIDS = 128  # processes and threads of one kernel's tree (an ipykernel uses about 10)
CPUS = 1.0  # processors' worth of CPU time per kernel
CPU_PERIOD_US = 100_000
GROUP_NAME = "nnbook-grade"  # the grader's group, below its own; one child per kernel
LEAF = "nnbook-grader"  # cgroup v2: where the grader's own processes go, in a group delegated to it
_CONTROLLERS = ("memory", "pids", "cpu")


class LimitsUnavailable(SandboxUnavailable):
    """No control group can be made here: a submission's process tree would have no limits."""


@dataclass(frozen=True)
class _Hierarchy:
    version: int  # 1 or 2
    controllers: tuple[str, ...]  # what this hierarchy limits (v2: all three)
    base: Path  # the grader's own group in it


def _mounts() -> list[tuple[str, str, str, str]]:
    """(root, mount point, type, super options) of every cgroup file system mounted."""
    found = []
    try:
        with open("/proc/self/mountinfo", encoding="utf-8") as f:
            for line in f:
                left, _, right = line.partition(" - ")
                fields, rest = left.split(), right.split()
                if len(fields) >= 5 and len(rest) >= 3 and rest[0] in ("cgroup", "cgroup2"):
                    found.append((fields[3], fields[4].replace("\\040", " "), rest[0], rest[2]))
    except OSError:
        pass
    return found


def _own_groups() -> dict[str, str]:
    """The grader's group per hierarchy, from /proc/self/cgroup: {"0": v2 path, "memory": path, ...}."""
    found = {}
    try:
        with open("/proc/self/cgroup", encoding="utf-8") as f:
            for line in f:
                number, controllers, path = line.rstrip("\n").split(":", 2)
                if number == "0" and controllers == "":
                    found["0"] = path
                for name in controllers.split(","):
                    if name:
                        found[name] = path
    except OSError:
        pass
    return found


def _inside(mount_root: str, mount_point: str, path: str) -> Path:
    rel = os.path.relpath(path, mount_root) if path.startswith(mount_root) else path.lstrip("/")
    return Path(mount_point) / ("" if rel == "." else rel)


def _v2() -> _Hierarchy | None:
    own = _own_groups().get("0")
    if own is None:
        return None
    if own.rstrip("/").rsplit("/", 1)[-1] == LEAF:  # the grader moved itself there (``_prepare``)
        own = own.rstrip("/").rsplit("/", 1)[0] or "/"
    for root, point, kind, _ in _mounts():
        if kind != "cgroup2":
            continue
        base = _inside(root, point, own)
        try:
            available = (base / "cgroup.controllers").read_text().split()
        except OSError:
            continue
        if all(c in available for c in _CONTROLLERS):
            return _Hierarchy(2, _CONTROLLERS, base)
    return None


def _v1() -> list[_Hierarchy]:
    own = _own_groups()
    found = []
    for name in _CONTROLLERS:
        for root, point, kind, options in _mounts():
            if kind == "cgroup" and name in options.split(",") and name in own:
                found.append(_Hierarchy(1, (name,), _inside(root, point, own[name])))
                break
    return found


def _hierarchies() -> list[_Hierarchy]:
    v2 = _v2()
    if v2 is not None:
        return [v2]
    v1 = _v1()
    return v1 if {c for h in v1 for c in h.controllers} == set(_CONTROLLERS) else []


def _write(path: Path, value: str) -> None:
    with open(path, "w") as f:
        f.write(value)


def _prepare(h: _Hierarchy) -> Path:
    """The grader's group in ``h`` (made if need be), ready to hold one child per kernel."""
    parent = h.base / GROUP_NAME
    parent.mkdir(exist_ok=True)
    if h.version == 2:
        enable = " ".join(f"+{c}" for c in _CONTROLLERS)
        for group in (h.base, parent):
            enabled = (group / "cgroup.subtree_control").read_text().split()
            if all(c in enabled for c in _CONTROLLERS):
                continue
            try:
                _write(group / "cgroup.subtree_control", enable)
            except OSError as exc:
                if exc.errno != errno.EBUSY or group != h.base:
                    raise
                # A group with processes cannot share out controllers (cgroup v2's rule): in a group delegated
                # to the grader (a scope of its own), its processes move to a leaf beside the kernels' groups.
                leaf = h.base / LEAF
                leaf.mkdir(exist_ok=True)
                for pid in (h.base / "cgroup.procs").read_text().split():
                    try:
                        _write(leaf / "cgroup.procs", pid)
                    except ProcessLookupError:
                        pass
                _write(group / "cgroup.subtree_control", enable)
    return parent


class Group:
    """One kernel's control group(s): made with the limits set; ``procs`` are the files to join them by."""

    def __init__(self, memory_bytes: int):
        self.dirs: list[tuple[_Hierarchy, Path]] = []
        hierarchies = _hierarchies()
        if not hierarchies:
            raise LimitsUnavailable(_problem_text("no cgroup v2 with the memory, pids and cpu controllers, "
                                                  "and no cgroup v1 hierarchies for them, are available here"))
        name = f"k{os.getpid()}-{uuid.uuid4().hex[:12]}"
        try:
            for h in hierarchies:
                group = _prepare(h) / name
                group.mkdir()
                self.dirs.append((h, group))
                self._limit(h, group, memory_bytes)
        except OSError as exc:
            self.remove()
            raise LimitsUnavailable(_problem_text(f"cannot make a control group ({exc})")) from exc

    @staticmethod
    def _limit(h: _Hierarchy, group: Path, memory_bytes: int) -> None:
        quota = str(int(CPUS * CPU_PERIOD_US))
        if h.version == 2:
            if memory_bytes > 0:
                _write(group / "memory.max", str(memory_bytes))
                if (group / "memory.swap.max").exists():
                    _write(group / "memory.swap.max", "0")
            _write(group / "pids.max", str(MAX_PIDS))
            _write(group / "cpu.max", f"{quota} {CPU_PERIOD_US}")
            return
        if "memory" in h.controllers and memory_bytes > 0:
            _write(group / "memory.limit_in_bytes", str(memory_bytes))
            if (group / "memory.memsw.limit_in_bytes").exists():
                try:
                    _write(group / "memory.memsw.limit_in_bytes", str(memory_bytes))
                except OSError:
                    pass  # no swap accounting: memory alone
        if "pids" in h.controllers:
            _write(group / "pids.max", str(MAX_PIDS))
        if "cpu" in h.controllers:
            _write(group / "cpu.cfs_period_us", str(CPU_PERIOD_US))
            _write(group / "cpu.cfs_quota_us", quota)

    @property
    def procs(self) -> list[str]:
        """The files a process writes its id to, to join every group (before it starts the kernel)."""
        return [str(group / "cgroup.procs") for _, group in self.dirs]

    def pids(self) -> set[int]:
        found = set()
        for _, group in self.dirs:
            try:
                found.update(int(p) for p in (group / "cgroup.procs").read_text().split())
            except (OSError, ValueError):
                pass
        return found

    def peak_bytes(self) -> int | None:
        """The most memory the tree held at once (None where the machine does not say)."""
        for h, group in self.dirs:
            for name in ("memory.peak", "memory.max_usage_in_bytes"):
                try:
                    return int((group / name).read_text())
                except (OSError, ValueError):
                    continue
        return None

    def kill(self, timeout: float = 10.0) -> bool:
        """Kill every process in the groups; True once they are empty."""
        end = time.monotonic() + timeout
        for h, group in self.dirs:
            if h.version == 2 and (group / "cgroup.kill").exists():
                try:
                    _write(group / "cgroup.kill", "1")
                except OSError:
                    pass
        while True:
            left = self.pids()
            if not left:
                return True
            if time.monotonic() > end:
                return False
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.02)

    def remove(self) -> None:
        """Kill what is left in the groups and remove them."""
        self.kill()
        for _, group in reversed(self.dirs):
            for _ in range(100):
                try:
                    group.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # processes still leaving
                    self.kill(1.0)
                    time.sleep(0.02)
        self.dirs = []


def _problem_text(why: str) -> str:
    return (f"{why}. nnbook grade limits each submission's memory (with /tmp and /dev/shm), processes and CPU "
            "time in a control group of its own, so that no submission can starve the machine or the others. "
            "Run the grader as root (as in the container described in the README), or in a cgroup v2 group "
            "delegated to your user with the memory, pids and cpu controllers (for example "
            "`systemd-run --user --scope -p Delegate=yes nnbook grade ...`), or pass --no-limits to grade "
            "with per-process limits only")


@functools.lru_cache(maxsize=1)
def problem() -> str:
    """Why no control group can be made here ("" when one can): makes and removes a real one."""
    try:
        Group(64 * 1024 * 1024).remove()
    except LimitsUnavailable as exc:
        return str(exc)
    return ""


def require() -> None:
    """Raise ``LimitsUnavailable`` with the reason and what to do, where no control group can be made."""
    why = problem()
    if why:
        raise LimitsUnavailable(why)
