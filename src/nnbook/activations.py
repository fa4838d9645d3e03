"""Activation functions, their derivatives, and activation layers (chapter 4).

The function forms (``sigmoid``, ``sigmoid_prime``, ...) are for the chapters; the layers
(``Sigmoid``, ``ReLU``, ...) apply them elementwise inside a network and carry the
backward pass ``dX = dY * f'(Z)``.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_positive_float
from .layers import Layer

# --- function forms -------------------------------------------------------------------


def _sigmoid(z):
    # Stable for any z: exp is only ever taken of -|z|, so it never overflows.
    e = np.exp(-np.abs(z))
    s = 1.0 / (1.0 + e)  # σ(|z|); for z < 0, σ(z) = e^z / (1 + e^z) = e · σ(|z|)
    return np.where(z >= 0, s, e * s)


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), elementwise; ``sigmoid(±1000)`` is exactly 1.0 / 0.0, with no warning."""
    return _sigmoid(as_float_array(z, "z"))


def sigmoid_prime(z):
    """σ'(z) = σ(z) (1 − σ(z)) (seed 001's derivation)."""
    s = _sigmoid(as_float_array(z, "z"))
    return s * (1.0 - s)


def tanh(z):
    """tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z)), elementwise, in (−1, 1)."""
    return np.tanh(as_float_array(z, "z"))


def tanh_prime(z):
    """tanh'(z) = 1 − tanh²(z)."""
    t = np.tanh(as_float_array(z, "z"))
    return 1.0 - t * t


def relu(z):
    """ReLU(z) = max(0, z), elementwise."""
    return np.maximum(as_float_array(z, "z"), 0.0)


def relu_prime(z):
    """ReLU'(z) = 1 for z > 0 and 0 otherwise (0 at the kink by convention)."""
    return (as_float_array(z, "z") > 0).astype(np.float64)


def leaky_relu(z, alpha: float = 0.01):
    """Leaky ReLU: z for z > 0, α z otherwise."""
    z = as_float_array(z, "z")
    return np.where(z > 0, z, alpha * z)


def leaky_relu_prime(z, alpha: float = 0.01):
    """Leaky ReLU': 1 for z > 0, α otherwise."""
    z = as_float_array(z, "z")
    return np.where(z > 0, 1.0, alpha)


def softmax(Z, axis: int = -1):
    """softmax(z)_k = e^(z_k) / Σ_j e^(z_j) along ``axis`` (the classes; chapter 13).

    Stable for huge logits: the row maximum is subtracted first, which changes nothing
    mathematically and keeps every exponent ≤ 0.
    """
    Z = as_float_array(Z, "Z")
    if Z.ndim == 0:
        raise ValueError("expected Z with at least one axis of class scores, got a scalar")
    E = np.exp(Z - Z.max(axis=axis, keepdims=True))
    return E / E.sum(axis=axis, keepdims=True)


# --- layers ---------------------------------------------------------------------------


def _array(Z):
    return np.asarray(Z)  # a list from a chapter's cell, too


class Activation(Layer):
    """An elementwise activation layer: no parameters, any width."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Sigmoid(Activation):
    """A = σ(Z); backward dZ = dA · A (1 − A)."""

    def forward(self, Z):
        Z = _array(Z)
        self.A = _sigmoid(Z)
        return self.A

    def backward(self, dA):
        return dA * self.A * (1.0 - self.A)


class Tanh(Activation):
    """A = tanh(Z); backward dZ = dA · (1 − A²)."""

    def forward(self, Z):
        Z = _array(Z)
        self.A = np.tanh(Z)
        return self.A

    def backward(self, dA):
        return dA * (1.0 - self.A * self.A)


class ReLU(Activation):
    """A = max(0, Z); backward dZ = dA where Z > 0, else 0."""

    def forward(self, Z):
        Z = _array(Z)
        self.mask = Z > 0
        return np.maximum(Z, 0.0)

    def backward(self, dA):
        return dA * self.mask


class LeakyReLU(Activation):
    """A = Z where Z > 0, else α Z; backward dZ = dA · (1 or α)."""

    def __init__(self, alpha: float = 0.01):
        super().__init__()
        self.alpha = check_positive_float(alpha, "alpha")

    def forward(self, Z):
        Z = _array(Z)
        self.slope = np.where(Z > 0, 1.0, self.alpha)
        return Z * self.slope

    def backward(self, dA):
        return dA * self.slope

    def get_config(self) -> dict:
        return {"alpha": self.alpha}

    def __repr__(self) -> str:
        return f"LeakyReLU(alpha={self.alpha})"


class Identity(Activation):
    """A = Z; backward dZ = dA. The output layer of a regression or of a softmax classifier."""

    def forward(self, Z):
        return _array(Z)

    def backward(self, dA):
        return dA


class Elementwise(Activation):
    """Any elementwise function ``f`` with its derivative ``df``.

    Seed 004's worked example uses f(x) = 2x::

        Elementwise(lambda z: 2 * z, lambda z: 2 * np.ones_like(z), name="2x")
    """

    def __init__(self, f, df, name: str = "elementwise"):
        super().__init__()
        if not callable(f) or not callable(df):
            raise TypeError(f"expected two callables f and df, got {type(f).__name__} and {type(df).__name__}")
        self.f, self.df, self.name = f, df, name

    def forward(self, Z):
        Z = _array(Z)
        self.Z = Z
        A = np.asarray(self.f(Z), dtype=np.float64)
        if A.shape != Z.shape:
            raise ValueError(f"expected f to keep the shape {Z.shape} (elementwise), got shape {A.shape}")
        return A

    def backward(self, dA):
        D = np.asarray(self.df(self.Z), dtype=np.float64)
        if D.shape != self.Z.shape:
            D = np.broadcast_to(D, self.Z.shape) if D.ndim == 0 else D
            if D.shape != self.Z.shape:
                raise ValueError(f"expected df to return shape {self.Z.shape}, got shape {D.shape}")
        return dA * D

    def __repr__(self) -> str:
        return f"Elementwise(name={self.name!r})"


ACTIVATIONS = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "identity": Identity,
}


def get_activation(name: str) -> Activation:
    """A fresh activation layer from its name (one of ``ACTIVATIONS``)."""
    if not isinstance(name, str) or name.lower() not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; expected one of {', '.join(sorted(ACTIVATIONS))}")
    return ACTIVATIONS[name.lower()]()
