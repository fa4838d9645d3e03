"""The framework comparison of chapter 15: one SGD step of seed 004's ReLU network, three ways.

Seed 004's network is 2 → 4 → 2 with ReLU and no biases. :func:`step_three_ways` computes one
step of SGD on one sample with the MSE loss of its PyTorch listing, by

* ``"numpy"``: the formulas written out with NumPy (seed 004's own listing, with ReLU's f′),
* ``"layers"``: nnbook's layers, each with its hand-written ``backward`` (chapter 10),
* ``"autograd"``: nnbook's scalar automatic differentiation, ``nnbook.autograd.Value`` (chapter 9),

and the widget shows that all three give the same gradients, for a few chosen samples
(:data:`SAMPLES`) and for the seed's two outputs or the corrected one; every state is computed
ahead, so the published page needs no kernel. A framework such as PyTorch is the third way, on
whole tensors instead of scalars.
"""

from __future__ import annotations

import html

import numpy as np

from ..activations import ReLU
from ..datasets import SEED004_W_HIDDEN as W_HIDDEN, SEED004_W_OUTPUT as W_OUTPUT
from ..layers import Linear
from ..losses import MSELoss
from ..network import Sequential
from ._common import choice, figure_html, new_figure, precomputed, readout, real_number as _number

__all__ = ["framework_step_explorer"]

METHODS = ("numpy", "layers", "autograd")


def _check(W_hidden, W_output, x, y):
    W_hidden = np.array(W_hidden, dtype=float)
    W_output = np.array(W_output, dtype=float)
    x = np.array(x, dtype=float)
    y = np.array(y, dtype=float)
    if W_hidden.ndim != 2 or W_output.ndim != 2 or W_output.shape[1] != W_hidden.shape[0]:
        raise ValueError(f"expected W_hidden (n_hidden, n_in) and W_output (n_out, n_hidden), got shapes "
                         f"{W_hidden.shape} and {W_output.shape}")
    if x.shape != (W_hidden.shape[1],):
        raise ValueError(f"expected x of shape ({W_hidden.shape[1]},), got shape {x.shape}")
    if y.shape != (W_output.shape[0],):
        raise ValueError(f"expected y of shape ({W_output.shape[0]},), one label per output, got shape {y.shape}")
    return W_hidden, W_output, x, y


def gradients(W_hidden, W_output, x, y, method: str = "numpy") -> dict:
    """Loss and gradients of L = mean_k (ŷ_k − y_k)² for ŷ = W_output · relu(W_hidden · x), no biases.

    Returns ``{"loss": float, "y_pred": (n_out,), "dW_hidden": ..., "dW_output": ...}``.
    """
    W_hidden, W_output, x, y = _check(W_hidden, W_output, x, y)
    if method == "numpy":
        z = W_hidden @ x
        h = np.maximum(z, 0.0)
        y_pred = W_output @ h
        dy = 2.0 * (y_pred - y) / y.size
        dW_output = np.outer(dy, h)
        dz = (W_output.T @ dy) * (z > 0)  # ReLU's f′ is the 0/1 mask
        dW_hidden = np.outer(dz, x)
        loss = float(np.mean((y_pred - y) ** 2))
    elif method == "layers":
        model = Sequential(Linear.from_weights(W_hidden, 0.0), ReLU(), Linear.from_weights(W_output, 0.0))
        loss_fn = MSELoss()
        y_pred = model.forward(x)
        loss = loss_fn.forward(y_pred, y)
        model.backward(loss_fn.backward())
        dW_hidden, dW_output = model.grads["W1"].copy(), model.grads["W2"].copy()
    elif method == "autograd":
        from ..autograd import Value

        Wh = [[Value(float(v)) for v in row] for row in W_hidden]
        Wo = [[Value(float(v)) for v in row] for row in W_output]
        h = [sum((w * float(xi) for w, xi in zip(row, x)), Value(0.0)).relu() for row in Wh]
        out = [sum((w * hj for w, hj in zip(row, h)), Value(0.0)) for row in Wo]
        L = sum(((o - float(t)) ** 2 for o, t in zip(out, y)), Value(0.0)) * (1.0 / len(out))
        L.backward()
        y_pred = np.array([o.data for o in out])
        loss = L.data
        dW_hidden = np.array([[w.grad for w in row] for row in Wh])
        dW_output = np.array([[w.grad for w in row] for row in Wo])
    else:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    return {"loss": float(loss), "y_pred": np.asarray(y_pred, dtype=float),
            "dW_hidden": dW_hidden, "dW_output": dW_output}


def step_three_ways(x1: float = 2.0, x2: float = 3.0, lr: float = 0.01, n_out: int = 2) -> dict:
    """One SGD step of seed 004's network on the sample (x1, x2) with label x1 + x2 for every output.

    ``n_out=2`` is what seed 004's PyTorch code trains (its label broadcast to both outputs);
    ``n_out=1`` keeps only the first output row, the corrected 2 → 4 → 1 network.
    Returns ``{method: gradients(...)}`` for the three methods, plus ``"new"``: the updated weights.
    """
    x = np.array([_number(x1, "x1"), _number(x2, "x2")])
    lr = _number(lr, "lr")
    if lr <= 0:
        raise ValueError(f"expected a positive learning rate lr, got {lr}")
    if n_out not in (1, 2):
        raise ValueError(f"expected n_out as 1 or 2, got {n_out!r}")
    W_out = W_OUTPUT[:n_out]
    y = np.full(n_out, x.sum())
    result = {m: gradients(W_HIDDEN, W_out, x, y, m) for m in METHODS}
    g = result["layers"]
    result["new"] = {"W_hidden": W_HIDDEN - lr * g["dW_hidden"], "W_output": W_out - lr * g["dW_output"]}
    return result


