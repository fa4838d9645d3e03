"""Grading one notebook (``grade_notebook``); ``batch`` grades a class of them.

A submission's cells run in a fresh kernel (in the sandbox by default), each question's answer
bound where its check cell stands; then each question of the assignment's chapter is checked by
nnbook's own checker, in the grader's process, with its own time limit and random cases drawn
from ``seed`` (the same for every submission and every run). Only data crosses between the two
(``wire``). A question whose answer loops or kills the kernel costs that question only, however
many do: at its deadline the kernel is killed, and a fresh one runs the cells again for the next.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..checks import _core
from . import files, kernelside, notebook, remote
from .kernel import Kernel
from .report import Row, short

DEFAULT_TIMEOUT = 120.0  # seconds to run a notebook's cells
DEFAULT_QUESTION_TIMEOUT = 30.0  # seconds to check one question
DEFAULT_MEMORY_MB = 2048
DEFAULT_JOBS = 2
DEFAULT_SEED = 0


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
    """A fresh kernel: the grader's helper installed first, then the submission's cells run in
    order, and each wanted question's answer bound right where its check cell stands (the
    definition that cell saw; a later redefinition does not change it). A question without a
    check cell (or whose check cell named something not defined yet) is bound at the end, by
    the name its exercise asks for (``notebook.ANSWER_NAMES``) or by its check cell's expression.

    ``bound[qid]``: None once bound, else ``(outcome, message)``: why it cannot be checked.
    ``stopped_at``: the cell where the cells stopped (a time limit or the kernel's death), if any;
    ``stop_before`` runs only the cells before that one (a fresh kernel after such a stop)."""

    def __init__(self, run: Path, steps, settings: Settings, copy: Path, wanted, stop_before: int | None = None):
        self.notes: list[str] = []
        self.bound: dict[str, tuple | None] = {}
        self.stopped_at: int | None = None
        self.stop_message = ""
        self.settings = settings
        self.kernel = Kernel(run, settings.memory_mb, use_sandbox=settings.sandbox, notebook=copy,
                             limits=settings.limits)
        try:
            out = self.kernel.execute(kernelside.setup_code(), time.monotonic() + 60, store_history=False)
            self.ready = out.status == "ok"
            if not self.ready:
                self.notes.append(f"the grader could not set up ({out.ename or out.status}: {short(out.evalue)})")
                return
            self._run(steps, list(wanted), stop_before)
        except BaseException:
            self.kernel.shutdown()
            raise

    def _run(self, steps, wanted, stop_before):
        settings, kernel = self.settings, self.kernel
        deadline, errors = time.monotonic() + settings.timeout, 0
        late = {}  # qid -> what to bind at the end: its check cell named something not defined there
        for step in steps:
            if stop_before is not None and step.index >= stop_before:
                return
            if step.source is not None:
                out = kernel.execute(step.source, deadline)
                if out.status == "error":
                    errors += 1
                    if errors <= 3:
                        self.notes.append(f"cell {step.index} raised {out.ename}: {short(out.evalue, 100)}")
                    elif errors == 4:
                        self.notes.append("more cells raised")
                elif out.status in ("timeout", "dead"):
                    self.stopped_at = step.index
                    self.stop_message = (f"time limit of {settings.timeout:g} s reached in cell {step.index}"
                                         if out.status == "timeout" else
                                         f"the kernel died in cell {step.index}{_exit_text(kernel)}")
                    self.notes.append(self.stop_message)
                    return
            for qid, expr in step.checks:
                if qid in wanted:
                    late.pop(qid, None)
                    if self._bind(qid, expr, deadline) == "NameError":
                        late[qid] = expr
                    if not self.usable():
                        return
        for qid in wanted:
            if qid in late or qid not in self.bound:
                name = late.get(qid) or notebook.ANSWER_NAMES.get(qid)
                if name is None:
                    self.bound[qid] = ("not attempted", f'no check("{qid}", ...) cell')
                elif self._bind(qid, name, deadline) == "NameError" and qid not in late:
                    self.bound[qid] = ("not attempted", f'no check("{qid}", ...) cell, and no `{name}` defined')
                if not self.usable():
                    return

    def _bind(self, qid: str, expr: str, cell_deadline: float) -> str:
        """Evaluate the answer ``expr`` of ``qid`` now and keep it in the kernel; its error's name, or ""."""
        deadline = min(cell_deadline, time.monotonic() + self.settings.question_timeout)
        out, result = self.kernel.expression(f"{kernelside.HELPER}.bind({qid!r}, lambda: ({expr}\n))", deadline,
                                             interrupt=True)
        if out.status in ("timeout", "dead"):
            self.bound[qid] = ("not checked", _stopped(self.kernel, self.settings, "evaluating"))
            return out.status
        if out.status != "ok" or result.get("status") != "ok":
            ename = str(result.get("ename", out.ename or out.status))
            evalue = result.get("evalue", out.evalue)
            self.bound[qid] = ("failed", f"the answer `{short(expr, 40)}` could not be evaluated: "
                                         f"{short(ename, 40)}: {short(evalue, 80)}")
            return ename
        self.bound[qid] = None
        return ""

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
    steps = notebook.plan(nb, settings.chapter)
    where = {qid: step.index for step in steps for qid, _ in step.checks}  # each question's last check cell
    labels = {qid: expr for step in steps for qid, expr in step.checks}
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="nnbook-grade-") as tmp:  # the grader's own: the sandbox never sees it
        run = Path(tmp)
        copy = run / "submission.ipynb"
        copy.write_bytes(data)  # the bytes read and parsed above: what every kernel gets, read-only
        session, sessions, stop_before = None, 0, None
        try:
            for qid in qids:
                while qid not in row.outcomes:
                    if sessions > len(qids) + 1:  # cannot happen: each kernel decides a question at least
                        _zero(row, [q for q in qids if q not in row.outcomes], "not checked (the grader gave up)")
                        break
                    if session is None or not session.usable():
                        # The first kernel, or a fresh one after a question that looped or killed it.
                        if session is not None:
                            session.kernel.shutdown()
                            session = None
                        wanted = [q for q in qids if q not in row.outcomes]
                        try:
                            session = _Session(run, steps, settings, copy, wanted, stop_before)
                        except Exception as exc:
                            _zero(row, wanted, "not graded")
                            row.status = f"the kernel did not start: {short(exc)}"
                            return row
                        sessions += 1
                        if sessions == 1:
                            notes += session.notes
                        _settle(session, row, wanted, where)
                        if session.stopped_at is not None:
                            stop_before = min(stop_before or session.stopped_at, session.stopped_at)
                        continue
                    state = session.bound.get(qid, "missing")
                    if state is None:
                        _grade_question(session, row, qid, labels.get(qid, notebook.ANSWER_NAMES.get(qid, qid)),
                                        settings)
                    elif state == "missing":  # not reached: a fresh kernel binds it
                        session.kernel.stuck = True
        finally:
            if session is not None:
                session.kernel.shutdown()
    slow = [q for q in qids if row.outcomes.get(q) == "not checked" and "time limit" in row.messages.get(q, "")
            and "reached in cell" not in row.messages.get(q, "")]
    if slow:
        notes.append(f"time limit of {settings.question_timeout:g} s reached in {', '.join(slow)}")
    died = [q for q in qids if "kernel died while" in row.messages.get(q, "") and row.outcomes.get(q) == "not checked"]
    if died and not any("kernel died" in n for n in notes):
        notes.append(f"the kernel died while checking {', '.join(died)}")
    row.status = "; ".join(notes) if notes else "ok"
    row.seconds = time.monotonic() - start
    return row


