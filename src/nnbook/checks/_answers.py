"""Reading a learner's answer: each helper converts it or raises ``CheckFailed`` saying what
was expected and what came. Shared by the chapters' checks."""

from __future__ import annotations

import warnings

import numpy as np

from ._core import CheckFailed


def as_scalar(value, what: str) -> float:
    """One number (a Python or NumPy scalar, or an array of one element)."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailed(f"expected {what} as one number, got {value!r}") from None
    if arr.size != 1:
        raise CheckFailed(f"expected {what} as one number, got an array of shape {arr.shape}")
    return float(arr.reshape(-1)[0])


def as_array(value, shape, what: str) -> np.ndarray:
    """A numeric array of exactly ``shape``."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailed(f"expected {what} as a numeric array of shape {shape}, got {value!r}") from None
    if arr.shape != shape:
        raise CheckFailed(f"expected {what} of shape {shape}, got shape {arr.shape}")
    return arr


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
