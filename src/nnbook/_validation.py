"""Checks at the public boundary: every error says what was expected and what came.

The library validates once where data enters a model (``Sequential.forward``, ``fit``,
``gradcheck``, a loss's ``forward``), never inside a layer or the per-batch loop of training.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(a, name: str) -> np.ndarray:
    """Convert ``a`` to a float64 array or raise ``TypeError`` naming ``name``."""
    if isinstance(a, np.ndarray) and a.dtype == np.float64:
        return a
    try:
        arr = np.asarray(a)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"expected {name} as a numeric array, got {type(a).__name__} ({exc})") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"expected {name} as a numeric array, got an array of dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise TypeError(f"expected {name} as a real-valued array, got dtype {arr.dtype}")
    return arr.astype(np.float64)


def check_finite(arr: np.ndarray, name: str) -> None:
    if not np.isfinite(arr).all():
        n_bad = int(arr.size - np.isfinite(arr).sum())
        raise ValueError(f"expected finite values in {name}, got {n_bad} NaN or infinite value(s)")


def check_input(X, n_in: int | None, name: str = "X", owner: str = "this layer", finite: bool = True) -> np.ndarray:
    """Validate one example ``(n_in,)`` or a batch ``(n_samples, n_in)``: its type and shape,
    and with ``finite=True`` its values (a pass over the data, so done once per data set).

    Returns the float64 array. ``n_in=None`` accepts any width.
    """
    arr = as_float_array(X, name)
    if arr.ndim not in (1, 2):
        raise ValueError(
            f"expected {name} as one example of shape (n_in,) or a batch of shape "
            f"(n_samples, n_in), got a {arr.ndim}-D array of shape {arr.shape}"
        )
    width = arr.shape[-1]
    if arr.ndim == 2 and arr.shape[0] == 0:
        raise ValueError(f"expected at least one sample in {name}, got an empty batch of shape {arr.shape}")
    if n_in is not None and width != n_in:
        what = "entries" if arr.ndim == 1 else "columns"
        raise ValueError(f"expected {name} with {n_in} {what} (n_in of {owner}), got shape {arr.shape}")
    if width == 0:
        raise ValueError(f"expected {name} with at least one feature, got shape {arr.shape}")
    if finite:
        check_finite(arr, name)
    return arr


def check_same_shape(shape: tuple, y: np.ndarray, owner: str) -> np.ndarray:
    """Targets must have exactly the predictions' ``shape``; nothing is broadcast.

    The one exception made explicit: a 1-D ``y`` of length ``n_samples`` for
    predictions of shape ``(n_samples, 1)`` is read as a column.
    """
    if y.shape == shape:
        return y
    if len(shape) == 2 and shape[1] == 1 and y.shape == shape[:1]:
        return y.reshape(-1, 1)
    raise ValueError(
        f"expected targets y of shape {shape} to match the predictions of {owner}, "
        f"got shape {y.shape}; nnbook never broadcasts targets against predictions"
    )


def check_positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"expected {name} as a positive integer, got {value!r} of type {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"expected {name} as a positive integer, got {value}")
    return int(value)


def check_positive_float(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"expected {name} as a positive number, got {value!r} of type {type(value).__name__}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"expected {name} as a positive finite number, got {value}")
    return float(value)


def check_choice(value, choices, name: str) -> str:
    if not isinstance(value, str) or value.lower() not in choices:
        raise ValueError(f"unknown {name} {value!r}; expected one of {', '.join(sorted(choices))}")
    return value.lower()


def as_rng(rng) -> np.random.Generator:
    """An ``np.random.Generator`` from an int seed, a Generator or None (fresh entropy)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        return np.random.default_rng(rng)
    raise TypeError(f"expected rng as an int seed, a numpy Generator or None, got {type(rng).__name__}")
