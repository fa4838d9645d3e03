"""``nnbook grade``: scores, limits, broken submissions and attempts to fake a pass.

Every submission is built here from the sample solution notebook of tests/grading_support.py
(chapter "99", two questions worth 3 points, registered from a file passed as ``--checks``),
and the batch is graded once, two at a time, in the sandbox, like an instructor would. A wrong
or hostile answer is defined before its check cell: the grader grades the definition that cell
sees. tests/test_grading_attacks.py tries to escape the sandbox; tests/test_grading_boundary.py
tries to cross the grader's boundary (only data crosses); tests/test_grading_fairness.py grades
correct answers in many styles.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from grading_support import EXERCISES, SAMPLE_QUESTIONS, SOLUTIONS, sample_exercise, sample_solution, table_cells
from nnbook import cli, grading
from sandbox_setup import require_sandbox

TIMEOUT = 20.0
QUESTION_TIMEOUT = 5.0
MEMORY_MB = 1536

BAD_SIGMOID = "def my_sigmoid(z):\n    return np.zeros_like(np.asarray(z, dtype=float))"
BAD_ANSWER = "def answer_99_2():\n    return 0.25"
MARKER = "nnbook-grading-test-pwned"


def solution():
    return sample_solution()


def exercise():
    return sample_exercise()


def with_cells(nb, index, *sources):
    """``nb`` with code cells inserted before cell ``index``."""
    nb.cells[index:index] = [new_code_cell(s) for s in sources]
    return nb


def wrong_answers(nb):
    nb.cells[4].source, nb.cells[7].source = BAD_SIGMOID, BAD_ANSWER
    return nb


# The submissions: name -> notebook (or raw text for broken files)
SUBMISSIONS = {
    "correct": solution(),
    "untouched": exercise(),
    "prints-pass": with_cells(exercise(), 9, 'print("PASS  99.1  The sigmoid  (2/2 points)")\n'
                              'print("PASS  99.2  sigma(0)  (1/1 point)")\nprint("Score so far for chapter 99: 3/3 points")'),
    "redefines-check": with_cells(wrong_answers(solution()), 3,
                                  "from nnbook.checks import Result\n"
                                  "def check(qid, answer, **kw):\n    print(f'PASS  {qid}')\n"
                                  "    return Result(qid, 'passed', 2, 2)\n"
                                  "def score(chapter=None):\n    print('Score so far: 3/3 points')"),
    "monkeypatches": with_cells(wrong_answers(solution()), 3,
                                "import nnbook.checks._core as core, nnbook.checks as checks\n"
                                "core.run_checker = lambda q, a, r: core.Result(q.qid, 'passed', q.points, q.points)\n"
                                "checks.check = core.check = lambda qid, answer, **kw: print('PASS', qid)\n"
                                "for q in list(core._QUESTIONS.values()):\n"
                                "    core._QUESTIONS[q.qid] = core.Question(q.qid, q.points, q.title, q.section, q.hint,"
                                " lambda answer, rng: None)\n"
                                "nb.sigmoid = lambda z: np.zeros_like(np.asarray(z, dtype=float))\n"
                                "np.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\n"
                                "import builtins\nbuiltins.abs = lambda x: 0.0"),
    "patches-during-call": with_cells(solution(), 5,
                                      "def my_sigmoid(z):  # wrong, and tampers with whatever would compare it\n"
                                      "    import numpy, nnbook\n"
                                      "    numpy.allclose = lambda *a, **k: True\n"
                                      "    nnbook.sigmoid = lambda z: z\n"
                                      "    return z"),
    "always-equal": with_cells(solution(), 8,
                               "class Anything(float):\n"
                               "    def __eq__(self, other):\n        return True\n"
                               "    __le__ = __ge__ = __lt__ = __gt__ = __eq__\n"
                               "    def __abs__(self):\n        return 0.0\n"
                               "    def __sub__(self, other):\n        return 0.0\n"
                               "    __rsub__ = __sub__\n"
                               "def answer_99_2():\n    return Anything(0.0)"),
    "fake-results": with_cells(exercise(), 9,
                               "import json, os\n"
                               "for path in ('results.jsonl', os.environ.get('NNBOOK_RESULTS') or 'r.jsonl'):\n"
                               "    with open(path, 'w') as f:\n"
                               "        for qid, p in (('99.1', 2), ('99.2', 1)):\n"
                               "            f.write(json.dumps({'qid': qid, 'status': 'passed', 'reason': 'passed',"
                               " 'points': p, 'max_points': p, 'strict': False}) + '\\n')"),
    "crafted-reply": with_cells(solution(), 5,
                                "import base64, pickle, os, sys\n"
                                "class Evil:\n    def __reduce__(self):\n"
                                f"        return (os.system, ('touch {MARKER}',))\n"
                                "class FakeHelper:  # the grader's next call gets a pickle, then a crafted object\n"
                                "    def __init__(self, real):\n        self.real, self.n = real, 0\n"
                                "    def bind(self, *a):\n        return self.real.bind(*a)\n"
                                "    def call(self, text):\n"
                                "        self.n += 1\n"
                                "        if self.n == 1:\n"
                                "            return base64.b64encode(pickle.dumps(('ok', Evil(), (), {}))).decode()\n"
                                "        return base64.b64encode(b'{\"status\":\"ok\",\"value\":{\"t\":\"obj\",'\n"
                                "            b'\"cls\":\"posix.system\",\"state\":{\"t\":\"dict\",\"items\":[]}},'\n"
                                "            b'\"args\":[],\"kwargs\":{\"t\":\"dict\",\"items\":[]}}').decode()\n"
                                "_real_sigmoid = my_sigmoid\n"
                                "def my_sigmoid(z):\n"
                                "    helper = sys.modules['__nnbook_grade__']\n"
                                "    if not isinstance(helper, FakeHelper):\n"
                                "        sys.modules['__nnbook_grade__'] = FakeHelper(helper)\n"
                                "    return _real_sigmoid(z)"),
    "raises": with_cells(solution(), 5, "1 / 0"),
    "sys-exit": with_cells(solution(), 5, "import sys\nsys.exit(3)"),
    "os-exit": with_cells(solution(), 5, "import os\nos._exit(7)"),
    "segfault": with_cells(solution(), 5, "import ctypes\nctypes.string_at(0)"),
    "loops-forever": with_cells(solution(), 5, "while True:\n    pass"),
    "answer-loops-forever": with_cells(solution(), 5, "def my_sigmoid(z):\n    while True:\n        pass"),
    "answer-ignores-interrupts": with_cells(solution(), 5, "def my_sigmoid(z):\n    while True:\n        try:\n"
                                            "            while True:\n                pass\n"
                                            "        except BaseException:\n            pass"),
    "prints-megabytes": with_cells(solution(), 5, "for _ in range(40):\n    print('x' * 1_000_000)"),
    "too-much-memory": with_cells(solution(), 5, "big = np.ones((1 << 29,))  # 4 GB"),
    "writes-files": with_cells(solution(), 5,
                               "import os\nopen('written-by-submission.txt', 'w').write('x')\n"
                               "open(os.path.expanduser('~/written-by-submission.txt'), 'w').write('x')"),
}
BROKEN = {
    "not-json": "this is not a notebook {",
    "not-a-notebook": '{"cells": 3, "metadata": {}}',
}


def _name(key):
    return f"99-{key}.ipynb"


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The whole batch graded once: -j 2, the sample chapter's checks loaded from a file."""
    require_sandbox()
    root = tmp_path_factory.mktemp("grading")
    subs = root / "submissions"
    subs.mkdir()
    for key, nb in SUBMISSIONS.items():
        nbformat.write(nb, subs / _name(key))
    for key, text in BROKEN.items():
        (subs / _name(key)).write_text(text)
    checks = root / "sample_checks.py"
    checks.write_text(SAMPLE_QUESTIONS)
    before = {p.name: p.read_bytes() for p in subs.iterdir()}
    cwd = root / "cwd"
    cwd.mkdir()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        rows = grading.grade([subs], jobs=2, timeout=TIMEOUT, question_timeout=QUESTION_TIMEOUT,
                             memory_mb=MEMORY_MB, extra_checks=[checks], progress=False)
    finally:
        os.chdir(old)
    return {"rows": {Path(r.submission).stem[3:]: r for r in rows}, "root": root, "subs": subs,
            "before": before, "cwd": cwd, "checks": checks}


