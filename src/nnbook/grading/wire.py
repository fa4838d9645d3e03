"""What crosses between the grader and a kernel, and how.

From the grader to the kernel go data (pickled) and references: a function the checker passes
(``grad_f``) stays in the grader and is called back over the kernel's stdin channel. From the
kernel come values decoded by a restricted unpickler that builds plain data only (Python's basic
types, NumPy arrays, scalars, dtypes and matrices, and the classes of the ``nnbook`` library:
their state, never their code); anything else stays in the kernel and is reached through a
``Remote`` proxy. The checker calls the proxy; the call runs in the kernel and its value comes back.
"""

from __future__ import annotations

import base64
import builtins
import importlib
import io
import pickle
import re
import sys
import time
import types
import warnings

import numpy as np

MAX_REPLY = 64 * 1024 * 1024  # bytes of one encoded value from the kernel
REF, BACK = "__nnbook_ref__", "__nnbook_back__"
PROMPT = "\x00nnbook-callback "


class KernelDied(RuntimeError):
    pass


class TimeLimit(RuntimeError):
    pass


def _safe_globals() -> dict:
    allowed = {("builtins", n): getattr(builtins, n) for n in (
        "list", "tuple", "dict", "set", "frozenset", "str", "bytes", "bytearray", "int", "float",
        "complex", "bool", "slice", "range", "object")}
    allowed[("copyreg", "_reconstructor")] = __import__("copyreg")._reconstructor
    allowed[("numpy", "ndarray")] = np.ndarray
    allowed[("numpy", "dtype")] = np.dtype
    allowed[("numpy", "matrix")] = np.matrix
    allowed[("numpy.matrixlib.defmatrix", "matrix")] = np.matrix
    for mod in ("numpy.core.multiarray", "numpy._core.multiarray"):
        for name in ("_reconstruct", "scalar"):
            allowed[(mod, name)] = _numpy_attr(name)
    return allowed


def _numpy_attr(name):
    try:
        from numpy._core import multiarray  # NumPy 2
    except ImportError:  # pragma: no cover - NumPy 1
        from numpy.core import multiarray
    return getattr(multiarray, name)


class _SafeUnpickler(pickle.Unpickler):
    _allowed = None

    def find_class(self, module, name):
        if _SafeUnpickler._allowed is None:
            _SafeUnpickler._allowed = _safe_globals()
        if (module, name) in self._allowed:
            return self._allowed[(module, name)]
        if module in ("numpy.random._pickle", "numpy.random.bit_generator") and name in _RANDOM_CTORS:
            return getattr(importlib.import_module(module), name)
        if module.startswith("numpy.random.") and module.count(".") == 2:
            obj = getattr(sys.modules.get(module), name, None)
            if isinstance(obj, type) and issubclass(obj, (np.random.BitGenerator, np.random.SeedSequence)):
                return obj
        if module == "numpy.dtypes" or _library_module(module):
            obj = vars(sys.modules[module]).get(name) if module in sys.modules else None
            if isinstance(obj, type) and obj.__module__ == module:
                return obj
        raise pickle.UnpicklingError(f"the answer's value contains {module}.{name}, which the grader does not accept")


def _library_module(module: str) -> bool:
    """The library's own modules (layers, losses, networks, …), whose objects may be answers."""
    parts = module.split(".")
    return len(parts) == 2 and parts[0] == "nnbook" and parts[1] not in ("grading", "cli", "checks", "widgets", "plots")

# NumPy's random generators rebuild themselves from a bit generator's name and state only.
_RANDOM_CTORS = ("__generator_ctor", "__bit_generator_ctor", "__randomstate_ctor", "__pyx_unpickle_SeedSequence")


def loads(data: bytes):
    return _SafeUnpickler(io.BytesIO(data)).load()



