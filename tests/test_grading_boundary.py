"""The grader's boundary: only data crosses it, a loop costs its question only, and each answer
is graded on what its check cell saw.

One class of chapter 8 (``gradient_descent`` is handed a function by its checker) is graded once,
two at a time, in the sandbox: two innocent classmates (the solution notebook, and an exercise
with its first answer done) beside

* ``mallory``, who tries to reach the grader through what it hands over (the ``grad_f`` of 08.2:
  its attributes, ``__globals__``, ``__builtins__``, the kernel's input channel), to read and
  write a file of the grader's machine, to leave a process behind, and who replaces the
  grader's helper in the kernel to send back a pickle, a 64 MB reply, an object of a class
  outside the library and a reply outside the schema;
* ``lupe``, three of whose answers loop under a bare ``except:``, the two others correct;
* ``faye``, who deleted two check cells, redefined an answer wrongly after its check cell,
  checked a wrong answer before correcting it without checking again, and has a check cell
  above the definition it checks (she ran her cells out of order).

Chapter 1's perceptron returning ``z > 0`` (a bool) is graded with the solution beside it.
"""

from __future__ import annotations

import contextlib
import csv
import io
import secrets
from pathlib import Path

import pytest

from grading_support import book_notebook, code_index, processes_mentioning, with_cells, write_class
from nnbook import cli
from nnbook.grading import wire
from sandbox_setup import require_sandbox

QUESTION_TIMEOUT = 4.0
TIMEOUT = 60.0
FULL_08 = {"08.1": "1", "08.2": "3", "08.3": "2", "08.4": "2", "08.5": "1"}
TOKEN = "nnbook-boundary-" + secrets.token_hex(6)  # in the command line of a process mallory leaves behind


def before_check(nb, qid: str, source: str):
    """``nb`` with a code cell ``source`` just before the check cell of ``qid``."""
    return with_cells(nb, code_index(nb, f'check("{qid}"'), source)


def after_check(nb, qid: str, source: str):
    return with_cells(nb, code_index(nb, f'check("{qid}"') + 1, source)


def without_check(nb, qid: str):
    del nb.cells[code_index(nb, f'check("{qid}"')]
    return nb


def mallory(marker: Path, secret: Path):
    probe = f'''
import subprocess, sys
MARKER, SECRET = {str(marker)!r}, {str(secret)!r}
def gradient_descent(grad_f, w0, lr, steps):
    """Correct, after trying every way out through grad_f and the kernel."""
    attempts = {{
        "globals": lambda: grad_f.__globals__,
        "builtins": lambda: grad_f.__builtins__,
        "closure": lambda: grad_f.__closure__,
        "call's globals": lambda: type(grad_f).__call__.__globals__["__builtins__"]["open"](SECRET).read(),
        "key": lambda: grad_f._key,
        "getattr": lambda: grad_f.__getattr__("__globals__"),
        "any attribute": lambda: [getattr(grad_f, n) for n in dir(grad_f)],
        "input": lambda: get_ipython().kernel.raw_input("\\x00nnbook-callback " + "gASVAAAAAAAAAAB9lC4="),
        "stdin": lambda: get_ipython().kernel.session.send(get_ipython().kernel.stdin_socket, "input_request",
                                                             {{"prompt": "x", "password": False}},
                                                             parent=get_ipython().kernel.get_parent("shell"),
                                                             ident=get_ipython().kernel._parent_ident["shell"]),
        "read": lambda: open(SECRET).read(),
        "write": lambda: open(MARKER, "w").write("pwned"),
    }}
    for name, attempt in attempts.items():
        try:
            found = repr(attempt())
        except BaseException as exc:
            found = type(exc).__name__ + str(exc)
        if "SECRET-" in found:
            raise ValueError("read the grader's file: " + found)
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(90)", {TOKEN!r}], start_new_session=True,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    w = np.array(w0, dtype=float)
    for _ in range(steps):
        w = w - lr * grad_f(w)
    return w
'''
    helper = f'''
import base64, json, os, pickle, sys
class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned > {marker}",))
def crafted(text):
    key = json.loads(base64.b64decode(text))["key"]
    b64 = lambda raw: base64.b64encode(raw).decode()
    if key == "08.1":
        return b64(pickle.dumps(("ok", Evil(), (), {{}})))
    if key == "08.3":
        return "A" * (64 * 1024 * 1024 + 16)
    if key == "08.4":
        return b64(json.dumps({{"status": "ok", "value": {{"t": "obj", "cls": "posix.system", "state": {{"t": "dict",
                   "items": []}}}}, "args": [], "kwargs": {{"t": "dict", "items": []}}}}).encode())
    if key == "08.5":
        return b64(json.dumps({{"status": "ok", "value": "b", "evil": pickle.dumps(Evil()).hex()}}).encode())
    return REAL.call(text)
REAL = sys.modules["__nnbook_grade__"]
class Fake:
    bind = REAL.bind
    call = staticmethod(crafted)
sys.modules["__nnbook_grade__"] = Fake()
'''
    nb = before_check(book_notebook("solutions", "08"), "08.2", probe)
    return with_cells(nb, len(nb.cells) - 1, helper)  # after the last check cell