def score(batch, key):
    row = batch["rows"][key]
    return row.points, row.status


def test_every_submission_has_its_row(batch):
    assert sorted(batch["rows"]) == sorted([*SUBMISSIONS, *BROKEN])
    for row in batch["rows"].values():
        assert row.max_points == {"99.1": 2, "99.2": 1}


def test_correct_and_untouched(batch):
    assert score(batch, "correct") == ({"99.1": 2, "99.2": 1}, "ok")
    points, status = score(batch, "untouched")
    assert points == {"99.1": 0, "99.2": 0} and status == "ok"
    assert "NotImplementedError" in batch["rows"]["untouched"].messages["99.1"]


@pytest.mark.parametrize("key", ["prints-pass", "redefines-check", "monkeypatches", "fake-results"])
def test_faking_a_pass_scores_nothing(batch, key):
    points, status = score(batch, key)
    assert points == {"99.1": 0, "99.2": 0}, (key, batch["rows"][key].messages)


def test_tampering_inside_the_answer_changes_nothing(batch):
    row = batch["rows"]["patches-during-call"]
    assert row.points == {"99.1": 0, "99.2": 1}, row.messages
    assert "expected sigmoid(z)" in row.messages["99.1"]


def test_an_object_equal_to_everything_does_not_pass(batch):
    row = batch["rows"]["always-equal"]
    assert row.points == {"99.1": 2, "99.2": 0}, row.messages


