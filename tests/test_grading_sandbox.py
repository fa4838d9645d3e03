"""The sandbox's walls and limits, against a hostile class built the way students would build it.

One class folder holds two honest classmates and one submission per attack: the sample
chapter's exercise (stubs: 0 points) plus a cell that does its damage and, where the attack
works, defines the right answers (the grader would then give 3/3; an attack that shows what it
should not see puts it in an error, which would reach the status). Beside them, submissions
that are not notebooks at all: symbolic links to the course's solutions, to a classmate, to a
secret file of the host and to ``/etc/shadow``, a FIFO and an over-size file. The class is graded
once, two at a time, with small limits and short deadlines. Without control groups
(``limits=False``) the memory and process attacks do get through: they are real attacks.
"""

from __future__ import annotations

import glob
import os
import threading
import time
from pathlib import Path

import nbformat
import pytest

from nnbook import grading
from nnbook.grading import files, limits
from sandbox_setup import require_limits
from grading_support import SAMPLE_QUESTIONS, WIN, checked_at_the_end, indented, sample_exercise, sample_solution

MEMORY_MB = 1500  # (a value of its own: the kernels' command lines show it, see _sandbox_processes)
CHILD_MB = 400  # six children of this size hold 2.4 GB: more than MEMORY_MB
FILL_MB = 2048  # what the tmpfs attack writes: more than MEMORY_MB
FORKS = 300  # more than limits.MAX_PIDS
MANY_FILES = 300_000
SECRET = "nnbook-host-secret-3f9c2a7e"  # the text of a host file no submission may show



