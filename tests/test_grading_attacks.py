"""Hostile submissions against ``nnbook grade``'s sandbox.

A class folder holds an honest classmate and one submission per attack, each the sample
chapter's exercise (stubs: 0 points) plus a cell that tries to escape and, where it succeeds,
fills in the right answers or does its damage. The batch is graded once with the command line,
as an instructor would, with a private ``--checks`` file and a HOME that holds a secret. The
read attacks are also run without the sandbox, to show that they are real attacks.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import time
from pathlib import Path

import nbformat
import pytest

from nnbook import cli, grading
from sandbox_setup import require_sandbox
from grading_support import (SAMPLE_QUESTIONS, WIN, checked_at_the_end, indented, sample_exercise, sample_solution,
                             table_cells)

SURVIVOR_WAIT = 4.0  # seconds the double-forked process waits before it strikes



def attacks(paths: dict) -> dict[str, str]:
    """Attack name -> the cell it adds; ``paths`` are the grader's secrets, as an attacker learns them."""
    return {
        # Read the solution notebooks beside an editable install, through nnbook.__file__.
        "solutions": "import nnbook, pathlib\n"
                     "found = [p for parent in pathlib.Path(nnbook.__file__).resolve().parents\n"
                     "         for p in (parent / 'solutions').glob('*.ipynb')]\n"
                     "if found:\n" + indented(WIN),
        # Walk /proc up to the grader: its command line, environment and working directory.
        "proc": "import os\nseen = ''\n"
                "for pid in os.listdir('/proc'):\n"
                "    if pid.isdigit() and int(pid) != os.getpid():\n"
                "        for part in ('cmdline', 'environ'):\n"
                "            try:\n"
                "                seen += open(f'/proc/{pid}/{part}', 'rb').read().decode(errors='replace')\n"
                "            except OSError:\n"
                "                pass\n"
                "        try:\n"
                "            seen += os.readlink(f'/proc/{pid}/cwd')\n"
                "        except OSError:\n"
                "            pass\n"
                f"if any(s in seen for s in ('PYTEST_CURRENT_TEST', {paths['class']!r}, {paths['home']!r})):\n"
                + indented(WIN),
        # Copy the classmate's notebook: run its answer cells.
        "classmate-read": "import json\n"
                          f"cells = json.load(open({paths['classmate']!r}))['cells']\n"
                          "for cell in cells:\n"
                          "    source = ''.join(cell['source'])\n"
                          "    if cell['cell_type'] == 'code' and source.startswith('def '):\n"
                          "        exec(source)\n",
        # Overwrite the classmate's notebook before it is graded.
        "classmate-write": f"open({paths['classmate']!r}, 'w').write('{{}}')",
        # Read the instructor's private --checks file and a file of the instructor's HOME.
        "home-checks": f"text = open({paths['checks']!r}).read() + open({paths['secret']!r}).read()\n"
                       "if 'question' in text:\n" + indented(WIN),
        # Reach the network: a server the test listens with on the grader's loopback.
        "network": "import socket\n"
                   "try:\n"
                   f"    socket.create_connection(('127.0.0.1', {paths['port']}), timeout=3).close()\n"
                   "    reached = True\n"
                   "except OSError:\n"
                   "    reached = False\n"
                   "if reached:\n" + indented(WIN),
        # Kill the grader: the parent and every other process in sight.
        "kill": "import os, signal\n"
                "for pid in [os.getppid()] + [int(p) for p in os.listdir('/proc') if p.isdigit()]:\n"
                "    if pid not in (0, os.getpid()):\n"
                "        try:\n"
                "            os.kill(pid, signal.SIGKILL)\n"
                "        except OSError:\n"
                "            pass\n",
        # Outlive the grader (double fork, new session), then rewrite the gradebook.
        "survivor": "import os, time\n"
                    "if os.fork() == 0:\n"
                    "    os.setsid()\n"
                    "    if os.fork() == 0:\n"
                    f"        time.sleep({SURVIVOR_WAIT})\n"
                    "        for path in (" + repr(paths['csv']) + ", " + repr(paths['marker']) + "):\n"
                    "            try:\n"
                    "                open(path, 'w').write('submission,99.1,99.2,total,status\\n')\n"
                    "            except OSError:\n"
                    "                pass\n"
                    "    os._exit(0)\n",
        # Change the installed library and NumPy, so that every later check passes.
        "append-checks": "import nnbook, numpy\n"
                         "for path in (numpy.__file__, nnbook.__file__):\n"
                         "    with open(path, 'a') as f:\n"
                         "        f.write('\\nallclose = lambda *a, **k: True\\n')",
    }


