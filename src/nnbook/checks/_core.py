"""The check registry and the feedback printed in the notebooks."""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass

import numpy as np


class CheckFailed(AssertionError):
    """Raised by a checker with a message that says what was expected and what came."""


@dataclass(frozen=True)
class Question:
    qid: str  # "03.2": chapter 3, question 2
    points: int
    title: str
    section: str  # where the book explains it, e.g. "matrices.html#from-one-example-to-a-batch"
    hint: str
    checker: object  # callable(answer, rng) -> None, raises CheckFailed


@dataclass(frozen=True)
class Result:
    qid: str
    status: str  # "passed", "failed" or "not attempted"
    points: int
    max_points: int
    message: str = ""


_QUESTIONS: dict[str, Question] = {}
_RESULTS: dict[str, Result] = {}


def question(qid: str, *, points: int, title: str, section: str, hint: str):
    """Register the decorated ``checker(answer, rng)`` as question ``qid``."""

    def register(checker):
        if qid in _QUESTIONS and _QUESTIONS[qid].checker is not checker:
            raise ValueError(f"question {qid!r} is registered twice")
        _QUESTIONS[qid] = Question(qid, points, title, section, hint, checker)
        return checker

    return register


def _load_chapter(qid: str) -> None:
    chapter = qid.split(".")[0]
    try:
        importlib.import_module(f"{__package__}.ch{chapter}")
    except ModuleNotFoundError:
        pass


def get_question(qid: str) -> Question:
    if not isinstance(qid, str):
        raise TypeError(f"expected a question id such as '03.2', got {qid!r}")
    _load_chapter(qid)
    if qid not in _QUESTIONS:
        raise KeyError(f"no question {qid!r}; this chapter has: {', '.join(questions(qid.split('.')[0])) or 'none'}")
    return _QUESTIONS[qid]


def questions(chapter: str | None = None) -> list[str]:
    """Question ids, all or one chapter's (``"03"``)."""
    if chapter is not None:
        _load_chapter(chapter + ".")
    ids = sorted(_QUESTIONS)
    return [q for q in ids if chapter is None or q.split(".")[0] == chapter]


def strict() -> bool:
    """In strict mode (``NNBOOK_STRICT=1``) an untouched stub counts as a failure."""
    return os.environ.get("NNBOOK_STRICT", "") not in ("", "0")


def check(qid: str, answer, *, seed: int | None = None, quiet: bool = False) -> Result:
    """Run question ``qid``'s checker on ``answer``, print the verdict and record it."""
    q = get_question(qid)
    rng = np.random.default_rng(seed)
    try:
        q.checker(answer, rng)
    except NotImplementedError:
        status = "failed" if strict() else "not attempted"
        result = Result(qid, status, 0, q.points, "not attempted yet: replace the stub with your code")
    except CheckFailed as exc:
        result = Result(qid, "failed", 0, q.points, str(exc))
    except Exception as exc:  # the learner's code raised: report it, no traceback
        result = Result(qid, "failed", 0, q.points, f"your code raised {type(exc).__name__}: {exc}")
    else:
        result = Result(qid, "passed", q.points, q.points)
    _RESULTS[qid] = result
    if not quiet:
        print(_format(q, result))
    return result


def _format(q: Question, r: Result) -> str:
    head = f"[{q.qid}] {q.title}"
    if r.status == "passed":
        return f"PASS {head}: {r.points}/{r.max_points} points"
    if r.status == "not attempted":
        return f"TODO {head}: {r.message} (0/{r.max_points} points)"
    return f"FAIL {head}: {r.message}\n     hint: {q.hint} (see {q.section})"


def score(chapter: str | None = None) -> tuple[int, int]:
    """Print the score so far for the questions checked in this session; return (points, max)."""
    ids = questions(chapter) if chapter else sorted(_RESULTS)
    got = total = 0
    for qid in ids:
        q = get_question(qid)
        r = _RESULTS.get(qid)
        total += q.points
        got += r.points if r else 0
        print(f"  {qid}  {(r.status if r else 'not checked'):<14} {r.points if r else 0}/{q.points}  {q.title}")
    print(f"Score: {got}/{total} points")
    return got, total


def reset() -> None:
    """Forget the recorded results (a fresh start)."""
    _RESULTS.clear()
