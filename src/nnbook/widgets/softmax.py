"""The softmax explorer of chapter 13: logits in, probabilities, cross-entropy and gradient out.

:func:`softmax_readout` does the arithmetic with the library (``nnbook.softmax`` and
``SoftmaxCrossEntropyLoss``); the widget wires one slider per logit and a choice of the
true class to it and draws the probabilities as bars.
"""

from __future__ import annotations

import html
import numbers

import numpy as np

from .._validation import as_float_array
from ..activations import softmax
from ..losses import SoftmaxCrossEntropyLoss
from ._common import figure_to_png, new_figure, slider

__all__ = ["softmax_explorer"]


def softmax_readout(z, label: int) -> dict:
    """For logits ``z`` (n_classes,) and the true class ``label``: the probabilities
    ``p = softmax(z)``, the one-hot target ``t``, the loss ``−log p[label]`` and the gradient
    ``∂L/∂z = p − t`` (seed 003's y − t), computed by ``SoftmaxCrossEntropyLoss``."""
    z = as_float_array(z, "z")
    if z.ndim != 1 or z.size < 2:
        raise ValueError(f"expected logits z as a 1-D array of at least 2 classes, got shape {z.shape}")
    if isinstance(label, bool) or not isinstance(label, numbers.Integral) or not 0 <= label < z.size:
        raise ValueError(f"expected label as an integer class in 0..{z.size - 1}, got {label!r}")
    loss = SoftmaxCrossEntropyLoss()
    value = loss.forward(z, int(label))
    grad = loss.backward()
    t = np.zeros_like(z)
    t[label] = 1.0
    return {"p": softmax(z), "t": t, "loss": value, "grad": grad}


def bars_png(p, t) -> bytes:
    """The probabilities as bars, the true class outlined."""
    fig = new_figure((5, 2.8))
    ax = fig.add_subplot()
    k = np.arange(len(p))
    colors = ["tab:green" if ti == 1 else "tab:gray" for ti in t]
    ax.bar(k, p, color=colors)
    for i, pi in enumerate(p):
        ax.text(i, pi + 0.02, f"{pi:.3f}", ha="center", fontsize=8)
    ax.set_xticks(k, [f"class {i}" for i in k])
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("probability")
    ax.set_title("softmax(z); the true class in green")
    return figure_to_png(fig)


def readout_html(r: dict) -> str:
    def vec(a):
        return "[" + ", ".join(f"{v:.4f}" for v in a) + "]"

    return (
        "<div style='font-family: monospace'>"
        f"p = softmax(z) = {html.escape(vec(r['p']))}<br>"
        f"t (one-hot) = {html.escape(vec(r['t']))}<br>"
        f"cross-entropy L = −log p[true] = <b>{r['loss']:.4f}</b><br>"
        f"∂L/∂z = p − t = <b>{html.escape(vec(r['grad']))}</b>"
        "</div>"
    )


def softmax_explorer(logits=(2.0, 1.0, 0.1), label: int = 0):
    """One slider per logit and a choice of the true class.

    Returns an ``ipywidgets.VBox`` with the attributes ``sliders`` (list of ``FloatSlider``),
    ``label`` (a ``ToggleButtons`` of class indices), ``readout`` (``HTML``), ``image``
    (``Image``) and ``update()``.
    """
    import ipywidgets as widgets

    z = as_float_array(logits, "logits")
    softmax_readout(z, label)  # validates both
    sliders = [slider(f"z{i}", float(v), min(-6.0, float(v)), max(6.0, float(v)), 0.1) for i, v in enumerate(z)]
    choice = widgets.ToggleButtons(options=list(range(len(z))), value=int(label), description="true class")
    readout = widgets.HTML()
    image = widgets.Image(format="png")

    def update(*_):
        r = softmax_readout([s.value for s in sliders], choice.value)
        readout.value = readout_html(r)
        image.value = bars_png(r["p"], r["t"])

    for s in sliders:
        s.observe(update, names="value")
    choice.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox(sliders), choice, readout, image])
    box.sliders, box.label, box.readout, box.image, box.update = sliders, choice, readout, image, update
    return box
