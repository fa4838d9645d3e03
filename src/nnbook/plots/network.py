"""A network diagram drawn from the weights (chapter 5).

One column of nodes per layer, one edge per weight: blue for a positive weight, red for a
negative one, thicker for a larger |w|. Given an input ``x`` the nodes show their
activations a[l], so the picture is the forward pass.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array
from ..activations import sigmoid
from ..layers import Linear
from ._alt import describe

__all__ = ["draw_network", "network_layers"]

POSITIVE, NEGATIVE = "tab:blue", "tab:red"
SPACING = 2.0  # horizontal distance between layers, in node rows


def network_layers(model_or_weights):
    """The ``(W, b)`` pairs of a network, in order, and the activation function between them.

    Accepts an ``nnbook.Sequential`` / ``MLP`` (its ``Linear`` layers), a list of ``Linear``
    layers, a list of weight matrices ``W`` of shape ``(n_out, n_in)`` (biases 0) or a list of
    ``(W, b)`` pairs. Returns ``(pairs, model)`` where ``model`` is the Sequential (or None).
    """
    layers = getattr(model_or_weights, "layers", None)
    if layers is not None and not isinstance(model_or_weights, (list, tuple)):
        linears = [l for l in layers if isinstance(l, Linear)]
        if not linears:
            raise ValueError("expected a network with at least one Linear layer, got none")
        return [(l.W.copy(), l.b.copy()) for l in linears], model_or_weights
    if isinstance(model_or_weights, Linear):
        model_or_weights = [model_or_weights]
    if not isinstance(model_or_weights, (list, tuple)) or len(model_or_weights) == 0:
        raise TypeError(
            "expected a Sequential network, a list of Linear layers, of weight matrices or of (W, b) pairs, "
            f"got {type(model_or_weights).__name__}"
        )
    pairs = []
    for i, item in enumerate(model_or_weights):
        if isinstance(item, Linear):
            W, b = item.W.copy(), item.b.copy()
        elif isinstance(item, tuple) and len(item) == 2:
            W = as_float_array(item[0], f"W of layer {i}")
            b = as_float_array(item[1], f"b of layer {i}")
        else:
            W = as_float_array(item, f"W of layer {i}")
            b = np.zeros(W.shape[0] if W.ndim == 2 else 0)
        if W.ndim != 2 or 0 in W.shape:
            raise ValueError(f"expected W of layer {i} with shape (n_out, n_in), got shape {W.shape}")
        if b.ndim == 0:
            b = np.full(W.shape[0], float(b))
        b = b.reshape(-1)
        if b.shape != (W.shape[0],):
            raise ValueError(f"expected b of layer {i} with shape ({W.shape[0]},) or a scalar, got shape {b.shape}")
        if pairs and pairs[-1][0].shape[0] != W.shape[1]:
            raise ValueError(
                f"expected W of layer {i} with {pairs[-1][0].shape[0]} columns (the outputs of layer {i - 1}), "
                f"got shape {W.shape}"
            )
        pairs.append((W, b))
    return pairs, None


def _activations(pairs, model, x, activation):
    """The node values a[0] = x, a[1], …, a[L] for one input ``x``."""
    values = [x]
    if model is not None:
        # Run the model's own layers and read the value just before each Linear and at the end.
        a, seen_linear = x, False
        for layer in model.layers:
            if isinstance(layer, Linear):
                if seen_linear:
                    values.append(a)
                seen_linear = True
            a = layer.forward(a)
        values.append(a)
        return values
    a = x
    for W, b in pairs:
        a = activation(W @ a + b)
        values.append(np.asarray(a, dtype=float))
    return values


def draw_network(model_or_weights, ax=None, *, x=None, activation=sigmoid, show_weights=False,
                 show_biases=False, layer_names=None, node_names=None, title=None, weight_fmt="{:.2g}",
                 value_fmt="{:.4f}"):
    """Draw a fully connected network as nodes and weighted edges; returns the axes.

    Parameters
    ----------
    model_or_weights : Sequential, list of Linear, list of W ``(n_out, n_in)`` or list of (W, b)
    ax : matplotlib Axes, optional (a new figure when None)
    x : array of shape (n_in,), optional
        An input; each node is then labelled with its activation a[l] (a[0] = x).
    activation : callable, default ``nnbook.sigmoid``
        Used between layers when the network is given as weights (a Sequential uses its own layers).
    show_weights, show_biases : bool
        Write each weight on its edge, each bias under its node.
    layer_names : list of str, one per layer of nodes (default "input", "hidden 1", …, "output").
    node_names : list of lists of str, optional, e.g. ``[["x1", "x2"], ["h1", "h2"], ["o1"]]``.

    Edge colour: blue for w > 0, red for w < 0; width and opacity grow with |w|.
    """
    pairs, model = network_layers(model_or_weights)
    sizes = [pairs[0][0].shape[1]] + [W.shape[0] for W, _ in pairs]
    n_cols = len(sizes)
    if ax is not None and not (hasattr(ax, "plot") and hasattr(ax, "add_patch")):
        raise TypeError(f"expected ax as a matplotlib Axes or None, got {type(ax).__name__}")
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(2.0 * n_cols + 1.0, 0.8 * max(sizes) + 1.2), layout="constrained")
    if layer_names is None:
        layer_names = ["input"] + [f"hidden {i}" for i in range(1, n_cols - 1)] + ["output"]
    if len(layer_names) != n_cols:
        raise ValueError(f"expected {n_cols} layer names (one per column of nodes), got {len(layer_names)}")
    if node_names is not None:
        if len(node_names) != n_cols or any(len(n) != s for n, s in zip(node_names, sizes)):
            raise ValueError(f"expected node_names as {n_cols} lists of lengths {sizes}, got lengths "
                             f"{[len(n) for n in node_names]}")
    values = None
    if x is not None:
        x = as_float_array(x, "x")
        if x.shape != (sizes[0],):
            raise ValueError(f"expected x of shape ({sizes[0]},) (one example, n_in of the network), got shape {x.shape}")
        values = _activations(pairs, model, x, activation)

    tallest = max(sizes)
    # Centre each column vertically: node r of a column of n sits at y = (n − 1)/2 − r.
    pos = [[(SPACING * c, (n - 1) / 2.0 - r) for r in range(n)] for c, n in enumerate(sizes)]
    w_max = max(float(np.abs(W).max()) for W, _ in pairs) or 1.0

    for l, (W, _) in enumerate(pairs):
        for j in range(W.shape[0]):
            for i in range(W.shape[1]):
                w = W[j, i]
                (x0, y0), (x1, y1) = pos[l][i], pos[l + 1][j]
                strength = abs(w) / w_max
                ax.plot([x0, x1], [y0, y1], color=POSITIVE if w >= 0 else NEGATIVE,
                        linewidth=0.5 + 3.5 * strength, alpha=0.25 + 0.75 * strength, zorder=1,
                        solid_capstyle="round")
                if show_weights:
                    t = 0.3  # label near the source so labels of edges into one node do not pile up
                    ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), weight_fmt.format(w), fontsize=7,
                            ha="center", va="center", zorder=3,
                            bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.8))

    radius = 0.22
    for c, column in enumerate(pos):
        for r, (cx, cy) in enumerate(column):
            ax.add_patch(_circle((cx, cy), radius))
            label = node_names[c][r] if node_names is not None else ""
            if values is not None:
                text = value_fmt.format(float(values[c][r]))
                label = f"{label}\n{text}" if label else text
            if label:
                ax.text(cx, cy, label, ha="center", va="center", fontsize=7, zorder=4)
            if show_biases and c > 0:
                ax.text(cx, cy - radius - 0.12, "b=" + weight_fmt.format(pairs[c - 1][1][r]), ha="center",
                        va="top", fontsize=7, color="0.3", zorder=4)
        ax.text(SPACING * c, (tallest - 1) / 2.0 + 0.5, layer_names[c], ha="center", va="bottom", fontsize=9)

    ax.set_xlim(-0.5, SPACING * (n_cols - 1) + 0.5)
    ax.set_ylim(-(tallest - 1) / 2.0 - 0.6, (tallest - 1) / 2.0 + 0.8)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is None:
        title = "Network " + "–".join(str(s) for s in sizes) + " (blue w > 0, red w < 0, width ∝ |w|)"
    ax.set_title(title, fontsize=9)
    shown = []
    if values is not None:
        shown.append("each neuron's value for the input x = ["
                     + ", ".join(value_fmt.format(float(v)) for v in values[0]) + "]"
                     + " and the output " + ", ".join(value_fmt.format(float(v)) for v in values[-1]))
    if show_weights:
        shown.append("every weight written on its edge")
    if show_biases:
        shown.append("every bias under its neuron")
    describe(ax, (f"diagram of a fully connected network with layers of {', '.join(str(n) for n in sizes)} "
                  "neurons, each neuron joined to every neuron of the next layer by an edge coloured by the "
                  "sign of its weight and as wide as its size" + ("; " + "; ".join(shown) if shown else "")
                  + "."), title)
    return ax


def _circle(center, radius):
    from matplotlib.patches import Circle

    return Circle(center, radius, facecolor="white", edgecolor="0.2", linewidth=1.2, zorder=2)
