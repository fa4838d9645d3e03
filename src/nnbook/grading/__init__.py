"""Grade submitted exercise notebooks: ``nnbook grade PATH... [--csv out.csv]``.

One run grades one assignment (one chapter). Each submission runs, cell by cell, in a fresh
Jupyter kernel inside a sandbox (``sandbox``: bubblewrap; only its own copy visible, a private
/tmp, the library and Python read-only, its own PID namespace, no network, time, memory and
file-size limits). Then every question of the chapter is checked, each with its own time
limit, and the result is one row: points per question, total, status, student id.

Threat model
------------
The learner controls everything in the notebook and everything that runs in its kernel: the
cells' code, what they print, ``check`` and ``score``, the modules as loaded in the kernel,
and any file the kernel can write. None of that is trusted:

* The grader ignores the notebook's outputs and files, and never runs its ``check``/``score``
  cells. A ``check("05.3", EXPR)`` cell only names the answer: the grader evaluates ``EXPR`` in
  the kernel and the checker, in the grader's own process (its modules imported before any
  submission runs), receives a proxy (``wire.Remote``). Calling it sends the checker's inputs
  to the kernel, runs the learner's function there and brings its value back, decoded by a
  restricted unpickler that builds plain data only. Expected values are computed in the grader.
* The sandbox keeps the submission away from everything else: the solutions and the repository
  (the package is mounted alone), the class folder and the other submissions, the instructor's
  home and ``--checks`` files, the grader's processes (its command line, environment and
  working directory), the CSV. It cannot change the installed package (read-only) and nothing
  it starts outlives its kernel. ``--no-sandbox`` turns all this off: for trusted code only.
* Random cases come from ``--seed`` (the same for everyone, every run), or with ``--secret`` from
  a seed of each student's own (``batch.student_seed``, printed in the gradebook); the
  multiple-choice answers are stored as salted hashes (``checks._answers.choice``). Hidden cases
  (``hidden_case``, in a ``--checks`` file) live on the host only.
* An answer that only calls the library's own implementation of what it is asked is listed in
  the gradebook's ``review`` column (``review``); it keeps the points its check gave.
* Results are written by the grader alone, atomically, once every kernel of the batch is gone.

Modules: ``batch`` (a class), ``shards`` (a class graded on several machines), ``review`` (answers
to review), ``runner`` (one notebook), ``kernel`` (one kernel), ``sandbox`` (the bwrap
command), ``kernelside`` (the helper that runs in the kernel), ``wire`` (what crosses between
them), ``notebook`` (files, chapters, answers, student ids), ``report`` (table, CSV, feedback).
"""

from ..checks._core import hidden_case
from . import notebook, report, review, sandbox, shards
from .notebook import answer_expressions, chapter_of, find_notebooks, is_feedback_cell, parse, student_id
from .report import FORMATS, Row, columns, format_table, merge, write_csv, write_feedback
from .batch import grade, infer_chapter, parse_shard, shard_of, student_seed
from .runner import (DEFAULT_JOBS, DEFAULT_MEMORY_MB, DEFAULT_QUESTION_TIMEOUT, DEFAULT_SEED, DEFAULT_TIMEOUT,
                     Settings, grade_notebook, question_rng)
from .sandbox import SandboxUnavailable
from .wire import loads

__all__ = ["grade", "grade_notebook", "hidden_case", "student_seed", "shard_of", "parse_shard", "FORMATS",
           "review", "shards", "Row", "Settings", "columns", "format_table", "write_csv", "merge",
           "write_feedback", "find_notebooks", "answer_expressions", "chapter_of", "student_id", "infer_chapter",
           "is_feedback_cell", "parse", "question_rng", "loads", "SandboxUnavailable", "notebook", "report",
           "sandbox", "DEFAULT_JOBS", "DEFAULT_MEMORY_MB", "DEFAULT_QUESTION_TIMEOUT", "DEFAULT_SEED",
           "DEFAULT_TIMEOUT"]
