"""Honest work scores what it earns, whatever its style; one assignment per run; the same
folder graded twice gives the same gradebook.

The class folder is chapter 3's solution notebook rewritten in several correct styles (float32,
``np.matrix``, lists), with one bug each in others, plus notebooks that do not belong to the
assignment. It is graded twice with the command line, in the sandbox.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path

import nbformat
import pytest
from grading_support import checked_at_the_end
from nnbook import cli
from sandbox_setup import require_sandbox

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "03-matrices.ipynb"
QUESTION_TIMEOUT = 6.0

FLOAT32 = '''
def matvec(W, x):
    W, x = np.asarray(W, dtype=np.float32), np.asarray(x, dtype=np.float32)
    if W.shape[1] != x.shape[0]:
        raise ValueError("x does not match W")
    return np.array([sum(W[i, j] * x[j] for j in range(W.shape[1])) for i in range(W.shape[0])], dtype=np.float32)

def linear_forward(W, b, X):
    W, b, X = (np.asarray(a, dtype=np.float32) for a in (W, b, X))
    return X @ W.T + b

def answer_03_3():
    return matvec(np.array([[1, 2], [2, 3], [1, 1], [3, 1]]), np.array([2, 3])) + np.float32(0.2)

def collapse(W1, b1, W2, b2):
    W1, b1, W2, b2 = (np.asarray(a, dtype=np.float32) for a in (W1, b1, W2, b2))
    return W2 @ W1, W2 @ b1 + b2
'''
MATRIX = '''
def linear_forward(W, b, X):
    return np.matrix(X) @ np.matrix(W).T + b

def collapse(W1, b1, W2, b2):
    return np.matrix(W2) @ np.matrix(W1), W2 @ b1 + b2
'''
LISTS = '''
_matvec = matvec
def matvec(W, x):
    return [float(v) for v in _matvec(W, x)]

def linear_forward(W, b, X):
    return (X @ W.T + b).tolist()

def answer_03_3():
    return [8.2, 13.2, 5.2, 9.2]

def answer_03_5():
    return [10, 4]
'''
COLUMN = '''
def answer_03_3():
    return (np.array([[1, 2], [2, 3], [1, 1], [3, 1]]) @ np.array([[2.0], [3.0]])) + 0.2
'''
LOOPS = '''
def linear_forward(W, b, X):
    while True:
        pass
'''
# Wrong for some random cases only (a batch of one example comes out 1-D): the seed decides.
SHAPE_BUG = '''
def linear_forward(W, b, X):
    return np.squeeze(X @ W.T + b) if X.shape[0] == 1 else X @ W.T + b
'''
FOREIGN = '''
check("10.5", lambda: "c")
check("02.4", lambda: "c")
'''


def _with_cell(nb, code):
    """``nb`` with ``code`` after the answers, and the check cells after it (each question is graded
    on what its check cell sees)."""
    return checked_at_the_end(nbformat.from_dict(json.loads(json.dumps(nb))), code)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    require_sandbox()
    root = tmp_path_factory.mktemp("fairness")
    folder = root / "class"
    folder.mkdir()
    solution = nbformat.read(SOLUTION, as_version=4)
    exercise = nbformat.read(ROOT / "exercises" / "03-matrices.ipynb", as_version=4)
    chapter2 = nbformat.read(ROOT / "exercises" / "02-vectors.ipynb", as_version=4)
    notebooks = {
        "03-ada.ipynb": solution, "03-float32.IPYNB": _with_cell(solution, FLOAT32),  # .ipynb in capitals
        "03-matrix.ipynb": _with_cell(solution, MATRIX), "03-lists.ipynb": _with_cell(solution, LISTS),
        "03-column.ipynb": _with_cell(solution, COLUMN), "03-loops.ipynb": _with_cell(solution, LOOPS),
        "03-bug-1.ipynb": _with_cell(solution, SHAPE_BUG), "03-bug-2.ipynb": _with_cell(solution, SHAPE_BUG),
        "03-foreign.ipynb": _with_cell(exercise, FOREIGN),
        "02-vectors-eve.ipynb": nbformat.read(ROOT / "solutions" / "02-vectors.ipynb", as_version=4),
        "03-renamed-ch02.ipynb": chapter2,  # chapter 2's exercise (its metadata says so), renamed
    }
    for name, nb in notebooks.items():
        nbformat.write(nb, folder / name)
    runs = []
    for k in range(2):
        out, csv_path = io.StringIO(), root / f"grades-{k}.csv"
        with contextlib.redirect_stdout(out):
            code = cli.main(["grade", str(folder), "--chapter", "03", "--csv", str(csv_path), "-j", "2",
                             "--question-timeout", str(QUESTION_TIMEOUT), "--no-progress", "--details"])
        assert code == 0
        runs.append((csv_path.read_text(), out.getvalue()))
    with open(root / "grades-0.csv", newline="") as f:
        rows = list(csv.reader(f))
    return {"root": root, "folder": folder, "runs": runs, "head": rows[0],
            "rows": {Path(r[0]).name: dict(zip(rows[0], r)) for r in rows[1:]}}


def points(row) -> list[str]:
    return [row[q] for q in ("03.1", "03.2", "03.3", "03.4", "03.5")]


FULL = ["2", "2", "1", "2", "1"]


def test_the_columns_are_the_chapters_questions(graded):
    assert graded["head"] == ["submission", "03.1", "03.2", "03.3", "03.4", "03.5", "total", "status", "student"]


@pytest.mark.parametrize("name", ["03-ada.ipynb", "03-float32.IPYNB", "03-matrix.ipynb", "03-lists.ipynb"])
def test_correct_work_in_any_style_gets_full_marks(graded, name):
    row = graded["rows"][name]
    assert points(row) == FULL and row["status"] == "ok", row


def test_a_column_where_a_vector_is_asked_says_so(graded):
    row = graded["rows"]["03-column.ipynb"]
    assert points(row) == ["2", "2", "0", "2", "1"], row
    printed = graded["runs"][0][1]
    assert "got shape (4, 1); return a 1-D array of shape (4,)" in printed


def test_an_endless_loop_costs_its_question_only(graded):
    row = graded["rows"]["03-loops.ipynb"]
    assert points(row) == ["2", "0", "1", "2", "1"], row
    assert row["status"] == f"time limit of {QUESTION_TIMEOUT:g} s reached in 03.2"


def test_the_same_folder_graded_twice_gives_the_same_gradebook(graded):
    (first, _), (second, _) = graded["runs"]
    assert first == second
    assert points(graded["rows"]["03-bug-1.ipynb"]) == points(graded["rows"]["03-bug-2.ipynb"])


def test_another_chapters_notebook_is_the_wrong_chapter(graded):
    for name in ("02-vectors-eve.ipynb", "03-renamed-ch02.ipynb"):
        row = graded["rows"][name]
        assert row["total"] == "0" and row["status"].startswith("wrong chapter: this is chapter 02's"), row


def test_other_chapters_check_cells_are_ignored(graded):
    row = graded["rows"]["03-foreign.ipynb"]
    assert points(row) == ["0"] * 5 and row["total"] == "0", row


def test_a_batch_of_several_chapters_asks_for_one(graded, capsys):
    code = cli.main(["grade", str(graded["folder"]), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "several chapters" in err and "--chapter" in err


def test_only_regrades_one_student_into_the_gradebook(graded, tmp_path):
    book = tmp_path / "grades.csv"
    book.write_text(graded["runs"][0][0])
    ada = graded["folder"] / "03-ada.ipynb"
    nb = nbformat.read(ada, as_version=4)
    broken = tmp_path / "class"
    broken.mkdir()
    for p in graded["folder"].iterdir():
        (broken / p.name).write_bytes(p.read_bytes())
    nbformat.write(_with_cell(nb, LOOPS), broken / "03-ada.ipynb")  # ada hands in again, with a loop
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["grade", str(broken), "--chapter", "03", "--csv", str(book), "--only", "03-ada",
                         "--question-timeout", str(QUESTION_TIMEOUT), "--no-progress"])
    assert code == 0
    with open(book, newline="") as f:
        rows = {Path(r[0]).name: r for r in list(csv.reader(f))[1:]}
    with io.StringIO(graded["runs"][0][0]) as f:
        before = {Path(r[0]).name: r for r in list(csv.reader(f))[1:]}
    assert rows.keys() == before.keys()
    assert rows["03-ada.ipynb"][2] == "0" and rows["03-ada.ipynb"][1] == "2"
    assert {k: v for k, v in rows.items() if k != "03-ada.ipynb"} == \
        {k: v for k, v in before.items() if k != "03-ada.ipynb"}
    assert sorted(p.name for p in (tmp_path / "feedback").iterdir()) == ["03-ada.md"]