def attacks(paths: dict) -> dict[str, str]:
    """Attack name -> the cell it adds."""
    return {
        # Replace the notebook the kernel was given (and plant links in every folder it can write) by
        # links to the course's solutions and to a host file, then die: the next kernel of this
        # submission would run the solutions, or show the file in its error.
        "swap-notebook": "import glob, os\n"
                         "text = open('submission.ipynb').read()\n"
                         "if '### BEGIN ' + 'SOLUTION' in text:\n" + indented(WIN) +
                         "elif 'swap-notebook' + '-attack' not in text:\n"
                         "    raise RuntimeError(text[:300])\n"
                         "def my_sigmoid(z):  # swap-notebook-attack\n"
                         f"    targets = ({paths['solution']!r}, {paths['secret']!r})\n"
                         "    places = ['submission.ipynb', '/tmp/work/submission.ipynb', '/run/nnbook/kernel.json']\n"
                         "    folders = [p for p in glob.glob('/dev/shm/*') + glob.glob('/dev/shm/*/*') + glob.glob('/dev/shm/*/scratch') if os.path.isdir(p)]\n"
                         "    for folder in folders:\n"
                         "        places += [os.path.join(folder, n) for n in ('submission.ipynb', 'kernel.json', 'k')]\n"
                         "    for place, target in zip(places, targets * len(places)):\n"
                         "        try:\n"
                         "            if os.path.lexists(place):\n"
                         "                os.remove(place)\n"
                         "            os.symlink(target, place)\n"
                         "        except OSError:\n"
                         "            pass\n"
                         "    os._exit(9)\n",
        # Six children of CHILD_MB each, held at once: more than the memory limit. Each child says when it
        # holds its block; those still alive at the end held theirs together.
        "six-children": "import select, subprocess, sys, time\n"
                        f"code = 'import time; b = b\"x\" * ({CHILD_MB} << 20); print(1, flush=True); time.sleep(20)'\n"
                        "kids = [subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE) for _ in range(6)]\n"
                        "ready, end = set(), time.monotonic() + 20\n"
                        "while len(ready) < 6 and time.monotonic() < end:\n"
                        "    waiting = [k.stdout for k in kids if k.stdout not in ready]\n"
                        "    for out in select.select(waiting, [], [], 0.2)[0]:\n"
                        "        ready.add(out)\n"
                        "        out.read(1)\n"
                        "held = sum(k.poll() is None for k in kids if k.stdout in ready)\n"
                        "for k in kids:\n"
                        "    k.kill()\n"
                        "    k.wait()\n"
                        f"if held * {CHILD_MB} > {MEMORY_MB}:\n" + indented(WIN),
        # Fill /dev/shm, /tmp and every folder it can write with FILL_MB.
        "fill-tmpfs": "import glob, os\n"
                      "written, chunk = 0, b'x' * (16 << 20)\n"
                      "folders = ['/dev/shm', '/tmp'] + [p for p in glob.glob('/dev/shm/*') + glob.glob('/dev/shm/*/*') + glob.glob('/dev/shm/*/scratch') if os.path.isdir(p)]\n"
                      "for i, folder in enumerate(folders * 20):\n"
                      f"    if written >= {FILL_MB} << 20:\n"
                      "        break\n"
                      "    try:\n"
                      "        with open(os.path.join(folder, f'fill-{i}'), 'wb') as f:\n"
                      "            for _ in range(8):\n"
                      "                f.write(chunk)\n"
                      "                written += len(chunk)\n"
                      "    except OSError:\n"
                      "        pass\n"
                      f"if written >= {FILL_MB} << 20:\n" + indented(WIN),
        # 300,000 files where the grader's host can see them.
        "many-files": "import glob, os\n"
                      "made = 0\n"
                      "for folder in [p for p in glob.glob('/dev/shm/*') + glob.glob('/dev/shm/*/*') + glob.glob('/dev/shm/*/scratch') if os.path.isdir(p)] + ['/tmp']:\n"
                      f"    while made < {MANY_FILES}:\n"
                      "        try:\n"
                      "            open(os.path.join(folder, f'f{made}'), 'w').close()\n"
                      "        except OSError:\n"
                      "            break\n"
                      "        made += 1\n",
        # A fork bomb whose processes sleep on, past the grading.
        "fork-bomb": "import os, time\n"
                     "forked = 0\n"
                     f"for _ in range({FORKS}):\n"
                     "    try:\n"
                     "        pid = os.fork()\n"
                     "    except OSError:\n"
                     "        break\n"
                     "    if pid == 0:\n"
                     "        time.sleep(120)\n"
                     "        os._exit(0)\n"
                     "    forked += 1\n"
                     f"if forked >= {FORKS}:\n" + indented(WIN),
        # Learn what it should not: host paths in mountinfo, the checkers, the answers' hashes, the grader.
        "peek": "import importlib, os\n"
                "seen = open('/proc/self/mountinfo').read()\n"
                "caps = [l for l in open('/proc/self/status') if l.startswith('CapEff')][0].split()[1]\n"
                "found = [p for p in " + repr(paths["host"]) + " if p in seen]\n"
                "for name in ('nnbook.checks._core', 'nnbook.checks._answers', 'nnbook.checks.ch04', 'nnbook.grading.runner',\n"
                "             'nnbook.grading.wire', 'nnbook.grading.kernel', 'nnbook.cli'):\n"
                "    try:\n"
                "        importlib.import_module(name)\n"
                "        found.append(name)\n"
                "    except ImportError:\n"
                "        pass\n"
                "import nnbook.checks\n"
                "found += [n for n in ('run_checker', 'get_question', '_core') if hasattr(nnbook.checks, n)]\n"
                "if os.getuid() == 0 or os.geteuid() == 0 or int(caps, 16) != 0:\n"
                "    found.append('privileged')\n"
                "import ctypes\n"
                "if ctypes.CDLL(None, use_errno=True).unshare(0x10000000) == 0:  # CLONE_NEWUSER: capabilities again\n"
                "    found.append('user namespace')\n"
                "if found:\n" + indented(WIN),
    }


def _world(root: Path, classmates=("99-honest-a", "99-honest-b")) -> dict:
    course = root / "course" / "solutions"
    course.mkdir(parents=True)
    nbformat.write(sample_solution(), course / "99-sample.ipynb")
    secret = root / "host" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET + "\n")
    klass = root / "class"
    klass.mkdir()
    tmp = root / "tmp"
    tmp.mkdir()
    import nnbook

    library = Path(nnbook.__file__).resolve().parent
    host = [str(klass), str(tmp), str(root), str(course), str(library.parent), str(secret.parent)]
    paths = {"solution": str(course / "99-sample.ipynb"), "secret": str(secret), "host": host}
    cells = attacks(paths)
    for name, code in cells.items():
        nb = sample_exercise()
        checked_at_the_end(nb, code)  # after the stubs, which it replaces; checked where it stands
        nbformat.write(nb, klass / f"99-atk-{name}.ipynb")
    for name in classmates:
        nbformat.write(sample_solution(), klass / f"{name}.ipynb")
    checks = root / "sample_checks.py"
    checks.write_text(SAMPLE_QUESTIONS)
    return {"root": root, "class": klass, "tmp": tmp, "secret": secret, "course": course, "checks": checks,
            "cells": cells, "classmates": classmates}


