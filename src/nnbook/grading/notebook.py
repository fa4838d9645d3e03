"""Reading submissions: which files, which chapter, which answers, which student."""

from __future__ import annotations

import ast
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import files

_QID = re.compile(r"^(\d{2})\.\d+$")

# The name each exercise asks for: what its template's ``check("NN.k", name)`` cell names (the
# tests hold this table to the exercise notebooks). A submission whose check cell was deleted is
# graded on that name as defined at the end of the notebook.
ANSWER_NAMES = {
    "01.1": "answer_01_1", "01.2": "neuron", "01.3": "perceptron", "01.4": "answer_01_4", "01.5": "or_unit",
    "02.1": "vector_add", "02.2": "dot", "02.3": "angle", "02.4": "answer_02_4", "02.5": "answer_02_5",
    "03.1": "matvec", "03.2": "linear_forward", "03.3": "answer_03_3", "03.4": "collapse",
    "03.5": "answer_03_5", "04.1": "sigmoid", "04.2": "sigmoid_prime", "04.3": "relu", "04.4": "relu_prime",
    "04.5": "answer_04_5", "05.1": "forward", "05.2": "o1_221", "05.3": "answer_05_3", "05.4": "n_params",
    "06.1": "mse", "06.2": "mse_grad", "06.3": "bce", "06.4": "answer_06_4", "07.1": "central_difference",
    "07.2": "numerical_gradient", "07.3": "dh_dx", "07.4": "answer_07_4", "08.1": "gd_step",
    "08.2": "gradient_descent", "08.3": "max_stable_lr", "08.4": "train_linear", "08.5": "answer_08_5",
    "09.1": "mul_backward", "09.2": "bias_add_backward", "09.3": "sigmoid_backward",
    "09.4": "softmax_ce_grad", "09.5": "logistic_graph", "10.1": "linear_backward", "10.2": "dL_dw1",
    "10.3": "two_layer_gradients", "10.4": "train_step", "10.5": "answer_10_5", "11.1": "sgd_step",
    "11.2": "minibatches", "11.3": "train_xor", "11.4": "standardize", "11.5": "answer_11_5",
    "12.1": "distinct_hidden_rows", "12.2": "xavier", "12.3": "he", "12.4": "answer_12_4",
    "12.5": "gradient_norms", "13.1": "softmax", "13.2": "one_hot", "13.3": "cross_entropy",
    "13.4": "cross_entropy_grad", "13.5": "accuracy", "14.1": "predict_classes", "14.2": "accuracy",
    "14.3": "confusion_matrix", "14.4": "train_digits_model", "14.5": "save_and_load", "15.1": "sgd_step",
    "15.2": "label_per_output", "15.3": "train_corrected", "15.4": "answer_15_4", "15.5": "weight_shapes",
}


def find_notebooks(paths) -> list[Path]:
    """The notebooks named, and the ``.ipynb`` files (any case: ``.IPYNB`` too) under the directories named
    (a linked folder is not entered)."""
    found = []
    for p in paths:
        p = Path(p)
        if p.is_dir() and not p.is_symlink():
            found.extend(files.walk(p))  # links and FIFOs listed (each gets its "refused" row), never followed
        elif os.path.lexists(p):
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


def _checks_in(tree, source: str, chapter: str | None) -> list[tuple[str, str]]:
    """The ``(qid, answer source)`` of the ``check("NN.k", answer)`` calls in one cell."""
    found = []
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
                found.append((args[0].value, expr))
    return found


def answer_expressions(nb, chapter: str | None = None) -> dict[str, str]:
    """``{qid: source of the answer}`` from the notebook's ``check("NN.k", answer)`` calls (the
    last one of each question; only ``chapter``'s, if given: other chapters' are ignored)."""
    return {qid: expr for step in plan(nb, chapter) for qid, expr in step.checks}


@dataclass
class Step:
    """One code cell of a submission, as the grader runs it: ``source`` (None for a cell that
    only calls ``check``/``score``: not run) and the answers its check calls name, bound after it."""
    index: int  # the cell's number in the notebook, from 1 (markdown cells count)
    source: str | None
    checks: list = field(default_factory=list)  # [(qid, answer source)]


def plan(nb, chapter: str | None = None) -> list[Step]:
    """The notebook's code cells in order, each with the answers it binds."""
    steps = []
    for index, cell in enumerate(nb.cells, start=1):
        if cell.get("cell_type") != "code" or not isinstance(cell.get("source"), str):
            continue
        tree = parse(cell.source)
        checks = _checks_in(tree, python(cell.source), chapter) if tree is not None else []
        steps.append(Step(index, None if is_feedback_cell(tree) else cell.source, checks))
    return steps


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
