"""The activation explorer of chapter 4: pick a function, slide z, read g(z) and g'(z).

The arithmetic lives in :func:`activation_at` (testable without widgets): the value, the
derivative from its formula, and a central difference that checks the formula. The widget
computes every state ahead, for each function and a few values of z (both curves with the
point z on them), so the published page needs no kernel.
"""

from __future__ import annotations

import functools
import html

import numpy as np

from ..activations import (leaky_relu, leaky_relu_prime, relu, relu_prime, sigmoid, sigmoid_prime, tanh,
                           tanh_prime)
from ._common import choice, figure_html, figure_to_png, new_figure, precomputed, real_number as _number

__all__ = ["activation_explorer"]

LEAKY_ALPHA = 0.1  # larger than the usual 0.01 so the leak is visible on the plot

FUNCTIONS = {
    # name: (g, g', formula of g, formula of g')
    "sigmoid": (sigmoid, sigmoid_prime, "σ(z) = 1 / (1 + e^(−z))", "σ'(z) = σ(z)(1 − σ(z))"),
    "tanh": (tanh, tanh_prime, "tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))", "tanh'(z) = 1 − tanh²(z)"),
    "relu": (relu, relu_prime, "ReLU(z) = max(0, z)", "ReLU'(z) = 1 if z > 0 else 0"),
    "leaky_relu": (lambda z: leaky_relu(z, LEAKY_ALPHA), lambda z: leaky_relu_prime(z, LEAKY_ALPHA),
                   f"LeakyReLU(z) = z if z > 0 else {LEAKY_ALPHA}·z", f"LeakyReLU'(z) = 1 if z > 0 else {LEAKY_ALPHA}"),
}


def _check_name(name):
    if not isinstance(name, str) or name not in FUNCTIONS:
        raise ValueError(f"unknown activation {name!r}; expected one of {', '.join(FUNCTIONS)}")
    return name


def activation_at(name: str, z: float, eps: float = 1e-5) -> dict:
    """g(z), g'(z) from its formula, and the central difference (g(z + ε) − g(z − ε)) / 2ε.

    Returns a dict with keys ``"f"``, ``"df"`` and ``"numeric"`` (floats). At ReLU's kink z = 0
    the central difference straddles the corner and gives the average of the two slopes.
    """
    f, df, _, _ = FUNCTIONS[_check_name(name)]
    z = _number(z, "z")
    return {"f": float(f(z)), "df": float(df(z)),
            "numeric": float((f(z + eps) - f(z - eps)) / (2 * eps))}


def readout_html(name: str, z: float) -> str:
    """The numbers the explorer shows for ``name`` at ``z``."""
    values = activation_at(name, z)
    _, _, formula, dformula = FUNCTIONS[name]
    return (
        "<div style='font-family: monospace'>"
        f"{html.escape(formula)}; &nbsp; {html.escape(dformula)}<br>"
        f"z = {z:.2f}: &nbsp; g(z) = <b>{values['f']:.4f}</b>, &nbsp; g'(z) = <b>{values['df']:.4f}</b>"
        f" &nbsp; (central difference: {values['numeric']:.4f})"
        "</div>"
    )


def activation_png(name: str, z: float, z_range: float = 6.0) -> bytes:
    """Both curves, g and g', with the point z marked on each, as PNG bytes."""
    return figure_to_png(_activation_figure(name, z, z_range))


def _activation_figure(name: str, z: float, z_range: float = 6.0):
    f, df, _, _ = FUNCTIONS[_check_name(name)]
    z = _number(z, "z")
    half = max(z_range, abs(z) + 0.5)
    grid = np.linspace(-half, half, 401)
    fig = new_figure((5.6, 3.2))
    ax = fig.add_subplot()
    ax.plot(grid, f(grid), color="tab:blue", label="g(z)")
    ax.plot(grid, df(grid), color="tab:orange", linestyle="--", label="g'(z)")
    ax.plot([z], [float(f(z))], "o", color="tab:blue", markersize=7)
    ax.plot([z], [float(df(z))], "o", color="tab:orange", markersize=7)
    ax.axvline(z, color="0.6", linewidth=0.8, zorder=0)
    ax.axhline(0.0, color="0.85", linewidth=0.8, zorder=0)
    ax.set_xlim(-half, half)
    if name in ("relu", "leaky_relu"):
        ax.set_ylim(-1.0, max(2.0, half * 0.5))
    else:
        ax.set_ylim(-1.1, 1.1)
    ax.set_xlabel("z")
    ax.set_ylabel("value")
    ax.set_title(f"{name}: g and its derivative g'")
    ax.legend(loc="upper left", fontsize=8)
    return fig


# The values of z the explorer's slider moves over.
Z_VALUES = (-6.0, -4.0, -3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0)


@functools.lru_cache(maxsize=128)
def activation_state(name: str, z: float) -> str:
    """One state of the explorer as HTML: the readout and both curves (with alt text)."""
    values = activation_at(name, z)
    alt = (f"The curves of {name} (solid) and its derivative (dashed) for z from −6.5 to 6.5, with the "
           f"points at z = {z:g} marked: g(z) = {values['f']:.4f}, g'(z) = {values['df']:.4f}.")
    # One z range for every state, so that the axes stay still while z moves.
    return readout_html(name, z) + figure_html(_activation_figure(name, z, max(Z_VALUES) + 0.5), alt)


def activation_explorer(name: str = "sigmoid", z: float = 0.0):
    """Choose an activation and a value of z; shows g(z), g'(z) and both curves.

    The function is one of ``FUNCTIONS``, z one of ``Z_VALUES``; every state is computed
    ahead. Returns an ``ipywidgets.VBox`` with the attributes ``controls`` (dict "function",
    "z") and ``view`` (``view.current()`` is the HTML shown).
    """
    import ipywidgets as widgets

    _check_name(name)
    z = _number(z, "z")
    controls = {"function": choice("activation f", list(FUNCTIONS), name, kind="toggle"),
                "z": choice("input z", Z_VALUES, z)}
    view = precomputed([controls["function"], controls["z"]], activation_state)
    box = widgets.VBox([controls["function"], controls["z"], view])
    box.controls, box.view = controls, view
    return box
