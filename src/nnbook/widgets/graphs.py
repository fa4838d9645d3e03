"""The computation-graph explorer of chapter 9: seed 001's logistic regression as a ``Value`` graph.

z = w1 x1 + w2 x2 + b, a = σ(z), L = −(y log a + (1 − y) log(1 − a)). The arithmetic is in
:func:`logistic_graph_values` (the graph built with ``nnbook.autograd.Value`` and
differentiated by ``backward()``); the widget wires sliders to it and redraws the graph
with every node's data and grad.
"""

from __future__ import annotations

import html

from ..autograd import Value, draw, graph_figsize
from ._common import figure_to_png, new_figure, slider

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
    a.label = "a"
    L = -(nodes["y"] * a.log() + (1 - nodes["y"]) * (1 - a).log())
    L.label = "L"
    L.backward()
    nodes.update(z=z, a=a, L=L)
    return nodes


def graph_png(nodes: dict) -> bytes:
    """The drawn graph (``nnbook.autograd.draw``) as PNG bytes."""
    fig = new_figure(graph_figsize(nodes["L"], max_width=11.0))
    ax = fig.add_subplot()
    draw(nodes["L"], ax=ax)
    ax.set_title("Seed 001's logistic regression: every box shows data and ∂L/∂(node)", fontsize=9)
    return figure_to_png(fig)


def readout_html(nodes: dict) -> str:
    """The chain-rule formulas of seed 001 next to what ``backward()`` found."""
    a, y = nodes["a"].data, nodes["y"].data
    rows = [
        ("∂L/∂w1", "x1(a − y)", nodes["x1"].data * (a - y), nodes["w1"].grad),
        ("∂L/∂w2", "x2(a − y)", nodes["x2"].data * (a - y), nodes["w2"].grad),
        ("∂L/∂b", "a − y", a - y, nodes["b"].grad),
    ]
    lines = [f"L = {nodes['L'].data:.4f}, a = σ(z) = {a:.4f}"]
    for name, formula, by_formula, by_graph in rows:
        lines.append(f"{name} = {html.escape(formula)} = {by_formula:.4f}; backward(): {by_graph:.4f}")
    return "<div style='font-family: monospace'>" + "<br>".join(lines) + "</div>"


def logistic_graph(**values):
    """Sliders for x1, x2, w1, w2, b and a toggle for y; the graph redrawn after each change.

    Returns an ``ipywidgets.VBox`` with ``sliders`` (the five ``FloatSlider`` and ``"y"``, a
    ``ToggleButtons``), ``readout`` (``HTML``), ``image`` (``Image``), ``nodes()`` (the
    current graph by name) and ``update()``.
    """
    import ipywidgets as widgets

    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise TypeError(f"unexpected arguments {sorted(unknown)}; expected some of {sorted(DEFAULTS)}")
    v = {**DEFAULTS, **values}
    logistic_graph_values(**v)  # validates
    sliders = {name: slider(name, v[name], min(-3.0, v[name]), max(3.0, v[name]), 0.1)
               for name in ("x1", "x2", "w1", "w2", "b")}
    sliders["y"] = widgets.ToggleButtons(options=[0.0, 1.0], value=float(v["y"]), description="y")
    readout = widgets.HTML()
    image = widgets.Image(format="png")

    def nodes():
        return logistic_graph_values(**{k: s.value for k, s in sliders.items()})

    def update(*_):
        current = nodes()
        readout.value = readout_html(current)
        image.value = graph_png(current)

    for s in sliders.values():
        s.observe(update, names="value")
    update()
    box = widgets.VBox([
        widgets.HBox([widgets.VBox([sliders["x1"], sliders["x2"]]),
                      widgets.VBox([sliders["w1"], sliders["w2"], sliders["b"]])]),
        sliders["y"], readout, image,
    ])
    box.sliders, box.readout, box.image, box.update, box.nodes = sliders, readout, image, update, nodes
    return box