def test_a_crafted_reply_is_refused_and_never_run(batch):
    """The first call passes and swaps the grader's helper: the next replies are a pickle, then
    an object of a class outside the library. Both end the question; nothing is run."""
    row = batch["rows"]["crafted-reply"]
    assert row.points == {"99.1": 0, "99.2": 0}, row.messages
    assert row.messages["99.1"].startswith("the answer's value could not be read: the message is not base64-encoded JSON")
    assert row.messages["99.2"].startswith("the answer's value could not be read: an object of class 'posix.system'")
    assert row.outcomes == {"99.1": "failed", "99.2": "failed"} and row.status == "ok"
    assert not list(batch["root"].rglob(MARKER)) and not (batch["cwd"] / MARKER).exists()


def test_a_cell_that_raises_is_reported_and_the_rest_is_graded(batch):
    points, status = score(batch, "raises")
    assert points == {"99.1": 2, "99.2": 1}
    assert status == "cell 6 raised ZeroDivisionError: division by zero"


def test_sys_exit_is_an_error_in_its_cell(batch):
    points, status = score(batch, "sys-exit")
    assert points == {"99.1": 2, "99.2": 1} and status.startswith("cell 6 raised SystemExit")


@pytest.mark.parametrize("key", ["os-exit", "segfault"])
def test_a_dead_kernel_scores_nothing_and_says_so(batch, key):
    points, status = score(batch, key)
    assert points == {"99.1": 0, "99.2": 0}
    assert status.startswith("the kernel died in cell 6"), status
    if key == "os-exit":
        assert "exit code 7" in status


def test_the_time_limit(batch):
    points, status = score(batch, "loops-forever")
    assert points == {"99.1": 0, "99.2": 0} and status == f"time limit of {TIMEOUT:g} s reached in cell 6"


def test_a_looping_answer_costs_its_question_only(batch):
    points, status = score(batch, "answer-loops-forever")
    assert points == {"99.1": 0, "99.2": 1} and status == f"time limit of {QUESTION_TIMEOUT:g} s reached in 99.1"
    assert "time limit" in batch["rows"]["answer-loops-forever"].messages["99.1"]


def test_an_answer_that_ignores_interrupts_costs_its_question_only(batch):
    """The kernel is stuck: a fresh one runs the cells again for the next question."""
    points, status = score(batch, "answer-ignores-interrupts")
    assert points == {"99.1": 0, "99.2": 1} and status == f"time limit of {QUESTION_TIMEOUT:g} s reached in 99.1"


def test_megabytes_of_output_do_not_matter(batch):
    assert score(batch, "prints-megabytes") == ({"99.1": 2, "99.2": 1}, "ok")


def test_the_memory_limit(batch):
    points, status = score(batch, "too-much-memory")
    assert points == {"99.1": 2, "99.2": 1} and status.startswith("cell 6 raised MemoryError"), status


def test_broken_files_get_a_reason(batch):
    for key in BROKEN:
        points, status = score(batch, key)
        assert points == {"99.1": 0, "99.2": 0} and status.startswith("not a valid notebook:"), status


