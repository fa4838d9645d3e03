"""Stochastic gradient descent (chapter 8): w ← w − α ∇L."""

from __future__ import annotations

import numpy as np

from ._validation import check_positive_float


class SGD:
    """Plain SGD, with optional momentum.

    ``step(model)`` updates every parameter of ``model`` (a layer or a ``Sequential``) in
    place, reading ``model.params`` and ``model.grads`` afresh each step (or the triples of
    ``model.parameters()``, for a model that defines it, as ``Layer`` and ``Sequential`` do:
    a model that leaves some parameters out of it keeps them fixed):

    * momentum = 0: ``p ← p − lr · g``
    * momentum = μ > 0: ``v ← μ v − lr · g``, ``p ← p + v``
    """

    def __init__(self, lr: float, momentum: float = 0.0):
        self.lr = check_positive_float(lr, "lr (learning rate)")
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not 0 <= momentum < 1:
            raise ValueError(f"expected momentum in [0, 1), got {momentum!r}")
        self.momentum = float(momentum)
        self._velocity: dict[int, np.ndarray] = {}

    def step(self, model) -> None:
        if hasattr(model, "parameters"):
            triples = model.parameters()
        elif isinstance(getattr(model, "params", None), dict) and isinstance(getattr(model, "grads", None), dict):
            grads = model.grads
            triples = [(k, p, grads[k]) for k, p in model.params.items()]
        else:
            raise TypeError(f"expected a layer or model with params and grads dictionaries, got {type(model).__name__}")
        lr, mu = self.lr, self.momentum
        for _, p, g in triples:
            if mu == 0.0:
                p -= lr * g
            else:
                v = self._velocity.setdefault(id(p), np.zeros_like(p))
                v *= mu
                v -= lr * g
                p += v

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr}, momentum={self.momentum})"
