"""The neuron playground of chapter 1: two inputs, two weights, a bias and an activation.

The arithmetic lives in :func:`neuron_output` (testable without widgets). The widget keeps seed
002's inputs x = [2, 3] and first weight w₁ = 0, and moves the second weight w₂, the bias b and
the activation over a few chosen values; every state (the sum written out, and the activation
curve with the point ``(z, a)`` on it) is computed ahead, so the published page needs no kernel.
"""

from __future__ import annotations

import functools
import html

import numpy as np

from ..activations import sigmoid
from ._common import choice, figure_html, figure_to_png, new_figure, precomputed, real_number as _number

__all__ = ["neuron_playground"]

ACTIVATIONS = ("sigmoid", "step")


def _step(z):
    # The perceptron's threshold unit: 1 where z > 0, else 0.
    return (np.asarray(z, dtype=float) > 0).astype(float)


def neuron_output(w, b, x, activation: str = "sigmoid") -> tuple[float, float]:
    """One neuron: ``z = w · x + b`` and ``a = g(z)`` (chapter 1).

    Parameters
    ----------
    w, x : sequences of numbers with the same length n (weights and inputs)
    b : number (bias)
    activation : {"sigmoid", "step"}
        The sigmoid σ(z) = 1 / (1 + e^(−z)), or the perceptron's step (1 if z > 0 else 0).

    Returns
    -------
    (z, a) : two floats, the weighted sum and the neuron's output.
    """
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    if w.ndim != 1 or x.ndim != 1 or w.shape != x.shape or w.size == 0:
        raise ValueError(f"expected w and x as 1-D arrays of the same length, got shapes {w.shape} and {x.shape}")
    b = _number(b, "b")
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; expected one of {', '.join(ACTIVATIONS)}")
    z = float(np.dot(w, x) + b)
    f = sigmoid if activation == "sigmoid" else _step
    return z, float(f(z))


def activation_plot_png(z: float, a: float, activation: str = "sigmoid") -> bytes:
    """The activation curve with the neuron's current point ``(z, a)``, as PNG bytes."""
    return figure_to_png(_activation_figure(z, a, activation))


def _activation_figure(z: float, a: float, activation: str = "sigmoid", half: float = 8.0):
    z, a = _number(z, "z"), _number(a, "a")
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; expected one of {', '.join(ACTIVATIONS)}")
    half = max(half, abs(z) + 1.0)
    grid = np.linspace(-half, half, 401)
    curve = sigmoid(grid) if activation == "sigmoid" else _step(grid)
    fig = new_figure((5, 3))
    ax = fig.add_subplot()
    label = "σ(z)" if activation == "sigmoid" else "step(z)"
    ax.plot(grid, curve, color="tab:blue", label=label)
    ax.plot([z], [a], "o", color="tab:red", markersize=8, label=f"z = {z:.2f}, a = {a:.4f}")
    ax.axhline(0.5, color="0.8", linewidth=0.8, zorder=0)
    ax.axvline(0.0, color="0.8", linewidth=0.8, zorder=0)
    ax.set_xlim(-half, half)
    ax.set_ylim(-0.08, 1.08)
    ax.set_xlabel("weighted input z = w·x + b")
    ax.set_ylabel("output a = g(z)")
    ax.set_title(f"The neuron's activation ({activation})")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def readout_html(w, b, x, activation: str = "sigmoid") -> str:
    """The readout the playground shows: the weighted sum written out, then the output."""
    z, a = neuron_output(w, b, x, activation)
    terms = " + ".join(f"({wi:.2f})·({xi:.2f})" for wi, xi in zip(w, x))
    fname = "σ" if activation == "sigmoid" else "step"
    return (
        "<div style='font-family: monospace'>"
        f"z = w₁x₁ + w₂x₂ + b = {html.escape(terms)} + ({b:.2f}) = <b>{z:.4f}</b><br>"
        f"a = {fname}(z) = <b>{a:.4f}</b>"
        "</div>"
    )


# The values the playground's controls move over (seed 002's neuron is w₂ = 1, b = 4).
W2_VALUES = (-2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0)
B_VALUES = (-8.0, -6.0, -4.0, -2.0, 0.0, 2.0, 4.0)


def neuron_state(w2: float, b: float, activation: str = "sigmoid", w1: float = 0.0,
                 x=(2.0, 3.0)) -> str:
    """One state of the playground as HTML: the readout and the activation plot (with alt text)."""
    w = [_number(w1, "w1"), _number(w2, "w2")]
    z, _ = neuron_output(w, b, x, activation)
    return readout_html(w, b, list(x), activation) + _plot_html(round(z, 12), activation)


@functools.lru_cache(maxsize=256)
def _plot_html(z: float, activation: str) -> str:
    # Different (w₂, b) often give the same z: draw each point once.
    a = neuron_output([1.0], 0.0, [z], activation)[1]
    fname = "σ" if activation == "sigmoid" else "step"
    alt = (f"The {activation} curve of the weighted input z, with the neuron's point at "
           f"z = {z:.2f}, a = {fname}(z) = {a:.4f} marked in red.")
    # One z range for every state (x = [2, 3], w₁ = 0), so that the axes stay still.
    half = 1.0 + max(abs(3.0 * w2 + b) for w2 in W2_VALUES for b in B_VALUES)
    return figure_html(_activation_figure(z, a, activation, half), alt)


def neuron_playground(w2: float = 1.0, b: float = 4.0, activation: str = "sigmoid"):
    """Seed 002's neuron (w₁ = 0, x = [2, 3]) with controls for w₂, b and the activation.

    Every state is computed ahead (no kernel is needed): ``w2`` moves over ``W2_VALUES``,
    ``b`` over ``B_VALUES``, the activation between sigmoid and step. Returns an
    ``ipywidgets.VBox`` with the attributes ``controls`` (dict "w2", "b", "activation") and
    ``view`` (the precomputed view; ``view.current()`` is the HTML shown).
    """
    import ipywidgets as widgets

    w2, b = _number(w2, "w2"), _number(b, "b")
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; expected one of {', '.join(ACTIVATIONS)}")
    controls = {
        "w2": choice("weight w₂", W2_VALUES, w2),
        "b": choice("bias b", B_VALUES, b),
        "activation": choice("activation f", ACTIVATIONS, activation, kind="toggle"),
    }
    view = precomputed(list(controls.values()), neuron_state)
    box = widgets.VBox([controls["w2"], controls["b"], controls["activation"], view])
    box.controls, box.view = controls, view
    return box