LOOP = '''
def {name}(*args):
    while True:
        try:
            while True:
                pass
        except:
            pass
'''


def lupe():
    nb = book_notebook("solutions", "08")
    for qid, name in (("08.1", "gd_step"), ("08.3", "max_stable_lr"), ("08.4", "train_linear")):
        nb = before_check(nb, qid, LOOP.format(name=name))
    return nb


def faye():
    nb = book_notebook("solutions", "08")
    right = nb.cells[code_index(nb, "def train_linear")].source
    nb = without_check(without_check(nb, "08.1"), "08.3")
    nb = after_check(nb, "08.2", "def gradient_descent(grad_f, w0, lr, steps):\n    return w0  # broken later")
    nb = before_check(nb, "08.4", "def train_linear(X, y, lr, epochs):\n    return np.zeros((1, X.shape[1])), np.zeros(1)")
    nb = after_check(nb, "08.4", right)  # corrected, never checked again
    check = nb.cells.pop(code_index(nb, 'check("08.5"'))  # checked before it was defined (cells run out of order)
    nb.cells.insert(code_index(nb, "def answer_08_5"), check)
    return nb


def bob():
    """The exercise, with its first answer done."""
    nb = book_notebook("exercises", "08")
    solution = book_notebook("solutions", "08")
    nb.cells[code_index(nb, "def gd_step")].source = solution.cells[code_index(solution, "def gd_step")].source
    return nb


def _grade(folder: Path, out_dir: Path, chapter: str) -> tuple[dict, str]:
    """Grade ``folder`` with the command line: the CSV's rows by file name, and all that was printed."""
    csv_path, printed = out_dir / f"grades-{chapter}.csv", io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = cli.main(["grade", str(folder), "--chapter", chapter, "--csv", str(csv_path), "-j", "2",
                         "--timeout", str(TIMEOUT), "--question-timeout", str(QUESTION_TIMEOUT), "--no-progress",
                         "--details"])
    assert code == 0
    with open(csv_path, newline="") as f:
        rows = list(csv.reader(f))
    return {Path(r[0]).name: dict(zip(rows[0], r)) for r in rows[1:]}, printed.getvalue()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    require_sandbox()
    root = tmp_path_factory.mktemp("boundary")
    host = root / "host"  # the grader's own files, outside every sandbox
    host.mkdir()
    marker, secret = host / "marker.txt", host / "secret.txt"
    marker.write_text("untouched\n")
    secret.write_text(f"SECRET-{secrets.token_hex(8)}\n")
    folder = root / "class"
    before = write_class(folder, {"08-ada.ipynb": book_notebook("solutions", "08"), "08-bob.ipynb": bob(),
                                  "08-mallory.ipynb": mallory(marker, secret), "08-lupe.ipynb": lupe(),
                                  "08-faye.ipynb": faye()})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TMPDIR", str(root))  # the kernels' folders, so that their processes can be found
        mp.setattr("tempfile.tempdir", None)
        rows, printed = _grade(folder, root, "08")
    feedback = "\n".join(p.read_text() for p in (root / "feedback").iterdir())
    return {"root": root, "folder": folder, "before": before, "rows": rows, "printed": printed,
            "marker": marker, "secret": secret, "feedback": feedback,
            "csv": (root / "grades-08.csv").read_text()}


def detail(printed: str, name: str, qid: str) -> str:
    """The line of ``--details`` that says why ``name`` lost points on ``qid``."""
    (line,) = [line for line in printed.splitlines() if f"{name}  {qid}: " in line]
    return line.split(f"{name}  {qid}: ", 1)[1]


def points(row) -> dict:
    return {q: row[q] for q in FULL_08}


def test_the_innocent_classmates_score_what_they_earn(graded):
    assert points(graded["rows"]["08-ada.ipynb"]) == FULL_08 and graded["rows"]["08-ada.ipynb"]["status"] == "ok"
    bob = graded["rows"]["08-bob.ipynb"]
    assert points(bob) == {"08.1": "1", "08.2": "0", "08.3": "0", "08.4": "0", "08.5": "0"} and bob["status"] == "ok"