def _not_notebooks(world) -> dict[str, str]:
    """Submissions that are no regular files: name -> the status they must get."""
    klass = world["class"]
    links = {"link-solutions": world["course"] / "99-sample.ipynb", "link-classmate": klass / "99-honest-a.ipynb",
             "link-secret": world["secret"], "link-shadow": Path("/etc/shadow")}
    for name, target in links.items():
        os.symlink(target, klass / f"99-{name}.ipynb")
    with open(klass / "99-huge.ipynb", "wb") as f:  # sparse: no disk used
        f.truncate(files.MAX_BYTES + 1)
    uploads = world["root"] / "uploads"
    uploads.mkdir()
    os.mkfifo(uploads / "99-fifo.ipynb")
    expected = {f"99-{name}": "refused: a symbolic link" for name in links}
    expected["99-fifo"] = "refused: a FIFO (named pipe)"
    expected["99-huge"] = f"refused: {files.MAX_BYTES + 1:,} bytes, more than the {files.MAX_BYTES:,} a submission may have"
    return expected


class _Watch:
    """Samples, every 0.1 s, the host's available memory and what /dev/shm and a folder hold."""

    def __init__(self, folder: Path):
        self.folder, self.stop = folder, threading.Event()
        self.base_mem, self.base_shm = self._available(), self._shm()
        self.base_files = self._shm_files()
        self.low_mem, self.high_shm, self.high_tmp, self.high_files = self.base_mem, self.base_shm, 0, self.base_files
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @staticmethod
    def _available() -> int:
        with open("/proc/meminfo") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith("MemAvailable:"))

    @staticmethod
    def _shm() -> int:
        st = os.statvfs("/dev/shm")
        return (st.f_blocks - st.f_bfree) * st.f_frsize

    @staticmethod
    def _shm_files() -> int:
        st = os.statvfs("/dev/shm")
        return st.f_files - st.f_ffree

    def _tmp(self) -> int:
        total = 0
        for top, _, names in os.walk(self.folder):
            for n in names:
                try:
                    total += os.lstat(os.path.join(top, n)).st_size
                except OSError:
                    pass
        return total

    def _run(self):
        while not self.stop.wait(0.1):
            self.low_mem = min(self.low_mem, self._available())
            self.high_shm = max(self.high_shm, self._shm())
            self.high_tmp = max(self.high_tmp, self._tmp())
            self.high_files = max(self.high_files, self._shm_files())

    def done(self) -> dict:
        self.stop.set()
        self.thread.join()
        return {"memory_used": self.base_mem - self.low_mem, "shm_used": self.high_shm - self.base_shm,
                "tmp_used": self.high_tmp, "shm_files": self.high_files - self.base_files}


def _sandbox_processes() -> list[int]:
    """Processes of this file's kernels (the launcher's code and MEMORY_MB in their command line) still running."""
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"launch_new_instance" in cmdline and str(MEMORY_MB * 2**20).encode() in cmdline.split(b"\0"):
                found.append(int(pid))
    return found


def _kernel_groups() -> list[str]:
    return [g for pattern in ("/sys/fs/cgroup/*/nnbook-grade/k*", "/sys/fs/cgroup/*/*/*/nnbook-grade/k*",
                              "/sys/fs/cgroup/nnbook-grade/k*", "/sys/fs/cgroup/unified/nnbook-grade/k*")
            for g in glob.glob(pattern)]


def _kernel_folders() -> list[str]:
    return glob.glob("/dev/shm/nnbook-kernel-*")


