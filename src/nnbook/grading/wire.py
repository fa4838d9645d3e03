"""What crosses between the grader and a kernel: data only, in one fixed schema.

A message is JSON (sent as base64 text). Its values are plain JSON (``None``, ``bool``, ``int``,
``float``, ``str``, lists) or objects tagged by ``"t"``:

==============  ===================================================================
``tuple``       ``{"t": "tuple", "v": [...]}`` (``set`` and ``frozenset`` alike)
``dict``        ``{"t": "dict", "items": [[key, value], ...]}`` (keys: numbers, strings, tuples)
``complex``     ``{"t": "complex", "re": x, "im": y}``
``nd``          ``{"t": "nd", "npy": base64}``: a NumPy array as ``.npy`` bytes, read with
                ``allow_pickle=False``; bool, integer, float, complex or string dtypes only
``np``          ``{"t": "np", "npy": base64}``: a NumPy scalar, as a 0-d array
``ndo``         ``{"t": "ndo", "shape": [...], "v": [...]}``: an array of objects (each one data)
``rng``         ``{"t": "rng", "bit_generator": "PCG64", "state": {...}}``: a ``np.random.Generator``
``obj``         ``{"t": "obj", "cls": "nnbook.network.MLP", "state": {...}}``: an object of the
                library's core (layers, activations, losses, networks, optimisers, training
                history), rebuilt with ``cls.__new__`` and its attributes, which are data too
``fn``          ``{"t": "fn", "family": "poly3", "params": {...}}``: a function from the fixed
                table of ``checks._functions`` (what a checker hands to an answer)
``graph``       ``{"t": "graph", "root": 7, "nodes": [[7, data, grad, label, op, [3, 5], [1.0, 1.0]], ...]}``:
                an ``nnbook.autograd.Value`` and the graph below it (a node met twice in one
                message is one object)
``ref``         ``{"t": "ref", "key": "r3", "type": "MyNet"}``: an object that stays in the kernel
                (the learner's functions, classes and objects), reached by calling it or reading a
                public attribute
==============  ===================================================================

Anything else is refused (``Unreadable``), and so is a message over ``MAX_REPLY`` bytes or
nested deeper than ``MAX_DEPTH``. Nothing is unpickled and no code is named by a message: a
class is looked up in a fixed list, a function in a fixed table.

This file imports NumPy and the standard library only: the grader ships its source to the
kernel (``kernelside``), so that both sides speak one schema. The grader's side of a call
(``Remote``, the proxy of an object that stays in the kernel) is ``remote``.
"""

from __future__ import annotations

import base64
import binascii
import importlib
import io
import json
import re
import types

import numpy as np

MAX_REPLY = 64 * 1024 * 1024  # bytes of one message from the kernel
MAX_DEPTH = 40  # nesting of containers and objects in one value
MAX_NODES = 100_000  # nodes of one autograd graph
ARRAY_KINDS = "biufcU"  # bool, signed and unsigned integers, floats, complex, text
LIBRARY_MODULES = ("nnbook.layers", "nnbook.activations", "nnbook.losses", "nnbook.network", "nnbook.optim",
                   "nnbook.training")
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")
_KEY = re.compile(r"[A-Za-z0-9_.]{1,40}")
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,99}")
_ITERATORS = (types.GeneratorType, map, filter, zip, enumerate, reversed)


class Unreadable(ValueError):
    """A message outside the schema."""


class NotData(TypeError):
    """A value that cannot be sent as data (and may not stay behind a reference)."""


# --------------------------------------------------------------------------------------------
# Encoding


def _npy(arr: np.ndarray) -> str:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, arr, allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def library_class(value) -> str | None:
    """``"module.Name"`` when ``value``'s class is one of the library's core classes, else None."""
    cls = type(value)
    module = getattr(cls, "__module__", None)
    if module not in LIBRARY_MODULES:
        return None
    try:
        found = vars(importlib.import_module(module)).get(cls.__name__)
    except ImportError:
        return None
    return f"{module}.{cls.__name__}" if found is cls else None


