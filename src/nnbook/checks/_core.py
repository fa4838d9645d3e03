"""The check registry and the feedback shown in the exercise notebooks.

``check("05.3", answer_05_3)`` runs question 05.3's checker on the learner's answer and shows
one verdict: PASS, FAIL (with what was expected, a hint and a link to the chapter section),
PARTLY RIGHT (a question whose parts are checked apart, some of them right: the same, with the
points earned, "2 of 3 points"), or NOT ATTEMPTED YET when the answer is still the
``raise NotImplementedError`` stub (no traceback).
``score("05")`` shows the points so far. In Jupyter the verdicts are small HTML boxes; the plain
text version (what nbval compares and what a terminal shows) says the same.

Environment variables:

``NNBOOK_STRICT=1``
    An untouched stub counts as a failure (the tests use it to prove that every blank is real).
``NNBOOK_RESULTS=path``
    Every verdict is also appended to ``path`` as one JSON line (``qid``, ``status``, ``reason``,
    ``points``, ``max_points``). For the tests only: the instructor's grader never reads it.
``NNBOOK_BOOK_URL``
    Where section links point (default: the local build inside the repository once ``make book``
    has run, the published book elsewhere; see ``nnbook._links``).
"""

from __future__ import annotations

import contextlib
import contextvars
import html
import importlib
import json
import os
import pkgutil
import re
import stat
import tempfile
from dataclasses import dataclass, field

import numpy as np

from .._links import section_url
_QID = re.compile(r"^\d{2}\.\d+$")


class CheckFailed(AssertionError):
    """Raised by a checker with a message that says what was expected and what came.

    ``points``: what the answer still earns (partial credit, for a question whose parts are
    independent; ``checks._answers.Parts`` counts them)."""

    def __init__(self, message="", points: int = 0):
        super().__init__(message)
        self.points = points


@dataclass(frozen=True)
class Question:
    qid: str  # "03.2": chapter 3, question 2
    points: int
    title: str
    section: str  # where the book explains it, e.g. "03-matrices.html#ch03-batch"
    hint: str
    checker: object  # callable(answer, rng) -> None, raises CheckFailed

    @property
    def chapter(self) -> str:
        return self.qid.split(".")[0]

    @property
    def url(self) -> str:
        """The section link: the locally built page, or the published one (see nnbook._links)."""
        return section_url(self.section)


class _Shown:
    """Shown once by the call that made it; shown again when displayed in a later cell."""

    def _show(self) -> None:
        ip = _ipython()
        if ip is None:
            print(self.text())
            return
        from IPython.display import display

        object.__setattr__(self, "_shown_in", ip.execution_count)
        display({"text/plain": self.text(), "text/html": self.html()}, raw=True)

    def _ipython_display_(self) -> None:
        ip = _ipython()
        if ip is not None and getattr(self, "_shown_in", None) == ip.execution_count:
            return  # the cell's last value: already shown by check() / score()
        from IPython.display import display

        display({"text/plain": self.text(), "text/html": self.html()}, raw=True)

    def __str__(self) -> str:
        return self.text()


