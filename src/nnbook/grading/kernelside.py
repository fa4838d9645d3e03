"""The grader's helper inside the kernel (the untrusted side).

The grader sends this file's source to the kernel, with the sources of ``wire`` (the schema)
and ``checks._functions`` (the functions a checker may hand to an answer), before the
submission's cells; none of them is imported there. The helper keeps the learner's objects in
a table and answers two requests:

* ``bind(qid, make)``: evaluate the answer named in question ``qid``'s check cell (``make`` is
  ``lambda: EXPR``), at the point where that cell stands;
* ``call(text)``: ``text`` is a ``wire`` message (a key of the table, "call" or "getattr", and
  the arguments as data); the reply is a ``wire`` message too: the value, and the arguments as
  they are after the call (an answer may be asked to change one in place).

Everything it sends is untrusted data to the grader, checked against the schema there: a learner
who replaces this helper gains nothing that the answer itself could not return.
"""

import builtins
import sys
import warnings


def install(wire, functions):
    """The helper: a namespace with ``bind`` and ``call``, also kept in ``sys.modules`` (so that
    a ``%reset`` in the notebook does not lose the answers bound so far)."""
    import types

    import numpy as np

    table = {}

    def keep(obj):
        key = f"r{len(table) + 1}"
        table[key] = obj
        return key

    def make_function(family, params):
        return functions.Function(family, **params)

    def resolve(key, type_name):
        return table[key]

    def bind(qid, make):
        table[qid] = make()
        return "bound"

    def call(text):
        try:
            request = wire.unpack(text)
            target = table[request["key"]]
            args = wire.decode(request["args"], resolve, make_function)
            kwargs = wire.decode(request["kwargs"], resolve, make_function)
            with warnings.catch_warnings(), np.errstate(**request["errstate"]):
                warnings.resetwarnings()
                for action, message, category, module, lineno in reversed(request["filters"]):
                    warnings.filterwarnings(action, message, getattr(builtins, category, Warning), module, lineno)
                if request["op"] == "call":
                    value = target(*args, **kwargs)
                else:
                    value = getattr(target, request["name"])
                reply = {"status": "ok", "value": wire.encode(value, keep), "args": wire.encode(args, keep),
                         "kwargs": wire.encode(kwargs, keep)}
        except BaseException as exc:  # the answer's exception, sent by name and message
            reply = {"status": "raise", "name": type(exc).__name__, "message": str(exc)[:2000]}
        return wire.pack(reply)

    helper = types.SimpleNamespace(bind=bind, call=call)
    sys.modules["__nnbook_grade__"] = helper
    return helper


def setup_code() -> str:
    """The code the grader runs in the kernel first: the three sources, then ``install``."""
    from ..checks import _functions
    from . import wire

    sources = {}
    for name, module in (("wire", wire), ("functions", _functions), ("kernelside", sys.modules[__name__])):
        with open(module.__file__, encoding="utf-8") as f:
            sources[name] = f.read()
    return ("def __nnbook_grade_setup(sources):\n"
            "    spaces = {}\n"
            "    for name, source in sources.items():\n"
            "        spaces[name] = {'__name__': 'nnbook_grade_' + name}\n"
            "        exec(compile(source, '<nnbook grader: ' + name + '>', 'exec'), spaces[name])\n"
            "    as_module = lambda name: type(__import__('sys'))('nnbook_grade_' + name)\n"
            "    wire, functions = as_module('wire'), as_module('functions')\n"
            "    vars(wire).update(spaces['wire'])\n"
            "    vars(functions).update(spaces['functions'])\n"
            "    return spaces['kernelside']['install'](wire, functions)\n"
            f"__nnbook_grade_setup({sources!r})\n"
            "del __nnbook_grade_setup\n")


# How the grader names the helper in its requests (robust to a notebook's ``%reset``).
HELPER = "__import__('sys').modules['__nnbook_grade__']"
