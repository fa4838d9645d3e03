"""The ``nnbook`` command itself: --version, --help listing the commands, ``python -m nnbook``."""

from __future__ import annotations

import subprocess
import sys

import pytest

import nnbook
from nnbook import cli


def _commands() -> list[str]:
    parser = cli.build_parser()
    (sub,) = [action for action in parser._actions if action.dest == "command"]
    return sorted(sub.choices)


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"nnbook {nnbook.__version__}"


def test_help_lists_every_command_with_what_it_does(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert "commands:" in out and "--version" in out
    assert _commands() == ["grade"]
    for name in _commands():
        assert any(line.split()[:1] == [name] and len(line.split()) > 1 for line in out.splitlines()), out


def test_python_m_nnbook_is_the_same_command():
    run = subprocess.run([sys.executable, "-m", "nnbook", "--help"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.startswith("usage: nnbook ")
    assert "grade" in run.stdout
    run = subprocess.run([sys.executable, "-m", "nnbook"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "the following arguments are required: COMMAND" in run.stderr
