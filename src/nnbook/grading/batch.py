"""Grading a class: every notebook of one assignment, ``jobs`` at a time (``grade``).

Also what belongs to the class rather than to one notebook: each student's seed (``--secret``),
the share of the class that one machine grades (``--shard``), the answers to review
(``review``), duplicate student ids, and the instructor's ``--checks`` files (hidden cases and
new questions, loaded here, on the host; the sandbox never sees them).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
import hmac
import multiprocessing
import sys
import warnings
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from ..checks import _core
from . import files, limits, notebook, report, review, sandbox
from .report import Row, short
from .runner import (DEFAULT_JOBS, DEFAULT_MEMORY_MB, DEFAULT_QUESTION_TIMEOUT, DEFAULT_SEED, DEFAULT_TIMEOUT,
                     Settings, grade_notebook)

MAX_REVIEW_BYTES = 64 * 2**20  # a larger notebook is not read for review (its grading says why)


def load_checks(extra_checks) -> None:
    """The course's questions, then the instructor's files: new questions and hidden cases."""
    import importlib.util

    _core.load_all()
    _core.clear_hidden_cases()
    for i, path in enumerate(extra_checks or ()):
        spec = importlib.util.spec_from_file_location(f"_nnbook_extra_checks_{i}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    unknown = sorted(set(_core.hidden_case_questions()) - set(_core.questions()))
    if unknown:
        raise ValueError(f"hidden cases for {', '.join(unknown)}, which no question has: register the "
                         "question first (the course's, or one of your own with @question)")


def student_seed(secret: bytes, student: str) -> int:
    """The seed of ``student``'s random cases: HMAC-SHA256 of the id under the instructor's secret,
    as a 63-bit integer (the same id and secret, the same cases; without the secret, unguessable)."""
    digest = hmac.new(secret, student.encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def shard_of(key: str, count: int) -> int:
    """Which of ``count`` shards (1 … count) grades the submission at relative path ``key``: a hash of
    the path, so adding a submission moves no other one."""
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big") % count + 1


def relative_key(path: Path, roots) -> str:
    """``path`` relative to the PATH argument it was found under (its name for a file named alone)."""
    for root in roots:
        root = Path(root)
        if root.is_dir():
            try:
                return Path(path).relative_to(root).as_posix()
            except ValueError:
                continue
    return Path(path).name


def review_flags(path, chapter: str) -> tuple[str, ...]:
    """The questions of the notebook at ``path`` to review (``review.flagged``); nothing for a file
    that is not a regular file (a link, a FIFO), too large, or not a notebook."""
    import nbformat

    try:
        nb = nbformat.reads(files.read_submission(path, MAX_REVIEW_BYTES).decode("utf-8"), as_version=4)
        return review.flagged(nb, chapter)
    except Exception:
        return ()


def _worker_init(extra_checks):
    warnings.simplefilter("ignore", DeprecationWarning)
    load_checks(extra_checks)


def _grade_in_worker(path, settings, label, student, seeded=False):
    try:
        row = grade_notebook(path, settings, label=label, student=student)
    except Exception as exc:  # a bug in the grader: this row says so, the batch goes on
        row = Row(label, status=f"grader error: {type(exc).__name__}: {short(exc)}", student=student)
    row.seed = settings.seed if seeded else None
    row.review = tuple(q for q in review_flags(path, settings.chapter) if row.points.get(q, 0) > 0)
    return row


def infer_chapter(notebooks) -> str:
    """The one chapter of a batch, from each notebook's metadata, name or check cells."""
    import nbformat

    seen: dict[str, list[str]] = {}
    for path in notebooks:
        try:  # never through a link, never blocked by a FIFO: those get their "refused" row later
            nb = nbformat.reads(files.read_submission(path).decode("utf-8"), as_version=4)
        except Exception:
            nb = None
        chapter = notebook.chapter_of(nb, path)
        if chapter is not None:
            seen.setdefault(chapter, []).append(Path(path).name)
    if not seen:
        raise ValueError("cannot tell which chapter these notebooks are for (no nnbook metadata, no NN- prefix "
                         "in the file names, no check cells): pass --chapter NN")
    if len(seen) > 1:
        parts = ", ".join(f"chapter {c}: {len(v)} ({', '.join(v[:2])}{', …' if len(v) > 2 else ''})"
                          for c, v in sorted(seen.items()))
        raise ValueError(f"these notebooks are of several chapters ({parts}); grade one assignment at a time: "
                         "pass --chapter NN (notebooks of another chapter then get the status \"wrong chapter\")")
    return next(iter(seen))


def select(notebooks, only, id_pattern=None) -> list[Path]:
    """The notebooks whose student id, file name or stem matches one of the ``only`` patterns."""
    if not only:
        return list(notebooks)
    keep = []
    for p in notebooks:
        names = {notebook.student_id(p, id_pattern), p.name, p.stem, str(p)}
        if any(fnmatch.fnmatchcase(n, pattern) for n in names for pattern in only):
            keep.append(p)
    if not keep:
        raise ValueError(f"no notebook matches {', '.join(only)}")
    return keep


