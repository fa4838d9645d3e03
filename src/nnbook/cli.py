"""The ``nnbook`` command (also ``python -m nnbook``): ``nnbook grade PATH... [--csv out.csv]``, and
``nnbook grade merge PART.csv... --csv ALL.csv`` to join the gradebooks of a class graded in shards."""

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


def _shard(text: str) -> tuple[int, int]:
    try:
        return grading.parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nnbook", description="Tools for the nnbook course.",
                                     epilog="Run `nnbook COMMAND --help` for a command's options.")
    parser.add_argument("--version", action="version", version=f"nnbook {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, title="commands", metavar="COMMAND")
    g = sub.add_parser(
        "grade", help="grade submitted exercise notebooks",
        description="Grade one assignment: run each submitted notebook in a sandboxed kernel and check every "
                    "question of its chapter with nnbook's own checks. Prints a table; --csv writes the "
                    "gradebook (submission, one column per question, total, status, student; seed with --secret; "
                    "review when an answer only calls the library's own implementation), its run times "
                    "(FILE.timings.csv) and one feedback file per student. `nnbook grade merge PART.csv... "
                    "--csv ALL.csv [--format F]` joins the gradebooks of --shard runs into the one a single run "
                    "writes (or converts one gradebook to another --format).")
    g.add_argument("paths", nargs="+", metavar="PATH", help="submitted .ipynb files, or directories holding them")
    g.add_argument("--csv", metavar="FILE", help="write the scores to FILE as CSV")
    g.add_argument("--format", choices=grading.FORMATS, default="moodle",
                   help="the CSV's columns: moodle (default: the full gradebook, which Moodle imports as is), "
                        "canvas (Student, ID, SIS User ID, SIS Login ID, Section, the assignment) or gradescope "
                        "(Name, SID, Email, Total Score)")
    g.add_argument("--assignment", metavar="NAME",
                   help="the assignment's column in --format canvas (default: nnbook chapter NN)")
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
    g.add_argument("--seed", type=int, default=None,
                   help=f"seed of the checks' random cases, the same for everyone (default {grading.DEFAULT_SEED}): "
                        "the same seed, the same scores")
    secret = g.add_mutually_exclusive_group()
    secret.add_argument("--secret", metavar="TEXT",
                        help="give each student random cases of their own, from a seed derived from their id and "
                             "TEXT (HMAC-SHA256; printed in the seed column): the same secret, the same cases")
    secret.add_argument("--secret-file", metavar="FILE", help="as --secret, the secret read from FILE")
    g.add_argument("--shard", type=_shard, metavar="K/N",
                   help="grade only shard K of N of the class (a hash of each file's path under PATH): run "
                        "K = 1 … N on N machines, then `nnbook grade merge`")
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
                   help="also load FILE.py, on the grading host only: your own questions (@question) and hidden "
                        "cases of existing ones (@hidden_case); repeatable")
    g.add_argument("--no-sandbox", action="store_true",
                   help="run the submissions without the sandbox, as your own user: for trusted code only")
    g.add_argument("--no-limits", action="store_true",
                   help="grade where the limits on a submission's whole process tree (cgroups) cannot be set: "
                        "a submission can then starve the others")
    g.add_argument("--details", action="store_true", help="also print why each failed question failed")
    g.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def _fail(message: str, code: int = 2) -> int:
    print(f"nnbook grade: {message}", file=sys.stderr)
    return code


def _secret(args):
    if args.secret_file:
        try:
            secret = Path(args.secret_file).read_bytes().strip()
        except OSError as exc:
            raise ValueError(f"cannot read the secret file {args.secret_file}: {exc.strerror}") from None
        if not secret:
            raise ValueError(f"the secret file {args.secret_file} is empty")
        return secret
    if args.secret is not None and not args.secret:
        raise ValueError("expected a non-empty --secret")
    return args.secret.encode("utf-8") if args.secret else None


def _warn_duplicates(rows) -> None:
    for student, submissions in grading.report.mark_duplicates(rows).items():
        print(f"nnbook grade: warning: student id {student!r} has {len(submissions)} submissions "
              f"({', '.join(submissions)}): both rows are kept, and their status says so", file=sys.stderr)


def _write(rows, args, chapter) -> None:
    assignment = args.assignment or (f"nnbook chapter {chapter}" if chapter else "nnbook")
    grading.write_csv(rows, args.csv, args.format, assignment)


