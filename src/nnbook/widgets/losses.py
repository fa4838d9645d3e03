"""The loss explorer of chapter 6: one sigmoid output ŷ = σ(z), a label y, two losses.

For squared error ½(ŷ − y)² the gradient with respect to z is (ŷ − y)·σ'(z); for binary
cross-entropy it is ŷ − y. :func:`loss_at` computes both with nnbook's losses (testable
without widgets); the widget shows them and plots the two gradients against z, for a few
values of z and both labels, computed ahead.
"""

from __future__ import annotations

import functools

import numpy as np

from ..activations import sigmoid, sigmoid_prime
from ..losses import BCELoss, SquaredErrorLoss
from ._common import choice, figure_html, figure_to_png, new_figure, precomputed, real_number

__all__ = ["loss_explorer"]


def _check(z, y):
    z = real_number(z, "z")
    if isinstance(y, bool) or y not in (0, 1):
        raise ValueError(f"expected the label y as 0 or 1, got {y!r}")
    return z, float(y)


def loss_at(z: float, y: int) -> dict:
    """ŷ = σ(z), both losses and their gradients with respect to z, for one sample.

    Returns a dict with keys ``y_hat``, ``se`` (½(ŷ − y)²), ``bce``, ``dse_dz`` and ``dbce_dz``,
    The squared-error gradient is ∂L/∂ŷ (from the loss's ``backward``) times σ'(z); the
    cross-entropy gradient is ŷ − y, the simplified product (exact even where σ'(z) underflows).
    """
    z, y = _check(z, y)
    y_hat = sigmoid(np.array([z]))
    se, bce = SquaredErrorLoss(half=True), BCELoss()
    out = {"y_hat": float(y_hat[0]), "se": se.forward(y_hat, np.array([y])),
           "bce": bce.forward(y_hat, np.array([y]))}
    slope = float(sigmoid_prime(z))
    out["dse_dz"] = float(se.backward()[0]) * slope
    out["dbce_dz"] = out["y_hat"] - y
    return out


def readout_html(z: float, y: int) -> str:
    r = loss_at(z, y)
    return (
        "<div style='font-family: monospace'>"
        f"z = {z:.2f}, ŷ = σ(z) = <b>{r['y_hat']:.4f}</b>, label y = {int(y)}<br>"
        f"squared error ½(ŷ − y)² = <b>{r['se']:.4f}</b>, &nbsp; ∂L/∂z = (ŷ − y)σ'(z) = <b>{r['dse_dz']:.4f}</b><br>"
        f"cross-entropy −(y log ŷ + (1 − y) log(1 − ŷ)) = <b>{r['bce']:.4f}</b>, &nbsp; ∂L/∂z = ŷ − y = "
        f"<b>{r['dbce_dz']:.4f}</b>"
        "</div>"
    )


def gradients_png(z: float, y: int, z_range: float = 8.0) -> bytes:
    """∂L/∂z of both losses against z for label y, with the current z marked."""
    return figure_to_png(_gradients_figure(z, y, z_range))


def _gradients_figure(z: float, y: int, z_range: float = 8.0):
    z, yf = _check(z, y)
    half = max(z_range, abs(z) + 0.5)
    grid = np.linspace(-half, half, 401)
    s = sigmoid(grid)
    fig = new_figure((5.6, 3.2))
    ax = fig.add_subplot()
    ax.plot(grid, (s - yf) * s * (1 - s), color="tab:orange", label="squared error: (ŷ − y)σ'(z)")
    ax.plot(grid, s - yf, color="tab:blue", label="cross-entropy: ŷ − y")
    r = loss_at(z, y)
    ax.plot([z], [r["dse_dz"]], "o", color="tab:orange")
    ax.plot([z], [r["dbce_dz"]], "o", color="tab:blue")
    ax.axhline(0.0, color="0.85", linewidth=0.8, zorder=0)
    ax.axvline(z, color="0.6", linewidth=0.8, zorder=0)
    ax.set_xlim(-half, half)
    ax.set_ylim(-1.1, 1.1)
    ax.set_xlabel("z (ŷ = σ(z))")
    ax.set_ylabel("∂L/∂z")
    ax.set_title(f"Gradient with respect to z, label y = {int(y)}")
    ax.legend(loc="lower right" if y == 1 else "upper left", fontsize=8)
    return fig


# The values of z the explorer's slider moves over.
Z_VALUES = (-8.0, -6.0, -4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0)


@functools.lru_cache(maxsize=64)
def loss_state(z: float, y: int) -> str:
    """One state of the explorer as HTML: the readout and both gradient curves (with alt text)."""
    r = loss_at(z, y)
    alt = (f"The gradient ∂L/∂z against z for label y = {int(y)}: squared error (orange) and "
           f"cross-entropy (blue), with the points at z = {z:g} marked: {r['dse_dz']:.4f} and "
           f"{r['dbce_dz']:.4f}.")
    # One z range for every state, so that the axes stay still while z moves.
    return readout_html(z, y) + figure_html(_gradients_figure(z, y, max(Z_VALUES) + 0.5), alt)


def loss_explorer(z: float = -4.0, y: int = 1):
    """Choose z and the label; shows ŷ, both losses and both gradients ∂L/∂z.

    z moves over ``Z_VALUES``, the label between 0 and 1; every state is computed ahead.
    Returns an ``ipywidgets.VBox`` with the attributes ``controls`` (dict "z", "y") and
    ``view`` (``view.current()`` is the HTML shown).
    """
    import ipywidgets as widgets

    z, y = _check(z, y)
    controls = {"z": choice("pre-activation z", Z_VALUES, z),
                "y": choice("label y", [0, 1], int(y), kind="toggle")}
    view = precomputed([controls["z"], controls["y"]], loss_state)
    box = widgets.VBox([controls["z"], controls["y"], view])
    box.controls, box.view = controls, view
    return box