def test_nothing_is_written_outside_the_temporary_copy(batch):
    assert {p.name: p.read_bytes() for p in batch["subs"].iterdir()} == batch["before"]
    assert list(batch["cwd"].iterdir()) == []
    assert not (Path.home() / "written-by-submission.txt").exists()
    assert score(batch, "writes-files") == ({"99.1": 2, "99.2": 1}, "ok")


def test_no_submission_changes_another(batch, tmp_path):
    """The correct submission graded alone scores what it scored among the bad ones."""
    nbformat.write(solution(), tmp_path / _name("alone"))
    (row,) = grading.grade([tmp_path / _name("alone")], jobs=1, timeout=TIMEOUT, question_timeout=QUESTION_TIMEOUT,
                           memory_mb=MEMORY_MB, extra_checks=[batch["checks"]], progress=False)
    assert (row.points, row.status) == score(batch, "correct")


def test_cli_writes_the_gradebook(batch, tmp_path, capsys):
    subs = tmp_path / "subs"
    subs.mkdir()
    for key in ("correct", "untouched"):
        nbformat.write(SUBMISSIONS[key], subs / _name(key))
    (subs / _name("not-json")).write_text(BROKEN["not-json"])
    out = tmp_path / "grades.csv"
    code = cli.main(["grade", str(subs), "--csv", str(out), "--checks", str(batch["checks"]), "-j", "2",
                     "--timeout", str(TIMEOUT), "--no-progress", "--details"])
    assert code == 0
    with open(out, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:5] == ["submission", "99.1", "99.2", "total", "status"]  # the columns it always had
    assert rows[0][5:] == ["student"]
    assert [r[1:4] for r in rows[1:]] == [["2", "1", "3"], ["0", "0", "0"], ["0", "0", "0"]]
    assert [Path(r[0]).name for r in rows[1:]] == [_name("correct"), _name("not-json"), _name("untouched")]
    assert [r[5] for r in rows[1:]] == ["99-correct", "99-not-json", "99-untouched"]
    assert rows[2][4].startswith("not a valid notebook")
    text = capsys.readouterr().out
    assert "(max)" in text and "99-correct.ipynb" in text and "99.1: not attempted yet" in text
    assert table_cells(text) == rows  # the printed table is the CSV
    feedback = sorted(p.name for p in (tmp_path / "feedback").iterdir())
    assert feedback == ["99-correct.md", "99-not-json.md", "99-untouched.md"]
    ben = (tmp_path / "feedback" / "99-untouched.md").read_text()
    assert "NOT ATTEMPTED YET  99.1  The sigmoid  (0 of 2 points)" in ben and "0 of 3 points" in ben


def test_cli_rejects_bad_arguments(tmp_path, capsys):
    assert cli.main(["grade", str(tmp_path / "missing.ipynb"), "--no-progress", "--no-sandbox"]) == 2
    assert "no such file" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["grade", str(tmp_path), "-j", "0"])
    with pytest.raises(ValueError, match="positive integer"):
        grading.grade([tmp_path], jobs=0)