class Remote:
    """The checker's view of the learner's answer (or of something it returned): a proxy."""

    def __init__(self, kernel, key, deadline: float, label: str):
        self._kernel, self._key, self._deadline, self._label = kernel, key, deadline, label

    def _request(self, op, name, args, kwargs):
        kernel = self._kernel
        err = np.geterr()
        filters = [(a, _pattern(m), c.__name__, _pattern(mod), int(n))
                   for a, m, c, mod, n in warnings.filters if getattr(builtins, c.__name__, None) is c]
        payload = base64.b64encode(pickle.dumps((to_kernel(kernel, tuple(args)), to_kernel(kernel, dict(kwargs))),
                                                protocol=4)).decode()
        expr = f"__nnbook_grade__.call({self._key!r}, {op!r}, {name!r}, {payload!r}, {err!r}, {filters!r})"
        out = kernel.execute("", self._deadline, user_expressions={"r": expr}, allow_stdin=True)
        if out.status == "timeout":
            raise TimeLimit("the time limit was reached while checking this answer")
        if out.status == "dead":
            raise KernelDied("the kernel died while checking this answer")
        result = out.reply.get("user_expressions", {}).get("r", {})
        if out.status != "ok" or result.get("status") != "ok":
            raise RuntimeError(f"the answer could not be called ({result.get('ename', out.ename)}: "
                               f"{result.get('evalue', out.evalue)})")
        text = result.get("data", {}).get("text/plain", "")
        if len(text) > MAX_REPLY:
            raise MemoryError("the answer's value is too large to check")
        if not re.fullmatch(r"'[A-Za-z0-9+/=]*'", text):
            raise RuntimeError("the answer's value could not be read (the kernel sent something else)")
        try:
            decoded = loads(base64.b64decode(text[1:-1], validate=True))
        except pickle.UnpicklingError:
            raise
        except Exception as exc:
            raise RuntimeError(f"the answer's value could not be read ({type(exc).__name__})") from None
        if not (isinstance(decoded, tuple) and decoded and decoded[0] in ("ok", "raise")):
            raise RuntimeError("the answer's value could not be read")
        if decoded[0] == "raise":
            _raise_named(decoded[1], decoded[2])
        _, value, args_after, kwargs_after = decoded
        for original, after in zip(args, args_after if isinstance(args_after, tuple) else ()):
            _restore(original, after)
        for key, original in kwargs.items():
            if isinstance(kwargs_after, dict) and key in kwargs_after:
                _restore(original, kwargs_after[key])
        return from_kernel(kernel, value, self._deadline)

    def __call__(self, *args, **kwargs):
        return self._request("call", None, args, kwargs)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._request("getattr", name, (), {})

    def __repr__(self):
        return f"<the submission's {self._label}>"


def _pattern(p) -> str:
    return p.pattern if hasattr(p, "pattern") else (p or "")


def _raise_named(name, message):
    exc = getattr(builtins, str(name), None)
    if not (isinstance(exc, type) and issubclass(exc, Exception)) or exc in (KeyboardInterrupt,):
        exc = RuntimeError
        message = f"{name}: {message}"
    raise exc(str(message))


_CALLABLE = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.LambdaType)


def to_kernel(kernel, value):
    """Encode what the checker passes: data by value; functions and unpicklable objects stay here."""
    if isinstance(value, Remote):
        return (REF, value._key)
    if type(value) in (list, tuple):
        return type(value)(to_kernel(kernel, v) for v in value)
    if type(value) is dict:
        return {k: to_kernel(kernel, v) for k, v in value.items()}
    if not isinstance(value, _CALLABLE) and not isinstance(value, np.ufunc):
        try:
            pickle.dumps(value, protocol=4)
            return value
        except Exception:
            pass
    key = len(kernel.backs) + 1
    kernel.backs[key] = value
    return (BACK, key)


def _marked(value, marker: str) -> bool:
    return type(value) is tuple and len(value) == 2 and type(value[0]) is str and value[0] == marker


def from_kernel(kernel, value, deadline: float | None = None):
    """Turn the kernel's references into proxies (decoded values are plain data already)."""
    if _marked(value, REF) and isinstance(value[1], (int, str)):
        return Remote(kernel, value[1], deadline if deadline is not None else time.monotonic() + 60, "object")
    if _marked(value, BACK) and isinstance(value[1], int) and value[1] in kernel.backs:
        return kernel.backs[value[1]]
    if type(value) in (list, tuple):
        return type(value)(from_kernel(kernel, v, deadline) for v in value)
    if type(value) is dict:
        return {k: from_kernel(kernel, v, deadline) for k, v in value.items()}
    return value


def _restore(original, after):
    """Carry the answer's in-place changes of an argument back to the checker's object."""
    if isinstance(original, np.random.Generator):
        if isinstance(after, np.random.Generator) and type(after.bit_generator) is type(original.bit_generator):
            original.bit_generator.state = after.bit_generator.state
    elif isinstance(original, np.ndarray):
        if isinstance(after, np.ndarray) and after.shape == original.shape and original.flags.writeable:
            try:
                original[...] = after
            except (TypeError, ValueError):
                pass
    elif type(original) is list and type(after) is list:
        for i, (o, a) in enumerate(zip(original, after)):
            if isinstance(o, (np.ndarray, list, dict, tuple)) or hasattr(o, "__dict__"):
                _restore(o, a)
            else:
                original[i] = a
        del original[len(after):]
        original.extend(after[len(original):])
    elif type(original) is tuple and type(after) is tuple:
        for o, a in zip(original, after):
            _restore(o, a)
    elif type(original) is dict and type(after) is dict:
        for k, a in after.items():
            if k in original and (isinstance(original[k], (np.ndarray, list, dict, tuple))
                                  or hasattr(original[k], "__dict__")):
                _restore(original[k], a)
            else:
                original[k] = a
    elif hasattr(original, "__dict__") and type(after) is type(original) and not isinstance(original, type):
        for k, a in vars(after).items():
            o = original.__dict__.get(k)
            if isinstance(o, (np.ndarray, list, dict, tuple)):
                _restore(o, a)
            else:
                original.__dict__[k] = a


