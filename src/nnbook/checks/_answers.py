"""Reading a learner's answer: each helper converts it or raises ``CheckFailed`` saying what
was expected and what came. Shared by the chapters' checks.

Fair to every correct style: any array-like is read (lists, tuples, NumPy arrays of any
dtype, ``np.matrix``, 0-d arrays, NumPy scalars), and ``close`` accepts a correct float32
computation (about 7 significant digits) when the answer is float32; a float64 answer is
judged at the check's own tolerance.
"""

from __future__ import annotations

import contextlib
import hashlib
import numbers
import warnings

import numpy as np

from ._core import CheckFailed

LOW_PRECISION = (np.dtype(np.float32), np.dtype(np.float16))
FLOAT32_RTOL = 2e-5  # a correct float32 computation is this close, relatively (with rounding along the way)
FLOAT32_ATOL = 1e-6  # ... and this close near zero, for values of order one


def is_number(value, kind=numbers.Real) -> bool:
    """A number of ``kind`` (``numbers.Real``, ``numbers.Integral``, …) that is not a bool."""
    return isinstance(value, kind) and not isinstance(value, (bool, np.bool_))


def _read(value, what: str, expected: str, binary: bool = False) -> np.ndarray:
    """A float64 array, or a float32 (float16) one if the answer came in that precision. A bool is
    refused unless ``binary`` (0 or 1 is asked: True says 1); an array of bools is read as 0s and 1s."""
    if isinstance(value, (bool, np.bool_)) and not binary:
        raise CheckFailed(f"expected {what} as {expected}, got the bool {value!r}")
    try:
        arr = np.asarray(value)
        if type(arr) is not np.ndarray:  # np.matrix and other subclasses: their plain values
            arr = arr.view(np.ndarray)
        return arr.copy() if arr.dtype in LOW_PRECISION else arr.astype(float)
    except (TypeError, ValueError):
        raise CheckFailed(f"expected {what} as {expected}, got {type(value).__name__} {_brief(value)}") from None


