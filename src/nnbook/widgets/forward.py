"""The forward-pass explorer of chapter 5: seed 002's 2-2-1 sigmoid network, output weights on sliders.

Weights follow seed 002's names: h1 = σ(w1 x1 + w2 x2 + b1), h2 = σ(w3 x1 + w4 x2 + b2),
o1 = σ(w5 h1 + w6 h2 + b3). The arithmetic is :func:`two_two_one` (an ``nnbook.Sequential``
built from the values); the widget moves the output weights w5 and w6 over a few values and
shows h1, h2, o1 and the network diagram for each, computed ahead.
"""

from __future__ import annotations


import numpy as np

from ..activations import Sigmoid
from ..layers import Linear
from ..network import Sequential
from ._common import choice, figure_html, figure_to_png, new_figure, precomputed, real_number

__all__ = ["forward_pass_explorer"]

# Seed 002's network: every neuron has w = [0, 1] and b = 0; the input is x = [2, 3].
SEED_002 = {"w1": 0.0, "w2": 1.0, "w3": 0.0, "w4": 1.0, "w5": 0.0, "w6": 1.0,
            "b1": 0.0, "b2": 0.0, "b3": 0.0, "x1": 2.0, "x2": 3.0}
NAMES = tuple(SEED_002)


def _values(values: dict) -> dict:
    if not isinstance(values, dict):
        raise TypeError(f"expected a dict of the values {', '.join(NAMES)}, got {type(values).__name__}")
    missing = [n for n in NAMES if n not in values]
    unknown = [n for n in values if n not in NAMES]
    if missing or unknown:
        raise ValueError(f"expected the keys {', '.join(NAMES)}; missing {missing}, unknown {unknown}")
    out = {}
    for name in NAMES:
        out[name] = real_number(values[name], name)
    return out


def build_network(values: dict) -> Sequential:
    """The 2-2-1 sigmoid network with the given ``w1..w6, b1..b3`` (x1, x2 are ignored)."""
    v = _values(values)
    hidden = Linear.from_weights([[v["w1"], v["w2"]], [v["w3"], v["w4"]]], [v["b1"], v["b2"]])
    output = Linear.from_weights([[v["w5"], v["w6"]]], [v["b3"]])
    return Sequential(hidden, Sigmoid(), output, Sigmoid())


def two_two_one(values: dict) -> dict:
    """The forward pass: pre-activations and outputs of h1, h2 and o1.

    Returns a dict with keys ``z_h1, z_h2, h1, h2, z_o1, o1`` (floats).
    """
    v = _values(values)
    net = build_network(v)
    x = np.array([v["x1"], v["x2"]])
    z_h = net.layers[0].forward(x)
    h = net.layers[1].forward(z_h)
    z_o = net.layers[2].forward(h)
    o = net.layers[3].forward(z_o)
    return {"z_h1": float(z_h[0]), "z_h2": float(z_h[1]), "h1": float(h[0]), "h2": float(h[1]),
            "z_o1": float(z_o[0]), "o1": float(o[0])}


def readout_html(values: dict) -> str:
    """h1, h2 and o1 written out as the seed writes them."""
    v, r = _values(values), two_two_one(values)
    rows = [
        f"h1 = σ(w1·x1 + w2·x2 + b1) = σ({v['w1']:.2f}·{v['x1']:.2f} + {v['w2']:.2f}·{v['x2']:.2f} + {v['b1']:.2f})"
        f" = σ({r['z_h1']:.4f}) = <b>{r['h1']:.4f}</b>",
        f"h2 = σ(w3·x1 + w4·x2 + b2) = σ({v['w3']:.2f}·{v['x1']:.2f} + {v['w4']:.2f}·{v['x2']:.2f} + {v['b2']:.2f})"
        f" = σ({r['z_h2']:.4f}) = <b>{r['h2']:.4f}</b>",
        f"o1 = σ(w5·h1 + w6·h2 + b3) = σ({v['w5']:.2f}·{r['h1']:.4f} + {v['w6']:.2f}·{r['h2']:.4f} + {v['b3']:.2f})"
        f" = σ({r['z_o1']:.4f}) = <b>{r['o1']:.4f}</b>",
    ]
    # Only numbers, names and σ go into the rows: nothing to escape.
    return "<div style='font-family: monospace'>" + "<br>".join(rows) + "</div>"


def diagram_png(values: dict) -> bytes:
    """The network diagram (nnbook.plots.draw_network) with the current activations, as PNG bytes."""
    return figure_to_png(_diagram_figure(values))


def _diagram_figure(values: dict):
    from ..plots.network import draw_network

    v = _values(values)
    fig = new_figure((5.6, 3.0))
    ax = fig.add_subplot()
    draw_network(build_network(v), ax, x=np.array([v["x1"], v["x2"]]), show_weights=True, show_biases=True,
                 node_names=[["x1", "x2"], ["h1", "h2"], ["o1"]], layer_names=["input", "hidden", "output"],
                 title="2-2-1 network: blue w > 0, red w < 0, width ∝ |w|")
    return fig


# The values the output weights w5 and w6 move over (the seed has w5 = 0, w6 = 1).
W_OUT_VALUES = (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0)


def forward_state(values: dict) -> str:
    """One state of the explorer as HTML: the readout and the network diagram (with alt text)."""
    v, r = _values(values), two_two_one(values)
    alt = (f"The 2-2-1 network as a diagram: inputs x1 = {v['x1']:g}, x2 = {v['x2']:g}; hidden units "
           f"h1 = {r['h1']:.4f}, h2 = {r['h2']:.4f}; output o1 = {r['o1']:.4f}. The edges into o1 carry "
           f"w5 = {v['w5']:g} and w6 = {v['w6']:g}; blue edges are positive weights, red negative, "
           "and thicker edges larger.")
    return readout_html(v) + figure_html(_diagram_figure(v), alt, dpi=96)  # small labels: a finer raster


def forward_pass_explorer(**values):
    """Seed 002's 2-2-1 network with sliders for the output weights w5 and w6.

    The other weights, biases and inputs stay at the seed's values unless given by name
    (``forward_pass_explorer(b3=-1.0)``); w5 and w6 move over ``W_OUT_VALUES``, and every
    state is computed ahead. Returns an ``ipywidgets.VBox`` with the attributes ``controls``
    (dict "w5", "w6") and ``view`` (``view.current()`` is the HTML shown).
    """
    import ipywidgets as widgets

    start = dict(SEED_002)
    start.update(values)
    start = _values(start)
    controls = {"w5": choice("weight w5 (h1 to o1)", W_OUT_VALUES, start["w5"]),
                "w6": choice("weight w6 (h2 to o1)", W_OUT_VALUES, start["w6"])}

    def state(w5, w6):
        return forward_state(dict(start, w5=w5, w6=w6))

    view = precomputed([controls["w5"], controls["w6"]], state)
    box = widgets.VBox([controls["w5"], controls["w6"], view])
    box.controls, box.view = controls, view
    return box
