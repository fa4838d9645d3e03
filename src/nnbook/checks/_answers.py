"""Reading a learner's answer: each helper converts it or raises ``CheckFailed`` saying what
was expected and what came. Shared by the chapters' checks."""

from __future__ import annotations

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
