"""The initialization explorer of chapter 12: activations layer by layer for each initializer.

:func:`layer_activations` pushes a batch of standard-normal inputs through a deep
``MLP`` whose weights come from one of ``nnbook.init``'s initializers and returns every
hidden layer's activations; the widget draws their histograms, one per layer.
"""

from __future__ import annotations

import html
import numbers

import numpy as np

from .._validation import as_rng
from ..network import MLP
from ._common import figure_to_png, new_figure

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


def histograms_png(acts, activation: str, init: str) -> bytes:
    """One histogram per layer, side by side, on a shared x range."""
    depth = len(acts)
    fig = new_figure((min(2.0 * depth, 12), 2.6))
    axes = fig.subplots(1, depth, sharey=True, squeeze=False)[0]
    lo, hi = {"sigmoid": (0, 1), "tanh": (-1, 1)}.get(activation, (0, max(1e-12, max(float(a.max()) for a in acts))))
    for l, (ax, A) in enumerate(zip(axes, acts), start=1):
        ax.hist(A.ravel(), bins=30, range=(lo, hi), color="tab:blue", density=True)
        ax.set_title(f"layer {l}\nstd {A.std():.3g}", fontsize=8)
        ax.tick_params(labelsize=7)
    axes[0].set_ylabel("density")
    fig.suptitle(f"{activation} activations, init = {init!r}", fontsize=9)
    return figure_to_png(fig)


def init_explorer(init: str = "normal", activation: str = "tanh", depth: int = 5):
    """Choose an initializer, an activation and a depth; see each hidden layer's activations.

    Returns an ``ipywidgets.VBox`` with the attributes ``init``, ``activation`` (``ToggleButtons``),
    ``depth`` (``IntSlider``), ``readout`` (``HTML``), ``image`` (``Image``) and ``update()``.
    """
    import ipywidgets as widgets

    layer_activations(init, activation, depth, width=4, n_samples=2)  # validates
    init_w = widgets.ToggleButtons(options=list(INITS), value=init, description="init")
    act_w = widgets.ToggleButtons(options=list(ACTIVATIONS), value=activation, description="activation")
    depth_w = widgets.IntSlider(value=depth, min=1, max=10, description="layers", continuous_update=False)
    readout = widgets.HTML()
    image = widgets.Image(format="png")

    def update(*_):
        acts = layer_activations(init_w.value, act_w.value, depth_w.value)
        stds = ", ".join(f"{A.std():.3g}" for A in acts)
        if act_w.value == "relu":
            dead = np.mean([np.mean(A == 0) for A in acts])
            extra = f"mean fraction of zeros: {dead:.1%}"
        else:
            edge = 0.99 if act_w.value == "tanh" else 0.49
            centre = 0.0 if act_w.value == "tanh" else 0.5
            sat = np.mean([np.mean(np.abs(A - centre) > edge) for A in acts])
            extra = f"saturated (|a − {centre:g}| > {edge}): {sat:.1%}"
        readout.value = ("<div style='font-family: monospace'>"
                         f"std of the activations per layer: {html.escape(stds)}<br>{html.escape(extra)}</div>")
        image.value = histograms_png(acts, act_w.value, init_w.value)

    for w in (init_w, act_w, depth_w):
        w.observe(update, names="value")
    update()
    box = widgets.VBox([init_w, act_w, depth_w, readout, image])
    box.init, box.activation, box.depth = init_w, act_w, depth_w
    box.readout, box.image, box.update = readout, image, update
    return box