def encode(value, keep=None, _depth: int = 0):
    """``value`` as JSON-able data. ``keep(obj)`` returns the key of an object that stays (the
    kernel's side); without it (the grader's side) such an object raises ``NotData``."""
    if _depth > MAX_DEPTH:
        raise NotData(f"the value is nested more than {MAX_DEPTH} levels deep")
    t = type(value)
    if value is None or t in (bool, int, float, str):
        return value
    if isinstance(value, _ITERATORS):
        value, t = list(value), list  # an iterator's items, not the iterator
    if isinstance(value, np.generic):
        if value.dtype.kind in ARRAY_KINDS:
            return {"t": "np", "npy": _npy(np.asarray(value))}
    elif isinstance(value, np.ndarray):
        arr = np.asarray(value).view(np.ndarray)  # np.matrix and other subclasses: their values
        if arr.dtype.kind in ARRAY_KINDS:
            return {"t": "nd", "npy": _npy(arr)}
        if arr.dtype.kind == "O":
            return {"t": "ndo", "shape": list(arr.shape), "v": [encode(v, keep, _depth + 1) for v in arr.ravel()]}
    elif t is list:
        return [encode(v, keep, _depth + 1) for v in value]
    elif t in (tuple, set, frozenset):
        return {"t": t.__name__, "v": [encode(v, keep, _depth + 1) for v in value]}
    elif t is dict:
        return {"t": "dict", "items": [[encode(k, None, _depth + 1), encode(v, keep, _depth + 1)]
                                       for k, v in value.items()]}
    elif t is complex:
        return {"t": "complex", "re": value.real, "im": value.imag}
    elif t is np.random.Generator:
        bits = value.bit_generator
        if type(bits).__name__ in BIT_GENERATORS:
            return {"t": "rng", "bit_generator": type(bits).__name__, "state": encode(bits.state, None, _depth + 1)}
    elif getattr(t, "nnbook_function", False) is True:
        return {"t": "fn", "family": str(value.family), "params": encode(dict(value.params), None, _depth + 1)}
    elif _value_class() is t:
        try:
            return _graph(value)
        except NotData:
            pass
    else:
        name = library_class(value)
        if name is not None and isinstance(getattr(value, "__dict__", None), dict):
            try:
                return {"t": "obj", "cls": name, "state": encode(dict(vars(value)), None, _depth + 1)}
            except NotData:
                pass  # it holds something that is not data (a learner's function): it stays
    if keep is None:
        raise NotData(f"{t.__name__} is not data")
    return {"t": "ref", "key": keep(value), "type": t.__name__[:100]}


def _value_class():
    """``nnbook.autograd.Value`` (a scalar of a computation graph), where the library is there."""
    try:
        return importlib.import_module("nnbook.autograd").Value
    except ImportError:
        return None


def _graph(root) -> dict:
    """An autograd ``Value`` and the graph below it, as a flat list of nodes named by numbers:
    ``[number, data, grad, label, op, [children's numbers], [local gradients]]``. The same node
    in two values of one message keeps its number (and is one object again on the other side)."""
    cls, nodes, seen, todo = type(root), [], set(), [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            raise NotData(f"a computation graph of more than {MAX_NODES} nodes")
        children, grads = node.children, node.local_grads
        fields = (node.data, node.grad, node.label, node.op)
        if type(children) is not tuple or type(grads) is not tuple or any(type(c) is not cls for c in children) \
                or any(type(v) not in (int, float) for v in (*fields[:2], *grads)) \
                or any(type(v) is not str for v in fields[2:]):
            raise NotData("a Value whose fields are not numbers, text and Values")
        nodes.append([id(node), *fields, [id(c) for c in children], list(grads)])
        todo.extend(children)
    return {"t": "graph", "root": id(root), "nodes": nodes}


def pack(message) -> str:
    """A message as base64 text of its JSON."""
    return base64.b64encode(json.dumps(message, separators=(",", ":")).encode("utf-8")).decode("ascii")


# --------------------------------------------------------------------------------------------
# Decoding: everything is checked against the schema


def unpack(text):
    """The message in base64 ``text`` (at most ``MAX_REPLY`` bytes)."""
    if not isinstance(text, str) or len(text) > MAX_REPLY:
        raise Unreadable(f"the message is larger than {MAX_REPLY // (1024 * 1024)} MB")
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
        return json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeError, binascii.Error, RecursionError) as exc:
        raise Unreadable(f"the message is not base64-encoded JSON ({type(exc).__name__})") from None


def loads(text: str):
    """The value in the message ``text`` (``pack(encode(value))``), as plain data: no reference, no
    function; ``Unreadable`` for anything outside the schema."""
    return decode(unpack(text))


def _fields(obj: dict, *names):
    if set(obj) != {"t", *names}:
        raise Unreadable(f"a {obj.get('t')!r} value with the fields {sorted(map(str, obj))}")
    return [obj[n] for n in names]