def parse_shard(text) -> tuple[int, int]:
    """``"K/N"`` (or a pair) as ``(K, N)`` with 1 <= K <= N."""
    try:
        k, n = (int(x) for x in (text.split("/") if isinstance(text, str) else text))
    except (TypeError, ValueError):
        raise ValueError(f"expected a shard as K/N (e.g. 3/10), got {text!r}") from None
    if not 1 <= k <= n:
        raise ValueError(f"expected a shard K/N with 1 <= K <= N, got {k}/{n}")
    return k, n


def grade(paths, *, chapter: str | None = None, jobs: int = DEFAULT_JOBS, timeout: float = DEFAULT_TIMEOUT,
          question_timeout: float = DEFAULT_QUESTION_TIMEOUT, memory_mb: float = DEFAULT_MEMORY_MB,
          seed: int = DEFAULT_SEED, use_sandbox: bool = True, use_limits: bool = True, extra_checks=(),
          id_pattern: str | None = None, only=(), progress: bool = True, secret: bytes | str | None = None,
          shard=None) -> list[Row]:
    """Grade every notebook in ``paths`` (files or directories) for one chapter, ``jobs`` at a time.

    ``secret``: each student's random cases come from ``student_seed(secret, id)`` (printed in the
    ``seed`` column) instead of ``seed``. ``shard=(K, N)``: grade only the submissions of shard K of N
    (``shard_of``); the chapter is still found from the whole class. Rows come in the order of their
    paths; a student id that two rows share is noted in both statuses (``report.mark_duplicates``).
    Returns once every kernel of the batch, and everything it started, is gone.
    """
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"expected jobs to be a positive integer, got {jobs!r}")
    for name, value in (("time limit", timeout), ("time limit per question", question_timeout)):
        if not value or value <= 0:
            raise ValueError(f"expected a positive {name} in seconds, got {value!r}")
    if memory_mb is not None and memory_mb < 0:
        raise ValueError(f"expected a memory limit in MB (0 for none), got {memory_mb!r}")
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    if secret is not None and not secret:
        raise ValueError("expected a non-empty secret")
    shard = parse_shard(shard) if shard is not None else None
    if chapter is not None:
        chapter = f"{int(chapter):02d}" if str(chapter).isdigit() else str(chapter)
    notebooks = sorted(set(select(find_notebooks(paths), only, id_pattern)), key=lambda p: Path(str(p)))
    if not notebooks:
        return []
    if use_sandbox:
        sandbox.require()
    if use_limits:
        limits.require()
    load_checks(extra_checks)
    chapter = chapter or infer_chapter(notebooks)
    if not _core.questions(chapter):
        raise ValueError(f"no questions are registered for chapter {chapter!r}")
    if shard is not None:
        notebooks = [p for p in notebooks if shard_of(relative_key(p, paths), shard[1]) == shard[0]]
        if not notebooks:
            return []
    settings = Settings(chapter=chapter, timeout=timeout, question_timeout=question_timeout, memory_mb=memory_mb,
                        seed=int(seed), sandbox=use_sandbox, limits=use_limits)
    labels = [str(p) for p in notebooks]
    students = [notebook.student_id(p, id_pattern) for p in notebooks]
    own = [dataclasses.replace(settings, seed=student_seed(secret, s)) if secret else settings for s in students]
    from tqdm.auto import tqdm

    bar = tqdm(total=len(notebooks), desc="grading", unit="notebook", disable=not progress, file=sys.stderr)
    rows: dict[int, Row] = {}
    if jobs == 1 or len(notebooks) <= 1:
        for i, path in enumerate(notebooks):
            rows[i] = _grade_in_worker(path, own[i], labels[i], students[i], bool(secret))
            bar.update()
    else:
        ctx = multiprocessing.get_context("spawn")
        extra = [str(Path(p).resolve()) for p in extra_checks or ()]
        with ProcessPoolExecutor(max_workers=min(jobs, len(notebooks)), mp_context=ctx,
                                 initializer=_worker_init, initargs=(extra,)) as pool:
            pending = {pool.submit(_grade_in_worker, str(p), own[i], labels[i], students[i], bool(secret)): i
                       for i, p in enumerate(notebooks)}
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    i = pending.pop(future)
                    try:
                        rows[i] = future.result()
                    except Exception as exc:
                        rows[i] = Row(labels[i], status=f"grader error: {type(exc).__name__}: {short(exc)}",
                                      student=students[i], seed=own[i].seed if secret else None)
                    bar.update()
    bar.close()
    graded = [rows[i] for i in range(len(notebooks))]
    report.mark_duplicates(graded)
    return graded


find_notebooks = notebook.find_notebooks
