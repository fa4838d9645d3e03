"""``nnbook grade`` for a class: the gradebook, per-student variants, hidden cases, answers to review,
shards and their merge, and the process-tree limits switch.

The class is small and built here, for a test-only chapter 98 registered from a ``--checks`` file;
the sandbox plays no part in what is tested, so it is graded with ``--no-sandbox``, one notebook at
a time in this process (so that ``review.IMPLEMENTS`` can name chapter 98's sigmoid).
tests/test_grading.py and tests/test_grading_attacks.py grade in the sandbox.
"""

from __future__ import annotations

import contextlib
import csv
import io
import sys
import types
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from nnbook import cli, grading
from nnbook.checks import _core
from nnbook.grading import batch, report, review

QUESTION_TIMEOUT = 10.0
TIMEOUT = 60.0

CHECKS = '''import numpy as np
import nnbook as nb
from nnbook.checks import CheckFailed, question

@question("98.1", points=2, title="The sigmoid", section="04-activations.html", hint="1 / (1 + exp(-z)).")
def _check_98_1(answer, rng):
    for _ in range(3):
        z = rng.normal(size=3)
        got = np.asarray(answer(z), dtype=float)
        if got.shape != z.shape or not np.allclose(got, nb.sigmoid(z)):
            raise CheckFailed(f"expected sigmoid(z) = {nb.sigmoid(z)}, got {got!r}")

@question("98.2", points=1, title="One more than a number drawn for you", section="04-activations.html",
          hint="x + 1.")
def _check_98_2(answer, rng):
    x = int(rng.integers(1_000_000))
    got = answer(x)
    if got != x + 1:
        raise CheckFailed(f"expected {x} + 1 = {x + 1}, got {got!r}")
'''

HIDDEN = '''import numpy as np
import nnbook as nb
from nnbook.checks import CheckFailed
from nnbook.grading import hidden_case

@hidden_case("98.1")
def _far_from_zero(answer, rng):
    z = np.array([-30.0, 30.0]) * (1 + rng.random())
    got = np.asarray(answer(z), dtype=float)
    if not np.allclose(got, nb.sigmoid(z), atol=1e-9):
        raise CheckFailed(f"far from 0 the sigmoid is near 0 or 1: expected {nb.sigmoid(z)}, got {got}")
'''

SETUP = "import numpy as np\nimport nnbook as nb\nfrom nnbook.checks import check"
HONEST = "def my_sigmoid(z):\n    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))"
SLOPPY = ("def my_sigmoid(z):  # right near 0 only\n    z = np.asarray(z, dtype=float)\n"
          "    return np.where(np.abs(z) > 10, 0.5, 1 / (1 + np.exp(-z)))")
LIBRARY = "def my_sigmoid(z):\n    return nb.sigmoid(z)"
INC = "def inc(x):\n    return x + 1"
COPIED = "def inc(x):  # a classmate's answer table\n    return 749685"


def notebook(sigmoid=HONEST, inc=INC):
    nb = new_notebook()
    nb.metadata["nnbook"] = {"chapter": "98"}
    nb.cells = [new_code_cell(s) for s in (SETUP, sigmoid, 'check("98.1", my_sigmoid)', inc, 'check("98.2", inc)')]
    return nb


CLASS = {
    "ada.ipynb": notebook(), "ben.ipynb": notebook(SLOPPY), "cy.ipynb": notebook(LIBRARY, COPIED),
    "=1+1.ipynb": notebook(), "dee.ipynb": notebook(inc=COPIED), "eve.ipynb": notebook(),
    "late/ada.ipynb": notebook(), "fay.ipynb": notebook(SLOPPY, COPIED),
}


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["grade", *argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    folder = root / "class"
    for name, nb in CLASS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / name)
    (root / "checks.py").write_text(CHECKS)
    (root / "hidden.py").write_text(HIDDEN)
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(review.IMPLEMENTS, "98.1", ("activations.sigmoid",))
        yield {"root": root, "folder": folder,
               "options": ["--checks", str(root / "checks.py"), "--checks", str(root / "hidden.py"), "-j", "1",
                           "--no-sandbox", "--no-limits", "--no-progress", "--timeout", str(TIMEOUT),
                           "--question-timeout", str(QUESTION_TIMEOUT)]}


@pytest.fixture(scope="module")
def single(world):
    """The whole class graded at once."""
    out = world["root"] / "all.csv"
    code, printed, err = run(str(world["folder"]), "--csv", str(out), *world["options"])
    assert code == 0, err
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return {"csv": out, "bytes": out.read_bytes(), "rows": rows, "printed": printed, "err": err,
            "by_name": {Path(r[0]).relative_to(world["folder"]).as_posix(): dict(zip(rows[0], r)) for r in rows[1:]}}


