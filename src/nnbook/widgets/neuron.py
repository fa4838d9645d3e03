"""The neuron playground of chapter 1: two inputs, two weights, a bias and an activation.

The arithmetic lives in :func:`neuron_output` (testable without widgets); the widget only
wires five sliders and an activation choice to it, and redraws the activation curve with
the current point ``(z, y)`` on it.
"""

from __future__ import annotations

import html

import numpy as np

from ..activations import sigmoid
from ._common import figure_to_png, new_figure, slider, real_number as _number

__all__ = ["neuron_playground"]

ACTIVATIONS = ("sigmoid", "step")


def _step(z):
    # The perceptron's threshold unit: 1 where z > 0, else 0.
    return (np.asarray(z, dtype=float) > 0).astype(float)


def neuron_output(w, b, x, activation: str = "sigmoid") -> tuple[float, float]:
    """One neuron: ``z = w · x + b`` and ``y = f(z)`` (chapter 1).

    Parameters
    ----------
    w, x : sequences of numbers with the same length n (weights and inputs)
    b : number (bias)
    activation : {"sigmoid", "step"}
        The sigmoid σ(z) = 1 / (1 + e^(−z)), or the perceptron's step (1 if z > 0 else 0).

    Returns
    -------
    (z, y) : two floats, the weighted sum and the neuron's output.
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


def activation_plot_png(z: float, y: float, activation: str = "sigmoid") -> bytes:
    """The activation curve with the neuron's current point ``(z, y)``, as PNG bytes."""
    z, y = _number(z, "z"), _number(y, "y")
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; expected one of {', '.join(ACTIVATIONS)}")
    half = max(8.0, abs(z) + 1.0)
    grid = np.linspace(-half, half, 401)
    curve = sigmoid(grid) if activation == "sigmoid" else _step(grid)
    fig = new_figure((5, 3))
    ax = fig.add_subplot()
    label = "σ(z)" if activation == "sigmoid" else "step(z)"
    ax.plot(grid, curve, color="tab:blue", label=label)
    ax.plot([z], [y], "o", color="tab:red", markersize=8, label=f"z = {z:.2f}, y = {y:.4f}")
    ax.axhline(0.5, color="0.8", linewidth=0.8, zorder=0)
    ax.axvline(0.0, color="0.8", linewidth=0.8, zorder=0)
    ax.set_xlim(-half, half)
    ax.set_ylim(-0.08, 1.08)
    ax.set_xlabel("weighted input z = w·x + b")
    ax.set_ylabel("output y = f(z)")
    ax.set_title(f"The neuron's activation ({activation})")
    ax.legend(loc="upper left", fontsize=8)
    return figure_to_png(fig)


def readout_html(w, b, x, activation: str = "sigmoid") -> str:
    """The readout the playground shows: the weighted sum written out, then the output."""
    z, y = neuron_output(w, b, x, activation)
    terms = " + ".join(f"({wi:.2f})·({xi:.2f})" for wi, xi in zip(w, x))
    fname = "σ" if activation == "sigmoid" else "step"
    return (
        "<div style='font-family: monospace'>"
        f"z = w₁x₁ + w₂x₂ + b = {html.escape(terms)} + ({b:.2f}) = <b>{z:.4f}</b><br>"
        f"y = {fname}(z) = <b>{y:.4f}</b>"
        "</div>"
    )


def neuron_playground(w1: float = 0.0, w2: float = 1.0, b: float = 4.0, x1: float = 2.0,
                      x2: float = 3.0, activation: str = "sigmoid"):
    """A two-input neuron with sliders for w1, w2, b, x1, x2 (defaults: seed 002's neuron).

    Returns an ``ipywidgets.VBox`` with the attributes ``sliders`` (dict of the five
    ``FloatSlider``), ``activation`` (a ``ToggleButtons``), ``readout`` (``HTML``),
    ``image`` (``Image``) and ``update()`` (redraw from the current values).
    """
    import ipywidgets as widgets

    values = {"w1": w1, "w2": w2, "b": b, "x1": x1, "x2": x2}
    for name, value in values.items():
        _number(value, name)
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; expected one of {', '.join(ACTIVATIONS)}")
    ranges = {"w1": (-3, 3), "w2": (-3, 3), "b": (-6, 6), "x1": (-4, 4), "x2": (-4, 4)}
    sliders = {}
    for name, (lo, hi) in ranges.items():
        v = values[name]
        sliders[name] = slider(name, v, min(lo, v), max(hi, v), 0.1)
    choice = widgets.ToggleButtons(options=list(ACTIVATIONS), value=activation, description="f")
    readout = widgets.HTML()
    image = widgets.Image(format="png")

    def update(*_):
        w = [sliders["w1"].value, sliders["w2"].value]
        x = [sliders["x1"].value, sliders["x2"].value]
        bias = sliders["b"].value
        z, y = neuron_output(w, bias, x, choice.value)
        readout.value = readout_html(w, bias, x, choice.value)
        image.value = activation_plot_png(z, y, choice.value)

    for s in sliders.values():
        s.observe(update, names="value")
    choice.observe(update, names="value")
    update()

    controls = widgets.HBox([
        widgets.VBox([sliders["w1"], sliders["w2"], sliders["b"]]),
        widgets.VBox([sliders["x1"], sliders["x2"], choice]),
    ])
    box = widgets.VBox([controls, readout, image])
    box.sliders, box.activation, box.readout, box.image, box.update = sliders, choice, readout, image, update
    return box
