"""Grading a class: every notebook of one assignment, ``jobs`` at a time (``grade``)."""

from __future__ import annotations

import fnmatch
import multiprocessing
import sys
import warnings
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from ..checks import _core
from . import notebook, sandbox
from .report import Row, short
from .runner import (DEFAULT_JOBS, DEFAULT_MEMORY_MB, DEFAULT_QUESTION_TIMEOUT, DEFAULT_SEED, DEFAULT_TIMEOUT,
                     Settings, grade_notebook)

def load_checks(extra_checks) -> None:
    import importlib.util

    _core.load_all()
    for i, path in enumerate(extra_checks or ()):
        spec = importlib.util.spec_from_file_location(f"_nnbook_extra_checks_{i}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)


def _worker_init(extra_checks):
    warnings.simplefilter("ignore", DeprecationWarning)
    load_checks(extra_checks)


def _grade_in_worker(path, settings, label, student):
    try:
        return grade_notebook(path, settings, label=label, student=student)
    except Exception as exc:  # a bug in the grader: this row says so, the batch goes on
        return Row(label, status=f"grader error: {type(exc).__name__}: {short(exc)}", student=student)


def infer_chapter(notebooks) -> str:
    """The one chapter of a batch, from each notebook's metadata, name or check cells."""
    import nbformat

    seen: dict[str, list[str]] = {}
    for path in notebooks:
        try:
            nb = nbformat.read(path, as_version=4)
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


def grade(paths, *, chapter: str | None = None, jobs: int = DEFAULT_JOBS, timeout: float = DEFAULT_TIMEOUT,
          question_timeout: float = DEFAULT_QUESTION_TIMEOUT, memory_mb: float = DEFAULT_MEMORY_MB,
          seed: int = DEFAULT_SEED, use_sandbox: bool = True, extra_checks=(), id_pattern: str | None = None,
          only=(), progress: bool = True) -> list[Row]:
    """Grade every notebook in ``paths`` (files or directories) for one chapter, ``jobs`` at a time.

    Returns once every kernel of the batch, and everything it started, is gone.
    """
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"expected jobs to be a positive integer, got {jobs!r}")
    for name, value in (("time limit", timeout), ("time limit per question", question_timeout)):
        if not value or value <= 0:
            raise ValueError(f"expected a positive {name} in seconds, got {value!r}")
    if memory_mb is not None and memory_mb < 0:
        raise ValueError(f"expected a memory limit in MB (0 for none), got {memory_mb!r}")
    if chapter is not None:
        chapter = f"{int(chapter):02d}" if str(chapter).isdigit() else str(chapter)
    notebooks = select(find_notebooks(paths), only, id_pattern)
    if not notebooks:
        return []
    if use_sandbox:
        sandbox.require()
    load_checks(extra_checks)
    chapter = chapter or infer_chapter(notebooks)
    if not _core.questions(chapter):
        raise ValueError(f"no questions are registered for chapter {chapter!r}")
    settings = Settings(chapter, timeout, question_timeout, memory_mb, int(seed), use_sandbox)
    labels = [str(p) for p in notebooks]
    students = [notebook.student_id(p, id_pattern) for p in notebooks]
    from tqdm.auto import tqdm

    bar = tqdm(total=len(notebooks), desc="grading", unit="notebook", disable=not progress, file=sys.stderr)
    rows: dict[int, Row] = {}
    if jobs == 1 or len(notebooks) <= 1:
        for i, path in enumerate(notebooks):
            rows[i] = _grade_in_worker(path, settings, labels[i], students[i])
            bar.update()
    else:
        ctx = multiprocessing.get_context("spawn")
        extra = [str(Path(p).resolve()) for p in extra_checks or ()]
        with ProcessPoolExecutor(max_workers=min(jobs, len(notebooks)), mp_context=ctx,
                                 initializer=_worker_init, initargs=(extra,)) as pool:
            pending = {pool.submit(_grade_in_worker, str(p), settings, labels[i], students[i]): i
                       for i, p in enumerate(notebooks)}
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    i = pending.pop(future)
                    try:
                        rows[i] = future.result()
                    except Exception as exc:
                        rows[i] = Row(labels[i], status=f"grader error: {type(exc).__name__}: {short(exc)}",
                                      student=students[i])
                    bar.update()
    bar.close()
    return [rows[i] for i in range(len(notebooks))]


find_notebooks = notebook.find_notebooks
