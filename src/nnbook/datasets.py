"""Small data sets of the book. Nothing here downloads anything.

Every function that draws takes ``rng`` (an int seed or a ``numpy.random.Generator``).
"""

from __future__ import annotations

import numpy as np

from ._validation import as_rng, check_positive_float, check_positive_int


# Seed 004's worked example, in nnbook's (n_out, n_in) layout: the 4×2 input-to-hidden matrix
# and the 2×4 hidden-to-output matrix, fed x = [2, 3]. Read-only, so no chapter can change them.
SEED004_W_HIDDEN = np.array([[1, 2], [2, 3], [1, 1], [3, 1]], dtype=np.float64)
SEED004_W_OUTPUT = np.array([[1, 1, 1, 1], [1, 0, 0, 1]], dtype=np.float64)
SEED004_W_HIDDEN.flags.writeable = False
SEED004_W_OUTPUT.flags.writeable = False


def xor():
    """The XOR truth table (seed 000): ``X`` of shape (4, 2) and ``y`` of shape (4, 1)."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    y = np.array([[0], [1], [1], [0]], dtype=np.float64)
    return X, y


# Seed 002's 16 people, already shifted by the seed: column 0 is height − 150 (cm),
# column 1 is weight − 50 (kg), as its query [161 − 150, 65 − 50] shows. 1 = female, 0 = male.
_HEIGHT_WEIGHT = [
    [10.6, 5.7], [9.8, 6.7], [9.1, 8.0], [8.6, 9.1], [8.0, 9.7], [7.5, 10.1], [7.2, 10.8], [7.0, 10.7],
    [22.6, 20.4], [22.1, 22.8], [21.4, 24.3], [20.4, 24.0], [19.4, 23.2], [18.7, 22.5], [17.9, 21.6], [17.5, 21.0],
]
HEIGHT_OFFSET_CM = 150.0
WEIGHT_OFFSET_KG = 50.0


def height_weight():
    """Seed 002's data set: 16 people, shifted height and weight, and sex (1 = female, 0 = male).

    Returns ``X`` of shape (16, 2) — height − 150 cm, weight − 50 kg — and ``y`` of shape (16,).
    A new person of 161 cm and 65 kg is ``[161 - HEIGHT_OFFSET_CM, 65 - WEIGHT_OFFSET_KG]``.
    """
    X = np.array(_HEIGHT_WEIGHT, dtype=np.float64)
    y = np.array([1] * 8 + [0] * 8, dtype=np.float64)
    return X, y


def moons(n_samples: int = 200, noise: float = 0.1, rng=0):
    """Two interleaving half circles, two classes: ``X`` (n_samples, 2), integer ``y`` (n_samples,)."""
    n_samples = check_positive_int(n_samples, "n_samples")
    noise = float(noise)
    if noise < 0:
        raise ValueError(f"expected noise ≥ 0, got {noise}")
    rng = as_rng(rng)
    n0 = n_samples // 2
    n1 = n_samples - n0
    t0 = np.linspace(0, np.pi, n0)
    t1 = np.linspace(0, np.pi, n1)
    X = np.concatenate([
        np.column_stack([np.cos(t0), np.sin(t0)]),
        np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)]),
    ])
    y = np.concatenate([np.zeros(n0, dtype=np.intp), np.ones(n1, dtype=np.intp)])
    X += noise * rng.standard_normal(X.shape)
    order = rng.permutation(n_samples)
    return X[order], y[order]


def spiral(n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2, rng=0):
    """Interleaved spiral arms, one per class (the CS231n toy problem).

    Returns ``X`` of shape (n_per_class · n_classes, 2) and integer labels ``y``.
    """
    n_per_class = check_positive_int(n_per_class, "n_per_class")
    n_classes = check_positive_int(n_classes, "n_classes")
    if n_classes < 2:
        raise ValueError(f"expected at least 2 classes, got {n_classes}")
    rng = as_rng(rng)
    X, y = [], []
    for k in range(n_classes):
        r = np.linspace(0.0, 1.0, n_per_class)
        t = np.linspace(k * 4.0, (k + 1) * 4.0, n_per_class) + noise * rng.standard_normal(n_per_class)
        X.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        y.append(np.full(n_per_class, k, dtype=np.intp))
    X, y = np.concatenate(X), np.concatenate(y)
    order = rng.permutation(len(y))
    return X[order], y[order]


def blobs(n_per_class: int = 50, n_classes: int = 3, spread: float = 0.6, rng=0):
    """Gaussian clusters around points on a circle: a linearly separable multi-class toy problem."""
    n_per_class = check_positive_int(n_per_class, "n_per_class")
    n_classes = check_positive_int(n_classes, "n_classes")
    spread = check_positive_float(spread, "spread")
    rng = as_rng(rng)
    angles = 2 * np.pi * np.arange(n_classes) / n_classes
    centers = 2.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    X = np.concatenate([c + spread * rng.standard_normal((n_per_class, 2)) for c in centers])
    y = np.repeat(np.arange(n_classes), n_per_class).astype(np.intp)
    order = rng.permutation(len(y))
    return X[order], y[order]


def sum_of_inputs(n_samples: int = 100, rng=0):
    """Seed 004's framework data: standard normal ``X`` (n_samples, 2), ``y = x₁ + x₂`` of shape (n_samples, 1)."""
    n_samples = check_positive_int(n_samples, "n_samples")
    X = as_rng(rng).standard_normal((n_samples, 2))
    return X, X.sum(axis=1, keepdims=True)


def digits(test_size: float = 0.25, rng=0, scale: bool = True):
    """scikit-learn's 8×8 handwritten digits (1,797 images, shipped with scikit-learn).

    Returns ``X_train, X_test, y_train, y_test``: rows of 64 pixels (scaled from 0..16 to
    [0, 1] when ``scale``) and integer labels 0–9, split with a class-stratified shuffle.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    if not 0 < test_size < 1:
        raise ValueError(f"expected test_size strictly between 0 and 1, got {test_size}")
    data = load_digits()
    X = data.data.astype(np.float64)
    if scale:
        X = X / 16.0
    y = data.target.astype(np.intp)
    seed = int(as_rng(rng).integers(2**31 - 1))
    return tuple(train_test_split(X, y, test_size=test_size, random_state=seed, stratify=y))
