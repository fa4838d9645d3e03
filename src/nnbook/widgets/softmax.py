"""The softmax explorer of chapter 13: logits in, probabilities, cross-entropy and gradient out.

:func:`softmax_readout` does the arithmetic with the library (``nnbook.softmax`` and
``SoftmaxCrossEntropyLoss``). The widget moves the first logit z0 over :data:`Z0_VALUES` (the
others stay fixed) and the true class over the classes, and draws the probabilities as bars;
every state is computed ahead, so the published page needs no kernel.
"""

from __future__ import annotations

import html
import numbers

import numpy as np

from .._validation import as_float_array
from ..activations import softmax
from ..losses import SoftmaxCrossEntropyLoss
from ._common import choice, figure_html, new_figure, precomputed, readout

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


def bars_figure(p, t):
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
    ax.set_title("softmax(z); the true class in green", fontsize=10)
    return fig


def readout_html(r: dict) -> str:
    def vec(a):
        return "[" + ", ".join(f"{v:.4f}" for v in a) + "]"

    return readout(f"p = softmax(z) = {html.escape(vec(r['p']))}",
                   f"t (one-hot) = {html.escape(vec(r['t']))}",
                   f"cross-entropy L = −log p[true] = <b>{r['loss']:.4f}</b>",
                   f"∂L/∂z = p − t = <b>{html.escape(vec(r['grad']))}</b>")


Z0_VALUES = (-2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0)


def softmax_state(z, label: int) -> str:
    """One state of the explorer as HTML: the readout and the bars for logits ``z`` and class ``label``."""
    r = softmax_readout(z, label)
    probs = ", ".join(f"class {i}: {p:.3f}" for i, p in enumerate(r["p"]))
    alt = (f"Bars of the probabilities softmax(z) for z = ({', '.join(f'{v:g}' for v in np.asarray(z, float))}): "
           f"{probs}; the true class {label} in green.")
    return readout_html(r) + figure_html(bars_figure(r["p"], r["t"]), alt)


def softmax_explorer(logits=(2.0, 1.0, 0.1), label: int = 0):
    """A control for the first logit z0 (``Z0_VALUES``; ``logits[0]`` is the first shown) and the true class.

    The other logits stay at ``logits[1:]``. Every state is computed ahead. Returns an
    ``ipywidgets.VBox`` with ``controls`` (dict: "z0", "label") and ``view`` (the precomputed
    view; ``view.current()`` is the HTML shown).
    """
    import ipywidgets as widgets

    z = as_float_array(logits, "logits")
    softmax_readout(z, label)  # validates both
    if float(z[0]) not in Z0_VALUES:
        raise ValueError(f"expected the first logit among the widget's values {Z0_VALUES}, got {z[0]:g}")
    rest = [float(v) for v in z[1:]]
    controls = {"z0": choice("logit z0", Z0_VALUES, float(z[0])),
                "label": choice("true class", list(range(len(z))), int(label), kind="toggle")}
    view = precomputed([controls["z0"], controls["label"]], lambda z0, k: softmax_state([z0, *rest], k))
    box = widgets.VBox([widgets.HBox([controls["z0"], controls["label"]]), view])
    box.controls, box.view = controls, view
    return box
