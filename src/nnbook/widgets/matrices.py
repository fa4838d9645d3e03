"""The matrix–vector explorer of chapter 3: which row (or column) of W produces each z_i.

:func:`matvec_parts` does the arithmetic of ``z = W x + b`` entry by entry (testable without
widgets). The widget draws ``W``, ``x``, ``b`` and ``z`` side by side and highlights either
row ``i`` of ``W`` with ``z_i`` (a dot product) or column ``j`` of ``W`` with ``x_j`` (that
input's contribution to every unit); its states are computed ahead, over a few values of ``x₁``.
"""

from __future__ import annotations

import numpy as np

from ..datasets import SEED004_W_HIDDEN
from ._common import choice, figure_html, figure_to_png, new_figure, precomputed

__all__ = ["matvec_explorer"]


def _as_problem(W, b, x):
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or 0 in W.shape:
        raise ValueError(f"expected W of shape (n_out, n_in), got shape {W.shape}")
    n_out, n_in = W.shape
    b = np.asarray(b, dtype=float)
    if b.ndim == 0:
        b = np.full(n_out, float(b))
    if b.shape != (n_out,):
        raise ValueError(f"expected b as a scalar or of shape ({n_out},) (n_out of W), got shape {b.shape}")
    x = np.asarray(x, dtype=float)
    if x.shape != (n_in,):
        raise ValueError(f"expected x of shape ({n_in},) (n_in of W), got shape {x.shape}")
    for name, arr in (("W", W), ("b", b), ("x", x)):
        if not np.isfinite(arr).all():
            raise ValueError(f"expected finite entries in {name}, got {arr}")
    return W, b, x


def matvec_parts(W, b, x) -> dict:
    """``z = W x + b`` computed entry by entry.

    Returns a dict with ``W``, ``b``, ``x`` (float arrays), ``products`` (shape (n_out, n_in),
    ``products[i, j] = w_ij x_j``) and ``z`` (shape (n_out,), ``z_i = Σ_j w_ij x_j + b_i``).
    """
    W, b, x = _as_problem(W, b, x)
    products = W * x  # broadcasting x over the rows: entry (i, j) is w_ij x_j
    return {"W": W, "b": b, "x": x, "products": products, "z": products.sum(axis=1) + b}


def _fmt(v: float) -> str:
    return f"{v:.4g}"


def row_readout(W, b, x, i: int) -> str:
    """``z_i`` as the dot product of row ``i`` of ``W`` with ``x``, plus ``b_i`` (i is 0-based)."""
    p = matvec_parts(W, b, x)
    n_out, n_in = p["W"].shape
    if not 0 <= i < n_out:
        raise ValueError(f"expected a row index in 0..{n_out - 1}, got {i}")
    symbols = " + ".join(f"w<sub>{i + 1}{j + 1}</sub>x<sub>{j + 1}</sub>" for j in range(n_in))
    numbers = " + ".join(f"{_fmt(p['W'][i, j])}·{_fmt(p['x'][j])}" for j in range(n_in))
    return (
        "<div style='font-family: monospace'>"
        f"row {i + 1} of W times x: z<sub>{i + 1}</sub> = {symbols} + b<sub>{i + 1}</sub>"
        f" = {numbers} + {_fmt(p['b'][i])} = <b>{p['z'][i]:.4f}</b></div>"
    )


def column_readout(W, b, x, j: int) -> str:
    """Column ``j`` of ``W`` scaled by ``x_j``: that input's contribution to every unit."""
    p = matvec_parts(W, b, x)
    n_out, n_in = p["W"].shape
    if not 0 <= j < n_in:
        raise ValueError(f"expected a column index in 0..{n_in - 1}, got {j}")
    contrib = ", ".join(_fmt(v) for v in p["products"][:, j])
    z = ", ".join(f"{v:.4f}" for v in p["z"])
    return (
        "<div style='font-family: monospace'>"
        f"x<sub>{j + 1}</sub> × column {j + 1} of W = {_fmt(p['x'][j])} × "
        f"({', '.join(_fmt(v) for v in p['W'][:, j])}) = ({contrib}), added into every z<sub>i</sub><br>"
        f"z = {' + '.join(f'x<sub>{k + 1}</sub>·W[:, {k + 1}]' for k in range(n_in))} + b = (<b>{z}</b>)</div>"
    )


def matvec_png(W, b, x, view: str = "row", index: int = 0) -> bytes:
    """``W``, ``x``, ``b`` and ``z`` drawn as grids, the chosen row or column highlighted."""
    return figure_to_png(_matvec_figure(W, b, x, view, index))