def test_answer_expressions_and_feedback_cells():
    nb = solution()
    assert grading.answer_expressions(nb) == {"99.1": "my_sigmoid", "99.2": "answer_99_2"}
    assert grading.is_feedback_cell(grading.parse('check("99.1", my_sigmoid)'))
    assert grading.is_feedback_cell(grading.parse('score("99")'))
    assert not grading.is_feedback_cell(grading.parse('x = 1\ncheck("99.1", f)'))


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_the_wire_carries_data_and_refuses_anything_else():
    import pickle

    import numpy as np

    import nnbook as nb
    from nnbook.grading import wire

    model = nb.MLP([3, 4, 2], activation="relu", output_activation="identity", rng=0)
    data = {"a": [1, 2.5, "x", None, (True, 1 + 2j)], "arr": np.arange(6.0).reshape(2, 3), "s": np.float32(0.5),
            "layer": nb.Linear(2, 3, rng=0), "model": model, "rng": np.random.default_rng(1),
            "m": np.matrix([[1.0, 2.0]]), "flags": np.array([True, False]), 7: frozenset({1, 2})}
    back = grading.loads(wire.pack(wire.encode(data)))
    assert type(back["m"]) is np.ndarray and back["m"].tolist() == [[1.0, 2.0]]  # a matrix's values
    assert back["a"] == data["a"] and back["s"] == np.float32(0.5) and type(back["s"]) is np.float32
    np.testing.assert_array_equal(back["arr"], data["arr"])
    np.testing.assert_array_equal(back["layer"].W, data["layer"].W)
    X = np.random.default_rng(0).normal(size=(4, 3))
    np.testing.assert_array_equal(back["model"].predict(X), model.predict(X))
    assert back["rng"].random() == np.random.default_rng(1).random() and back[7] == {1, 2}
    with pytest.raises(wire.NotData):
        wire.encode(lambda x: x)  # a callable never leaves: there is no way to send one
    with pytest.raises(wire.NotData):
        wire.encode(grading.grade)

    def refused(message, why):
        with pytest.raises(wire.Unreadable, match=why):
            grading.loads(message if isinstance(message, str) else wire.pack(message))

    refused(__import__("base64").b64encode(pickle.dumps(data)).decode(), "not base64-encoded JSON")
    refused({"t": "obj", "cls": "os.system", "state": {"t": "dict", "items": []}}, "not one of the library's")
    refused({"t": "obj", "cls": "nnbook.network.MLP", "state": {"t": "dict", "items": [["predict", 1]]}},
            "with the attribute 'predict'")
    refused({"t": "obj", "cls": "nnbook.grading.batch.grade", "state": {"t": "dict", "items": []}}, "library's")
    refused({"t": "ref", "key": "r1", "type": "x"}, "reference where only data")
    refused({"t": "fn", "family": "poly3", "params": {"t": "dict", "items": []}}, "function where only data")
    refused({"kind": "nd"}, "without a tag")
    refused({"t": "nd", "npy": wire._npy(np.array([1.0]))[:-8]}, "not plain .npy data|larger than its bytes")
    refused({"t": "nd", "npy": "QUFB"}, "not plain .npy data")
    refused({"t": "tuple", "v": [], "extra": 1}, "with the fields")
    refused({"t": "rng", "bit_generator": "os", "state": None}, "random generator of kind")
    refused([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]], "nested")
    refused("A" * (wire.MAX_REPLY + 4), "larger than")
    obj = np.array([{"x": 1}], dtype=object)
    with pytest.raises(wire.Unreadable):  # an object array's header alone is refused
        buffer = __import__("io").BytesIO()
        np.lib.format.write_array(buffer, obj, allow_pickle=True)
        grading.loads(wire.pack({"t": "nd", "npy": __import__("base64").b64encode(buffer.getvalue()).decode()}))


def test_a_call_sends_data_and_brings_back_data_and_in_place_changes():
    """The grader's side of a call, against a stand-in kernel that replies what the test says."""
    import time

    import numpy as np

    from nnbook.grading import remote, wire

    class Kernel:
        def __init__(self):
            self.sent, self.reply = [], ""

        def request(self, message, deadline):
            self.sent.append(wire.unpack(message))
            return self.reply

    def ok(value, args=(), kwargs=None):
        return wire.pack({"status": "ok", "value": wire.encode(value), "args": wire.encode(list(args)),
                          "kwargs": wire.encode(kwargs or {})})

    kernel = Kernel()
    answer = remote.Remote(kernel, "08.1", time.monotonic() + 60, "gd_step")
    w, rng = np.zeros(3), np.random.default_rng(5)
    kernel.reply = ok(2.5, [np.ones(3), np.random.default_rng(7)])
    assert answer(w, rng) == 2.5 and w.tolist() == [1.0, 1.0, 1.0]  # its in-place change, carried back
    assert rng.random() == np.random.default_rng(7).random()
    (sent,) = kernel.sent
    assert sent["key"] == "08.1" and sent["op"] == "call" and sent["name"] is None
    np.testing.assert_array_equal(wire.decode(sent["args"])[0], np.zeros(3))  # what was sent: the data before
    for name in ("__globals__", "__builtins__", "__code__", "__closure__", "_private", "not a name"):
        with pytest.raises(AttributeError):
            getattr(answer, name)
    assert len(kernel.sent) == 1  # no request for a private name
    with pytest.raises(remote.Refused, match="cannot send"):
        answer(lambda x: x)  # a callable never goes to the kernel
    kernel.reply = wire.pack({"status": "raise", "name": "ValueError", "message": "x does not match W"})
    with pytest.raises(ValueError, match="x does not match W"):
        answer(w)
    kernel.reply = wire.pack({"status": "raise", "name": "SystemExit", "message": "3"})
    with pytest.raises(RuntimeError, match="SystemExit: 3"):
        answer(w)
    kernel.reply = wire.pack({"status": "ok", "value": {"t": "ref", "key": "r4", "type": "Net"}, "args": [],
                              "kwargs": {"t": "dict", "items": []}})
    net = answer()
    assert isinstance(net, remote.Remote) and repr(net) == "<the submission's Net object>"
    kernel.reply = wire.pack({"status": "ok", "value": {"t": "ref", "key": "r5", "type": "method"}, "args": [],
                              "kwargs": {"t": "dict", "items": []}})
    predict = net.predict  # a public attribute: read in the kernel, a bound method stays there
    assert (kernel.sent[-1]["key"], kernel.sent[-1]["op"], kernel.sent[-1]["name"]) == ("r4", "getattr", "predict")
    kernel.reply = ok(np.arange(3.0))
    np.testing.assert_array_equal(predict(np.ones(2)), np.arange(3.0))
    assert (kernel.sent[-1]["key"], kernel.sent[-1]["op"]) == ("r5", "call")
    for reply, why in (("!!", "not base64-encoded JSON"), (wire.pack([1]), "not an object"),
                       (wire.pack({"status": "ok", "value": 1}), "with the fields"),
                       (wire.pack({"status": "done"}), "with the status 'done'")):
        kernel.reply = reply
        with pytest.raises(remote.Refused, match="the answer's value could not be read: .*" + why):
            answer(w)
    assert not isinstance(remote.Refused("x"), Exception)  # no checker's `except Exception` swallows it


