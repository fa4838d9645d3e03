"""Generate ``exercises/NN-topic.ipynb`` from ``solutions/NN-topic.ipynb`` (``make exercises``).

In every code cell, the lines from ``### BEGIN SOLUTION`` to ``### END SOLUTION`` become

    # YOUR CODE HERE
    raise NotImplementedError

at the markers' indentation. Outputs and execution counts are cleared, the title says
"Exercises" instead of "Solutions", and links to the notebook itself point at the exercise.
The kernelspec is the one ipykernel installs, "Python 3 (ipykernel)", which JupyterLab writes into a
notebook when it starts the kernel: with another display name an exercise would open already
marked as modified. (``language_info`` is the one the solutions recorded when they ran; a kernel
on another Python version updates its ``version`` when it starts.)

Every solution region must sit inside a function body, so that the exercise notebook runs to
the end and an untouched stub only raises when its check calls it.

The generator also keeps two things in step with the solutions:

* the solution cells of ``solutions/*.ipynb`` carry the ``hide-input`` tag, so that the book
  shows each solution collapsed until the reader asks for it, and a heading that skips a level
  (``#`` then ``###``, which the book build rejects) is lowered (outputs untouched);
* the ``Exercises`` part of ``_toc.yml`` lists every exercise, each with its solution as a
  section.

``python tools/make_exercises.py --check`` changes nothing and exits with status 1 when any
generated file differs from what is on disk.
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB = ("# YOUR CODE HERE", "raise NotImplementedError")
HIDE_TAG = "hide-input"
# The kernelspec ipykernel ships with itself (its kernel "python3") and
# JupyterLab writes into a notebook when it starts that kernel.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
_MARKER_LIKE = re.compile(r"^\s*#+\s*(BEGIN|END)\s+SOLUTION\b", re.IGNORECASE)
_NAME = re.compile(r"^\d{2}-[a-z0-9-]+\.ipynb$")


class MarkerError(ValueError):
    """A solution notebook whose markers cannot be turned into an exercise."""


def _python_source(src: str) -> str:
    """The cell as plain Python (IPython magics turned into calls), for parsing."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython is always there with Jupyter
        return src
    return TransformerManager().transform_cell(src)


def strip_solution(src: str, where: str = "cell") -> tuple[str, int]:
    """Replace each marked solution region of one code cell; return (new source, regions)."""
    lines = src.split("\n")
    out: list[str] = []
    open_at: int | None = None
    indent = ""
    stub_lines: list[tuple[int, int]] = []  # (line of the stub's raise, line of BEGIN)
    for i, line in enumerate(lines, start=1):
        stripped = line.strip()
        if _MARKER_LIKE.match(line) and stripped not in (BEGIN, END):
            raise MarkerError(f"{where}, line {i}: malformed marker {stripped!r}; write exactly {BEGIN!r} or {END!r}")
        if stripped == BEGIN:
            if open_at is not None:
                raise MarkerError(f"{where}, line {i}: {BEGIN!r} inside the region opened at line {open_at}")
            open_at = i
            indent = line[: len(line) - len(line.lstrip())]
            continue
        if stripped == END:
            if open_at is None:
                raise MarkerError(f"{where}, line {i}: {END!r} without a {BEGIN!r} before it")
            end_indent = line[: len(line) - len(line.lstrip())]
            if end_indent != indent:
                raise MarkerError(f"{where}, line {i}: {END!r} is indented differently from its {BEGIN!r} (line {open_at})")
            out.append(indent + STUB[0])
            out.append(indent + STUB[1])
            stub_lines.append((len(out), open_at))
            open_at = None
            continue
        if open_at is None:
            out.append(line)
    if open_at is not None:
        raise MarkerError(f"{where}, line {open_at}: {BEGIN!r} is never closed by {END!r}")
    new = "\n".join(out)
    if stub_lines:
        _check_in_function(new, stub_lines, where)
    return new, len(stub_lines)


def _check_in_function(src: str, stubs: list[tuple[int, int]], where: str) -> None:
    """Each stub's ``raise`` (new line number) must lie in a function body; report the marker's line."""
    try:
        tree = ast.parse(_python_source(src))  # magics become calls, one line for one line
    except SyntaxError as exc:
        raise MarkerError(f"{where}: the exercise code would not parse ({exc.msg}, line {exc.lineno})") from None
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for raise_line, marker_line in stubs:
        if not any(f.body[0].lineno <= raise_line <= f.end_lineno for f in functions):
            raise MarkerError(
                f"{where}, line {marker_line}: the solution region is not inside a function body; put it in a "
                "function (e.g. `def answer_05_3():`) so that the exercise notebook still runs to the end")


