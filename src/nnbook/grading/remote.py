"""The grader's side of a call into the kernel: ``Remote``, the checker's view of an object that
stays there (the learner's answer, or an object it returned).

Calling it, or reading one of its public attributes, sends a ``wire`` message to the kernel's
helper (the arguments as data, and the checker's NumPy error state and warning filters) and
waits, until the question's deadline, for a ``wire`` message back: the value, and the arguments
as they are after the call, whose changes are carried back into the checker's objects
(``restore``: arrays, lists, dicts, random generators, library objects). Whatever cannot end the
question normally raises a ``Stop`` (a ``BaseException``, which no checker catches): the time
limit, the kernel's death, or a reply outside the schema ("the answer's value could not be read").
"""

from __future__ import annotations

import builtins
import warnings

import numpy as np

from .wire import MAX_DEPTH, NAME, NotData, Unreadable, decode, encode, library_class, pack, unpack


class Stop(BaseException):
    """Ends the checking of a question, whatever the checker catches: the answer did not finish,
    or its value could not be read. ``message`` is what the gradebook says."""


class TimeLimit(Stop):
    pass


class KernelDied(Stop):
    pass


class Refused(Stop):
    """The kernel sent something outside the schema (or too large)."""


def function_from_table(family, params):
    """A function of the checks' fixed table (what an answer may hand back: the one it was given)."""
    from ..checks._functions import Function

    return Function(family, **params)


class Remote:
    """The checker's view of an object that stays in the kernel (the learner's answer, or an object
    it returned): calling it or reading a public attribute is a request to the kernel, whose reply
    is data. Only data goes with the request."""

    __slots__ = ("_kernel", "_key", "_deadline", "_label")

    def __init__(self, kernel, key: str, deadline: float, label: str):
        object.__setattr__(self, "_kernel", kernel)
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_deadline", deadline)
        object.__setattr__(self, "_label", label)

    def __call__(self, *args, **kwargs):
        return request(self, "call", None, args, kwargs)

    def __getattr__(self, name):
        if not NAME.fullmatch(name):  # public names only: no dunder, no private attribute
            raise AttributeError(name)
        return request(self, "getattr", name, (), {})

    def __setattr__(self, name, value):
        raise AttributeError("the submission's objects are read through calls only")

    def __repr__(self):
        return f"<the submission's {self._label}>"


def _errstate_and_filters():
    """The checker's NumPy error state and warning filters (``call_quietly``'s "every warning is an
    error"), as data, so that the answer runs under the same ones in the kernel."""
    err = {k: v for k, v in np.geterr().items() if k in ("divide", "over", "under", "invalid")}
    filters = []
    for action, message, category, module, lineno in warnings.filters:
        if getattr(builtins, category.__name__, None) is not category:
            continue
        filters.append([str(action), getattr(message, "pattern", message) or "", category.__name__,
                        getattr(module, "pattern", module) or "", int(lineno)])
    return err, filters


