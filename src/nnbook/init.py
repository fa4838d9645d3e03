"""Weight initializers (chapter 12).

Each draws ``W`` of shape ``(n_out, n_in)`` from the given generator; biases start at zero,
except for "normal", which reproduces seed 000's ``np.random.randn`` for weights *and* biases.

=========  ==========================================  ============================
name       W                                           use
=========  ==========================================  ============================
zeros      0                                           shows the symmetry failure (seed 001)
small      N(0, 1) · 0.01                              seed 001's small random start
normal     N(0, 1)                                     seed 000's ``randn``
xavier     N(0, 2 / (n_in + n_out))                    sigmoid and tanh (Glorot & Bengio 2010)
he         N(0, 2 / n_in)                              ReLU (He et al. 2015)
=========  ==========================================  ============================
"""

from __future__ import annotations

import numpy as np

from ._validation import check_choice

INITIALIZERS = ("zeros", "small", "normal", "xavier", "he")


def initialize(name: str, n_in: int, n_out: int, rng: np.random.Generator):
    """Return ``(W, b)`` with ``W`` of shape ``(n_out, n_in)`` and ``b`` of shape ``(n_out,)``."""
    name = check_choice(name, INITIALIZERS, "initializer")
    b = np.zeros(n_out)
    if name == "zeros":
        W = np.zeros((n_out, n_in))
    elif name == "small":
        W = rng.standard_normal((n_out, n_in)) * 0.01
    elif name == "normal":
        W = rng.standard_normal((n_out, n_in))
        b = rng.standard_normal(n_out)
    elif name == "xavier":
        W = rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / (n_in + n_out))
    else:  # he
        W = rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)
    return W, b
