"""Answers to mark for review: code that only calls nnbook's own implementation of what it is asked.

The library is importable in the sandbox (the chapters use it), so ``def sigmoid(z): return
nb.sigmoid(z)`` passes 04.1's check. The grader still gives the points the check gave, and lists
the question in the gradebook's ``review`` column, for the instructor to decide.

What counts is read statically (``ast``) from the notebook's own cells, never run:

* the library names of a question are listed in ``IMPLEMENTS``, and only where the library has a
  function or class that does the question's whole job (04.1's sigmoid: ``sigmoid`` and
  ``Sigmoid``); a question whose job the library does not do in one call is not listed;
* the answer is the name (or expression) of the question's last ``check("NN.k", answer)`` cell, as
  bound when that cell runs: by an import (``from nnbook import sigmoid as my_sigmoid``), an
  assignment (``sigmoid = nb.sigmoid``, ``sigmoid = nb.Sigmoid()``, a ``lambda``) or a ``def``;
* a ``def`` is marked when its body is straight-line code (no ``if``, loop, ``try``, ``with`` or
  nested ``def``) and every value it returns comes from one of those names: a call of it, an
  attribute or item of what it made (``layer.grads["W"]``), a local name bound to such a value, a
  tuple of them, or another function of the notebook that is marked by the same rule.

An answer that uses ``nb.sigmoid`` inside a computation of its own (``s * (1 - s)``, a loop, a
comparison) is not marked; neither is one that reaches the library in a way this reading does not
follow (``getattr``, ``exec``, an ``import`` of a module by a computed name): the review column is
a pointer for the instructor, not a proof.
"""

from __future__ import annotations

import ast
import importlib
import sys
import types

from . import notebook

# qid -> the library names (module.attribute under nnbook) that do the question's whole job
IMPLEMENTS = {
    "04.1": ("activations.sigmoid", "activations.Sigmoid"),
    "04.2": ("activations.sigmoid_prime",),
    "04.3": ("activations.relu", "activations.ReLU"),
    "04.4": ("activations.relu_prime",),
    "06.1": ("losses.MSELoss",),
    "06.2": ("losses.MSELoss",),
    "06.3": ("losses.BCELoss",),
    "07.2": ("gradcheck.numerical_gradient",),
    "09.3": ("activations.Sigmoid",),
    "09.4": ("losses.SoftmaxCrossEntropyLoss",),
    "10.1": ("layers.Linear",),
    "11.2": ("training.batches",),
    "12.2": ("init.initialize", "layers.Linear"),
    "12.3": ("init.initialize", "layers.Linear"),
    "13.1": ("activations.softmax",),
}
_DEPTH = 6  # wrappers of wrappers followed at most this deep


def targets(qid: str) -> list:
    """The library objects whose sole use marks question ``qid``'s answer."""
    found = []
    for name in IMPLEMENTS.get(qid, ()):
        module, _, attr = name.rpartition(".")
        found.append(getattr(importlib.import_module(f"nnbook.{module}"), attr))
    return found


def flagged(nb, chapter: str) -> tuple[str, ...]:
    """The questions of ``chapter`` whose answer in ``nb`` only calls the library's implementation."""
    cells = [c for c in nb.cells if c.cell_type == "code" and isinstance(c.source, str)]
    trees = [notebook.parse(c.source) for c in cells]
    last_check = {}  # qid -> (cell index, answer expression)
    for i, tree in enumerate(trees):
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "check":
                args = list(node.args) + [k.value for k in node.keywords if k.arg in ("qid", "answer")]
                if len(args) >= 2 and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                    last_check[args[0].value] = (i, args[1])
    marked = []
    for qid, (index, answer) in sorted(last_check.items()):
        if not qid.startswith(f"{chapter}.") or qid not in IMPLEMENTS:
            continue
        scope = _Scope(targets(qid))
        for tree in trees[:index + 1]:
            if tree is not None:
                scope.run(tree.body)
        if scope.source(answer) is not None:
            marked.append(qid)
    return tuple(marked)


