"""The ``nnbook`` command (also ``python -m nnbook``): ``nnbook grade PATH... [--csv out.csv]``."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from . import __version__, grading


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
    return value


def _jobs(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {text}")
    return value


def _chapter(text: str) -> str:
    if not re.fullmatch(r"\d{1,2}", text):
        raise argparse.ArgumentTypeError(f"expected a chapter number such as 03, got {text!r}")
    return f"{int(text):02d}"


def _pattern(text: str) -> str:
    try:
        re.compile(text)
    except re.error as exc:
        raise argparse.ArgumentTypeError(f"expected a regular expression, got {text!r} ({exc})") from None
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nnbook", description="Tools for the nnbook course.",
                                     epilog="Run `nnbook COMMAND --help` for a command's options.")
    parser.add_argument("--version", action="version", version=f"nnbook {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, title="commands", metavar="COMMAND")
    g = sub.add_parser(
        "grade", help="grade submitted exercise notebooks",
        description="Grade one assignment: run each submitted notebook in a sandboxed kernel and check every "
                    "question of its chapter with nnbook's own checks. Prints a table; --csv writes the "
                    "gradebook (submission, one column per question, total, status, student) and one feedback "
                    "file per student.")
    g.add_argument("paths", nargs="+", metavar="PATH", help="submitted .ipynb files, or directories holding them")
    g.add_argument("--csv", metavar="FILE", help="write the scores to FILE as CSV")
    g.add_argument("--chapter", type=_chapter, metavar="NN",
                   help="the assignment's chapter (default: from the notebooks' metadata or file names)")
    g.add_argument("-j", "--jobs", type=_jobs, default=grading.DEFAULT_JOBS,
                   help=f"notebooks graded at the same time (default {grading.DEFAULT_JOBS})")
    g.add_argument("--timeout", type=_positive_float, default=grading.DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit to run a notebook's cells (default {grading.DEFAULT_TIMEOUT:g})")
    g.add_argument("--question-timeout", type=_positive_float, default=grading.DEFAULT_QUESTION_TIMEOUT,
                   metavar="SECONDS", help="time limit to check one question "
                                           f"(default {grading.DEFAULT_QUESTION_TIMEOUT:g})")
    g.add_argument("--memory", type=float, default=grading.DEFAULT_MEMORY_MB, metavar="MB",
                   help=f"memory limit of each kernel in MB, 0 for none (default {grading.DEFAULT_MEMORY_MB})")
    g.add_argument("--seed", type=int, default=grading.DEFAULT_SEED,
                   help=f"seed of the checks' random cases (default {grading.DEFAULT_SEED}): the same seed, "
                        "the same scores")
    g.add_argument("--id-pattern", type=_pattern, metavar="REGEX",
                   help="regular expression that finds the student id in the file or folder name "
                        "(group 'id' or group 1); default: the file name without .ipynb")
    g.add_argument("--only", action="append", default=[], metavar="NAME",
                   help="re-grade only the submissions whose student id or file name matches NAME (wildcards "
                        "allowed), merging them into the existing --csv file; repeatable")
    g.add_argument("--feedback", metavar="DIR",
                   help="write one feedback file per student into DIR (default with --csv: FILE's folder/feedback)")
    g.add_argument("--feedback-format", choices=("md", "html"), default="md", help="Markdown (default) or HTML")
    g.add_argument("--checks", action="append", default=[], metavar="FILE.py",
                   help="also load the questions registered in FILE.py (your own questions); repeatable")
    g.add_argument("--no-sandbox", action="store_true",
                   help="run the submissions without the sandbox, as your own user: for trusted code only")
    g.add_argument("--details", action="store_true", help="also print why each failed question failed")
    g.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def _grade(args) -> int:
    if args.memory < 0:
        print("nnbook grade: --memory must be 0 (no limit) or a positive number of MB", file=sys.stderr)
        return 2
    if args.only and not (args.csv and Path(args.csv).is_file()):
        print("nnbook grade: --only re-grades into an existing gradebook: pass --csv FILE of an earlier run",
              file=sys.stderr)
        return 2
    try:
        rows = grading.grade(args.paths, chapter=args.chapter, jobs=args.jobs, timeout=args.timeout,
                             question_timeout=args.question_timeout, memory_mb=args.memory, seed=args.seed,
                             use_sandbox=not args.no_sandbox, extra_checks=args.checks, id_pattern=args.id_pattern,
                             only=args.only, progress=not args.no_progress)
    except grading.SandboxUnavailable as exc:
        print(f"nnbook grade: {exc}", file=sys.stderr)
        return 3
    except (FileNotFoundError, ValueError) as exc:
        print(f"nnbook grade: {exc}", file=sys.stderr)
        return 2
    if not rows:
        print("nnbook grade: no .ipynb files found", file=sys.stderr)
        return 2
    chapter = next((q.split(".")[0] for r in rows for q in r.max_points), args.chapter)
    graded = rows
    if args.only:
        rows = grading.merge(rows, args.csv)
    if args.csv:
        grading.write_csv(rows, args.csv)
    print(grading.format_table(rows, details=args.details))
    folder = args.feedback or (str(Path(args.csv).parent / "feedback") if args.csv else None)
    if folder:
        written = grading.write_feedback(graded, folder, chapter, args.feedback_format)
        print(f"\nwrote {len(written)} feedback file{'s' if len(written) != 1 else ''} to {folder}")
    if args.csv:
        print(f"{'' if folder else chr(10)}wrote {args.csv}")
    return 0


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "grade":
        return _grade(args)
    return 2  # pragma: no cover - argparse requires a command


if __name__ == "__main__":
    sys.exit(main())
