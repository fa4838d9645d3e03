"""What the exercise and grader tests build notebooks from (not a test module).

A small solution notebook of a test-only chapter "99" (two questions worth 3 points, registered
from a file passed as ``--checks``), its exercise made by tools/make_exercises.py, the book's
real solution and exercise notebooks, and helpers to assemble a class and look at the outcome.
"""

from __future__ import annotations

import copy
import importlib.util
import os
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_exercises", ROOT / "tools" / "make_exercises.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _load_generator()

SETUP = '''# Setup: installs nnbook when it is missing (Colab, Binder), then imports it.
try:
    import nnbook
except ImportError:
    %pip install --quiet "nnbook[book] @ git+https://github.com/nnbook/nnbook"
    import nnbook
import numpy as np
import nnbook as nb
from nnbook.checks import check, score'''

SAMPLE_QUESTIONS = '''# Test-only questions (a real chapter keeps them in src/nnbook/checks/chNN.py).
import numpy as np
import nnbook as nb
from nnbook.checks import CheckFailed, question

@question("99.1", points=2, title="The sigmoid", section="04-activations.html", hint="sigma(z) = 1 / (1 + exp(-z)).")
def _check_99_1(answer, rng):
    for _ in range(3):
        z = rng.normal(size=(int(rng.integers(1, 5)), int(rng.integers(1, 4))))
        got = np.asarray(answer(z), dtype=float)
        if got.shape != z.shape or not np.allclose(got, nb.sigmoid(z)):
            raise CheckFailed(f"expected sigmoid(z) of shape {z.shape}, got {got!r}")

@question("99.2", points=1, title="sigma(0)", section="04-activations.html", hint="exp(0) = 1.")
def _check_99_2(answer, rng):
    got = answer()
    if not isinstance(got, (int, float)) or abs(got - 0.5) > 1e-12:
        raise CheckFailed(f"expected a number close to sigma(0), got {got!r}")'''

SIGMOID_SOLUTION = '''def my_sigmoid(z):
    """Elementwise sigmoid."""
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=float)
    return 1 / (1 + np.exp(-z))
    ### END SOLUTION'''

ANSWER_SOLUTION = '''def answer_99_2():
    ### BEGIN SOLUTION
    return 0.5
    ### END SOLUTION'''


def sample_solution() -> nbformat.NotebookNode:
    """A solution notebook in the book's layout, with two questions of the test-only chapter 99:
    cell 5 (0-based 4) defines ``my_sigmoid``, cell 6 checks it, cell 8 defines ``answer_99_2``,
    cell 9 checks it."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        new_markdown_cell("# Solutions 99: a sample chapter\n\n"
                          "[Open in Colab](https://colab.research.google.com/github/nnbook/nnbook/blob/main/solutions/99-sample.ipynb)"),
        new_code_cell(SETUP),
        new_code_cell(SAMPLE_QUESTIONS),
        new_markdown_cell("### Question 99.1 (2 points)\n\nWrite the sigmoid."),
        new_code_cell(SIGMOID_SOLUTION),
        new_code_cell('check("99.1", my_sigmoid)'),
        new_markdown_cell("### Question 99.2 (1 point)\n\nWhat is sigma(0)?"),
        new_code_cell(ANSWER_SOLUTION),
        new_code_cell('check("99.2", answer_99_2)'),
        new_code_cell('score("99")'),
    ]
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    return nb


def sample_exercise() -> nbformat.NotebookNode:
    return gen.make_exercise(sample_solution(), "99-sample.ipynb")


def book_notebook(kind: str, chapter: str) -> nbformat.NotebookNode:
    """The book's ``solutions`` or ``exercises`` notebook of ``chapter`` ("07"), as a fresh copy."""
    (path,) = [p for p in (SOLUTIONS if kind == "solutions" else EXERCISES) if p.name.startswith(chapter + "-")]
    return copy.deepcopy(nbformat.read(path, as_version=4))


def code_index(nb, needle: str) -> int:
    """The index of the first code cell whose source contains ``needle``."""
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and needle in c.source)


def with_cells(nb, index, *sources):
    """``nb`` with code cells inserted before cell ``index``."""
    nb.cells[index:index] = [new_code_cell(s) for s in sources]
    return nb


def checked_at_the_end(nb, *sources):
    """``nb`` with code cells ``sources`` after its answers and its check cells moved after them,
    before the last cell (``score(...)``): a student who checks everything at the end. The grader
    grades each question on what its check cell sees, so these cells' definitions are graded."""
    checks = [c for c in nb.cells if c.cell_type == "code" and c.source.lstrip().startswith("check(")]
    nb.cells = [c for c in nb.cells if not any(c is k for k in checks)]
    nb.cells[len(nb.cells) - 1:len(nb.cells) - 1] = [*(new_code_cell(s) for s in sources), *checks]
    return nb


def write_class(folder: Path, notebooks: dict) -> dict:
    """Write ``{file name: notebook}`` into ``folder``; the files' bytes, to compare afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, nb in notebooks.items():
        nbformat.write(nb, folder / name)
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def processes_mentioning(text: str) -> list[str]:
    """Command lines of the running processes that mention ``text`` (a test's own folder, where
    its grading run's kernels and sandboxes keep their files)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmd:
            found.append(cmd)
    return found


def table_cells(text: str) -> list[list[str]]:
    """The printed table's header and rows as cells (the "(max)" line and the rule left out)."""
    import re

    lines = text.splitlines()
    rule = next(k for k, line in enumerate(lines) if line.startswith("---"))
    spans = [m.span() for m in re.finditer(r"-+", lines[rule])]
    spans[-1] = (spans[-1][0], None)  # the last column runs to the end of the line
    body = []
    for line in lines[rule + 1:]:
        if not line.strip() or re.match(r"^\S+  \d\d\.\d+: ", line):  # the end, or --details
            break
        body.append(line)
    rows = [[line[a:b].strip() for a, b in spans] for line in [lines[rule - 2], *body]]
    return [["" if c == "-" else c for c in row] for row in rows]


# What a successful attack on the sample chapter does: define the right answers (then 3/3).
WIN = ("def my_sigmoid(z):\n    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n"
       "def answer_99_2():\n    return 0.5\n")


def indented(code: str) -> str:
    """``code`` indented by four spaces, to stand in an attack's ``if`` block."""
    return "".join("    " + line + "\n" for line in code.splitlines())