def request(remote: Remote, op: str, name, args, kwargs):
    """Call ``remote`` (or read its attribute ``name``) in the kernel; its value as data or proxies."""
    kernel = remote._kernel

    def host_keep(value):
        if isinstance(value, Remote) and value._kernel is kernel:
            return value._key
        raise NotData(f"{type(value).__name__} is not data")

    try:
        err, filters = _errstate_and_filters()
        message = pack({"key": remote._key, "op": op, "name": name, "args": encode(list(args), host_keep),
                        "kwargs": encode(dict(kwargs), host_keep), "errstate": err, "filters": filters})
    except NotData as exc:
        raise Refused(f"the grader cannot send this to the answer: {exc}") from None
    text = kernel.request(message, remote._deadline)
    try:
        reply = unpack(text)
        if type(reply) is not dict:
            raise Unreadable("a reply that is not an object")
        status = reply.get("status")
        fields = {"raise": {"status", "name", "message"}, "ok": {"status", "value", "args", "kwargs"}}.get(status)
        if fields is None:
            raise Unreadable(f"a reply with the status {str(status)[:40]!r}")
        if set(reply) != fields:
            raise Unreadable(f"a reply with the fields {sorted(str(k)[:40] for k in reply)[:10]}, not {sorted(fields)}")
        if status == "raise":
            _raise_named(reply["name"], reply["message"])

        def kernel_ref(key, type_name):
            return Remote(kernel, key, remote._deadline, f"{type_name} object")

        memo = {}  # one message: a node of a computation graph met twice is one object
        value = decode(reply["value"], kernel_ref, function_from_table, memo=memo)
        args_after = decode(reply["args"], kernel_ref, function_from_table, memo=memo)
        kwargs_after = decode(reply["kwargs"], kernel_ref, function_from_table, memo=memo)
    except Unreadable as exc:
        raise Refused(f"the answer's value could not be read: {exc}") from None
    if type(args_after) is list:
        for original, after in zip(args, args_after):
            restore(original, after)
    if type(kwargs_after) is dict:
        for key, original in kwargs.items():
            if key in kwargs_after:
                restore(original, kwargs_after[key])
    return value


def _raise_named(name, message):
    """The learner's exception, as the same built-in exception here (others as RuntimeError)."""
    if type(name) is not str or type(message) is not str:
        raise Unreadable("an exception without a name and a message")
    exc = getattr(builtins, name, None) if NAME.fullmatch(name) else None
    message = message[:2000]
    if not (isinstance(exc, type) and issubclass(exc, Exception)):
        exc, message = RuntimeError, f"{name[:100]}: {message}"
    raise exc(message)


def _holds_ref(value, depth=0) -> bool:
    if isinstance(value, Remote):
        return True
    if depth > MAX_DEPTH:
        return True
    if type(value) in (list, tuple, set, frozenset):
        return any(_holds_ref(v, depth + 1) for v in value)
    if type(value) is dict:
        return any(_holds_ref(v, depth + 1) for v in value.values())
    if isinstance(value, np.ndarray) and value.dtype == object:
        return any(_holds_ref(v, depth + 1) for v in value.ravel())
    return False


def restore(original, after, depth: int = 0):
    """Carry the answer's in-place changes of an argument (``after``, data) back to the checker's
    object ``original``: arrays, lists, dicts, random generators and library objects."""
    if depth > MAX_DEPTH or isinstance(after, Remote):
        return
    if isinstance(original, np.random.Generator):
        if isinstance(after, np.random.Generator) and type(after.bit_generator) is type(original.bit_generator):
            original.bit_generator.state = after.bit_generator.state
    elif isinstance(original, np.ndarray):
        if isinstance(after, np.ndarray) and after.shape == original.shape and original.flags.writeable \
                and after.dtype != object:
            try:
                original[...] = after
            except (TypeError, ValueError):
                pass
    elif type(original) is list and type(after) is list:
        for i, (o, a) in enumerate(zip(original, after)):
            if isinstance(o, (np.ndarray, list, dict, tuple, np.random.Generator)) or library_class(o):
                restore(o, a, depth + 1)
            elif not _holds_ref(a):
                original[i] = a
        if not _holds_ref(after):
            del original[len(after):]
            original.extend(after[len(original):])
    elif type(original) is tuple and type(after) is tuple:
        for o, a in zip(original, after):
            restore(o, a, depth + 1)
    elif type(original) is dict and type(after) is dict:
        for k, a in after.items():
            o = original.get(k)
            if k in original and (isinstance(o, (np.ndarray, list, dict, tuple, np.random.Generator))
                                  or library_class(o)):
                restore(o, a, depth + 1)
            elif not _holds_ref(a):
                original[k] = a
    elif library_class(original) and type(after) is type(original):
        for k, a in vars(after).items():
            o = original.__dict__.get(k)
            if isinstance(o, (np.ndarray, list, dict, tuple, np.random.Generator)) or library_class(o):
                restore(o, a, depth + 1)
            else:
                original.__dict__[k] = a