def _grade(paths, world, **kw):
    old = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(world["tmp"])
    try:
        return grading.grade(paths, chapter="99", jobs=2, timeout=30, question_timeout=10, memory_mb=MEMORY_MB,
                             extra_checks=[world["checks"]], progress=False, **kw)
    finally:
        if old is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = old


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    require_limits()
    world = _world(tmp_path_factory.mktemp("sandbox"))
    refused = _not_notebooks(world)
    fifo = world["root"] / "uploads" / "99-fifo.ipynb"
    before = {p.name: p.read_bytes() for p in world["class"].iterdir() if p.is_file() and not p.is_symlink()
              and p.stat().st_size < files.MAX_BYTES}
    outside = {p: p.read_bytes() for p in (world["secret"], world["course"] / "99-sample.ipynb")}
    folders, groups = set(_kernel_folders()), set(_kernel_groups())
    watch = _Watch(world["tmp"])
    start = time.monotonic()
    rows = _grade([world["class"], fifo], world)
    seconds = time.monotonic() - start
    used = watch.done()
    csv_path = world["root"] / "grades.csv"
    grading.write_csv(rows, csv_path)
    print(f"\nsandbox class: {len(rows)} rows in {seconds:.1f} s; host memory used at most {used['memory_used'] / 2**30:.2f} GB, "
          f"/dev/shm {used['shm_used'] / 2**30:.2f} GB and {used['shm_files']:,} files, temporary folder {used['tmp_used'] / 2**20:.1f} MB")
    return {"world": world, "rows": {Path(r.submission).stem: r for r in rows}, "refused": refused, "before": before,
            "outside": outside, "csv": csv_path.read_text(), "used": used, "folders": folders, "groups": groups}


def test_the_classmates_score_in_full(graded):
    for name in graded["world"]["classmates"]:
        row = graded["rows"][name]
        assert (row.points, row.status) == ({"99.1": 2, "99.2": 1}, "ok"), row


@pytest.mark.parametrize("name", ["swap-notebook", "six-children", "fill-tmpfs", "many-files", "fork-bomb", "peek"])
def test_no_attack_earns_a_point(graded, name):
    row = graded["rows"][f"99-atk-{name}"]
    assert row.total == 0, (row.points, row.status, row.messages)


def test_the_swapped_notebook_costs_the_attacker_only(graded):
    row = graded["rows"]["99-atk-swap-notebook"]
    assert "kernel died" in row.messages["99.1"], row.messages  # it killed itself; the next kernel got the same copy
    assert row.messages["99.2"] != "" and "RuntimeError" not in row.status, row.status


def test_links_fifos_and_huge_files_are_refused_without_a_word_of_them(graded):
    for name, status in graded["refused"].items():
        row = graded["rows"][name]
        assert row.status == status and row.total == 0, (name, row.status)


def test_no_host_file_shows_anywhere(graded):
    texts = [graded["csv"]] + [r.status for r in graded["rows"].values()] + \
        [m for r in graded["rows"].values() for m in r.messages.values()]
    assert not any(SECRET in t for t in texts)
    assert not any("root:" in t for t in texts)  # a line of /etc/shadow


def test_the_files_are_untouched(graded):
    klass = graded["world"]["class"]
    assert {name: (klass / name).read_bytes() for name in graded["before"]} == graded["before"]
    assert all(p.read_bytes() == data for p, data in graded["outside"].items())


def test_nothing_is_left_behind(graded):
    assert _sandbox_processes() == []
    assert set(_kernel_groups()) <= graded["groups"]
    assert set(_kernel_folders()) <= graded["folders"]
    assert list(graded["world"]["tmp"].iterdir()) == []


def test_the_hosts_memory_and_disk_are_bounded(graded):
    used = graded["used"]
    assert used["shm_used"] <= 2 * MEMORY_MB * 2**20, used  # two kernels at a time, each within its limit
    assert used["tmp_used"] <= 16 * 2**20, used  # the notebooks' copies only


def test_without_control_groups_the_attacks_are_real(tmp_path):
    """The control: the same cells, graded with per-process limits only, do get their answers."""
    from nnbook.grading import batch
    from nnbook.grading.runner import Settings, grade_notebook

    require_limits()
    world = _world(tmp_path, classmates=())
    batch.load_checks([world["checks"]])
    # Time limits far above what the attacks take: this shows what they do without a control group
    # (six children holding 2.4 GB, 2 GB written to tmpfs), and on a busy machine that can take
    # longer than a question's usual 10 s, which would stop the cell before it answers.
    settings = Settings("99", 180.0, 60.0, MEMORY_MB, 0, True, limits=False)
    for name in ("six-children", "fill-tmpfs", "fork-bomb"):
        row = grade_notebook(world["class"] / f"99-atk-{name}.ipynb", settings)
        assert row.points == {"99.1": 2, "99.2": 1}, (name, row.status, row.messages)
    end = time.monotonic() + 30  # without a control group, the PID namespace's end kills them: they are going
    while _sandbox_processes() and time.monotonic() < end:
        time.sleep(0.2)
    assert _sandbox_processes() == []