class _Scope:
    """The names a notebook has bound so far, each to what we know of it."""

    def __init__(self, wanted, names=None, depth=0):
        self.wanted, self.depth = wanted, depth
        self.names = dict(names or {})  # name -> ("object", obj) | ("expr", node) | ("def", node) | ("other",)

    def run(self, body) -> None:
        """Bind the names of the statements in ``body`` in order (branches of compound statements too)."""
        for stmt in body:
            self._bind(stmt)

    def _bind(self, stmt) -> None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.names[stmt.name] = ("def", stmt)
        elif isinstance(stmt, ast.ClassDef):
            self.names[stmt.name] = ("other",)
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    self.names[alias.asname] = _module_binding(alias.name)
                else:
                    top = alias.name.split(".")[0]
                    self.names[top] = _module_binding(top)
        elif isinstance(stmt, ast.ImportFrom):
            module = sys.modules.get(stmt.module or "") if stmt.level == 0 else None
            library = module is not None and _in_library(module)
            for alias in stmt.names:
                if alias.name == "*":
                    if library:
                        for key, value in vars(module).items():
                            if not key.startswith("_"):
                                self.names[key] = ("object", value)
                    continue
                value = _member(module, alias.name) if library else None
                self.names[alias.asname or alias.name] = ("object", value) if value is not None else ("other",)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    self.names[target.id] = ("expr", stmt.value) if stmt.value is not None else ("other",)
                elif isinstance(target, (ast.Tuple, ast.List)) and all(isinstance(e, ast.Name) for e in target.elts):
                    for e in target.elts:  # W, b = nb.init.initialize(...): each part comes from the call
                        self.names[e.id] = ("expr", stmt.value)
                else:
                    for node in ast.walk(target):
                        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                            self.names[node.id] = ("other",)
        else:
            for node in ast.walk(stmt):  # anything else that binds: for targets, with ... as, :=, augmented
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    self.names[node.id] = ("other",)
            for name in ("body", "orelse", "finalbody"):
                self.run(getattr(stmt, name, []) if isinstance(getattr(stmt, name, None), list) else [])
            for handler in getattr(stmt, "handlers", []):
                self.run(handler.body)

    def source(self, node):
        """The wanted library object that ``node``'s value comes from, or None."""
        if self.depth > _DEPTH:
            return None
        if isinstance(node, ast.Name):
            return self._name(node.id)
        if isinstance(node, ast.Attribute):
            base = self.value(node.value)
            if isinstance(base, types.ModuleType):
                return self._wanted(_member(base, node.attr))
            return self.source(node.value)
        if isinstance(node, ast.Call):
            return self.source(node.func)
        if isinstance(node, ast.Subscript):
            return self.source(node.value)
        if isinstance(node, ast.Lambda):
            return self._inner().source(node.body)
        if isinstance(node, (ast.Tuple, ast.List)) and node.elts:
            found = [self.source(e) for e in node.elts]
            return found[0] if all(f is not None for f in found) else None
        return None

    def value(self, node):
        """The library module or object that ``node`` names (``nb``, ``nb.activations``), or None."""
        if isinstance(node, ast.Name):
            kind = self.names.get(node.id, ("other",))
            if kind[0] == "object":
                return kind[1]
            return self._inner().value(kind[1]) if kind[0] == "expr" and self.depth < _DEPTH else None
        if isinstance(node, ast.Attribute):
            base = self.value(node.value)
            return _member(base, node.attr) if isinstance(base, types.ModuleType) else None
        return None

    def _name(self, name):
        kind = self.names.get(name, ("other",))
        if kind[0] == "object":
            return self._wanted(kind[1])
        if kind[0] == "expr":
            return self._inner().source(kind[1])
        if kind[0] == "def":
            return self._wrapper(kind[1])
        return None

    def _wanted(self, obj):
        return obj if obj is not None and any(obj is w for w in self.wanted) else None

    def _inner(self, names=None):
        return _Scope(self.wanted, names if names is not None else self.names, self.depth + 1)

    def _wrapper(self, fn):
        """The wanted object if ``fn`` is straight-line code whose every returned value comes from it."""
        local = self._inner()
        for arg in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs, fn.args.vararg, fn.args.kwarg]:
            if arg is not None:
                local.names[arg.arg] = ("other",)
        found = []
        for stmt in fn.body:
            if isinstance(stmt, ast.Return):
                found.append(local.source(stmt.value) if stmt.value is not None else None)
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.YieldFrom):
                found.append(local.source(stmt.value.value))
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, (ast.Yield, ast.Await)):
                return None
            elif isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign, ast.Import, ast.ImportFrom, ast.Pass)):
                local._bind(stmt)
            else:
                return None
        return found[0] if found and all(f is not None for f in found) else None


def _in_library(obj) -> bool:
    name = getattr(obj, "__name__", "")
    return name == "nnbook" or name.startswith("nnbook.")


def _module_binding(name: str):
    module = sys.modules.get(name)
    return ("object", module) if module is not None and _in_library(module) else ("other",)


def _member(module, name: str):
    """``module.name`` for a module of the library, read without running anything (no ``__getattr__``)."""
    if not isinstance(module, types.ModuleType) or not _in_library(module) or name.startswith("__"):
        return None
    value = vars(module).get(name)
    if value is None:
        value = sys.modules.get(f"{module.__name__}.{name}")
    return value