def test_the_function_families_are_data_on_both_sides():
    """What a checker hands to an answer is a family and its coefficients, rebuilt from the table."""
    import numpy as np

    from nnbook.checks._functions import FAMILIES, Function
    from nnbook.grading import remote, wire

    f = Function("poly3", c=[1.0, -2.0, 0.5, 3.0])
    g = wire.decode(wire.unpack(wire.pack(wire.encode(f))), function=remote.function_from_table)
    assert g is not f and g(1.5) == f(1.5) == 1.5**3 - 2 * 1.5**2 + 0.75 + 3
    A, b = np.array([[2.0, 0.0], [0.0, 1.0]]), np.array([1.0, -1.0])
    np.testing.assert_array_equal(Function("affine_residual", A=A, b=b)(np.ones(2)), A @ np.ones(2) - b)
    assert sorted(FAMILIES) == ["affine_residual", "exp_scaled", "poly3", "quadratic_form", "sin_affine",
                                "sin_sum_square"]
    with pytest.raises(ValueError, match="family"):
        Function("os.system", c=1.0)
    with pytest.raises(ValueError, match="takes the coefficients"):
        Function("poly3", c=[1, 2, 3, 4], globals=1)
    with pytest.raises(AttributeError):
        f.family = "exp_scaled"


def test_the_answer_names_are_the_exercises():
    """A question whose check cell was deleted is graded on the name its exercise's check cell uses."""
    import nbformat

    named = {}
    for path in EXERCISES:
        named.update(grading.answer_expressions(nbformat.read(path, as_version=4)))
    assert named == grading.notebook.ANSWER_NAMES


@pytest.mark.skipif(not SOLUTIONS, reason="no solution notebooks in solutions/ yet")
def test_every_solution_notebook_gets_full_marks():
    """Every chapter's real checkers work across the boundary: only data crosses."""
    require_sandbox()
    rows = [row for chapter in sorted({p.name[:2] for p in SOLUTIONS})
            for row in grading.grade([p for p in SOLUTIONS if p.name[:2] == chapter], chapter=chapter, jobs=2,
                                     timeout=300, question_timeout=120, progress=False)]
    assert len(rows) == len(SOLUTIONS)
    for row in rows:
        assert row.status == "ok" and row.max_points and row.total == row.max_total, \
            (row.submission, row.status, row.messages)


def test_student_ids_from_file_or_folder_names():
    canvas = Path("class/lovelaceada_12345_67890_03-matrices.ipynb")
    moodle = Path("class/Ada Lovelace_4711_assignsubmission_file_/03-matrices.ipynb")
    assert grading.student_id(canvas, None) == "lovelaceada_12345_67890_03-matrices"
    assert grading.student_id(canvas, r"_(\d+)_") == "12345"
    assert grading.student_id(moodle, r"(?P<id>[^/_]+)_\d+_assignsubmission") == "Ada Lovelace"
    assert grading.student_id(moodle, r"no match here") == "03-matrices"