def _package_hash() -> str:
    root = Path(grading.__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def server():
    """A server on the grader's loopback that accepts connections (and nothing more)."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock.getsockname()[1]
    sock.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory, server):
    require_sandbox()
    root = tmp_path_factory.mktemp("attacks")
    paths = {name: root / name for name in ("class", "home", "private", "out", "tmp")}
    for p in paths.values():
        p.mkdir()
    (paths["private"] / "sample_checks.py").write_text(SAMPLE_QUESTIONS)
    (paths["home"] / "secret.txt").write_text("the instructor's secret")
    secrets = {"class": str(paths["class"]), "home": str(paths["home"]), "checks": str(paths["private"] / "sample_checks.py"),
               "secret": str(paths["home"] / "secret.txt"), "csv": str(paths["out"] / "grades.csv"),
               "marker": str(root / "survivor-was-here"), "classmate": str(paths["class"] / "99-honest.ipynb"),
               "port": server}
    cells = attacks(secrets)
    for name, code in cells.items():
        nb = sample_exercise()
        checked_at_the_end(nb, code)  # after the stubs, which it would replace; checked where it stands
        nbformat.write(nb, paths["class"] / f"99-atk-{name}.ipynb")
    nbformat.write(sample_solution(), secrets["classmate"])
    return {"root": root, "paths": paths, "secrets": secrets, "cells": cells}


def _grade_cli(world, folder, extra=()):
    out = io.StringIO()
    env = {"HOME": world["secrets"]["home"], "TMPDIR": str(world["paths"]["tmp"])}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with contextlib.redirect_stdout(out):
            code = cli.main(["grade", str(folder), "--csv", world["secrets"]["csv"], "--checks", world["secrets"]["checks"],
                             "-j", "2", "--timeout", "30", "--question-timeout", "10", "--no-progress", *extra])
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return code, out.getvalue()


@pytest.fixture(scope="module")
def graded(world):
    classmate = Path(world["secrets"]["classmate"]).read_bytes()
    package = _package_hash()
    code, printed = _grade_cli(world, world["paths"]["class"])
    written = Path(world["secrets"]["csv"]).read_text()
    time.sleep(SURVIVOR_WAIT + 3)  # time for a survivor to strike, had it survived
    with open(world["secrets"]["csv"], newline="") as f:
        rows = list(csv.reader(f))
    return {"code": code, "printed": printed, "written": written, "rows": rows, "classmate": classmate,
            "package": package, "by_name": {Path(r[0]).stem: r for r in rows[1:]}}


def test_every_submission_has_its_row_and_the_grader_survives(graded, world):
    assert graded["code"] == 0
    assert sorted(graded["by_name"]) == sorted(["99-honest", *(f"99-atk-{n}" for n in world["cells"])])
    assert not any("grader error" in r[4] for r in graded["rows"][1:]), graded["rows"]


def test_the_honest_classmate_is_untouched(graded, world):
    assert graded["by_name"]["99-honest"][1:5] == ["2", "1", "3", "ok"]
    assert Path(world["secrets"]["classmate"]).read_bytes() == graded["classmate"]


@pytest.mark.parametrize("name", ["solutions", "proc", "classmate-read", "home-checks", "classmate-write", "network",
                                  "kill", "survivor", "append-checks"])
def test_no_attack_earns_a_point(graded, name):
    row = graded["by_name"][f"99-atk-{name}"]
    assert row[1:4] == ["0", "0", "0"], row


def test_the_installed_package_cannot_be_changed(graded):
    row = graded["by_name"]["99-atk-append-checks"]
    assert "Read-only file system" in row[4] or "Permission denied" in row[4], row  # read-only, and not its user's
    assert _package_hash() == graded["package"]


def test_nothing_outlives_the_grader_or_rewrites_its_gradebook(graded, world):
    assert not Path(world["secrets"]["marker"]).exists()
    assert Path(world["secrets"]["csv"]).read_text() == graded["written"]
    assert table_cells(graded["printed"]) == graded["rows"]


def test_no_copies_are_left_behind(graded, world):
    assert list(world["paths"]["tmp"].iterdir()) == []


def test_without_the_sandbox_the_read_attacks_are_real(world, tmp_path):
    """The control: run unsandboxed (as trusted code would be), the same cells do get the answers."""
    import nnbook

    folder = tmp_path / "control"
    folder.mkdir()
    names = ["proc", "classmate-read", "home-checks", "network"]
    if any((p / "solutions").is_dir() for p in Path(nnbook.__file__).resolve().parents):
        names.append("solutions")  # an editable install, as in this repository
    for name in names:
        (folder / f"99-atk-{name}.ipynb").write_bytes((world["paths"]["class"] / f"99-atk-{name}.ipynb").read_bytes())
    control_csv = tmp_path / "control.csv"
    code, printed = _grade_cli(world, folder, ["--no-sandbox", "--csv", str(control_csv)])
    assert code == 0
    with open(control_csv, newline="") as f:
        rows = {Path(r[0]).stem: r for r in list(csv.reader(f))[1:]}
    for name in names:
        assert rows[f"99-atk-{name}"][1:4] == ["2", "1", "3"], rows[f"99-atk-{name}"]


def test_grading_refuses_to_run_unsandboxed_without_being_told(world, monkeypatch, capsys):
    from nnbook.grading import sandbox

    monkeypatch.setattr(sandbox, "problem", lambda: "bubblewrap (bwrap) is not installed")
    code = cli.main(["grade", str(world["paths"]["class"]), "--checks", world["secrets"]["checks"], "--no-progress"])
    err = capsys.readouterr().err
    assert code == 3 and "bubblewrap (bwrap) is not installed" in err and "--no-sandbox" in err