def _grade(args) -> int:
    if args.memory < 0:
        return _fail("--memory must be 0 (no limit) or a positive number of MB")
    if args.only and not (args.csv and Path(args.csv).is_file()):
        return _fail("--only re-grades into an existing gradebook: pass --csv FILE of an earlier run")
    if args.only and args.format != "moodle":
        return _fail("--only merges into the full gradebook: leave out --format (convert it afterwards with "
                     "`nnbook grade merge FILE --csv OUT --format F`)")
    if args.shard and (args.only or args.format != "moodle"):
        return _fail("a --shard writes the full gradebook, for `nnbook grade merge` (which takes --format): "
                     "leave out --only and --format")
    if (args.secret or args.secret_file) and args.seed is not None:
        return _fail("--seed and --secret both set the random cases: pass one of them")
    try:
        secret = _secret(args)
        rows = grading.grade(args.paths, chapter=args.chapter, jobs=args.jobs, timeout=args.timeout,
                             question_timeout=args.question_timeout, memory_mb=args.memory,
                             seed=grading.DEFAULT_SEED if args.seed is None else args.seed,
                             use_sandbox=not args.no_sandbox, use_limits=not args.no_limits,
                             extra_checks=args.checks, id_pattern=args.id_pattern, only=args.only,
                             progress=not args.no_progress, secret=secret, shard=args.shard)
    except grading.SandboxUnavailable as exc:
        return _fail(str(exc), 3)
    except (FileNotFoundError, ValueError) as exc:
        return _fail(str(exc))
    shard = f"{args.shard[0]}/{args.shard[1]}" if args.shard else ""
    if not rows and args.shard:
        print(f"shard {shard}: no submission of the class falls in this shard")
        if args.csv:
            grading.write_csv([], args.csv)
            grading.report.write_timings([], grading.report.timings_path(args.csv), shard)
        return 0
    if not rows:
        return _fail("no .ipynb files found")
    chapter = next((q.split(".")[0] for r in rows for q in r.max_points), args.chapter)
    graded = rows
    if args.only:
        timings = {d["submission"]: d for d in _old_timings(args.csv)}
        rows = grading.merge(rows, args.csv)
    _warn_duplicates(rows)
    if args.csv:
        _write(rows, args, chapter)
        seconds = {r.submission: r for r in graded}
        if args.only:  # the others keep their earlier run times
            for r in rows:
                if r.submission not in seconds and r.submission in timings:
                    r.seconds = float(timings[r.submission].get("seconds") or 0.0)
        grading.report.write_timings(rows, grading.report.timings_path(args.csv), shard)
    print(grading.format_table(rows, details=args.details))
    folder = args.feedback or (str(Path(args.csv).parent / "feedback") if args.csv else None)
    if folder:
        written = grading.write_feedback(graded, folder, chapter, args.feedback_format)
        print(f"\nwrote {len(written)} feedback file{'s' if len(written) != 1 else ''} to {folder}")
    if args.csv:
        print(f"{'' if folder else chr(10)}wrote {args.csv} (run times: {grading.report.timings_path(args.csv)})")
    return 0


def _old_timings(path) -> list[dict]:
    timings = grading.report.timings_path(path)
    return grading.report.read_timings(timings) if timings.is_file() else []


def build_merge_parser() -> argparse.ArgumentParser:
    m = argparse.ArgumentParser(
        prog="nnbook grade merge",
        description="Join the gradebooks of a class graded in shards (nnbook grade PATH --shard K/N --csv "
                    "part-K.csv) into the one a single run writes, with their run times (FILE.timings.csv). "
                    "Given one gradebook, converts it to another --format.")
    m.add_argument("files", nargs="+", metavar="PART.csv", help="the shards' gradebooks (and their .timings.csv)")
    m.add_argument("--csv", metavar="FILE", required=True, help="write the joined gradebook to FILE")
    m.add_argument("--format", choices=grading.FORMATS, default="moodle", help="the CSV's columns (as for grade)")
    m.add_argument("--assignment", metavar="NAME", help="the assignment's column in --format canvas")
    return m


def _merge(argv) -> int:
    args = build_merge_parser().parse_args(argv)
    try:
        rows, timings = grading.shards.merge_files(args.files)
    except (OSError, ValueError) as exc:
        return _fail(str(exc))
    _warn_duplicates(rows)
    chapter = next((q.split(".")[0] for r in rows for q in r.max_points), None)
    _write(rows, args, chapter)
    if timings:
        text = grading.report._csv([grading.report.TIMINGS, *([d.get(k, "") for k in grading.report.TIMINGS]
                                                              for d in timings)])
        grading.report._atomic_write(grading.report.timings_path(args.csv), text)
    print(f"joined {len(args.files)} file{'s' if len(args.files) != 1 else ''}: {len(rows)} rows; wrote {args.csv}")
    return 0


def _is_merge(argv) -> bool:
    """``nnbook grade merge A.csv ...`` (a class folder named ``merge`` is still graded: ``./merge``)."""
    if argv[:2] != ["grade", "merge"]:
        return False
    files = [a for a in argv[2:] if not a.startswith("-")]
    return files[0].lower().endswith(".csv") if files else not Path("merge").is_dir()


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if _is_merge(argv):
        return _merge(argv[2:])
    args = build_parser().parse_args(argv)
    if args.command == "grade":
        return _grade(args)
    return 2  # pragma: no cover - argparse requires a command


if __name__ == "__main__":
    sys.exit(main())
