"""Grading-speed benchmark: N honest submissions of one chapter, graded as an instructor would.

Copies of the chapter's solution notebook (honest, full-marks work) are graded with
``nnbook.grading.grade`` at ``-j`` jobs, in the sandbox where it can run; the figure is the wall
time of the whole batch divided by N, and its extrapolation to a class of 300. The machine's load
when the run starts is printed too (other work on the same cores slows every kernel).

    python benchmarks/grading.py                 # 20 submissions of chapter 03 at -j 2
    python benchmarks/grading.py --n 300         # the full class
    python benchmarks/grading.py --write         # also (re)write the grading section of results.md
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from _measured import measured_on  # noqa: E402
MARK = "<!-- grading: written by benchmarks/grading.py -->"
CLASS = 300  # the class size the figure is extrapolated to


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="number of submissions (default 20)")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="notebooks graded at the same time (default 2)")
    parser.add_argument("--chapter", default="03", help="the chapter whose solution is copied (default 03)")
    parser.add_argument("--no-sandbox", action="store_true", help="grade without the sandbox (not the real setup)")
    parser.add_argument("--write", action="store_true", help="write the result into benchmarks/results.md")
    args = parser.parse_args(argv)

    from nnbook import grading
    from nnbook.grading import sandbox

    solution = next((ROOT / "solutions").glob(f"{args.chapter}-*.ipynb"))
    use_sandbox = not args.no_sandbox and not sandbox.problem()
    try:
        from nnbook.grading import limits  # noqa: F401
        use_limits = True
    except ImportError:
        use_limits = False
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="nnbook-bench-grading-") as tmp:
        folder = Path(tmp) / "class"
        folder.mkdir()
        for i in range(args.n):
            shutil.copyfile(solution, folder / f"{solution.stem}-s{i:04d}.ipynb")
        start = time.perf_counter()
        rows = grading.grade([folder], chapter=args.chapter, jobs=args.jobs, use_sandbox=use_sandbox,
                             use_limits=use_limits, progress=False)
        wall = time.perf_counter() - start
    full = sum(r.total == r.max_total and r.status == "ok" for r in rows)
    per = wall / args.n
    median = statistics.median(r.seconds for r in rows)
    # The figures of the run, a table of their own (benchmarks/_measured.py): each is a number or
    # code, so that a new run asks the Chinese editions for no new translation.
    setup = [("machine", platform.processor() or platform.machine()), ("cores", os.cpu_count()),
             ("Python", platform.python_version()), ("in the sandbox", "✓" if use_sandbox else "✗"),
             ("process-tree limits", "✓" if use_limits else "✗"),
             ("load average over 1 minute, when the run started", f"{load:.1f}")]
    line = (f"| {args.n} × `{solution.name}` | {args.jobs} | {wall:.1f} | {per:.2f} | {median:.2f} | "
            f"{CLASS * per / 60:.1f} | {full}/{args.n} |")
    table = "\n".join([
        "| class | jobs | wall time (s) | s per notebook | median run of one notebook (s) | "
        f"{CLASS} notebooks, extrapolated (min) | full marks |",
        "|---|---:|---:|---:|---:|---:|---:|", line])
    text = section(f"python benchmarks/grading.py --n {args.n} -j {args.jobs} --chapter {args.chapter}", setup, table)
    print(text)
    if args.write:
        _write(text)
    return 0 if full == args.n else 1


def section(command: str, setup, table: str) -> str:
    """The grading section of results.md: the command, fixed sentences, the "measured on" table
    of ``setup`` (rows of label and figure) and the result's ``table``."""
    return (f"{MARK}\n## Grading\n\nCopies of one chapter's solution, graded as a class by the command below.\n\n"
            f"`{command}`\n\n{measured_on(setup)}\n\n{table}\n")


def _write(section: str) -> None:
    results = HERE / "results.md"
    text = results.read_text(encoding="utf-8") if results.is_file() else ""
    text = text.split(MARK)[0].rstrip("\n")
    results.write_text((text + "\n\n" if text else "") + section, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