def test_submissions_are_read_without_following_links(tmp_path):
    real = tmp_path / "real.ipynb"
    real.write_text("{}")
    os.symlink(real, tmp_path / "link.ipynb")
    os.mkfifo(tmp_path / "fifo.ipynb")
    (tmp_path / "folder.ipynb").mkdir()
    assert files.read_submission(real) == b"{}"
    for name, kind in (("link", "a symbolic link"), ("fifo", r"a FIFO \(named pipe\)"), ("folder", "a folder")):
        with pytest.raises(files.Refused, match=f"^refused: {kind}$"):
            files.read_submission(tmp_path / f"{name}.ipynb")
    with pytest.raises(files.Refused, match="^refused: 2 bytes, more than the 1 a submission may have$"):
        files.read_submission(real, max_bytes=1)
    other = tmp_path / "other"
    other.mkdir()
    (other / "hidden.ipynb").write_text("{}")
    klass = tmp_path / "class"
    klass.mkdir()
    os.symlink(other, klass / "linked-folder")
    os.symlink(real, klass / "link.ipynb")
    assert files.walk(klass) == [klass / "link.ipynb"]  # listed (to be refused), the linked folder not entered


def test_grading_without_control_groups_stops_and_names_the_fix(monkeypatch):
    monkeypatch.setattr(limits, "_hierarchies", lambda: [])
    limits.problem.cache_clear()
    try:
        with pytest.raises(limits.LimitsUnavailable, match="--no-limits"):
            limits.require()
        assert issubclass(limits.LimitsUnavailable, grading.SandboxUnavailable)
    finally:
        limits.problem.cache_clear()


def test_cgroup_v2_groups_get_the_limits(tmp_path, monkeypatch):
    """On a cgroup v2 machine (faked here by a folder: this one may have v1 only), each kernel's group is made
    below the grader's with memory, processes and CPU limited, the controllers shared out on the way."""
    root = tmp_path / "cgroup"
    for folder in (root, root / "grader", root / "grader" / limits.GROUP_NAME):
        folder.mkdir()
        (folder / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
        (folder / "cgroup.subtree_control").write_text("")
        (folder / "cgroup.procs").write_text("")
    monkeypatch.setattr(limits, "_mounts", lambda: [("/", str(root), "cgroup2", "rw")])
    monkeypatch.setattr(limits, "_own_groups", lambda: {"0": "/grader"})
    group = limits.Group(1500 * 2**20)
    (h, folder), = group.dirs
    assert h.version == 2 and folder.parent == root / "grader" / limits.GROUP_NAME
    assert group.procs == [str(folder / "cgroup.procs")]
    assert (folder / "memory.max").read_text() == str(1500 * 2**20)
    assert (folder / "pids.max").read_text() == str(limits.MAX_PIDS)
    assert (folder / "cpu.max").read_text() == f"{int(limits.CPUS * limits.CPU_PERIOD_US)} {limits.CPU_PERIOD_US}"
    for shared in (root / "grader", root / "grader" / limits.GROUP_NAME):
        assert (shared / "cgroup.subtree_control").read_text() == "+memory +pids +cpu"
    group.dirs = []  # a real group's folder goes with rmdir; this one is a plain folder


def test_the_sandbox_has_the_usual_devices_and_no_disk():
    """/dev/null, /dev/zero and /dev/urandom work for the sandbox's user (subprocess.DEVNULL, NumPy's
    seeding); no disk or memory device of the host is there."""
    import subprocess

    from sandbox_setup import require_sandbox

    require_sandbox()
    code = ("import os, subprocess, sys\n"
            "open('/dev/null', 'w').write('x'); assert len(open('/dev/urandom', 'rb').read(8)) == 8\n"
            "subprocess.run([sys.executable, '-c', 'print(1)'], stdout=subprocess.DEVNULL, check=True)\n"
            "print(os.getuid(), sorted(d for d in ('sda', 'vda', 'nvme0n1', 'mem', 'kmsg', 'port')\n"
            "                          if os.path.exists('/dev/' + d)))\n")
    run = subprocess.run(grading.sandbox.command([grading.sandbox.python(), "-c", code], None, {}),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == [str(grading.sandbox.SANDBOX_UID), "[]"]
