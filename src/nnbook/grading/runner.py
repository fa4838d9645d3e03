"""Grading one notebook (``grade_notebook``); ``batch`` grades a class of them.

A submission's cells run in a fresh kernel (in the sandbox by default), then each question of
the assignment's chapter is checked by nnbook's own checker, in the grader's process, with its
own time limit and random cases drawn from ``seed`` (the same for every submission and every
run). A question whose answer loops or kills the kernel costs that question: the kernel is
started afresh (the cells run again) for the next one.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..checks import _core
from . import files, kernelside, notebook, wire
from .kernel import Kernel
from .report import Row, short

DEFAULT_TIMEOUT = 120.0  # seconds to run a notebook's cells
DEFAULT_QUESTION_TIMEOUT = 30.0  # seconds to check one question
DEFAULT_MEMORY_MB = 2048
DEFAULT_JOBS = 2
DEFAULT_SEED = 0
MAX_RESTARTS = 2  # fresh kernels per submission after a question that looped or killed its kernel


@dataclass(frozen=True)
class Settings:
    chapter: str
    timeout: float = DEFAULT_TIMEOUT
    question_timeout: float = DEFAULT_QUESTION_TIMEOUT
    memory_mb: float = DEFAULT_MEMORY_MB
    seed: int = DEFAULT_SEED
    sandbox: bool = True
    limits: bool = True  # each kernel's process tree in a control group (limits.Group)


def question_rng(seed: int, qid: str) -> np.random.Generator:
    """The random cases of question ``qid``: fixed by ``seed``, the same for every submission."""
    return np.random.default_rng([int(seed), *(int(p) for p in qid.split("."))])


class _Session:
    """A kernel with the submission's cells run in it and the grader's helper installed."""

    def __init__(self, run: Path, nb, settings: Settings, copy: Path):
        self.notes: list[str] = []
        self.kernel = Kernel(run, settings.memory_mb, use_sandbox=settings.sandbox, notebook=copy,
                             limits=settings.limits)
        self.ready = self._run_cells(nb, settings.timeout)
        if self.ready:
            out = self.kernel.execute(kernelside.setup_code(), time.monotonic() + 60)
            if out.status != "ok":
                self.notes.append(f"the grader could not set up ({out.ename or out.status}: {short(out.evalue)})")
                self.ready = False

    def _run_cells(self, nb, timeout: float) -> bool:
        deadline, errors = time.monotonic() + timeout, 0
        for index, cell in enumerate(nb.cells, start=1):
            if cell.cell_type != "code" or notebook.is_feedback_cell(notebook.parse(cell.source)):
                continue
            out = self.kernel.execute(cell.source, deadline)
            if out.status == "error":
                errors += 1
                if errors <= 3:
                    self.notes.append(f"cell {index} raised {out.ename}: {short(out.evalue, 100)}")
                elif errors == 4:
                    self.notes.append("more cells raised")
            elif out.status == "timeout":
                self.notes.append(f"time limit of {timeout:g} s reached in cell {index}")
                return False
            elif out.status == "dead":
                self.notes.append(f"the kernel died in cell {index}{_exit_text(self.kernel)}")
                return False
        return True

    def usable(self) -> bool:
        return self.ready and not self.kernel.stuck and self.kernel.alive()


def _exit_text(kernel: Kernel) -> str:
    code = kernel.exit_code()
    return f" (exit code {code})" if code is not None else ""


def _zero(row: Row, qids, message: str, outcome: str = "not checked"):
    for qid in qids:
        q = _core.get_question(qid)
        row.points[qid], row.max_points[qid], row.messages[qid], row.outcomes[qid] = 0, q.points, message, outcome


def grade_notebook(path, settings: Settings, *, label: str | None = None, student: str = "") -> Row:
    """Grade one submitted notebook for ``settings.chapter``; never raises for anything it does."""
    import nbformat

    path = Path(path)
    row = Row(label or str(path), student=student or path.stem)
    start = time.monotonic()
    qids = _core.questions(settings.chapter)
    try:
        data = files.read_submission(path)
    except files.Refused as exc:
        _zero(row, qids, "not graded")
        row.status = str(exc)
        return row
    try:
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
        nbformat.validate(nb)
    except Exception as exc:
        _zero(row, qids, "not graded")
        row.status = f"not a valid notebook: {short(type(exc).__name__ + ': ' + str(exc), 120)}"
        return row
    own = notebook.chapter_of(nb, path)
    if own is not None and own != settings.chapter:
        _zero(row, qids, "not graded: another chapter's notebook")
        row.status = f"wrong chapter: this is chapter {own}'s notebook, graded for chapter {settings.chapter}"
        return row
    answers = notebook.answer_expressions(nb, settings.chapter)
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="nnbook-grade-") as tmp:  # the grader's own: the sandbox never sees it
        run = Path(tmp)
        copy = run / "submission.ipynb"
        copy.write_bytes(data)  # the bytes read and parsed above: what every kernel gets, read-only
        session, restarts = None, 0
        try:
            for qid in qids:
                if session is not None and not session.usable() and session.ready and restarts < MAX_RESTARTS:
                    session.kernel.shutdown()  # the last question looped or killed it: start afresh
                    session, restarts = None, restarts + 1
                if session is None:
                    try:
                        session = _Session(run, nb, settings, copy)
                    except Exception as exc:
                        _zero(row, qids, "not graded")
                        row.status = f"the kernel did not start: {short(exc)}"
                        return row
                    notes += [n for n in session.notes if n not in notes]
                _grade_question(session, row, qid, answers.get(qid), settings)
        finally:
            _core.SCRATCH_DIR = None
            if session is not None:
                session.kernel.shutdown()
    slow = [q for q in qids if row.outcomes.get(q) == "not checked" and "time limit" in row.messages.get(q, "")]
    if slow:
        notes.append(f"time limit of {settings.question_timeout:g} s reached in {', '.join(slow)}")
    died = [q for q in qids if "kernel died" in row.messages.get(q, "") and row.outcomes.get(q) == "not checked"]
    if died and not any("kernel died" in n for n in notes):
        notes.append(f"the kernel died while checking {', '.join(died)}")
    row.status = "; ".join(notes) if notes else "ok"
    row.seconds = time.monotonic() - start
    return row


def _grade_question(session: _Session, row: Row, qid: str, expr: str | None, settings: Settings):
    q = _core.get_question(qid)
    row.max_points[qid], row.points[qid], row.outcomes[qid] = q.points, 0, "failed"
    kernel = session.kernel
    if expr is None:
        row.messages[qid], row.outcomes[qid] = f'no check("{qid}", ...) cell', "not attempted"
        return
    if not session.usable():
        why = "the kernel died" if kernel.dead else "the time limit was reached" if kernel.stuck else \
            "the notebook did not run to the end"
        row.messages[qid], row.outcomes[qid] = f"not checked ({why})", "not checked"
        return
    deadline = time.monotonic() + settings.question_timeout
    out = kernel.execute("", deadline, user_expressions={
        "r": f"__nnbook_grade__.bind({qid!r}, lambda: ({expr}\n))"})
    result = out.reply.get("user_expressions", {}).get("r", {}) if out.status == "ok" else {}
    if out.status in ("timeout", "dead"):
        row.messages[qid], row.outcomes[qid] = _stopped(kernel, settings), "not checked"
        return
    if result.get("status") != "ok":
        ename, evalue = result.get("ename", out.ename or out.status), result.get("evalue", out.evalue)
        row.messages[qid] = f"the answer `{short(expr, 40)}` could not be evaluated: {ename}: {short(evalue, 80)}"
        return
    proxy = wire.Remote(kernel, qid, deadline, short(expr, 40))
    stops = kernel.stops
    result = _core.run_checker(q, proxy, question_rng(settings.seed, qid))
    if kernel.stops > stops:  # whatever the checker concluded, the answer did not finish
        row.messages[qid], row.outcomes[qid] = _stopped(kernel, settings), "not checked"
        return
    row.points[qid] = result.points
    row.outcomes[qid] = result.status
    if result.status != "passed":
        row.messages[qid] = result.message or result.status


def _stopped(kernel: Kernel, settings: Settings) -> str:
    if kernel.dead:
        return f"the kernel died while checking this answer{_exit_text(kernel)}"
    return f"the time limit of {settings.question_timeout:g} s was reached while checking this answer"