@dataclass(frozen=True)
class Result(_Shown):
    qid: str
    status: str  # "passed", "failed" or "not attempted"
    points: int
    max_points: int
    message: str = ""
    reason: str = field(default="", compare=False)  # "passed", "stub", "wrong" or "error"

    @property
    def question(self) -> Question:
        return get_question(self.qid)

    def _points(self) -> str:
        """"2 of 3 points", "1 of 1 point": what the answer earned, out of what the question gives."""
        return f"{self.points} of {self.max_points} point{'' if self.max_points == 1 else 's'}"

    def _message_and_hint(self):
        """The checker's message and the hint to show with it. A message may end with its own
        hint (``"…\\nhint: …"``), about that mistake only; it then replaces the question's hint."""
        message, sep, own_hint = self.message.partition("\nhint: ")
        return message, own_hint if sep else self.question.hint

    def text(self) -> str:
        q = self.question
        pts = f"({self._points()})"
        if self.status == "passed":
            return f"PASS  {q.qid}  {q.title}  {pts}"
        if self.status == "not attempted":
            return (f"NOT ATTEMPTED YET  {q.qid}  {q.title}  {pts}\n"
                    "      Replace `raise NotImplementedError` with your code, run that cell, then this one.")
        message, hint = self._message_and_hint()
        verdict = "PARTLY RIGHT" if self.points else "FAIL"
        return (f"{verdict}  {q.qid}  {q.title}  {pts}\n"
                f"      {message}\n"
                f"      hint: {hint}\n"
                f"      read: {q.url}")

    def html(self) -> str:
        q = self.question
        e = html.escape
        partly = self.status == "failed" and self.points > 0
        colour = "#9a6700" if partly else {"passed": "#1a7f37", "failed": "#cf222e"}.get(self.status, "#9a6700")
        label = "PARTLY RIGHT" if partly else {"passed": "PASS", "failed": "FAIL"}.get(self.status, "NOT ATTEMPTED YET")
        head = (f'<div style="border-left:4px solid {colour};padding:0.3em 0.8em;margin:0.2em 0">'
                f'<strong style="color:{colour}">{label}</strong> <code>{e(q.qid)}</code> {e(q.title)} '
                f'<span style="opacity:0.7">({self._points()})</span>')
        if self.status == "passed":
            body = ""
        elif self.status == "not attempted":
            body = "<br>Replace <code>raise NotImplementedError</code> with your code, run that cell, then this one."
        else:
            message, hint = self._message_and_hint()
            body = (f"<br>{e(message)}<br><em>Hint:</em> {e(hint)} "
                    f'<a href="{e(section_url(q.section, relative=True))}" target="_blank">Read the section in the book</a>.')
        return head + body + "</div>"


@dataclass(frozen=True)
class Score(_Shown):
    chapter: str | None
    points: int
    max_points: int
    rows: tuple  # (qid, status, points, max_points, title)

    def __iter__(self):  # ``got, total = score("05")``
        return iter((self.points, self.max_points))

    def text(self) -> str:
        lines = [f"Score so far{' for chapter ' + self.chapter if self.chapter else ''}: "
                 f"{self.points} of {self.max_points} points"]
        for qid, status, pts, max_pts, title in self.rows:
            lines.append(f"  {qid:<6} {status.upper():<18} {pts} of {max_pts}  {title}")
        return "\n".join(lines)

    def html(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td><code>{e(qid)}</code></td><td>{e(status)}</td><td>{pts} of {max_pts}</td><td>{e(title)}</td></tr>"
            for qid, status, pts, max_pts, title in self.rows)
        return (f"<p><strong>Score so far: {self.points} of {self.max_points} points</strong></p>"
                f"<table><thead><tr><th>question</th><th>status</th><th>points</th><th></th></tr></thead>"
                f"<tbody>{rows}</tbody></table>")


_QUESTIONS: dict[str, Question] = {}
_RESULTS: dict[str, Result] = {}


def question(qid: str, *, points: int, title: str, section: str, hint: str):
    """Register the decorated ``checker(answer, rng)`` as question ``qid`` ("05.3")."""
    if not isinstance(qid, str) or not _QID.match(qid):
        raise ValueError(f"expected a question id such as '05.3', got {qid!r}")
    if not isinstance(points, int) or isinstance(points, bool) or points < 1:
        raise ValueError(f"expected a positive integer number of points, got {points!r}")

    def register(checker):
        old = _QUESTIONS.get(qid)
        if old is not None and getattr(old.checker, "__module__", None) != getattr(checker, "__module__", None):
            raise ValueError(f"question {qid!r} is registered twice ({old.checker.__module__} and {checker.__module__})")
        _QUESTIONS[qid] = Question(qid, points, title, section, hint, checker)
        return checker

    return register


def _chapter_of(qid_or_chapter) -> str:
    if isinstance(qid_or_chapter, int) and not isinstance(qid_or_chapter, bool):
        return f"{qid_or_chapter:02d}"
    if not isinstance(qid_or_chapter, str):
        raise TypeError(f"expected a chapter such as '05' or a question id such as '05.3', got {qid_or_chapter!r}")
    return qid_or_chapter.split(".")[0]