# ----------------------------------------------------------------------------- the gradebook

def test_the_columns(single):
    assert single["rows"][0] == ["submission", "98.1", "98.2", "total", "status", "student", "review"]
    assert [r[0] for r in single["rows"][1:]] == sorted((r[0] for r in single["rows"][1:]), key=Path)


def test_a_formula_in_a_name_is_escaped_in_the_csv_only(single):
    row = single["by_name"]["=1+1.ipynb"]
    assert row["student"] == "'=1+1" and row["total"] == "3"
    assert "'=1+1" not in single["printed"] and " =1+1" in single["printed"]  # the table shows the name
    _, records = report.read_csv(single["csv"])
    assert {r["student"] for r in records} >= {"=1+1"}  # and it reads back as it was


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "'=x", "'"])
def test_every_formula_start_is_escaped_and_reads_back(tmp_path, text):
    rows = [report.Row("a.ipynb", {"01.1": 1}, {"01.1": 1}, status=text, student=text)]
    report.write_csv(rows, tmp_path / "g.csv")
    with open(tmp_path / "g.csv", newline="", encoding="utf-8") as f:
        cells = list(csv.reader(f))[1]
    assert cells[3] == cells[4] == "'" + text
    _, (record,) = report.read_csv(tmp_path / "g.csv")
    assert record["status"] == record["student"] == text
    assert report.escape("ok") == "ok" and report.escape("a=1") == "a=1" and report.escape("") == ""


def test_duplicate_student_ids_are_reported_and_kept_apart(single):
    first, late = single["by_name"]["ada.ipynb"], single["by_name"]["late/ada.ipynb"]
    assert first["student"] == late["student"] == "ada" and first["submission"] != late["submission"]
    assert first["status"] == late["status"] == "duplicate student id (2 submissions)"
    assert first["total"] == late["total"] == "3"
    assert "warning: student id 'ada' has 2 submissions" in single["err"]


def test_run_times_are_beside_the_gradebook(single):
    timings = report.read_timings(report.timings_path(single["csv"]))
    assert [t["submission"] for t in timings] == [r[0] for r in single["rows"][1:]]
    assert all(float(t["seconds"]) > 0 for t in timings)


def test_the_printed_table_is_the_gradebook(single):
    lines = single["printed"].splitlines()
    assert lines[0].split() == single["rows"][0]
    assert lines[1].split() == ["(max)", "2", "1", "3"]


def test_canvas_and_gradescope_formats(single, tmp_path):
    code, printed, err = run("merge", str(single["csv"]), "--csv", str(tmp_path / "canvas.csv"), "--format", "canvas",
                             "--assignment", "Chapter 98")
    assert code == 0, err
    with open(tmp_path / "canvas.csv", newline="", encoding="utf-8") as f:
        canvas = list(csv.reader(f))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Chapter 98"]
    assert ["", "eve", "", "", "", "3"] in canvas[1:] and ["", "'=1+1", "", "", "", "3"] in canvas[1:]
    rows = [report.Row("x.ipynb", {"98.1": 2}, {"98.1": 2}, student="ada@uni.edu"),
            report.Row("y.ipynb", {"98.1": 0}, {"98.1": 2}, student="4711")]
    with io.StringIO(report.csv_text(rows, "gradescope")) as f:
        assert list(csv.reader(f)) == [["Name", "SID", "Email", "Total Score"], ["", "ada@uni.edu", "ada@uni.edu", "2"],
                                       ["", "4711", "", "0"]]
    with pytest.raises(ValueError, match="moodle, canvas, gradescope"):
        report.csv_text(rows, "excel")


# ----------------------------------------------------------------------------- hidden cases

def test_a_hidden_case_fails_what_the_visible_check_passes(single):
    assert single["by_name"]["ben.ipynb"]["98.1"] == "0" and single["by_name"]["ada.ipynb"]["98.1"] == "2"
    feedback = (single["csv"].parent / "feedback" / "ben.md").read_text()
    assert "failed a hidden case: far from 0 the sigmoid is near 0 or 1" in feedback


def test_hidden_cases_run_after_the_checker_and_keep_its_cases(world):
    q = _core.Question("98.9", 2, "t", "s", "h", lambda answer, rng: answer(rng.random()))
    seen = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_core, "_HIDDEN", {})

        @_core.hidden_case("98.9")
        def _case(answer, rng):
            seen.append(answer(-1.0))
            if answer(-1.0) < 0:
                raise _core.CheckFailed("negative for -1")

        ok = _core.run_checker(q, abs, np.random.default_rng(1))
        bad = _core.run_checker(q, lambda x: x, np.random.default_rng(1))
        wrong = _core.run_checker(q, lambda x: 1 / 0, np.random.default_rng(1))
    assert (ok.status, ok.points) == ("passed", 2)
    assert (bad.status, bad.points, bad.message) == ("failed", 0, "failed a hidden case: negative for -1")
    assert wrong.message.startswith("your code raised ZeroDivisionError") and seen == [1.0, -1.0]
    plain = np.random.default_rng(7)
    q.checker(lambda x: x, plain)
    assert _core._hidden_rng(np.random.default_rng(7)).random() != plain.random()  # a stream of its own


