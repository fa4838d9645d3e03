"""The initialization explorer of chapter 12: activations layer by layer for each initializer.

:func:`layer_activations` pushes a batch of standard-normal inputs through a deep
``MLP`` whose weights come from one of ``nnbook.init``'s initializers and returns every
hidden layer's activations; the widget draws their histograms, one per layer, for every
initializer, activation and depth of :data:`DEPTH_VALUES` ahead (no kernel is needed).
"""

from __future__ import annotations

import html
import numbers

import numpy as np

from .._validation import as_rng
from ..network import MLP
from ._common import choice, figure_html, new_figure, precomputed, readout

__all__ = ["init_explorer"]

INITS = ("small", "normal", "xavier", "he")
ACTIVATIONS = ("sigmoid", "tanh", "relu")


def layer_activations(init: str = "xavier", activation: str = "tanh", depth: int = 5, width: int = 100,
                      n_samples: int = 500, rng=0) -> list:
    """The activations of each hidden layer of ``MLP([width] * (depth + 1), activation, activation, init=init)``
    for ``n_samples`` standard-normal inputs. Returns a list of ``depth`` arrays of shape
    ``(n_samples, width)``."""
    if init not in INITS:
        raise ValueError(f"unknown initializer {init!r}; expected one of {', '.join(INITS)}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; expected one of {', '.join(ACTIVATIONS)}")
    for name, value, hi in (("depth", depth, 20), ("width", width, 1000), ("n_samples", n_samples, 100000)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 1 <= value <= hi:
            raise ValueError(f"expected {name} as an integer in [1, {hi}], got {value!r}")
    rng = as_rng(rng)
    model = MLP([width] * (depth + 1), activation=activation, output_activation=activation, init=init, rng=rng)
    A = rng.standard_normal((n_samples, width))
    out = []
    for layer in model.layers:
        A = layer.forward(A)
        if not hasattr(layer, "W"):  # after each activation
            out.append(A)
    return out


def input_spread(A) -> float:
    """How much a layer's activations depend on the input: the standard deviation over the inputs
    (rows), averaged over the units. A unit stuck at one value for every input (the sigmoid's 0.5
    under tiny weights) spreads 0 however its value differs from its neighbours'."""
    return float(np.asarray(A).std(axis=0).mean())


def histograms_figure(acts, activation: str, init: str):
    """One histogram per layer, side by side, on a shared x range."""
    depth = len(acts)
    width, height = min(1.6 * depth + 0.6, 9.6), 2.4
    # Fixed margins (in inches), not a computed layout: every state has the same labels, and the
    # layout engine took 40% of drawing the explorer's 36 figures. One filled outline per histogram
    # draws the same bars as 30 rectangles, faster.
    fig = new_figure((width, height), layout=None)
    fig.subplots_adjust(left=0.55 / width, right=1 - 0.1 / width, bottom=0.3 / height, top=1 - 0.62 / height,
                        wspace=0.12)
    axes = fig.subplots(1, depth, sharey=True, squeeze=False)[0]
    lo, hi = {"sigmoid": (0, 1), "tanh": (-1, 1)}.get(activation, (0, max(1e-12, max(float(a.max()) for a in acts))))
    for l, (ax, A) in enumerate(zip(axes, acts), start=1):
        ax.hist(A.ravel(), bins=30, range=(lo, hi), color="tab:blue", density=True, histtype="stepfilled")
        ax.set_title(f"layer {l}\nspread {input_spread(A):.2g}", fontsize=8)
        ax.tick_params(labelsize=7)
    axes[0].set_ylabel("density")
    fig.suptitle(f"{activation} activations, init = {init!r}", fontsize=9)
    return fig


def summary(acts, activation: str) -> tuple[str, str]:
    """The readout's two lines: the spread over the inputs per layer (:func:`input_spread`), and the
    share of zeros (ReLU) or of saturated units."""
    stds = ", ".join(f"{input_spread(A):.3g}" for A in acts)
    if activation == "relu":
        dead = np.mean([np.mean(A == 0) for A in acts])
        return stds, f"mean fraction of zeros: {dead:.1%}"
    edge = 0.99 if activation == "tanh" else 0.49
    centre = 0.0 if activation == "tanh" else 0.5
    sat = np.mean([np.mean(np.abs(A - centre) > edge) for A in acts])
    return stds, f"saturated (|a − {centre:g}| > {edge}): {sat:.1%}"


DEPTH_VALUES = (2, 5, 10)


def init_state(init: str, activation: str, depth: int) -> str:
    """One state of the explorer as HTML: the readout and the histograms."""
    acts = layer_activations(init, activation, depth)
    stds, extra = summary(acts, activation)
    alt = (f"Histograms of the {activation} activations of each of {depth} hidden layers with init = "
           f"{init}; how much they vary with the input (standard deviation over the inputs), layer by layer: "
           f"{stds}; {extra}.")
    return (readout(f"spread of the activations over the inputs, per layer: {html.escape(stds)}", html.escape(extra))
            + figure_html(histograms_figure(acts, activation, init), alt))


def init_explorer(init: str = "normal", activation: str = "tanh", depth: int = 5):
    """Choose an initializer, an activation and a depth (``DEPTH_VALUES``); see each hidden layer's activations.

    Every state is computed ahead. Returns an ``ipywidgets.VBox`` with ``controls`` (dict:
    "init", "activation", "depth") and ``view`` (the precomputed view; ``view.current()`` is
    the HTML shown).
    """
    import ipywidgets as widgets

    layer_activations(init, activation, depth, width=4, n_samples=2)  # validates
    if depth not in DEPTH_VALUES:
        raise ValueError(f"expected depth among the widget's values {DEPTH_VALUES}, got {depth!r}")
    controls = {"init": choice("initializer", INITS, init, kind="toggle"),
                "activation": choice("activation", ACTIVATIONS, activation, kind="toggle"),
                "depth": choice("hidden layers", DEPTH_VALUES, depth)}
    view = precomputed(list(controls.values()), init_state)
    box = widgets.VBox([*controls.values(), view])
    box.controls, box.view = controls, view
    return box
