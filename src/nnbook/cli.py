"""The ``nnbook`` command (also ``python -m nnbook``): ``nnbook grade PATH... [--csv out.csv]``."""

from __future__ import annotations

import argparse
import sys

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nnbook", description="Tools for the nnbook course.",
                                     epilog="Run `nnbook COMMAND --help` for a command's options.")
    parser.add_argument("--version", action="version", version=f"nnbook {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, title="commands", metavar="COMMAND")
    g = sub.add_parser(
        "grade", help="grade submitted exercise notebooks",
        description="Run each submitted notebook in a fresh kernel in a temporary copy and check every "
                    "question of its chapter with nnbook's own checks. Prints a table; --csv writes "
                    "the gradebook (submission, one column per question, total, status).")
    g.add_argument("paths", nargs="+", metavar="PATH", help="submitted .ipynb files, or directories holding them")
    g.add_argument("--csv", metavar="FILE", help="write the scores to FILE as CSV")
    g.add_argument("-j", "--jobs", type=_jobs, default=grading.DEFAULT_JOBS,
                   help=f"notebooks graded at the same time (default {grading.DEFAULT_JOBS})")
    g.add_argument("--timeout", type=_positive_float, default=grading.DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit per notebook, running and checking (default {grading.DEFAULT_TIMEOUT:g})")
    g.add_argument("--memory", type=float, default=grading.DEFAULT_MEMORY_MB, metavar="MB",
                   help=f"memory limit of each kernel in MB, 0 for none (default {grading.DEFAULT_MEMORY_MB})")
    g.add_argument("--checks", action="append", default=[], metavar="FILE.py",
                   help="also load the questions registered in FILE.py (your own questions); repeatable")
    g.add_argument("--details", action="store_true", help="also print why each failed question failed")
    g.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "grade":
        if args.memory < 0:
            print("nnbook grade: --memory must be 0 (no limit) or a positive number of MB", file=sys.stderr)
            return 2
        try:
            rows = grading.grade(args.paths, jobs=args.jobs, timeout=args.timeout, memory_mb=args.memory,
                                 extra_checks=args.checks, progress=not args.no_progress)
        except (FileNotFoundError, ValueError) as exc:
            print(f"nnbook grade: {exc}", file=sys.stderr)
            return 2
        if not rows:
            print("nnbook grade: no .ipynb files found", file=sys.stderr)
            return 2
        print(grading.format_table(rows, details=args.details))
        if args.csv:
            grading.write_csv(rows, args.csv)
            print(f"\nwrote {args.csv}")
        return 0
    return 2  # pragma: no cover - argparse requires a command


if __name__ == "__main__":
    sys.exit(main())
