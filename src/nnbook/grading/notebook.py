"""Reading submissions: which files, which chapter, which answers, which student."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

_QID = re.compile(r"^(\d{2})\.\d+$")


def find_notebooks(paths) -> list[Path]:
    """The notebooks named, and the ``.ipynb`` files (any case: ``.IPYNB`` too) under the directories named."""
    found = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() == ".ipynb" and f.is_file()
                                and ".ipynb_checkpoints" not in f.parts))
        elif p.exists():
            found.append(p)
        else:
            raise FileNotFoundError(f"no such file or directory: {p}")
    return found


def python(source: str) -> str:
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def parse(source: str):
    try:
        return ast.parse(python(source))
    except (SyntaxError, ValueError, RecursionError, TypeError):
        return None


def is_feedback_cell(tree) -> bool:
    """A cell that only calls ``check(...)`` / ``score(...)``: the grader does that itself."""
    if tree is None or not tree.body:
        return False
    return all(isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Name)
               and s.value.func.id in ("check", "score") for s in tree.body)


def answer_expressions(nb, chapter: str | None = None) -> dict[str, str]:
    """``{qid: source of the answer}`` from the notebook's ``check("NN.k", answer)`` calls
    (only ``chapter``'s, if given: other chapters' check cells are ignored)."""
    found = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or not isinstance(cell.source, str):
            continue
        tree = parse(cell.source)
        if tree is None:
            continue
        source = python(cell.source)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "check"):
                continue
            args = list(node.args) + [k.value for k in node.keywords if k.arg in ("qid", "answer")]
            if len(args) >= 2 and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                match = _QID.match(args[0].value)
                if match is None or (chapter is not None and match.group(1) != chapter):
                    continue
                expr = ast.get_source_segment(source, args[1])
                if expr:
                    found[args[0].value] = expr
    return found


def chapter_of(nb, path: Path) -> str | None:
    """The chapter a notebook belongs to: its metadata (``nnbook.chapter``, written by
    ``make exercises``), else its file name's ``NN-`` prefix, else most of its check cells."""
    meta = nb.get("metadata", {}).get("nnbook", {}) if nb is not None else {}
    chapter = meta.get("chapter") if isinstance(meta, dict) else None
    if isinstance(chapter, str) and re.fullmatch(r"\d{2}", chapter):
        return chapter
    name = Path(path).name
    if re.match(r"^\d{2}-", name):
        return name[:2]
    if nb is not None:
        counts = Counter(q.split(".")[0] for q in answer_expressions(nb))
        if counts:
            return counts.most_common(1)[0][0]
    return None


def student_id(path: Path, pattern: str | None) -> str:
    """The student's id: the first match of ``pattern`` (its group ``id``, else group 1, else the whole
    match) in the path, searched from the file name outwards; the file's stem if none matches."""
    path = Path(path)
    if not pattern:
        return path.stem
    regex = re.compile(pattern)
    for text in (path.name, str(path.parent.name) + "/" + path.name, path.as_posix()):
        match = regex.search(text)
        if match:
            if "id" in regex.groupindex and match.group("id") is not None:
                return match.group("id")
            return match.group(1) if regex.groups else match.group(0)
    return path.stem
