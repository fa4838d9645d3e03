"""The graded exercises: the generator, the solution notebooks (nbval) and the exercises (strict mode).

* ``exercises/`` must be exactly what ``make exercises`` writes from ``solutions/``.
* Every solution notebook passes ``pytest --nbval`` (outputs compared, sanitised by
  ``tests/nbval_sanitize.cfg``) and every one of its checks passes.
* Every exercise notebook runs to the end with its stubs in place, and in strict mode
  (``NNBOOK_STRICT=1``) every question in it is checked and fails on its stub.

The sample notebook built here (chapter "99", questions registered in one of its cells) lets
the machinery be tested whatever chapters exist.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from grading_support import EXERCISES, ROOT, SAMPLE_QUESTIONS, SOLUTIONS, gen, sample_solution

SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"


def register_sample_questions() -> None:
    """Register chapter 99's questions in this process (what the notebook's cell does in its kernel)."""
    exec(compile(SAMPLE_QUESTIONS, "<sample questions>", "exec"), {"__name__": "sample_chapter_99"})


def execute(nb, cwd, env=None, timeout=120):
    """Run ``nb`` in place in a fresh ``python3`` kernel (this environment's), in ``cwd``."""
    client = NotebookClient(nb, kernel_name="python3", timeout=timeout, allow_errors=True,
                            resources={"metadata": {"path": str(cwd)}})
    client.execute(env={**os.environ, **(env or {})})
    return nb


def errors(nb) -> list[str]:
    return [f"cell {i + 1}: {o.get('ename')}: {o.get('evalue')}" for i, c in enumerate(nb.cells)
            if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]


def checked_qids(nb) -> list[str]:
    """The question ids of the notebook's ``check("NN.k", ...)`` calls, in order."""
    ids = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(gen._python_source(gen._text(cell)))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "check"
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                ids.append(node.args[0].value)
    return ids


def read_results(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def output_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            parts.append(o.get("text", "") if o.output_type == "stream" else o.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


# --------------------------------------------------------------------------------------------
# The generator


def test_stub_replaces_region_at_its_indentation():
    src = ("class Layer:\n    def forward(self, X):\n        Z = X\n        ### BEGIN SOLUTION\n"
           "        Z = X * 2\n        return Z\n        ### END SOLUTION\n\n"
           "def f(x):\n    if x:\n        ### BEGIN SOLUTION\n        return 1\n        ### END SOLUTION\n    return 0")
    out, n = gen.strip_solution(src)
    assert n == 2
    assert out == ("class Layer:\n    def forward(self, X):\n        Z = X\n        # YOUR CODE HERE\n"
                   "        raise NotImplementedError\n\n"
                   "def f(x):\n    if x:\n        # YOUR CODE HERE\n        raise NotImplementedError\n    return 0")


def test_code_without_markers_is_unchanged():
    src = "%matplotlib inline\nx = 1\nprint(x)"
    assert gen.strip_solution(src) == (src, 0)


@pytest.mark.parametrize("src, message", [
    ("def f():\n    ### BEGIN SOLUTION\n    return 1", "never closed"),
    ("def f():\n    return 1\n    ### END SOLUTION", "without a"),
    ("def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION", "inside the region"),
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n### END SOLUTION", "indented differently"),
    ("def f():\n    ## BEGIN SOLUTION\n    return 1\n    ## END SOLUTION", "malformed marker"),
    ("### BEGIN SOLUTION\ny = 2\n### END SOLUTION", "not inside a function body"),
    ("if True:\n    ### BEGIN SOLUTION\n    y = 2\n    ### END SOLUTION", "not inside a function body"),
    ("class A:\n    ### BEGIN SOLUTION\n    y = 2\n    ### END SOLUTION", "not inside a function body"),
    ("def f():\n    pass\n### BEGIN SOLUTION\ny = 2\n### END SOLUTION", "not inside a function body"),
])
def test_bad_markers_are_reported(src, message):
    with pytest.raises(gen.MarkerError, match=message):
        gen.strip_solution(src, "solutions/99-sample.ipynb, cell 3")


def test_markers_in_markdown_and_notebooks_without_regions_are_errors():
    nb = sample_solution()
    nb.cells[3].source += "\n\n### BEGIN SOLUTION\n"
    with pytest.raises(gen.MarkerError, match="belong in code cells"):
        gen.make_exercise(nb, "99-sample.ipynb")
    nb = sample_solution()
    nb.cells = [c for c in nb.cells if "BEGIN SOLUTION" not in gen._text(c)]
    with pytest.raises(gen.MarkerError, match="nothing to do"):
        gen.make_exercise(nb, "99-sample.ipynb")


def test_exercise_notebook_from_sample():
    sol = sample_solution()
    sol.cells[4].outputs = [nbformat.v4.new_output("stream", text="leftover\n")]
    sol.cells[4].execution_count = 3
    ex = gen.make_exercise(gen.tag_solution(sol), "99-sample.ipynb")
    assert ex.cells[0].source.startswith("# Exercises 99: a sample chapter")
    assert "blob/main/exercises/99-sample.ipynb" in ex.cells[0].source
    assert "solutions/" not in ex.cells[0].source
    assert ex.cells[4].source == ('def my_sigmoid(z):\n    """Elementwise sigmoid."""\n'
                                  "    # YOUR CODE HERE\n    raise NotImplementedError")
    assert "tags" not in ex.cells[4].metadata  # the stub is shown, not collapsed
    assert all(c.outputs == [] and c.execution_count is None for c in ex.cells if c.cell_type == "code")
    kept = [i for i, c in enumerate(sol.cells) if c.cell_type == "code" and "SOLUTION" not in c.source]
    assert [ex.cells[i].source for i in kept if i != 0] == [sol.cells[i].source for i in kept if i != 0]
    assert len(ex.cells) == len(sol.cells)
    assert ex.cells[3].source.startswith("## Question 99.1")  # "#" then "###" would fail the build
    nbformat.validate(ex)


def test_solution_cells_are_tagged_for_the_book_and_tagging_is_idempotent():
    tagged = gen.tag_solution(sample_solution())
    assert [c.metadata.get("tags") for c in tagged.cells if "BEGIN SOLUTION" in gen._text(c)] == \
           [["hide-input"], ["hide-input"]]
    assert tagged.cells[6].source.startswith("## Question 99.2")
    assert gen.render(gen.tag_solution(tagged)) == gen.render(tagged)


def test_make_exercises_in_a_repository(tmp_path):
    (tmp_path / "solutions").mkdir()
    toc = (tmp_path / "_toc.yml")
    toc.write_text("format: jb-book\nroot: book/intro\nparts:\n  - caption: Practice\n    chapters:\n"
                   "      - file: book/11-training\n  - caption: Reference\n    chapters:\n      - file: book/errata\n")
    nbformat.write(sample_solution(), tmp_path / "solutions" / "99-sample.ipynb")
    assert gen.stale(tmp_path)  # nothing generated yet
    assert gen.main(["--root", str(tmp_path), "--check"]) == 1
    assert gen.main(["--root", str(tmp_path)]) == 0
    assert gen.stale(tmp_path) == []
    assert gen.main(["--root", str(tmp_path), "--check"]) == 0
    text = toc.read_text()
    assert text.index("caption: Practice") < text.index("caption: Exercises") < text.index("caption: Reference")
    assert "      - file: exercises/99-sample\n        sections:\n          - file: solutions/99-sample\n" in text
    assert "      - file: book/11-training\n" in text and "      - file: book/errata\n" in text
    ex = nbformat.read(tmp_path / "exercises" / "99-sample.ipynb", as_version=4)
    assert "raise NotImplementedError" in ex.cells[4].source
    # a hand edit of the exercise is caught
    path = tmp_path / "exercises" / "99-sample.ipynb"
    path.write_text(path.read_text().replace("raise NotImplementedError", "return 0.5"))
    assert any("99-sample.ipynb is not what" in p for p in gen.stale(tmp_path))
    assert gen.main(["--root", str(tmp_path)]) == 0 and gen.stale(tmp_path) == []
    # an exercise without its solution, and a solution without its exercise
    nbformat.write(sample_solution(), tmp_path / "exercises" / "98-orphan.ipynb")
    assert any("98-orphan.ipynb has no solution" in p for p in gen.stale(tmp_path))
    nbformat.write(sample_solution(), tmp_path / "solutions" / "97-new.ipynb")
    assert any("exercises/97-new.ipynb is missing" in p for p in gen.stale(tmp_path))
    # bad markers stop the generator with the notebook and cell named, writing nothing
    bad = sample_solution()
    bad.cells[7].source = "### BEGIN SOLUTION\nanswer = 0.5\n### END SOLUTION"
    nbformat.write(bad, tmp_path / "solutions" / "96-bad.ipynb")
    with pytest.raises(gen.MarkerError, match=r"96-bad.ipynb, cell 8, line 1: the solution region is not inside"):
        gen.plan(tmp_path)
    assert gen.main(["--root", str(tmp_path)]) == 2
    assert not (tmp_path / "exercises" / "96-bad.ipynb").exists()


def test_exercises_are_what_make_exercises_writes():
    problems = gen.stale(ROOT)
    assert problems == [], "run `make exercises`:\n" + "\n".join(problems)


def test_every_exercise_has_its_solution_and_back():
    assert [p.name for p in EXERCISES] == [p.name for p in SOLUTIONS]


def test_no_answer_calls_an_earlier_answer():
    """Each question is checked on its own: a solution never calls a function that an earlier
    question of its notebook asks the learner to write, so a mistake there is not paid twice."""
    for path in SOLUTIONS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        earlier: list[str] = []
        for cell in nb["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] != "code" or gen.BEGIN not in source:
                continue
            own = re.findall(r"^def (\w+)\(", source, re.M)
            called = [name for name in earlier if name not in own and re.search(rf"(?<![\w.]){name}\(", source)]
            assert not called, f"{path.name}: {own} calls the earlier answer(s) {called}"
            earlier += own


def test_opening_an_exercise_in_jupyterlab_changes_nothing():
    """JupyterLab (4.x, NotebookPanel) writes the kernel's spec and language_info into a notebook
    when the kernel starts, and marks the notebook modified if either differs from the file: an
    exercise must carry exactly what ipykernel reports here, and the current format (4.5, cell ids)
    so that nothing is upgraded on load."""
    from ipykernel.ipkernel import IPythonKernel
    from ipykernel.kernelspec import KERNEL_NAME, get_kernel_dict

    spec = get_kernel_dict()
    written_by_lab = {"name": KERNEL_NAME, "display_name": spec["display_name"], "language": spec["language"]}
    for path in EXERCISES:
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["metadata"]["kernelspec"] == written_by_lab, f"{path.name}: the kernelspec JupyterLab rewrites"
        # (its version is the Python the solutions ran on: another Python updates that one field)
        info = {k: v for k, v in IPythonKernel.language_info.items() if k != "version"}
        saved = {k: v for k, v in nb["metadata"]["language_info"].items() if k != "version"}
        assert saved == info, f"{path.name}: language_info differs from the kernel's"
        assert (nb["nbformat"], nb["nbformat_minor"]) == (4, 5)
        assert all(cell.get("id") for cell in nb["cells"])


# --------------------------------------------------------------------------------------------
# Feedback in a notebook: pass, fail, not attempted, score


def test_sample_notebooks_run_and_show_the_verdicts(tmp_path):
    sol = execute(sample_solution(), tmp_path)
    assert errors(sol) == []
    text = output_text(sol)
    assert "PASS  99.1  The sigmoid  (2 of 2 points)" in text
    assert "Score so far for chapter 99: 3 of 3 points" in text
    # each check cell shows its verdict once (not again as the cell's value)
    assert [len(c.outputs) for c in sol.cells if c.cell_type == "code" and c.source.startswith(("check", "score"))] == [1, 1, 1]
    assert "PASS</strong>" in sol.cells[5].outputs[0].data["text/html"]

    ex = execute(gen.make_exercise(sample_solution(), "99-sample.ipynb"), tmp_path)
    assert errors(ex) == []
    text = output_text(ex)
    assert text.count("NOT ATTEMPTED YET") == 2 and "Traceback" not in text and "FAIL" not in text
    assert "Score so far for chapter 99: 0 of 3 points" in text


# --------------------------------------------------------------------------------------------
# Solution notebooks: nbval, and every check passes


def _nbval(paths, results: Path, workers: int = 2):
    cmd = [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "--nbval-cell-timeout=300",
           "--nbval-sanitize-with", str(SANITIZE), "-p", "no:cacheprovider", "-q", "-rf",
           "-W", "ignore::DeprecationWarning"]
    if workers > 1 and len(paths) > 1:
        cmd += ["-n", str(min(workers, len(paths))), "--dist", "loadfile"]
    env = dict(os.environ, NNBOOK_RESULTS=str(results), PYTHONHASHSEED="0")
    env.pop("NNBOOK_STRICT", None)
    return subprocess.run(cmd + [str(p) for p in paths], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=900)


def test_nbval_wiring_on_the_sample(tmp_path):
    """nbval with this sanitize file passes an executed notebook and catches a changed output."""
    nb = execute(sample_solution(), tmp_path)
    nbformat.write(nb, tmp_path / "99-good.ipynb")
    nb.cells[5].outputs[0].data["text/plain"] = nb.cells[5].outputs[0].data["text/plain"].replace("2 of 2", "1 of 2")
    nbformat.write(nb, tmp_path / "99-changed.ipynb")
    run = _nbval([tmp_path / "99-good.ipynb", tmp_path / "99-changed.ipynb"], tmp_path / "results.jsonl", workers=1)
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    assert "1 failed, 13 passed" in run.stdout and "Cell outputs differ" in run.stdout, run.stdout[-3000:]
    assert "PASS  99.1  The sigmoid  (1 of 2 points)" in run.stdout  # the changed cell is the one that failed
    statuses = {(r["qid"], r["status"]) for r in read_results(tmp_path / "results.jsonl")}
    assert statuses == {("99.1", "passed"), ("99.2", "passed")}


@pytest.mark.skipif(not SOLUTIONS, reason="no solution notebooks in solutions/ yet")
def test_solution_notebooks_pass_nbval_and_every_check(tmp_path):
    results = tmp_path / "results.jsonl"
    run = _nbval(SOLUTIONS, results)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    got = {}
    for r in read_results(results):
        got.setdefault(r["qid"], set()).add(r["status"])
    for path in SOLUTIONS:
        nb = nbformat.read(path, as_version=4)
        for qid in checked_qids(nb):
            assert got.get(qid) == {"passed"}, f"{path.name}: question {qid} -> {got.get(qid)}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_solution_layout(path):
    """The check cells cover exactly the chapter's registered questions, and the last cell scores them."""
    from nnbook.checks import questions

    nb = nbformat.read(path, as_version=4)
    chapter = path.name[:2]
    ids = checked_qids(nb)
    assert ids, f"{path.name} has no check cells"
    assert sorted(set(ids)) == sorted(ids), f"{path.name} checks a question twice: {ids}"
    assert {q.split(".")[0] for q in ids} == {chapter}, f"{path.name} checks other chapters' questions: {ids}"
    assert set(ids) == set(questions(chapter)), \
        f"{path.name} checks {sorted(ids)}; src/nnbook/checks/ch{chapter}.py registers {questions(chapter)}"
    last = [c for c in nb.cells if c.cell_type == "code"][-1]
    assert re.fullmatch(rf"""score\(["']{chapter}["']\)\s*""", gen._text(last)), \
        f"{path.name}: the last code cell should be score(\"{chapter}\")"


# --------------------------------------------------------------------------------------------
# Exercise notebooks: run to the end; in strict mode every question fails on its stub


def strict_run(path_or_nb, cwd, results: Path):
    nb = path_or_nb if isinstance(path_or_nb, nbformat.NotebookNode) else nbformat.read(path_or_nb, as_version=4)
    return execute(nb, cwd, env={"NNBOOK_STRICT": "1", "NNBOOK_RESULTS": str(results)})


def assert_every_blank_is_real(nb, results: Path, name: str):
    assert errors(nb) == [], f"{name} does not run to the end: {errors(nb)}"
    ids = checked_qids(nb)
    assert ids, f"{name} has no check cells"
    recorded = {}
    for r in read_results(results):
        recorded.setdefault(r["qid"], []).append(r)
    missing = sorted(set(ids) - set(recorded))
    assert not missing, f"{name}: questions {missing} were never checked"
    for qid in ids:
        for r in recorded[qid]:
            assert r["strict"] and r["status"] == "failed" and r["reason"] == "stub", \
                f"{name}: question {qid} with its stub in place gave {r} (expected a failure on the stub)"


def test_strict_mode_on_the_sample(tmp_path):
    ex = strict_run(gen.make_exercise(sample_solution(), "99-sample.ipynb"), tmp_path, tmp_path / "r.jsonl")
    assert_every_blank_is_real(ex, tmp_path / "r.jsonl", "99-sample.ipynb")
    assert output_text(ex).count("FAIL  99.") == 2
    # a blank that is not real (the checker never calls the answer) is caught
    sol = sample_solution()
    sol.cells[2].source = sol.cells[2].source.replace("got = answer()", "got = 0.5")
    ex = strict_run(gen.make_exercise(sol, "99-sample.ipynb"), tmp_path, tmp_path / "r2.jsonl")
    with pytest.raises(AssertionError, match="question 99.2 with its stub in place gave"):
        assert_every_blank_is_real(ex, tmp_path / "r2.jsonl", "99-sample.ipynb")


@pytest.fixture(scope="module")
def strict_exercise_runs(tmp_path_factory):
    """Every exercise notebook run once in strict mode, two at a time."""
    tmp = tmp_path_factory.mktemp("strict")

    def run(path):
        results = tmp / f"{path.stem}.jsonl"
        cwd = tmp / path.stem  # whatever the notebook writes stays out of the repository
        cwd.mkdir()
        return path.name, (strict_run(path, cwd, results), results)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, EXERCISES))


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_exercise_runs_and_every_question_fails_in_strict_mode(path, strict_exercise_runs):
    nb, results = strict_exercise_runs[path.name]
    assert_every_blank_is_real(nb, results, path.name)


# --------------------------------------------------------------------------------------------
# The check core, in this process


@pytest.fixture
def sample_questions():
    from nnbook.checks import _core

    saved = dict(_core._RESULTS), dict(_core._QUESTIONS)
    register_sample_questions()
    _core.reset()
    yield _core
    for registry, old in zip((_core._RESULTS, _core._QUESTIONS), saved):
        registry.clear()
        registry.update(old)


def test_verdicts_in_plain_text(sample_questions, monkeypatch, capsys):
    core = sample_questions
    monkeypatch.delenv("NNBOOK_STRICT", raising=False)
    monkeypatch.setenv("NNBOOK_BOOK_URL", "https://example.org/nnbook")

    def stub(z):
        raise NotImplementedError

    r = core.check("99.1", stub)
    assert (r.status, r.reason, r.points) == ("not attempted", "stub", 0)
    assert capsys.readouterr().out.startswith("NOT ATTEMPTED YET  99.1  The sigmoid  (0 of 2 points)")
    r = core.check("99.1", lambda z: z)
    text = capsys.readouterr().out
    assert (r.status, r.reason) == ("failed", "wrong")
    assert text.splitlines()[0] == "FAIL  99.1  The sigmoid  (0 of 2 points)"
    assert "expected sigmoid(z) of shape" in text and "hint: sigma(z) = 1 / (1 + exp(-z))." in text
    assert "read: https://example.org/nnbook/book/04-activations.html" in text
    r = core.check("99.1", lambda z: 1 / 0)
    assert (r.status, r.reason) == ("failed", "error")
    assert "your code raised ZeroDivisionError: division by zero (in <lambda>, line" in capsys.readouterr().out
    r = core.check("99.2", lambda: 0.5)
    assert capsys.readouterr().out == "PASS  99.2  sigma(0)  (1 of 1 point)\n"
    got, total = core.score("99")
    assert (got, total) == (1, 3)
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Score so far for chapter 99: 1 of 3 points"
    assert "99.1   FAILED" in out and "99.2   PASSED" in out
    assert "<strong" in r.html() and "PASS" in r.html()


def test_strict_mode_and_the_results_file(sample_questions, monkeypatch, tmp_path):
    core = sample_questions
    monkeypatch.setenv("NNBOOK_STRICT", "1")
    monkeypatch.setenv("NNBOOK_RESULTS", str(tmp_path / "r.jsonl"))

    def stub():
        raise NotImplementedError

    r = core.check("99.2", stub, quiet=True)
    assert (r.status, r.reason) == ("failed", "stub")
    core.check("99.2", lambda: 0.5, quiet=True)
    assert [(x["qid"], x["status"], x["reason"], x["strict"]) for x in read_results(tmp_path / "r.jsonl")] == \
           [("99.2", "failed", "stub", True), ("99.2", "passed", "passed", True)]


def test_registry_rejects_bad_questions(sample_questions):
    core = sample_questions
    with pytest.raises(ValueError, match="question id such as"):
        core.question("5.3", points=1, title="t", section="s", hint="h")
    with pytest.raises(ValueError, match="positive integer number of points"):
        core.question("99.9", points=0, title="t", section="s", hint="h")
    with pytest.raises(ValueError, match="registered twice"):
        core.question("99.1", points=1, title="t", section="s", hint="h")(lambda answer, rng: None)
    with pytest.raises(KeyError, match="99.1, 99.2"):
        core.get_question("99.7")
    with pytest.raises(TypeError, match="question id"):
        core.check(99.1, lambda: 0)
    assert core.questions("99") == ["99.1", "99.2"] and core.questions(99) == ["99.1", "99.2"]