def test_a_hidden_case_for_no_question_is_refused(tmp_path):
    (tmp_path / "bad.py").write_text("from nnbook.grading import hidden_case\n"
                                     "@hidden_case('97.4')\ndef _(answer, rng):\n    pass\n")
    try:
        with pytest.raises(ValueError, match="hidden cases for 97.4, which no question has"):
            batch.load_checks([tmp_path / "bad.py"])
    finally:
        _core.clear_hidden_cases()


# ----------------------------------------------------------------------------- answers to review

def test_an_answer_that_only_calls_the_library_is_marked_for_review(single):
    cy = single["by_name"]["cy.ipynb"]
    assert cy["98.1"] == "2" and cy["review"] == "98.1"  # the points the check gave, and the mark
    assert all(r["review"] == "" for name, r in single["by_name"].items() if name != "cy.ipynb")


def _with_answer(source, qid="04.1", name="sigmoid"):
    nb = nbformat.read(Path(__file__).resolve().parents[1] / "solutions" / "04-activations.ipynb", as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and f'check("{qid}"' in c.source)
    nb.cells.insert(index, new_code_cell(source))
    return nb


@pytest.mark.parametrize("source", [
    "def sigmoid(z):\n    return nb.sigmoid(z)",
    "sigmoid = nb.sigmoid",
    "import nnbook\nsigmoid = nnbook.sigmoid",
    "from nnbook import sigmoid",
    "from nnbook.activations import sigmoid as _s\ndef sigmoid(z):\n    z = np.asarray(z, dtype=float)\n    return _s(z)",
    "sigmoid = lambda z: nb.Sigmoid().forward(z)",
])
def test_library_calls_are_marked(source):
    assert review.flagged(_with_answer(source), "04") == ("04.1",)


@pytest.mark.parametrize("source", [
    "def sigmoid(z):\n    out = 1 / (1 + np.exp(-z))\n    assert np.allclose(out, nb.sigmoid(z))\n    return out",
    "def sigmoid(z):\n    z = np.asarray(z, dtype=float)\n    return np.where(z >= 0, nb.sigmoid(z), 1 - nb.sigmoid(-z))",
])
def test_the_library_inside_a_computation_of_ones_own_is_not_marked(source):
    assert review.flagged(_with_answer(source), "04") == ()


def test_the_solutions_are_not_marked():
    for path in sorted((Path(__file__).resolve().parents[1] / "solutions").glob("*.ipynb")):
        assert review.flagged(nbformat.read(path, as_version=4), path.name[:2]) == (), path.name


def test_a_part_of_what_the_library_returns_is_marked():
    nb = nbformat.read(Path(__file__).resolve().parents[1] / "solutions" / "12-initialization.ipynb", as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and 'check("12.2"' in c.source)
    nb.cells.insert(index, new_code_cell("def xavier(n_in, n_out, rng):\n"
                                        "    W, b = nb.init.initialize('xavier', n_in, n_out, rng)\n    return W"))
    assert review.flagged(nb, "12") == ("12.2",)


def test_sigmoid_prime_may_call_the_library_sigmoid():
    source = "def sigmoid_prime(z):\n    s = nb.sigmoid(z)\n    return s * (1 - s)"
    assert review.flagged(_with_answer(source, "04.2"), "04") == ()
    assert review.flagged(_with_answer("sigmoid_prime = nb.sigmoid_prime", "04.2"), "04") == ("04.2",)


# ----------------------------------------------------------------------------- per-student variants

def test_each_student_gets_cases_of_their_own(world):
    folder = world["root"] / "variants"
    folder.mkdir()
    for name in ("ada", "cy", "dee"):
        nbformat.write(CLASS["ada.ipynb" if name == "ada" else f"{name}.ipynb"], folder / f"{name}.ipynb")
    kwargs = dict(jobs=1, use_sandbox=False, use_limits=False, progress=False, timeout=TIMEOUT,
                  question_timeout=QUESTION_TIMEOUT, extra_checks=[world["root"] / "checks.py"])
    rows = {r.student: r for r in grading.grade([folder], secret="s3cret", **kwargs)}
    seeds = {s: grading.student_seed(b"s3cret", s) for s in rows}
    assert {s: r.seed for s, r in rows.items()} == seeds and len(set(seeds.values())) == 3
    for student in ("cy", "dee"):  # the copied answer fails with the number drawn for this student
        x = int(grading.question_rng(seeds[student], "98.2").integers(1_000_000))
        assert rows[student].messages["98.2"] == f"expected {x} + 1 = {x + 1}, got 749685"
    assert rows["ada"].points == {"98.1": 2, "98.2": 1}
    assert report.header(list(rows.values()))[-3:] == ["student", "seed", "review"]
    assert grading.student_seed(b"s3cret", "cy") != grading.student_seed(b"other", "cy")
    same = {r.student: r.messages.get("98.2") for r in grading.grade([folder], seed=0, **kwargs)}
    x = int(grading.question_rng(0, "98.2").integers(1_000_000))
    assert same["cy"] == same["dee"] == f"expected {x} + 1 = {x + 1}, got 749685"  # without: one case for all