def _load_chapter(chapter: str) -> None:
    try:
        importlib.import_module(f"{__package__}.ch{chapter}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.ch{chapter}":
            raise


def load_all() -> None:
    """Import every chapter's checks (``ch01`` … ``ch15``)."""
    from . import __path__ as path

    for m in pkgutil.iter_modules(path):
        if re.fullmatch(r"ch\d{2}", m.name):
            _load_chapter(m.name[2:])


def get_question(qid: str) -> Question:
    if not isinstance(qid, str):
        raise TypeError(f"expected a question id such as '03.2', got {qid!r}")
    _load_chapter(_chapter_of(qid))
    if qid not in _QUESTIONS:
        raise KeyError(f"no question {qid!r}; chapter {_chapter_of(qid)} has: "
                       f"{', '.join(questions(_chapter_of(qid))) or 'none'}")
    return _QUESTIONS[qid]


def _order(qid: str):
    chapter, number = qid.split(".")
    return int(chapter), int(number)


def questions(chapter=None) -> list[str]:
    """Question ids, all registered ones or one chapter's (``"03"`` or ``3``), in order."""
    if chapter is not None:
        chapter = _chapter_of(chapter)
        _load_chapter(chapter)
    ids = sorted(_QUESTIONS, key=_order)
    return [q for q in ids if chapter is None or q.split(".")[0] == chapter]


_SCRATCH_ROOT: contextvars.ContextVar = contextvars.ContextVar("nnbook_scratch_root", default=None)


@contextlib.contextmanager
def scratch_root(path):
    """Within this block, ``scratch_directory`` makes its folders under ``path`` (the grader: a
    folder that it shares with the submission's sandbox, at the same path on both sides)."""
    token = _SCRATCH_ROOT.set(None if path is None else str(path))
    try:
        yield
    finally:
        _SCRATCH_ROOT.reset(token)


def scratch_directory() -> tempfile.TemporaryDirectory:
    """A fresh folder for files that a checker asks the answer to write (and then reads itself):
    an ordinary temporary folder, or one under the folder given to ``scratch_root``."""
    root = _SCRATCH_ROOT.get()
    folder = tempfile.TemporaryDirectory(prefix="nnbook-check-", dir=root)
    if root is not None:  # the sandbox's own user writes there; only it and the grader reach the root
        os.chmod(folder.name, 0o777)
    return folder


MAX_ANSWER_FILE = 64 * 1024 * 1024  # the largest file a checker reads back from an answer


def read_answer_file(path) -> bytes:
    """The bytes of the file an answer wrote at ``path``: a regular file, opened without following a
    link and without blocking on a FIFO, at most ``MAX_ANSWER_FILE`` bytes; else ``CheckFailed``."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise CheckFailed(f"expected a file written at the path given, found none at {path!r}") from None
    except OSError:
        raise CheckFailed(f"expected a regular file at {path!r}, found something else (a link?)") from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise CheckFailed(f"expected a regular file at {path!r}, found something else")
        if info.st_size > MAX_ANSWER_FILE:
            raise CheckFailed(f"expected a file of at most {MAX_ANSWER_FILE // 2**20} MB at {path!r}, "
                              f"got {info.st_size / 2**20:.0f} MB")
        return f.read(MAX_ANSWER_FILE + 1)[:MAX_ANSWER_FILE]


def strict() -> bool:
    """In strict mode (``NNBOOK_STRICT=1``) an untouched stub counts as a failure."""
    return os.environ.get("NNBOOK_STRICT", "") not in ("", "0")


_HIDDEN: dict[str, list] = {}  # qid -> the instructor's hidden cases, registered on the grading host only


def hidden_case(qid: str):
    """Register the decorated ``case(answer, rng)`` as a hidden case of question ``qid``: run after the
    question's own checker passes, in the grader only; it raises ``CheckFailed`` when the answer fails."""
    if not isinstance(qid, str) or not _QID.match(qid):
        raise ValueError(f"expected a question id such as '05.3', got {qid!r}")

    def register(case):
        if not callable(case):
            raise TypeError(f"expected a function case(answer, rng) for question {qid}, got {case!r}")
        _HIDDEN.setdefault(qid, []).append(case)
        return case

    return register


def hidden_case_questions() -> list[str]:
    """The question ids that have hidden cases, in order."""
    return sorted(_HIDDEN, key=_order)


def clear_hidden_cases() -> None:
    """Forget every hidden case (the grader does, before it loads a run's ``--checks`` files)."""
    _HIDDEN.clear()


def _hidden_rng(rng):
    """The hidden cases' own stream, so that adding them changes none of the question's own cases."""
    spawn = getattr(rng, "spawn", None)
    return spawn(1)[0] if spawn is not None else rng


def run_checker(q: Question, answer, rng) -> Result:
    """Run ``q``'s checker on ``answer``, then its hidden cases if any; never raises for anything the
    answer does."""
    result = _run_checker(q, answer, rng)
    cases = _HIDDEN.get(q.qid, ())
    if result.status != "passed" or not cases:
        return result
    hidden = _hidden_rng(rng)
    for case in cases:
        failed = _run_checker(Question(q.qid, q.points, q.title, q.section, q.hint, case), answer, hidden)
        if failed.status != "passed":
            return Result(q.qid, "failed", failed.points, q.points, f"failed a hidden case: {failed.message}",
                          reason=failed.reason)
    return result


def _run_checker(q: Question, answer, rng) -> Result:
    try:
        q.checker(answer, rng)
    except NotImplementedError:
        status = "failed" if strict() else "not attempted"
        return Result(q.qid, status, 0, q.points, "not attempted yet: the stub still raises NotImplementedError",
                      reason="stub")
    except CheckFailed as exc:
        earned = getattr(exc, "points", 0)
        earned = min(max(int(earned), 0), q.points - 1) if isinstance(earned, int) else 0
        return Result(q.qid, "failed", earned, q.points, str(exc), reason="wrong")
    except Exception as exc:  # the learner's code raised: report it, no traceback
        return Result(q.qid, "failed", 0, q.points,
                      f"your code raised {type(exc).__name__}: {exc}{_where(exc)}", reason="error")
    return Result(q.qid, "passed", q.points, q.points, reason="passed")


_LIBRARY_DIRS = tuple(os.path.dirname(m.__file__) + os.sep for m in (np, importlib.import_module("nnbook")))


def _where(exc: BaseException) -> str:
    """`` (in f, line 3 of its cell)``: the deepest frame of the learner's own code, if any."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if not name.startswith(_LIBRARY_DIRS) and not name.startswith("<frozen"):
            found = tb
        tb = tb.tb_next
    if found is None:
        return ""
    code = found.tb_frame.f_code
    place = "its cell" if "ipykernel" in code.co_filename or code.co_filename.startswith("<") else \
        os.path.basename(code.co_filename)
    return f" (in {code.co_name}, line {found.tb_lineno} of {place})"


def check(qid: str, answer, *, seed: int | None = None, quiet: bool = False) -> Result:
    """Check ``answer`` for question ``qid`` ("05.3"), show the verdict and record it.

    The checker draws fresh random inputs (``seed`` fixes them, for reproducing a failure).
    """
    q = get_question(qid)
    result = run_checker(q, answer, np.random.default_rng(seed))
    _RESULTS[qid] = result
    _log(result)
    if not quiet:
        result._show()
    return result


def _log(result: Result) -> None:
    path = os.environ.get("NNBOOK_RESULTS")
    if not path:
        return
    line = json.dumps({"qid": result.qid, "status": result.status, "reason": result.reason,
                       "points": result.points, "max_points": result.max_points, "strict": strict()})
    with open(path, "a", encoding="utf-8") as f:
        f.write(line + "\n")


def score(chapter=None, *, quiet: bool = False) -> Score:
    """Show the score so far: a chapter's questions (``"05"``), or every question checked."""
    chapter = _chapter_of(chapter) if chapter is not None else None
    ids = questions(chapter) if chapter is not None else sorted(_RESULTS, key=_order)
    rows = []
    for qid in ids:
        q = get_question(qid)
        r = _RESULTS.get(qid)
        rows.append((qid, r.status if r else "not checked", r.points if r else 0, q.points, q.title))
    result = Score(chapter, sum(r[2] for r in rows), sum(r[3] for r in rows), tuple(rows))
    if not quiet:
        result._show()
    return result


def reset() -> None:
    """Forget the recorded results (a fresh start)."""
    _RESULTS.clear()


def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    ip = get_ipython()
    # A terminal IPython shows HTML as text anyway; only kernels get the rich bundle.
    return ip if ip is not None and getattr(ip, "kernel", None) is not None else None