def _brief(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def as_scalar(value, what: str, *, exact: bool = False, binary: bool = False) -> float:
    """One number: a Python or NumPy scalar, a 0-d array, or (unless ``exact``) an array of one element.
    ``binary``: 0 or 1 is asked, and a bool says it as well (``z > 0`` for a step function)."""
    arr = _read(value, what, "one number", binary)
    if arr.ndim != 0 and (exact or arr.size != 1):
        raise CheckFailed(f"expected {what} as one number, got an array of shape {arr.shape}")
    number = arr.reshape(-1)[0]
    return number if arr.dtype in LOW_PRECISION else float(number)  # a float32 answer stays one


def as_array(value, shape, what: str) -> np.ndarray:
    """A float64 array of exactly ``shape`` (``None``: any shape) from any array-like (float32 if
    the answer is float32, so that ``close`` judges it at that precision).

    A column (n, 1) or a row (1, n) where a 1-D ``(n,)`` is asked is refused with a message that
    says so, and so is the reverse.
    """
    arr = _read(value, what, f"a numeric array of shape {shape}" if shape is not None else "a numeric array")
    if shape is None or arr.shape == tuple(shape):
        return arr
    shape = tuple(shape)
    if arr.size == int(np.prod(shape)) and tuple(d for d in arr.shape if d != 1) == tuple(d for d in shape if d != 1):
        kind = "a 1-D array" if len(shape) == 1 else f"a {len(shape)}-D array" if shape else "one number"
        raise CheckFailed(f"expected {what} of shape {shape}, got shape {arr.shape}; return {kind} of shape {shape}"
                          + (" (reshape it, or use .ravel())" if len(shape) == 1 else " (reshape it)"))
    raise CheckFailed(f"expected {what} of shape {shape}, got shape {arr.shape}")


def values(result, n: int, what: str) -> tuple:
    """The ``n`` values of a function that returns several (a tuple or a list)."""
    if isinstance(result, np.ndarray) and result.dtype == object:
        result = tuple(result)
    if not isinstance(result, (tuple, list)) or len(result) != n:
        count = f" of length {len(result)}" if isinstance(result, (tuple, list)) else ""
        wanted = "a pair" if n == 2 else f"{n} values"
        raise CheckFailed(f"expected {what} to return {wanted}, got {type(result).__name__}{count} {_brief(result)}")
    return tuple(result)


def close(got, ref, rtol: float = 1e-5, atol: float = 1e-8, *, like=()) -> bool:
    """``np.allclose(got, ref, rtol, atol)`` with the same shape, judged at float32 precision
    (relative 2e-5, absolute 1e-6 of the largest value) when the answer is float32: ``got``
    itself, or any of the learner's values ``like`` that ``got`` was computed from."""
    if any(np.asarray(v).dtype in LOW_PRECISION for v in (got, *like)):
        scale = max(1.0, float(np.max(np.abs(ref)))) if np.size(ref) else 1.0
        rtol, atol = max(rtol, FLOAT32_RTOL), max(atol, FLOAT32_ATOL * scale)
    got, ref = np.asarray(got, dtype=float), np.asarray(ref, dtype=float)
    return got.shape == ref.shape and bool(np.allclose(got, ref, rtol=rtol, atol=atol))


def difference(got, ref) -> str:
    """Where ``got`` and ``ref`` differ most, with enough digits to see it."""
    got, ref = np.atleast_1d(np.asarray(got, dtype=float)), np.atleast_1d(np.asarray(ref, dtype=float))
    i = np.unravel_index(int(np.argmax(np.abs(got - ref))), ref.shape)
    where = f" at {list(int(k) for k in i)}" if ref.size > 1 else ""
    return f"largest difference {abs(got[i] - ref[i]):.3g}{where} (expected {ref[i]:.10g}, got {got[i]:.10g})"


def call_quietly(answer, *args, what: str, context: str = ""):
    """Call ``answer(*args)`` with every warning an error: an overflow or a division by zero
    fails the check, and so does changing an input in place."""
    copies = [np.array(a, copy=True) for a in args]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            with np.errstate(over="raise", divide="raise", invalid="raise"):
                got = answer(*args)
        except (RuntimeWarning, FloatingPointError) as exc:
            raise CheckFailed(f"expected {what} without any floating-point warning{context}, got: {exc}") from None
    if any(not np.array_equal(a, c) for a, c in zip(args, copies)):
        raise CheckFailed(f"expected {what} to leave its inputs unchanged, but it modified them in place")
    return got


class Parts:
    """Partial credit for a question with independent parts: ``points`` maps each part to its
    points; a part earns them unless a check inside ``with parts.part(name):`` failed."""

    def __init__(self, points: dict):
        self.points, self.failed = dict(points), {}

    @contextlib.contextmanager
    def part(self, name: str):
        try:
            yield
        except CheckFailed as exc:
            self.failed.setdefault(name, str(exc))

    def finish(self) -> None:
        """Raise ``CheckFailed`` with what failed and the points of the parts that did not."""
        if self.failed:
            earned = sum(p for name, p in self.points.items() if name not in self.failed)
            raise CheckFailed("; ".join(self.failed.values()), points=earned)


# --------------------------------------------------------------------------------------------
# Multiple choice: the right answer is stored as a salted hash, not as a letter.


def digest(qid: str, letters: str) -> str:
    """The stored form of the answer ``letters`` to question ``qid`` (salted with the question)."""
    return hashlib.sha256(f"nnbook-choice:{qid}:{letters}".encode()).hexdigest()[:24]


def choice(answer, qid: str, options: str, right: str, wrong: str, *, several: bool = False) -> None:
    """Check a multiple-choice answer: ``answer()`` returns one letter of ``options`` (or, if
    ``several``, a string of letters such as "ad"); ``right`` is ``digest(qid, letters)``.
    ``wrong`` is the message for a valid but wrong answer ({got} is replaced by what came)."""
    got = answer()
    listing = ", ".join(repr(o) for o in options)
    if not isinstance(got, str):
        what = "a string of letters such as 'ad'" if several else f"one of the letters {listing} (one letter)"
        raise CheckFailed(f"expected {what}, got {type(got).__name__} {_brief(got)}")
    if several:
        letters = "".join(sorted(set(got.replace(",", "").replace(" ", "").lower())))
        if not letters or any(c not in options for c in letters):
            raise CheckFailed(f"expected letters among {listing}, got {got!r}")
    else:
        letters = got.strip().lower()
        if len(letters) != 1 or letters not in options:
            raise CheckFailed(f"expected one of the letters {listing} (one letter), got {got!r}")
    if digest(qid, letters) != right:
        raise CheckFailed(wrong.format(got=letters))