def _array(text) -> np.ndarray:
    if not isinstance(text, str):
        raise Unreadable("an array's bytes are not text")
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
        stream = io.BytesIO(raw)
        version = np.lib.format.read_magic(stream)
        read_header = {(1, 0): np.lib.format.read_array_header_1_0,
                       (2, 0): np.lib.format.read_array_header_2_0}.get(version)
        if read_header is None:
            raise Unreadable(f"an .npy array of version {version}")
        shape, _, dtype = read_header(stream)
        if dtype.kind not in ARRAY_KINDS or dtype.fields is not None or dtype.subdtype is not None:
            raise Unreadable(f"an array of dtype {dtype}")
        if int(np.prod(shape, dtype=np.int64)) * dtype.itemsize > len(raw):
            raise Unreadable("an array larger than its bytes")
        arr = np.lib.format.read_array(io.BytesIO(raw), allow_pickle=False)
    except Unreadable:
        raise
    except (ValueError, TypeError, OSError, SyntaxError, binascii.Error, UnicodeError, OverflowError) as exc:
        raise Unreadable(f"an array that is not plain .npy data ({type(exc).__name__})") from None
    if type(arr) is not np.ndarray or arr.dtype.kind not in ARRAY_KINDS:
        raise Unreadable("an array that is not plain data")
    return arr


def _hashable(key):
    if key is None or type(key) in (bool, int, float, str, complex):
        return key
    if type(key) is tuple and all(_hashable(k) is not _BAD for k in key):
        return key
    if isinstance(key, np.generic):
        return key
    return _BAD


_BAD = object()


def _rebuild_graph(root, nodes, memo: dict):
    """The autograd ``Value`` numbered ``root``, from its graph's flat list of nodes (``memo``: the
    nodes met so far in this message, by number)."""
    cls = _value_class()
    if cls is None or type(root) is not int or type(nodes) is not list or len(nodes) > MAX_NODES:
        raise Unreadable("a computation graph that is not a list of nodes")
    graph = memo.setdefault("graph", {})
    links = []
    for node in nodes:
        if type(node) is not list or len(node) != 7:
            raise Unreadable("a graph node that is not [number, data, grad, label, op, children, gradients]")
        number, data, grad, label, op, children, grads = node
        if type(number) is not int or any(type(v) not in (int, float) for v in (data, grad)) \
                or type(label) is not str or type(op) is not str or type(children) is not list \
                or type(grads) is not list or any(type(c) is not int for c in children) \
                or any(type(g) not in (int, float) for g in grads):
            raise Unreadable("a graph node whose fields are not numbers and text")
        if number not in graph:
            value = cls.__new__(cls)
            for name, v in (("data", float(data)), ("grad", float(grad)), ("label", label[:200]), ("op", op[:40]),
                            ("local_grads", tuple(float(g) for g in grads))):
                object.__setattr__(value, name, v)
            graph[number] = value
            links.append((value, children))
    for value, children in links:
        if any(c not in graph for c in children):
            raise Unreadable("a graph node whose child is not in the graph")
        object.__setattr__(value, "children", tuple(graph[c] for c in children))
    if root not in graph:
        raise Unreadable("a graph whose root is not among its nodes")
    return graph[root]


def _class(name):
    module, _, cls_name = name.rpartition(".") if isinstance(name, str) else ("", "", "")
    if module not in LIBRARY_MODULES or not NAME.fullmatch(cls_name):
        raise Unreadable(f"an object of class {str(name)[:100]!r}, which is not one of the library's")
    cls = vars(importlib.import_module(module)).get(cls_name)
    if not isinstance(cls, type) or cls.__module__ != module:
        raise Unreadable(f"an object of class {name[:100]!r}, which is not one of the library's")
    return cls


