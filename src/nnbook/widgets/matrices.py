"""The matrix–vector explorer of chapter 3: which row (or column) of W produces each z_i.

:func:`matvec_parts` does the arithmetic of ``z = W x + b`` entry by entry (testable without
widgets). The widget draws ``W``, ``x``, ``b`` and ``z`` side by side and highlights either
row ``i`` of ``W`` with ``z_i`` (a dot product) or column ``j`` of ``W`` with ``x_j`` (that
input's contribution to every unit).
"""

from __future__ import annotations

import numpy as np

from ._common import figure_to_png, new_figure, slider

__all__ = ["matvec_explorer"]

SEED004_W = ((1.0, 2.0), (2.0, 3.0), (1.0, 1.0), (3.0, 1.0))


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
    return figure_to_png(fig)


def matvec_explorer(W=SEED004_W, b=0.2, x=(2.0, 3.0)):
    """Explore ``z = W x + b`` (defaults: seed 004's hidden layer, 4 units, 2 inputs).

    Sliders set the inputs ``x``; a toggle picks the "row" view (``z_i`` is row ``i`` of ``W``
    dotted with ``x``, plus ``b_i``) or the "column" view (``x_j`` scales column ``j``), and an
    index slider picks the row or column. Returns an ``ipywidgets.VBox`` with the attributes
    ``sliders`` (dict "x1", "x2", …), ``view`` (``ToggleButtons``), ``index`` (``IntSlider``,
    1-based as in the formulas), ``readout`` (``HTML``), ``image`` (``Image``) and ``update()``.
    """
    import ipywidgets as widgets

    W, b, x = _as_problem(W, b, x)
    n_out, n_in = W.shape
    sliders = {f"x{j + 1}": slider(f"x{j + 1}", float(v), min(-4.0, float(v)), max(4.0, float(v)), 0.1)
               for j, v in enumerate(x)}
    view = widgets.ToggleButtons(options=["row", "column"], value="row", description="view")
    index = widgets.IntSlider(value=1, min=1, max=n_out, description="row i", continuous_update=False)
    readout = widgets.HTML()
    image = widgets.Image(format="png")

    def update(*_):
        xv = [sliders[f"x{j + 1}"].value for j in range(n_in)]
        limit = n_out if view.value == "row" else n_in
        index.description = "row i" if view.value == "row" else "column j"
        if index.max != limit:
            index.value = min(index.value, limit)  # before lowering max, so the value stays valid
            index.max = limit
        k = index.value - 1
        if view.value == "row":
            readout.value = row_readout(W, b, xv, k)
        else:
            readout.value = column_readout(W, b, xv, k)
        image.value = matvec_png(W, b, xv, view.value, k)

    for s in sliders.values():
        s.observe(update, names="value")
    view.observe(update, names="value")
    index.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox([widgets.VBox(list(sliders.values())), widgets.VBox([view, index])]),
                        readout, image])
    box.sliders, box.view, box.index, box.readout, box.image, box.update = sliders, view, index, readout, image, update
    return box
