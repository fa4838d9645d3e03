"""Gradient checking (chapter 10; seed 003's numerical differentiation as the proof of backprop)."""

from __future__ import annotations

import numpy as np

from ._validation import check_input, check_positive_float
from .layers import check_layer
from .losses import get_loss


def numerical_gradient(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences ∂f/∂x_i ≈ (f(x + ε e_i) − f(x − ε e_i)) / 2ε, for every entry of ``x``.

    ``x`` is perturbed in place and restored; ``f`` takes no argument and reads ``x``.
    """
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = f()
        flat[i] = old - eps
        f_minus = f()
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """‖a − b‖ / (‖a‖ + ‖b‖), and 0 when both are zero."""
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def gradcheck(model, loss, X, y, eps: float = 1e-6) -> dict[str, float]:
    """Compare backpropagation with central differences.

    Parameters
    ----------
    model : a layer (any object with ``params``, ``grads``, ``forward`` and ``backward``) or a
        ``Sequential``.
    loss : a ``Loss`` (or its name).
    X : input of shape ``(n_samples, n_in)`` (or one example).
    y : targets for ``loss``.
    eps : the step ε of the central difference.

    Returns
    -------
    dict
        For every parameter, under its name in ``model.params`` (``"W"``, ``"b"`` of a layer;
        ``"W1"``, ``"b1"``, ``"W2"`` … of a ``Sequential``), and for the input under ``"X"``
        (∂L/∂X, which backward returns), the relative error
        ‖g_backprop − g_numeric‖ / (‖g_backprop‖ + ‖g_numeric‖).
        Around 1e-8 or less means the backward pass is right.
    """
    check_layer(model, " as the model")
    loss = get_loss(loss)
    eps = check_positive_float(eps, "eps")
    X = check_input(X, getattr(model, "n_in", None), "X", f"this {type(model).__name__}").copy()

    def value():
        return loss.forward(model.forward(X), y)

    value()
    dX = model.backward(loss.backward())
    params = model.params
    analytic = {name: np.array(g, dtype=np.float64) for name, g in model.grads.items()}
    errors = {name: relative_error(analytic[name], numerical_gradient(value, p, eps))
              for name, p in params.items()}
    errors["X"] = relative_error(np.asarray(dX, dtype=np.float64), numerical_gradient(value, X, eps))
    return errors