def decode(data, ref=None, function=None, _depth: int = 0, _inside: bool = False, memo: dict | None = None):
    """The value that ``encode`` gave ``data``; ``Unreadable`` for anything outside the schema.
    ``ref(key, type_name)`` gives what a reference stands for (none: references are refused);
    ``function(family, params)`` rebuilds a function (none: refused). Inside a library object's
    state neither is accepted: its attributes are plain data."""
    if _depth > MAX_DEPTH:
        raise Unreadable(f"a value nested more than {MAX_DEPTH} levels deep")
    memo = {} if memo is None else memo
    t = type(data)
    if data is None or t in (bool, int, float, str):
        return data
    if t is list:
        return [decode(v, ref, function, _depth + 1, _inside, memo) for v in data]
    if t is not dict or type(data.get("t")) is not str:
        raise Unreadable(f"a value of JSON type {t.__name__} without a tag")
    tag = data["t"]
    again = lambda v: decode(v, ref, function, _depth + 1, _inside, memo)  # noqa: E731
    if tag in ("tuple", "set", "frozenset"):
        (items,) = _fields(data, "v")
        if type(items) is not list:
            raise Unreadable(f"a {tag} without items")
        values = [again(v) for v in items]
        if tag == "tuple":
            return tuple(values)
        if any(_hashable(v) is _BAD for v in values):
            raise Unreadable(f"a {tag} of values that cannot be in one")
        return set(values) if tag == "set" else frozenset(values)
    if tag == "dict":
        (items,) = _fields(data, "items")
        if type(items) is not list or any(type(p) is not list or len(p) != 2 for p in items):
            raise Unreadable("a dict that is not a list of pairs")
        out = {}
        for k, v in items:
            key = decode(k, None, None, _depth + 1, True)
            if _hashable(key) is _BAD:
                raise Unreadable("a dict key that is not a number, string or tuple")
            out[key] = again(v)
        return out
    if tag == "complex":
        re_, im = _fields(data, "re", "im")
        if not all(type(v) in (int, float) for v in (re_, im)):
            raise Unreadable("a complex number whose parts are not numbers")
        return complex(re_, im)
    if tag == "nd":
        (text,) = _fields(data, "npy")
        return _array(text)
    if tag == "np":
        (text,) = _fields(data, "npy")
        arr = _array(text)
        if arr.ndim != 0:
            raise Unreadable("a NumPy scalar that is not 0-dimensional")
        return arr[()]
    if tag == "ndo":
        shape, items = _fields(data, "shape", "v")
        if type(shape) is not list or not all(type(n) is int and 0 <= n for n in shape) or type(items) is not list \
                or int(np.prod(shape, dtype=np.int64)) != len(items):
            raise Unreadable("an array of objects whose shape does not match its items")
        arr = np.empty(len(items), dtype=object)
        for i, v in enumerate(items):
            arr[i] = again(v)
        return arr.reshape(shape)
    if tag == "rng":
        name, state = _fields(data, "bit_generator", "state")
        if name not in BIT_GENERATORS:
            raise Unreadable(f"a random generator of kind {str(name)[:40]!r}")
        state = decode(state, None, None, _depth + 1, True)
        try:
            bits = getattr(np.random, name)()
            bits.state = state
        except (TypeError, ValueError, KeyError, OverflowError) as exc:
            raise Unreadable(f"a random generator's state that NumPy refuses ({type(exc).__name__})") from None
        return np.random.Generator(bits)
    if tag == "fn":
        family, params = _fields(data, "family", "params")
        if function is None or _inside:
            raise Unreadable("a function where only data is accepted")
        params = decode(params, None, None, _depth + 1, True)
        if type(family) is not str or type(params) is not dict or not all(type(k) is str for k in params):
            raise Unreadable("a function description that is not a family and its coefficients")
        try:
            return function(family, params)
        except (TypeError, ValueError) as exc:
            raise Unreadable(f"a function description that does not fit its family: {str(exc)[:200]}") from None
    if tag == "obj":
        name, state = _fields(data, "cls", "state")
        cls = _class(name)
        state = decode(state, None, None, _depth + 1, True)
        if type(state) is not dict:
            raise Unreadable("an object whose state is not a dict")
        for key in state:
            if type(key) is not str or not key.isidentifier() or key.startswith("__") or \
                    callable(getattr(cls, key, None)) or isinstance(getattr(cls, key, None), property):
                raise Unreadable(f"an object of class {cls.__name__} with the attribute {str(key)[:60]!r}")
        obj = cls.__new__(cls)
        obj.__dict__.update(state)
        return obj
    if tag == "graph":
        root, nodes = _fields(data, "root", "nodes")
        return _rebuild_graph(root, nodes, memo)
    if tag == "ref":
        key, type_name = _fields(data, "key", "type")
        if ref is None or _inside:
            raise Unreadable("a reference where only data is accepted")
        if type(key) is not str or not _KEY.fullmatch(key) or type(type_name) is not str:
            raise Unreadable("a reference with a malformed key")
        return ref(key, type_name[:100])
    raise Unreadable(f"a value tagged {tag[:40]!r}")
