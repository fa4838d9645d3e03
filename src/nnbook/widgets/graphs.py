"""The computation-graph explorer of chapter 9: logistic regression as a ``Value`` graph.

z = w1 x1 + w2 x2 + b, ŷ = σ(z), L = −(y log ŷ + (1 − y) log(1 − ŷ)). The arithmetic is in
:func:`logistic_graph_values` (the graph built with ``nnbook.autograd.Value`` and
differentiated by ``backward()``). The widget moves the weight w1 over :data:`W1_VALUES` and
the label y between 0 and 1, the other inputs fixed at :data:`DEFAULTS`; every state (the graph
with every node's data and grad, and the readout) is computed ahead, so no kernel is needed.
"""

from __future__ import annotations

import html

from ..autograd import Value, draw, graph_figsize
from ._common import choice, figure_html, new_figure, precomputed, readout

__all__ = ["logistic_graph"]

DEFAULTS = {"x1": 1.5, "x2": -0.5, "w1": 0.8, "w2": -1.2, "b": 0.1, "y": 1.0}


def logistic_graph_values(x1, x2, w1, w2, b, y) -> dict:
    """Build the graph, run ``backward()`` and return the nodes by name (``"L"`` is the output)."""
    if y not in (0, 1):
        raise ValueError(f"expected the label y as 0 or 1, got {y!r}")
    nodes = {name: Value(v, name) for name, v in
             dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b, y=y).items()}
    z = nodes["w1"] * nodes["x1"] + nodes["w2"] * nodes["x2"] + nodes["b"]
    z.label = "z"
    a = z.sigmoid()
    a.label = "ŷ"
    L = -(nodes["y"] * a.log() + (1 - nodes["y"]) * (1 - a).log())
    L.label = "L"
    L.backward()
    nodes.update(z=z, a=a, L=L)
    return nodes


def graph_figure(nodes: dict):
    """The drawn graph (``nnbook.autograd.draw``), every box with its data and grad."""
    fig = new_figure(graph_figsize(nodes["L"], max_width=11.0))
    ax = fig.add_subplot()
    draw(nodes["L"], ax=ax)
    ax.set_title("Logistic regression as a computation graph: every box shows its value (data) "
                 "and ∂L/∂(box) (grad)", fontsize=9)
    return fig


# The graph is wide: drawn at 110 dpi and shown at its own size (scrolling sideways in a narrow
# column), its 8 pt labels are 12 px on every screen, where shrunk to the column they were 5 px.
GRAPH_DPI = 110


def graph_alt(nodes: dict) -> str:
    """The text alternative of the graph: its shape and the numbers that change."""
    return (f"The computation graph of L from x1, x2, w1, w2, b and y through z, ŷ = σ(z) and the log loss, "
            f"each node labelled with its value and gradient: w1 = {nodes['w1'].data:g}, y = {nodes['y'].data:g}, "
            f"z = {nodes['z'].data:.4f}, ŷ = {nodes['a'].data:.4f}, L = {nodes['L'].data:.4f}, "
            f"∂L/∂w1 = {nodes['w1'].grad:.4f}, ∂L/∂w2 = {nodes['w2'].grad:.4f}, ∂L/∂b = {nodes['b'].grad:.4f}.")


def readout_html(nodes: dict) -> str:
    """The chain-rule formulas of logistic regression next to what ``backward()`` found."""
    a, y = nodes["a"].data, nodes["y"].data
    rows = [
        ("∂L/∂w1", "x1(ŷ − y)", nodes["x1"].data * (a - y), nodes["w1"].grad),
        ("∂L/∂w2", "x2(ŷ − y)", nodes["x2"].data * (a - y), nodes["w2"].grad),
        ("∂L/∂b", "ŷ − y", a - y, nodes["b"].grad),
    ]
    lines = [f"L = {nodes['L'].data:.4f}, ŷ = σ(z) = {a:.4f}"]
    for name, formula, by_formula, by_graph in rows:
        lines.append(f"{name} = {html.escape(formula)} = {by_formula:.4f}; backward(): {by_graph:.4f}")
    return readout(*lines)


# The values the widget moves over (the default w1 = 0.8 among them).
W1_VALUES = (-3.0, -2.0, -1.0, 0.0, 0.8, 2.0, 3.0)


def graph_state(w1: float, y: float, **fixed) -> str:
    """One state of the explorer as HTML: the readout and the graph for these w1 and y."""
    nodes = logistic_graph_values(**{**DEFAULTS, **fixed, "w1": w1, "y": y})
    return readout_html(nodes) + figure_html(graph_figure(nodes), graph_alt(nodes), dpi=GRAPH_DPI, natural_size=True)


def logistic_graph(**values):
    """Logistic regression's graph with controls for the weight w1 (``W1_VALUES``) and the label y (0 or 1).

    Keyword arguments set the fixed inputs x1, x2, w2, b (defaults in ``DEFAULTS``) and the
    values first shown for w1 (one of ``W1_VALUES``) and y. Every state is computed ahead.
    Returns an ``ipywidgets.VBox`` with ``controls`` (dict: "w1", "y") and ``view`` (the
    precomputed view; ``view.current()`` is the HTML shown).
    """
    import ipywidgets as widgets

    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise TypeError(f"unexpected arguments {sorted(unknown)}; expected some of {sorted(DEFAULTS)}")
    v = {**DEFAULTS, **values}
    logistic_graph_values(**v)  # validates
    if v["w1"] not in W1_VALUES:
        raise ValueError(f"expected w1 among the widget's values {W1_VALUES}, got {v['w1']!r}")
    fixed = {k: v[k] for k in ("x1", "x2", "w2", "b")}
    controls = {"w1": choice("weight w1", W1_VALUES, v["w1"]),
                "y": choice("label y", (0.0, 1.0), float(v["y"]), labels=("0", "1"), kind="toggle")}
    view = precomputed([controls["w1"], controls["y"]], lambda w1, y: graph_state(w1, y, **fixed))
    box = widgets.VBox([widgets.HBox([controls["w1"], controls["y"]]), view])
    box.controls, box.view = controls, view
    return box