def _retitle(text: str) -> str:
    """The first markdown cell's heading says Exercises; everything else stays."""
    out = []
    done = False
    for line in text.split("\n"):
        if not done and line.startswith("# "):
            line = re.sub(r"\bSolutions\b", "Exercises", line)
            line = re.sub(r"\bSolution\b", "Exercise", line)
            line = re.sub(r"\bsolutions\b", "exercises", line)
            done = True
        out.append(line)
    return "\n".join(out)


def _relink(text: str, name: str) -> str:
    """Links to this solution notebook (Colab, Binder, GitHub) point at its exercise."""
    return text.replace(f"solutions/{name}", f"exercises/{name}")


def _heading_lines(text: str):
    """(index, level, rest) of each Markdown heading line outside code fences."""
    fence = False
    for i, line in enumerate(text.split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
            continue
        m = None if fence else re.match(r"^(#{1,6})(\s.*)$", line)
        if m:
            yield i, len(m.group(1)), m.group(2)


class _Headings:
    """Keeps heading levels in order (``#`` title, then ``##``), which the book build (-W) needs.

    When every heading after the title is ``###`` or deeper, all of them move up together;
    any remaining jump of more than one level is lowered.
    """

    def __init__(self, cells):
        levels = [level for c in cells if c.cell_type == "markdown" for _, level, _ in _heading_lines(_text(c))]
        below_title = [lv for lv in levels[1:]] if levels and levels[0] == 1 else levels
        self.shift = max(min(below_title, default=2) - 2, 0)
        self.last = 0

    def fix(self, text: str) -> str:
        lines = text.split("\n")
        for i, level, rest in _heading_lines(text):
            if level > 1:
                level -= self.shift
            level = max(1, min(level, self.last + 1))
            lines[i] = "#" * level + rest
            self.last = level
        return "\n".join(lines)


def _text(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def _cell_id(name: str, index: int, cell) -> str:
    cid = cell.get("id")
    if cid:
        return cid
    return hashlib.sha1(f"{name}:{index}".encode()).hexdigest()[:8]


def make_exercise(solution: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The exercise notebook for ``solution`` (named ``name``, e.g. "05-forward.ipynb")."""
    ex = nbformat.v4.new_notebook()
    ex.metadata = copy.deepcopy(solution.get("metadata", {}))
    # JupyterLab rewrites the kernelspec from the kernel it starts and marks the notebook modified
    # when anything differs: write it as ipykernel installs it, so that opening changes nothing.
    ex.metadata["kernelspec"] = dict(KERNELSPEC)
    if re.match(r"^\d{2}-", name):  # the assignment, for `nnbook grade` (whatever the file is renamed to)
        ex.metadata["nnbook"] = {"chapter": name[:2]}
    regions = 0
    first_markdown = True
    headings = _Headings(solution.cells)
    for index, cell in enumerate(solution.cells):
        where = f"{name}, cell {index + 1}"
        source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        if cell.cell_type == "code":
            source, n = strip_solution(source, where)
            regions += n
            new = nbformat.v4.new_code_cell(source)
            metadata = copy.deepcopy(cell.get("metadata", {}))
            if n:
                tags = [t for t in metadata.get("tags", []) if t != HIDE_TAG]
                if tags:
                    metadata["tags"] = tags
                else:
                    metadata.pop("tags", None)
            metadata.pop("execution", None)
            new.metadata = metadata
        else:
            for line in source.split("\n"):
                if _MARKER_LIKE.match(line):
                    raise MarkerError(f"{where}: solution markers belong in code cells, not in {cell.cell_type} cells")
            if cell.cell_type == "markdown":
                if first_markdown:
                    source = _retitle(source)
                    first_markdown = False
                source = headings.fix(_relink(source, name))
                new = nbformat.v4.new_markdown_cell(source)
            else:
                new = nbformat.v4.new_raw_cell(source)
            new.metadata = copy.deepcopy(cell.get("metadata", {}))
            if "attachments" in cell:
                new.attachments = copy.deepcopy(cell.attachments)
        new.id = _cell_id(name, index, cell)
        ex.cells.append(new)
    if regions == 0:
        raise MarkerError(f"{name}: no {BEGIN!r} … {END!r} region, so the exercise would have nothing to do")
    return ex


def tag_solution(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``solution`` ready for the book: solution cells tagged ``hide-input``, headings in order."""
    tagged = copy.deepcopy(solution)
    headings = _Headings(tagged.cells)
    for cell in tagged.cells:
        if cell.cell_type == "markdown":
            source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
            fixed = headings.fix(source)
            if fixed != source:
                cell.source = fixed
        if cell.cell_type != "code":
            continue
        source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        has_region = any(line.strip() == BEGIN for line in source.split("\n"))
        tags = list(cell.metadata.get("tags", []))
        if has_region and HIDE_TAG not in tags:
            cell.metadata["tags"] = tags + [HIDE_TAG]
    return tagged


def render(nb: nbformat.NotebookNode) -> str:
    """The exact text ``make exercises`` writes (what ``nbformat.write`` would)."""
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


TOC_START = "  - caption: Exercises\n"


def toc_part(names: list[str]) -> str:
    """The ``Exercises`` part of ``_toc.yml``: each exercise, its solution as a section."""
    lines = [TOC_START, "    chapters:\n"]
    for name in names:
        stem = name[: -len(".ipynb")]
        lines.append(f"      - file: exercises/{stem}\n")
        lines.append("        sections:\n")
        lines.append(f"          - file: solutions/{stem}\n")
    return "".join(lines)


def update_toc(toc: str, names: list[str]) -> str:
    """``toc`` with its Exercises part listing ``names`` (inserted before Reference if missing)."""
    part = toc_part(names) if names else ""
    lines = toc.splitlines(keepends=True)
    start = next((i for i, l in enumerate(lines) if l == TOC_START), None)
    if start is None:
        ref = next((i for i, l in enumerate(lines) if l.strip() == "- caption: Reference"), None)
        if ref is None:
            raise ValueError("_toc.yml has no 'Reference' part to put the Exercises part before")
        return "".join(lines[:ref]) + part + "".join(lines[ref:])
    end = start + 1
    while end < len(lines) and not lines[end].startswith("  - "):
        end += 1
    return "".join(lines[:start]) + part + "".join(lines[end:])


def plan(root: Path = ROOT) -> dict[Path, str]:
    """Every file ``make exercises`` manages, mapped to the text it should hold."""
    solutions = root / "solutions"
    names = sorted(p.name for p in solutions.glob("*.ipynb"))
    files: dict[Path, str] = {}
    problems = []
    for name in names:
        if not _NAME.match(name):
            problems.append(f"solutions/{name}: expected a name like 05-forward.ipynb")
            continue
        path = solutions / name
        try:
            solution = nbformat.read(path, as_version=4)
        except Exception as exc:
            problems.append(f"solutions/{name}: not a readable notebook ({exc})")
            continue
        try:
            files[root / "exercises" / name] = render(make_exercise(solution, name))
        except MarkerError as exc:
            problems.append(str(exc))
            continue
        files[path] = render(tag_solution(solution))
    if problems:
        raise MarkerError("\n".join(problems))
    toc = root / "_toc.yml"
    files[toc] = update_toc(toc.read_text(encoding="utf-8"), [n for n in names if _NAME.match(n)])
    return files


def stale(root: Path = ROOT) -> list[str]:
    """What differs between the disk and what ``make exercises`` would write (empty: in step)."""
    files = plan(root)
    problems = []
    for path, text in files.items():
        if not path.exists():
            problems.append(f"{path.relative_to(root)} is missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{path.relative_to(root)} is not what `make exercises` writes")
    wanted = {p.name for p in files if p.parent == root / "exercises"}
    for extra in sorted((root / "exercises").glob("*.ipynb")):
        if extra.name not in wanted:
            problems.append(f"exercises/{extra.name} has no solution notebook solutions/{extra.name}")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is out of date")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository (default: this one)")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = stale(args.root)
            for p in problems:
                print(p, file=sys.stderr)
            return 1 if problems else 0
        files = plan(args.root)
    except MarkerError as exc:
        print(f"make exercises: {exc}", file=sys.stderr)
        return 2
    (args.root / "exercises").mkdir(exist_ok=True)
    written = 0
    for path, text in files.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written += 1
            print(f"wrote {path.relative_to(args.root)}")
    wanted = {p.name for p in files if p.parent == args.root / "exercises"}
    for extra in sorted((args.root / "exercises").glob("*.ipynb")):
        if extra.name not in wanted:
            extra.unlink()
            print(f"removed {extra.relative_to(args.root)} (no solution notebook)")
    n = len(wanted)
    print(f"{n} exercise notebook{'s' if n != 1 else ''} in step with solutions/ ({written} file(s) written)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
