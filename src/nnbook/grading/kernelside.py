"""The grader's helper inside the kernel (the untrusted side).

The grader sends this file's source to the kernel after the submission's cells and calls
``install``; it is never imported there. It keeps the learner's objects in a table and answers
two requests: ``bind(qid, make)`` (evaluate the answer named in the ``check`` cell) and
``call(key, ...)`` (call it, or read an attribute, on arguments the grader sent, and send back
the value pickled). Everything it sends is untrusted data to the grader, which decodes it with a
restricted unpickler: a learner who replaces this helper gains nothing.
"""

import base64
import builtins
import functools
import pickle
import types
import warnings

import numpy as np

REF, BACK = "__nnbook_ref__", "__nnbook_back__"
PROMPT = "\x00nnbook-callback "
CODE_LIKE = (type, types.FunctionType, types.BuiltinFunctionType, types.MethodType, functools.partial)


def install(kernel):
    """The helper's two requests, ``bind`` and ``call``, as a namespace."""
    table = {}

    def keep(obj):
        key = len(table) + 1
        table[key] = obj
        return (REF, key)

    def encode(value):
        if isinstance(value, types.GeneratorType) or type(value) in (map, filter, zip, enumerate, reversed):
            value = list(value)  # an iterator's items, not the iterator
        if type(value) in (list, tuple):
            return type(value)(encode(v) for v in value)
        if type(value) is dict:
            return {k: encode(v) for k, v in value.items()}
        if isinstance(value, CODE_LIKE) or getattr(type(value), "__module__", "") == "__main__":
            return keep(value)  # functions, classes and the learner's own objects stay here
        try:
            pickle.dumps(value, protocol=4)
        except Exception:
            return keep(value)
        return value

    class Back:
        """An object that stays in the grader (e.g. the grad_f a checker passes)."""
        __slots__ = ("_key",)

        def __init__(self, key):
            object.__setattr__(self, "_key", key)

        def __call__(self, *args, **kwargs):
            return request(self._key, "call", None, args, kwargs)

        def __getattr__(self, name):
            if name.startswith("__"):
                raise AttributeError(name)
            return request(self._key, "getattr", name, (), {})

    def decode(value):
        if type(value) is tuple and len(value) == 2 and type(value[0]) is str and value[0] == BACK:
            return Back(value[1])
        if type(value) is tuple and len(value) == 2 and type(value[0]) is str and value[0] == REF:
            return table[value[1]]
        if type(value) in (list, tuple):
            return type(value)(decode(v) for v in value)
        if type(value) is dict:
            return {k: decode(v) for k, v in value.items()}
        return value

    def raise_named(name, message):
        exc = getattr(builtins, name, None)
        if not (isinstance(exc, type) and issubclass(exc, Exception)):
            exc = RuntimeError
        raise exc(message)

    def request(key, op, name, args, kwargs):
        payload = (key, op, name, encode(tuple(args)), encode(dict(kwargs)))
        reply = kernel.raw_input(PROMPT + base64.b64encode(pickle.dumps(payload, 4)).decode())
        status, value = pickle.loads(base64.b64decode(reply))
        if status == "ok":
            return decode(value)
        raise_named(*value)

    def bind(qid, make):
        table[qid] = make()
        return "bound"

    def call(key, op, name, payload, errstate, filters):
        args, kwargs = pickle.loads(base64.b64decode(payload))
        args, kwargs = decode(args), decode(kwargs)
        try:
            with warnings.catch_warnings(), np.errstate(**errstate):
                warnings.resetwarnings()
                for action, message, category, module, lineno in reversed(filters):
                    category = getattr(builtins, category, Warning)
                    warnings.filterwarnings(action, message, category, module, lineno)
                value = table[key](*args, **kwargs) if op == "call" else getattr(table[key], name)
            out = ("ok", encode(value), encode(args), encode(kwargs))
        except BaseException as exc:
            out = ("raise", type(exc).__name__, str(exc)[:2000])
        return base64.b64encode(pickle.dumps(out, 4)).decode()

    return types.SimpleNamespace(bind=bind, call=call)


def setup_code() -> str:
    """The code the grader runs in the kernel: this file's source, then ``install``."""
    with open(__file__, encoding="utf-8") as f:
        source = f.read()
    return ("def __nnbook_grade_setup(source):\n"
            "    namespace = {'__name__': 'nnbook_grade_kernelside'}\n"
            "    exec(compile(source, '<nnbook grader>', 'exec'), namespace)\n"
            "    return namespace['install'](get_ipython().kernel)\n"
            f"__nnbook_grade__ = __nnbook_grade_setup({source!r})\n"
            "del __nnbook_grade_setup\n")
