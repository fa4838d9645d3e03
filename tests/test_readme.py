"""README.md works as written.

The README's fenced code blocks and inline code are read and checked:

* the safe commands are run (``make help``, ``... --help``, ``... --version``, with ``.venv``
  activated as the README says) and a ``text`` block that shows such a command shows its real
  output; the Python blocks run;
* every other command is checked without running it: its executable exists (in ``.venv`` or on
  PATH), a ``make`` target is in the Makefile, ``python -m X`` names a module that imports, and
  every option it passes is in that command's ``--help``;
* every file or folder the README names exists (``NN-topic`` and ``chNN`` stand for any chapter),
  except what the build or the reader creates (``_build/``, ``grades.csv``, ``submissions/``);
* every option named on its own (``--timeout``) belongs to one of the README's commands.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
VENV_BIN = Path(sys.executable).parent  # the environment running the tests: .venv/bin under `make test`
# Named by the README, created by the build or by the reader, not by the repository.
CREATED = ("_build", ".venv", "grades.csv", "submissions", "book/_static/vendor", "feedback", "node_modules")
# Named by the README as optional (it says what happens without them).
OPTIONAL_TOOLS = {"npm", "chromium"}
SAFE = re.compile(r"^(make help|\S+( \S+)? --help|\S+ --version)$")
FILE_SUFFIXES = (".py", ".md", ".yml", ".yaml", ".txt", ".ipynb", ".toml", ".csv", ".png", ".json", ".cfg", ".svg")


# ----------------------------------------------------------------------------- reading the README

def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.S | re.M)


def _commands() -> list[str]:
    """Every command line of the bash blocks, comments removed."""
    lines = []
    for block in _blocks("bash"):
        block = re.sub(r"\\\n\s*", " ", block)  # a line continued with a backslash is one command
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def _inline() -> list[str]:
    prose = re.sub(r"^```.*?^```", "", README, flags=re.S | re.M)
    return re.findall(r"`([^`\n]+)`", prose)


COMMAND_WORDS = ("make", "nnbook", "python", "pytest", "pip", "jupyter", "source", ".venv/bin/")


def _inline_commands() -> list[str]:
    return [span for span in _inline() if " " in span and span.startswith(COMMAND_WORDS)]


def _all_commands() -> list[str]:
    return _commands() + _inline_commands()


def _executable(name: str) -> str | None:
    if name.startswith(".venv/bin/"):
        name = name.removeprefix(".venv/bin/")
    for folder in (VENV_BIN, ROOT / ".venv" / "bin"):
        if (folder / name).is_file():
            return str(folder / name)
    return shutil.which(name)


def _bash(command: str) -> subprocess.CompletedProcess:
    """Run ``command`` in the repository with the environment active, as the README says to."""
    # As from a reader's shell: not inside the `make test` that may be running this test.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    env.update(PATH=f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}", NO_COLOR="1")
    return subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


@functools.cache
def _makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][\w-]*):", text, flags=re.M))


@functools.cache
def _help(command: tuple[str, ...]) -> str:
    run = _bash(shlex.join(command) + " --help")
    assert run.returncode == 0, f"`{shlex.join(command)} --help` failed:\n{run.stderr[-2000:]}"
    return run.stdout


def _help_for(words: list[str]) -> str:
    """The --help text of the command ``words`` start (subcommand included)."""
    head = words[0]
    if head == "make":
        return ""
    if head in ("python", "python3") and words[1:2] == ["-m"]:
        return _help((head, "-m", words[2])) + _help((head,))
    if head in ("nnbook", "pip", "jupyter-book") or head.endswith("/nnbook"):
        return _help((head, words[1])) if len(words) > 1 and not words[1].startswith("-") else _help((head,))
    if head == "jupyter":
        return _help((head, words[1]))
    return _help((head,))


def _options(words: list[str]) -> list[str]:
    return [re.split(r"[=\s]", word)[0] for word in words if re.match(r"^--?[a-zA-Z]", word)]


# ----------------------------------------------------------------------------- the tests

def test_the_readme_has_commands_to_check():
    assert len(_commands()) >= 5 and any(SAFE.match(c) for c in _commands()), _commands()


@pytest.mark.parametrize("command", [c for c in _commands() if SAFE.match(c)])
def test_safe_commands_run(command):
    run = _bash(f"source .venv/bin/activate 2>/dev/null; {command}")
    assert run.returncode == 0, f"`{command}` failed:\n{run.stdout[-1500:]}{run.stderr[-1500:]}"
    assert run.stdout.strip(), f"`{command}` printed nothing"


def test_a_shown_output_is_the_real_one():
    shown = [block for block in _blocks("text") if block.startswith("$ ")]
    checked = 0
    for block in shown:
        command, _, expected = block.partition("\n")
        command = command.removeprefix("$ ")
        if not SAFE.match(command):
            continue  # e.g. a grading run: not rerun here
        run = _bash(command)
        assert run.returncode == 0, run.stderr
        assert run.stdout.rstrip("\n") == expected.rstrip("\n"), f"README shows for `{command}`:\n{expected}"
        checked += 1
    assert checked >= 1, "no `$ make help` output in the README"


@pytest.mark.parametrize("command", _all_commands())
def test_every_command_names_what_exists(command, pytestconfig):
    words = shlex.split(command)
    if words[0] == "pytest":  # this pytest, with its plugins: asks it rather than `pytest --help`
        for option in _options(words[1:]):
            pytestconfig.getoption(option)  # ValueError for an unknown option
        return
    if words[0] == "source":
        assert (ROOT / words[1]).is_file() or (VENV_BIN / Path(words[1]).name).is_file(), words[1]
        return
    if words[0] == "docker":  # the container route, for machines other than this one: its recipe exists
        assert (ROOT / "Dockerfile").is_file(), "the README runs docker on a Dockerfile the repository lacks"
        return
    assert _executable(words[0]), f"{words[0]!r} (from `{command}`) is neither in .venv/bin nor on PATH"
    if words[0] == "make":
        for word in words[1:]:
            if "=" in word:
                variable, value = word.split("=", 1)
                assert re.search(rf"^{variable}\s*\?=", (ROOT / "Makefile").read_text(), flags=re.M), variable
                if variable == "LAB_ARGS":  # JupyterLab's own options (its flags and aliases)
                    from jupyterlab.labapp import LabApp

                    known = set(LabApp.flags) | set(LabApp.aliases)
                    for option in _options(shlex.split(value)):
                        assert option.lstrip("-") in known, f"`jupyter lab` has no option {option}"
            elif not word.startswith("-"):
                assert word in _makefile_targets(), f"make {word}: no such target in the Makefile"
        return
    if words[0] in ("python", "python3") and words[1:2] == ["-m"]:
        assert importlib.util.find_spec(words[2]) is not None, f"no module {words[2]}"
    help_text = _help_for(words)
    for option in _options(words[1:]):
        if option == "-m" and words[0].startswith("python"):
            continue
        assert re.search(rf"(^|[\s,\[]){re.escape(option)}\b", help_text), f"{option!r} is not an option of `{command}`"


def _as_glob(path: str) -> str:
    path = path.replace("NN-topic", "[0-9][0-9]-*").replace("chNN", "ch[0-9][0-9]").replace("NN.yml", "[0-9][0-9].yml")
    return path.rstrip("/")


@functools.cache
def _repository_names() -> set[str]:
    """The names of the repository's files and folders (not of .venv, _build or caches)."""
    names = set()
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in (".venv", "_build", ".git", "node_modules")
                       and not d.startswith((".pytest", ".hypothesis", "__pycache__"))]
        names.update(dirnames)
        names.update(filenames)
    return names