def test_seed_and_secret_exclude_each_other(tmp_path):
    code, _, err = run(str(tmp_path), "--seed", "3", "--secret", "x", "--no-sandbox")
    assert code == 2 and "--seed and --secret" in err
    (tmp_path / "empty").write_text("\n")
    code, _, err = run(str(tmp_path), "--secret-file", str(tmp_path / "empty"), "--no-sandbox")
    assert code == 2 and "is empty" in err


# ----------------------------------------------------------------------------- shards

def test_four_shards_merge_into_the_single_run_byte_for_byte(world, single):
    parts = []
    graded = []
    for k in range(1, 5):
        part = world["root"] / f"part-{k}.csv"
        code, printed, err = run(str(world["folder"]), "--shard", f"{k}/4", "--csv", str(part), *world["options"])
        assert code == 0, err
        parts.append(part)
        with open(part, newline="", encoding="utf-8") as f:
            graded += [r[0] for r in list(csv.reader(f))[1:]]
    assert sorted(graded) == sorted(r[0] for r in single["rows"][1:])  # each submission in one shard only
    merged = world["root"] / "merged.csv"
    code, printed, err = run("merge", *map(str, parts), "--csv", str(merged))
    assert code == 0, err
    assert merged.read_bytes() == single["bytes"]
    assert [t["submission"] for t in report.read_timings(report.timings_path(merged))] == \
        [r[0] for r in single["rows"][1:]]
    code, _, err = run("merge", *map(str, parts[:3]), "--csv", str(world["root"] / "three.csv"))
    assert code == 2 and "of the 4 shards are here" in err
    fullest = max(parts, key=lambda p: len(p.read_text().splitlines()))
    code, _, err = run("merge", str(fullest), str(fullest), "--csv", str(world["root"] / "twice.csv"))
    assert code == 2 and "is in both" in err


def test_a_shard_is_a_hash_of_the_path_not_a_position():
    names = [f"student-{i:03d}.ipynb" for i in range(200)]
    before = {n: grading.shard_of(n, 7) for n in names}
    after = {n: grading.shard_of(n, 7) for n in sorted(names + [f"new-{i}.ipynb" for i in range(50)])}
    assert all(after[n] == k for n, k in before.items())
    counts = np.bincount(list(before.values()), minlength=8)[1:]
    assert counts.min() > 10 and set(before.values()) == set(range(1, 8))


def test_a_shard_writes_the_full_gradebook(tmp_path):
    code, _, err = run(str(tmp_path), "--shard", "1/2", "--format", "canvas", "--no-sandbox")
    assert code == 2 and "leave out --only and --format" in err


@pytest.mark.parametrize("text", ["0/4", "5/4", "a/b", "3"])
def test_a_bad_shard_is_refused(text):
    with pytest.raises(SystemExit):
        with contextlib.redirect_stderr(io.StringIO()):
            cli.main(["grade", "x", "--shard", text])


# ----------------------------------------------------------------------------- process-tree limits

def test_limits_are_required_unless_no_limits(tmp_path, monkeypatch):
    nbformat.write(notebook(), tmp_path / "98-ada.ipynb")
    calls = []

    class Unavailable(grading.SandboxUnavailable):
        pass

    def require():
        calls.append(1)
        raise Unavailable("no cgroup can be had here: run as root, or pass --no-limits")

    fake = types.SimpleNamespace(require=require)
    monkeypatch.setitem(sys.modules, "nnbook.grading.limits", fake)
    monkeypatch.setattr(grading, "limits", fake, raising=False)  # where the real module was imported already
    code, _, err = run(str(tmp_path), "--no-sandbox", "--no-progress")
    assert code == 3 and "pass --no-limits" in err and calls == [1]
    seen = {}
    monkeypatch.setattr(grading, "grade", lambda *a, **k: seen.update(k) or [])
    run(str(tmp_path), "--no-sandbox", "--no-limits", "--no-progress")
    assert seen["use_limits"] is False and calls == [1]
