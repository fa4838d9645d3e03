"""Grade submitted exercise notebooks: ``nnbook grade PATH... [--csv out.csv]``.

One run grades one assignment (one chapter). Each submission runs, cell by cell, in a fresh
Jupyter kernel inside a sandbox (``sandbox``: bubblewrap), its whole process tree in a control
group of its own (``limits``). Then every question of the chapter is checked, each with its own
time limit, and the result is one row: points per question, total, status, student id.

Threat model
------------
The learner controls everything in the notebook and everything that runs in its kernel: the
cells' code, what they print, ``check`` and ``score``, the modules as loaded in the kernel,
and any file the kernel can write. None of that is trusted:

* Submissions are read without following links (``files``): a symbolic link, FIFO, device or
  over-size file gets a "refused" row that never quotes its target or content.
* The grader ignores the notebook's outputs and never runs its ``check``/``score`` cells. A
  ``check("05.3", EXPR)`` cell only names the answer: the grader evaluates ``EXPR`` in the kernel
  where that cell stands (the definition that cell saw; a deleted check cell: the exercise's
  name as defined at the end) and keeps it there. The checker, in the grader's process, gets a
  proxy (``remote.Remote``); calling it sends data only (``wire``: JSON, arrays as ``.npy`` read
  without pickle, library objects as their state, a checker's function as a family and its
  coefficients, rebuilt inside the sandbox), with a size cap and the question's deadline. Nothing
  is unpickled, no callable crosses, and the kernel cannot call back. Expected values are computed
  in the grader.
* A question that reaches its deadline kills its kernel; a fresh one runs the cells again for the
  next question, however many questions loop.
* The sandbox keeps the submission away from everything else. It runs as user 65534 with no
  capabilities; it gets read-only copies of its notebook and of the core library (a zip without
  the checkers or the grader), a private size-capped ``/tmp`` and ``/dev/shm``, its sockets in a
  folder of its own, no network, its own PID namespace. Memory (with its tmpfs), processes and
  CPU are limited for the whole process tree, and nothing it starts outlives its kernel.
  ``--no-sandbox`` and ``--no-limits`` turn these off: for trusted code only.
* Random cases come from ``--seed`` (the same for everyone, every run), or with ``--secret`` from
  a seed of each student's own (``batch.student_seed``, printed in the gradebook); the
  multiple-choice answers are stored as salted hashes (``checks._answers.choice``). Hidden cases
  (``hidden_case``, in a ``--checks`` file) live on the host only.
* An answer that only calls the library's own implementation of what it is asked is listed in
  the gradebook's ``review`` column (``review``); it keeps the points its check gave.
* Results are written by the grader alone, atomically, once every kernel of the batch is gone;
  cells that a spreadsheet would read as a formula are escaped.

Modules: ``batch`` (a class), ``shards`` (a class graded on several machines), ``review`` (answers
to review), ``runner`` (one notebook), ``kernel`` (one kernel), ``sandbox`` (the bwrap command),
``limits`` (control groups), ``files`` (reading submissions), ``kernelside`` (the helper that runs
in the kernel), ``remote`` (the checker's proxy), ``wire`` (what crosses between them),
``notebook`` (chapters, answers, student ids), ``report`` (table, CSV, feedback).
"""

from ..checks._core import hidden_case
from . import files, limits, notebook, report, review, sandbox, shards
from .notebook import answer_expressions, chapter_of, find_notebooks, is_feedback_cell, parse, student_id
from .report import FORMATS, Row, columns, format_table, merge, write_csv, write_feedback
from .batch import grade, infer_chapter, parse_shard, shard_of, student_seed
from .runner import (DEFAULT_JOBS, DEFAULT_MEMORY_MB, DEFAULT_QUESTION_TIMEOUT, DEFAULT_SEED, DEFAULT_TIMEOUT,
                     Settings, grade_notebook, question_rng)
from .limits import LimitsUnavailable
from .sandbox import SandboxUnavailable
from .wire import loads

__all__ = ["grade", "grade_notebook", "hidden_case", "student_seed", "shard_of", "parse_shard", "FORMATS",
           "review", "shards", "Row", "Settings", "columns", "format_table", "write_csv", "merge",
           "write_feedback", "find_notebooks", "answer_expressions", "chapter_of", "student_id", "infer_chapter",
           "is_feedback_cell", "parse", "question_rng", "loads", "SandboxUnavailable", "LimitsUnavailable",
           "files", "limits", "notebook", "report",
           "sandbox", "DEFAULT_JOBS", "DEFAULT_MEMORY_MB", "DEFAULT_QUESTION_TIMEOUT", "DEFAULT_SEED",
           "DEFAULT_TIMEOUT"]