def test_nothing_reaches_the_grader_through_what_it_hands_over(graded):
    """Finding 1: the checker's function is data rebuilt in the kernel; there is nothing to call back,
    no file of the grader's to read or write, no process left; a pickle, a 64 MB reply, a class
    outside the library and a reply outside the schema each end their question, and run nothing."""
    row = graded["rows"]["08-mallory.ipynb"]
    assert points(row) == {"08.1": "0", "08.2": "3", "08.3": "0", "08.4": "0", "08.5": "0"}, row
    assert row["total"] == "3" and row["status"] == "ok"
    text = graded["printed"]
    for qid, why in (("08.1", "the message is not base64-encoded JSON"), ("08.3", "it is larger than 64 MB"),
                     ("08.4", "an object of class 'posix.system', which is not one of the library's"),
                     ("08.5", "a reply with the fields")):
        assert detail(text, "08-mallory.ipynb", qid).startswith(f"the answer's value could not be read: {why}"), qid
    assert graded["marker"].read_text() == "untouched\n"
    assert sorted(p.name for p in graded["marker"].parent.iterdir()) == ["marker.txt", "secret.txt"]
    assert not list(graded["root"].rglob("pwned*"))


def test_a_loop_costs_its_question_only_however_many_loop(graded):
    """Finding 5: three answers loop under a bare except; the two correct ones get their points."""
    row = graded["rows"]["08-lupe.ipynb"]
    assert points(row) == {"08.1": "0", "08.2": "3", "08.3": "0", "08.4": "0", "08.5": "1"}, row
    assert row["status"] == f"time limit of {QUESTION_TIMEOUT:g} s reached in 08.1, 08.3, 08.4"
    for qid in ("08.1", "08.3", "08.4"):
        assert detail(graded["printed"], "08-lupe.ipynb", qid) == \
            f"the time limit of {QUESTION_TIMEOUT:g} s was reached while checking this answer"


def test_each_answer_is_graded_on_what_its_check_cell_saw(graded):
    """Finding 8: deleted check cells lose nothing; a later redefinition changes nothing, either way;
    a check cell above its definition is graded on the definition at the end."""
    row = graded["rows"]["08-faye.ipynb"]
    assert points(row) == {"08.1": "1", "08.2": "3", "08.3": "2", "08.4": "0", "08.5": "1"}, row
    assert "expected W = " in detail(graded["printed"], "08-faye.ipynb", "08.4")


def test_no_host_file_and_no_process_outlives_the_grading(graded):
    secret = graded["secret"].read_text().strip()
    for name, text in (("CSV", graded["csv"]), ("feedback", graded["feedback"]), ("printed", graded["printed"])):
        assert secret not in text and "SECRET-" not in text, name
    assert {p.name: p.read_bytes() for p in graded["folder"].iterdir()} == graded["before"]
    assert processes_mentioning(TOKEN) == []
    assert processes_mentioning(str(graded["root"])) == []


def test_a_perceptron_that_returns_a_bool_gets_full_marks(tmp_path):
    """Finding 8: ``return z > 0`` answers 1 or 0 as well as ``return 1.0 if z > 0 else 0.0``."""
    require_sandbox()
    solution = book_notebook("solutions", "01")
    bool_one = book_notebook("solutions", "01")
    bool_one = before_check(bool_one, "01.3", "def perceptron(w, b, x):\n    return float(np.dot(w, x) + b) > 0")
    write_class(tmp_path / "class", {"01-ada.ipynb": solution, "01-bool.ipynb": bool_one})
    rows, printed = _grade(tmp_path / "class", tmp_path, "01")
    assert rows["01-ada.ipynb"]["total"] == rows["01-bool.ipynb"]["total"] == "8", printed
    assert rows["01-bool.ipynb"]["01.3"] == "2"


def test_a_perceptron_answer_of_bools_is_read_as_0_and_1():
    from nnbook.checks import CheckFailed
    from nnbook.checks._answers import as_scalar

    assert as_scalar(True, "perceptron(w, b, x)", binary=True) == 1.0
    assert as_scalar(__import__("numpy").bool_(False), "perceptron(w, b, x)", binary=True) == 0.0
    assert as_scalar(__import__("numpy").array([True]), "perceptron(w, b, x)") == 1.0
    with pytest.raises(CheckFailed, match="got the bool True"):
        as_scalar(True, "the loss")
    assert wire.loads(wire.pack(wire.encode(__import__("numpy").bool_(True)))) is __import__("numpy").True_