def _settle(session: _Session, row: Row, wanted, where):
    """Record the questions that a new session already decided: not bound, or never reached."""
    for qid in wanted:
        q = _core.get_question(qid)
        state = session.bound.get(qid, "missing")
        if not session.ready:
            state = ("not checked", "not checked (the grader could not set up)")
        elif state == "missing" and session.stopped_at is not None and where.get(qid, 1 << 30) >= session.stopped_at:
            state = ("not checked", f"not checked ({session.stop_message})")
        if isinstance(state, tuple):
            row.max_points[qid], row.points[qid] = q.points, 0
            row.outcomes[qid], row.messages[qid] = state


def _grade_question(session: _Session, row: Row, qid: str, label: str, settings: Settings):
    """Run ``qid``'s checker, in this process, on the answer bound in the kernel (a ``remote.Remote``)."""
    q = _core.get_question(qid)
    row.max_points[qid], row.points[qid] = q.points, 0
    kernel = session.kernel
    deadline = time.monotonic() + settings.question_timeout
    proxy = remote.Remote(kernel, qid, deadline, short(label, 40))
    stops = kernel.stops
    try:
        with _core.scratch_root(session.kernel.scratch):  # files the checker asks for: this kernel's folder
            result = _core.run_checker(q, proxy, question_rng(settings.seed, qid))
    except remote.Stop as exc:
        if isinstance(exc, remote.Refused) and kernel.stops == stops:
            row.outcomes[qid], row.messages[qid] = "failed", short(exc, 300)
        else:
            row.outcomes[qid], row.messages[qid] = "not checked", _stopped(kernel, settings)
        return
    if kernel.stops > stops:  # whatever the checker concluded, the answer did not finish
        row.outcomes[qid], row.messages[qid] = "not checked", _stopped(kernel, settings)
        return
    row.points[qid] = result.points
    row.outcomes[qid] = result.status
    if result.status != "passed":
        row.messages[qid] = result.message or result.status


def _stopped(kernel: Kernel, settings: Settings, doing: str = "checking") -> str:
    if kernel.dead or not kernel.alive():
        return f"the kernel died while {doing} this answer{_exit_text(kernel)}"
    return f"the time limit of {settings.question_timeout:g} s was reached while {doing} this answer"
