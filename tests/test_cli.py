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


def test_grade_merge_has_its_own_help(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["grade", "merge", "--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0 and out.startswith("usage: nnbook grade merge ")
    assert "--csv" in out and "--format" in out
    with pytest.raises(SystemExit):
        cli.main(["grade", "--help"])
    out = capsys.readouterr().out
    for option in ("--format", "--secret", "--secret-file", "--shard", "--no-limits", "nnbook grade merge"):
        assert option in out, option


def test_a_class_folder_named_merge_is_graded_not_merged(tmp_path, monkeypatch):
    assert cli._is_merge(["grade", "merge", "a.csv", "b.csv", "--csv", "all.csv"])
    assert not cli._is_merge(["grade", "./merge"]) and not cli._is_merge(["grade", "class", "merge"])
    monkeypatch.chdir(tmp_path)
    assert cli._is_merge(["grade", "merge"])  # no such folder: asks for the files to merge
    (tmp_path / "merge").mkdir()
    assert not cli._is_merge(["grade", "merge"]) and not cli._is_merge(["grade", "merge", "--chapter", "03"])


def test_merge_refuses_what_is_not_a_gradebook(tmp_path, capsys):
    (tmp_path / "other.csv").write_text("name,score\nada,3\n")
    assert cli.main(["grade", "merge", str(tmp_path / "other.csv"), "--csv", str(tmp_path / "all.csv")]) == 2
    assert "not a gradebook of nnbook grade" in capsys.readouterr().err
    assert cli.main(["grade", "merge", str(tmp_path / "missing.csv"), "--csv", str(tmp_path / "all.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