def _path_like(token: str) -> bool:
    if not re.fullmatch(r"[\w.*\-/]+", token) or token.startswith(("-", "http")):
        return False
    if token.startswith(".") and "/" not in token and token.endswith(FILE_SUFFIXES):
        return False  # an extension, like `.ipynb`
    return "/" in token or token.endswith(FILE_SUFFIXES) or token in ("LICENSE", ".venv")


def _named_paths() -> list[str]:
    tokens = set(_inline())
    for command in _all_commands():
        tokens.update(shlex.split(command)[1:])
    return sorted(t for t in tokens if _path_like(t))


def test_the_readme_names_files_to_check():
    assert {"requirements.txt", "tools/glossary.py", "exercises/NN-topic.ipynb"} <= set(_named_paths())


@pytest.mark.parametrize("path", _named_paths())
def test_every_file_named_exists(path):
    if path.startswith(".venv/"):  # made by `make book`: checked in the environment running the tests
        assert (ROOT / path).exists() or (VENV_BIN.parent / path.removeprefix(".venv/")).exists(), path
        return
    if path.startswith(CREATED):
        return
    if path.startswith("/"):  # a path of the reader's system or of the grading container, not of the repository
        return
    if "/" in path.rstrip("/"):
        assert list(ROOT.glob(_as_glob(path))), f"README names {path}, which is not in the repository"
    else:  # a name inside a folder the README's table gives (e.g. `layers.py` of src/nnbook/)
        assert path.rstrip("/") in _repository_names(), f"README names {path}, which is not in the repository"


def test_every_option_named_on_its_own_exists():
    lone = sorted({span.split()[0] for span in _inline() if re.match(r"^--?[a-zA-Z]", span)})
    assert lone, "no options named in the prose"
    helps = "".join(_help_for(shlex.split(c)) for c in _all_commands() if not c.startswith(("make", "source", "pytest")))
    helps += " ".join(opt for c in _all_commands() if c.startswith("pytest") for opt in _options(shlex.split(c)))
    helps += _help(("jupyter-book", "build"))  # `-W`: the build's warnings-as-errors
    for option in lone:
        assert re.search(rf"(^|[\s,\[]){re.escape(option)}\b", helps), f"README names {option}, which no command has"


@pytest.mark.parametrize("number", range(len(_blocks("python"))))
def test_python_blocks_run(number):
    code = _blocks("python")[number]
    exec(compile(code, f"README.md, python block {number + 1}", "exec"), {"__name__": "readme"})


def test_make_help_lists_every_target_with_what_it_does():
    run = _bash("make help")
    assert run.returncode == 0, run.stderr
    listed = {line.split()[1]: " ".join(line.split()[2:]) for line in run.stdout.splitlines()}
    assert set(listed) == _makefile_targets(), run.stdout
    assert all(listed.values()), run.stdout
