"""Instant feedback for the exercises: ``check("03.2", my_function)`` and ``score("03")``.

Questions live in one module per chapter (``ch01.py`` … ``ch15.py``), registered with
the ``@question`` decorator; each checker tests the learner's answer on fresh random
inputs against the library's reference.
"""

from ._core import (
    CheckFailed,
    Question,
    Result,
    Score,
    check,
    get_question,
    hidden_case,
    load_all,
    question,
    questions,
    reset,
    run_checker,
    score,
    strict,
)

__all__ = ["check", "score", "question", "hidden_case", "questions", "get_question", "reset", "load_all", "run_checker",
           "strict", "CheckFailed", "Question", "Result", "Score"]
