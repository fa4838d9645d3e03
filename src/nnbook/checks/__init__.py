"""Instant feedback for the exercises: ``check("03.2", my_function)`` and ``score()``.

Questions live in one module per chapter (``ch01.py`` … ``ch15.py``), registered with
the ``@question`` decorator; each checker tests the learner's answer on fresh random
inputs against the library's reference.
"""

from ._core import CheckFailed, Question, Result, check, get_question, question, questions, reset, score

__all__ = ["check", "score", "question", "questions", "get_question", "reset", "CheckFailed", "Question", "Result"]