def _matvec_figure(W, b, x, view: str = "row", index: int = 0):
    from matplotlib.patches import Rectangle

    p = matvec_parts(W, b, x)
    W, b, x, z = p["W"], p["b"], p["x"], p["z"]
    n_out, n_in = W.shape
    if view not in ("row", "column"):
        raise ValueError(f"expected view 'row' or 'column', got {view!r}")
    limit = n_out if view == "row" else n_in
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < limit:
        raise ValueError(f"expected a {view} index in 0..{limit - 1}, got {index!r}")
    fig = new_figure((1.0 + 0.75 * (n_in + 5), 0.9 + 0.5 * max(n_out, n_in)))
    ax = fig.add_subplot()
    top = max(n_out, n_in)
    hi, lo = "#ffd966", "white"

    def grid(x0, values, highlight):
        for (r, c), v in np.ndenumerate(values):
            y = top - 1 - r
            face = hi if highlight(r, c) else lo
            ax.add_patch(Rectangle((x0 + c, y), 1, 1, facecolor=face, edgecolor="0.4"))
            ax.text(x0 + c + 0.5, y + 0.5, _fmt(v), ha="center", va="center", fontsize=10)

    row = view == "row"
    grid(0, W, lambda r, c: (r == index) if row else (c == index))
    ax.text(n_in + 0.35, top - 0.5, "·", ha="center", va="center", fontsize=16)
    xo = n_in + 0.7
    grid(xo, x.reshape(-1, 1), lambda r, c: row or r == index)
    ax.text(xo + 1.35, top - 0.5, "+", ha="center", va="center", fontsize=14)
    bo = xo + 1.7
    grid(bo, b.reshape(-1, 1), lambda r, c: row and r == index)
    ax.text(bo + 1.35, top - 0.5, "=", ha="center", va="center", fontsize=14)
    zo = bo + 1.7
    grid(zo, z.reshape(-1, 1), lambda r, c: (r == index) if row else True)
    for x0, name in ((n_in / 2, "W"), (xo + 0.5, "x"), (bo + 0.5, "b"), (zo + 0.5, "z")):
        ax.text(x0, top + 0.3, name, ha="center", va="bottom", fontsize=12, fontweight="bold")
    ax.set_xlim(-0.2, zo + 1.2)
    ax.set_ylim(-0.2, top + 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    what = f"row {index + 1} of W gives z{index + 1}" if row else f"column {index + 1} of W is weighted by x{index + 1}"
    ax.set_title(what, fontsize=10)
    return fig


# The values the first input moves over (seed 004's input is x = [2, 3]).
X1_VALUES = (-2.0, -1.0, 0.0, 1.0, 2.0, 3.0)


def matvec_state(W, b, x, part: str) -> str:
    """One state of the explorer as HTML: ``part`` is "row i" or "column j" (1-based)."""
    W, b, x = _as_problem(W, b, x)
    kind, _, number = str(part).partition(" ")
    if kind not in ("row", "column") or not number.isdigit():
        raise ValueError(f"expected part as 'row i' or 'column j', got {part!r}")
    k = int(number) - 1
    text = row_readout(W, b, x, k) if kind == "row" else column_readout(W, b, x, k)
    z = ", ".join(f"{v:.4g}" for v in matvec_parts(W, b, x)["z"])
    if kind == "row":
        what = f"row {k + 1} of W and z{k + 1} highlighted"
    else:
        what = f"column {k + 1} of W and x{k + 1} highlighted"
    alt = (f"W, x = ({', '.join(f'{v:g}' for v in x)}), b and z = ({z}) drawn as grids of numbers, "
           f"with {what}.")
    return text + figure_html(_matvec_figure(W, b, x, kind, k), alt)


def matvec_explorer(W=SEED004_W_HIDDEN, b=0.2, x=(2.0, 3.0)):
    """Explore ``z = W x + b`` (defaults: seed 004's hidden layer, 4 units, 2 inputs).

    One control picks the part of ``W`` to read: "row i" (``z_i`` is row ``i`` of ``W``
    dotted with ``x``, plus ``b_i``) or "column j" (``x_j`` scales column ``j``, added into
    every unit); a slider moves ``x₁`` over ``X1_VALUES``. Every state is computed ahead.
    Returns an ``ipywidgets.VBox`` with the attributes ``controls`` (dict "part", "x1") and
    ``view`` (``view.current()`` is the HTML shown).
    """
    import ipywidgets as widgets

    W, b, x = _as_problem(W, b, x)
    n_out, n_in = W.shape
    parts = [f"row {i + 1}" for i in range(n_out)] + [f"column {j + 1}" for j in range(n_in)]
    x1_values = sorted(set(X1_VALUES) | {float(x[0])})
    controls = {"part": choice("part of W", parts, kind="toggle"),
                "x1": choice("input x₁", x1_values, float(x[0]))}
    rest = [float(v) for v in x[1:]]

    def state(part, x1):
        return matvec_state(W, b, [x1, *rest], part)

    view = precomputed([controls["part"], controls["x1"]], state)
    box = widgets.VBox([controls["part"], controls["x1"], view])
    box.controls, box.view = controls, view
    return box