def max_disagreement(result: dict) -> float:
    """The largest absolute difference between any two methods' gradients."""
    worst = 0.0
    for key in ("dW_hidden", "dW_output"):
        for m in METHODS[1:]:
            worst = max(worst, float(np.max(np.abs(result[m][key] - result["numpy"][key]))))
    return worst


def _matrix_html(M) -> str:
    rows = "<br>".join(html.escape("[" + ", ".join(f"{v + 0.0:8.3f}" for v in row) + "]") for row in np.atleast_2d(M))
    return f"<span style='white-space: pre'>{rows}</span>"


def readout_html(result: dict, lr: float | None = None) -> str:
    g = result["layers"]
    step = "" if lr is None else f"one SGD step with learning rate {lr:g}: "
    return readout(
        f"{step}ŷ = {np.array2string(g['y_pred'], precision=4)}, loss = <b>{g['loss']:.4f}</b>",
        f"∂L/∂W_hidden:<br>{_matrix_html(g['dW_hidden'])}",
        f"∂L/∂W_output:<br>{_matrix_html(g['dW_output'])}",
        f"W_hidden − lr·∂L/∂W_hidden:<br>{_matrix_html(result['new']['W_hidden'])}",
        f"W_output − lr·∂L/∂W_output:<br>{_matrix_html(result['new']['W_output'])}",
        f"largest difference between NumPy formulas, nnbook layers and autograd: "
        f"<b>{max_disagreement(result):.2e}</b>")


def comparison_figure(result: dict):
    """Every gradient entry, as computed by each of the three methods (the markers coincide)."""
    fig = new_figure((6, 3))
    ax = fig.add_subplot()
    markers = {"numpy": ("o", 9), "layers": ("s", 6), "autograd": ("x", 7)}
    for m in METHODS:
        flat = np.concatenate([result[m]["dW_hidden"].ravel(), result[m]["dW_output"].ravel()])
        marker, size = markers[m]
        ax.plot(np.arange(flat.size), flat, marker, markersize=size, fillstyle="none", label=m)
    n_h = result["numpy"]["dW_hidden"].size
    ax.axvline(n_h - 0.5, color="0.7", linewidth=0.8)
    ax.axhline(0, color="0.85", linewidth=0.8, zorder=0)
    ax.set_xlabel(f"entry (0–{n_h - 1}: W_hidden, then W_output)")
    ax.set_ylabel("gradient")
    ax.set_title("The same gradients, three ways")
    ax.legend(fontsize=8)
    return fig


def comparison_alt(result: dict) -> str:
    g = result["layers"]
    flat = np.concatenate([g["dW_hidden"].ravel(), g["dW_output"].ravel()])
    return (f"The {flat.size} gradient entries, W_hidden's then W_output's, as computed by the NumPy formulas, "
            f"nnbook's layers and autograd: the three markers coincide at every entry (largest difference "
            f"{max_disagreement(result):.1e}); {np.count_nonzero(flat)} of the entries are non-zero.")


# The samples (x1, x2) the widget offers: the seed's first, then one with both inputs negative.
SAMPLES = ((2.0, 3.0), (1.0, -2.0), (-1.5, -2.0), (0.5, 0.5), (-1.0, 2.0))
LR_VALUES = (0.001, 0.01, 0.05)  # seed 004's learning rate is 0.01


def framework_state(x, n_out: int, lr: float = 0.01) -> str:
    """One state of the explorer as HTML: the readout and the comparison for sample ``x``."""
    result = step_three_ways(x[0], x[1], lr, n_out)
    return readout_html(result, lr) + figure_html(comparison_figure(result), comparison_alt(result))


def framework_step_explorer(x1: float = 2.0, x2: float = 3.0, lr: float = 0.01, n_out: int = 2):
    """One SGD step of seed 004's network on a sample (x1, x2), three ways.

    Controls: the sample among ``SAMPLES`` (``(x1, x2)`` is the first shown), the network, 2
    outputs as the seed trains or the corrected 1, and the learning rate among ``LR_VALUES``.
    Every state is computed ahead. Returns an ``ipywidgets.VBox`` with ``controls`` (dict:
    "sample", "outputs", "lr") and ``view`` (the precomputed view; ``view.current()`` is the
    HTML shown).
    """
    import ipywidgets as widgets

    step_three_ways(x1, x2, lr, n_out)  # validates the arguments
    if (x1, x2) not in SAMPLES:
        raise ValueError(f"expected (x1, x2) among the widget's samples {SAMPLES}, got {(x1, x2)}")
    if lr not in LR_VALUES:
        raise ValueError(f"expected lr among the widget's values {LR_VALUES}, got {lr!r}")
    controls = {
        "sample": choice("sample (x1, x2)", SAMPLES, (x1, x2), labels=[f"({a:g}, {b:g})" for a, b in SAMPLES],
                         kind="toggle"),
        "outputs": choice("network", (2, 1), n_out, labels=("2 outputs, as in the listing", "1 output"), kind="toggle"),
        "lr": choice("learning rate", LR_VALUES, lr),
    }
    view = precomputed([controls["sample"], controls["outputs"], controls["lr"]], framework_state)
    box = widgets.VBox([controls["sample"], controls["outputs"], controls["lr"], view])
    box.controls, box.view = controls, view
    return box
