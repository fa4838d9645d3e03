"""The dot-product explorer of chapter 2: two 2-D vectors, their dot product and its geometry.

:func:`dot_product_parts` does the arithmetic (testable without widgets): the componentwise
products, ``a · b = a₁b₁ + a₂b₂``, the lengths, and the angle, so that the widget can show
that ``a · b`` and ``|a| |b| cos θ`` are the same number.
"""

from __future__ import annotations

import functools
import html

import numpy as np

from ._common import choice, figure_html, figure_to_png, new_figure, precomputed

__all__ = ["dot_product_explorer"]


def _vector(v, name: str) -> np.ndarray:
    try:
        arr = np.asarray(v, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"expected {name} as a sequence of numbers, got {v!r}") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"expected {name} as a non-empty 1-D vector, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"expected finite entries in {name}, got {arr}")
    return arr


def dot_product_parts(a, b) -> dict:
    """Everything the explorer shows about two vectors of the same length.

    Returns a dict with ``products`` (aᵢbᵢ), ``dot`` (their sum), ``norm_a``, ``norm_b``,
    ``cos`` and ``angle_deg`` (both ``None`` when a vector is zero: no angle is defined), and
    ``geometric`` (|a| |b| cos θ, equal to ``dot`` up to rounding; 0 for a zero vector).
    """
    a, b = _vector(a, "a"), _vector(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"expected a and b of the same length, got lengths {a.size} and {b.size}")
    products = a * b
    dot = float(products.sum())
    norm_a, norm_b = float(np.sqrt(a @ a)), float(np.sqrt(b @ b))
    if norm_a == 0.0 or norm_b == 0.0:
        cos = angle = None
        geometric = 0.0
    else:
        cos = float(np.clip(dot / (norm_a * norm_b), -1.0, 1.0))
        # Kahan's formula: accurate for nearly parallel vectors, where arccos(cos) is not.
        ua, ub = a / norm_a, b / norm_b
        angle = float(np.degrees(2 * np.arctan2(np.linalg.norm(ua - ub), np.linalg.norm(ua + ub))))
        geometric = norm_a * norm_b * cos
    return {"products": products, "dot": dot, "norm_a": norm_a, "norm_b": norm_b,
            "cos": cos, "angle_deg": angle, "geometric": geometric}


def readout_html(a, b) -> str:
    """The explorer's readout: components, a·b written out, and |a||b|cos θ."""
    p = dot_product_parts(a, b)
    terms = " + ".join(f"({ai:.2f})·({bi:.2f})" for ai, bi in zip(a, b))
    lines = [
        f"a = ({', '.join(f'{v:.2f}' for v in a)}), b = ({', '.join(f'{v:.2f}' for v in b)})",
        f"a·b = {html.escape(terms)} = <b>{p['dot']:.4f}</b>",
    ]
    if p["cos"] is None:
        lines.append(f"|a| = {p['norm_a']:.4f}, |b| = {p['norm_b']:.4f}: a zero vector has no angle, and a·b = 0")
    else:
        lines.append(
            f"|a| |b| cos θ = {p['norm_a']:.4f} × {p['norm_b']:.4f} × {p['cos']:.4f} = <b>{p['geometric']:.4f}</b>"
            f" (θ = {p['angle_deg']:.1f}°)"
        )
    return "<div style='font-family: monospace'>" + "<br>".join(lines) + "</div>"


def arrows_png(a, b) -> bytes:
    """Both vectors as arrows from the origin, with the projection of b onto a, as PNG bytes."""
    return figure_to_png(_arrows_figure(a, b))


def _arrows_figure(a, b):
    a, b = _vector(a, "a"), _vector(b, "b")
    p = dot_product_parts(a, b)
    fig = new_figure((4.0, 4.0))
    ax = fig.add_subplot()
    lim = max(1.0, float(np.abs(np.concatenate([a, b])).max())) * 1.2
    for v, color, name in ((a, "tab:blue", "a"), (b, "tab:orange", "b")):
        if np.any(v != 0):
            ax.annotate("", xy=(v[0], v[1]), xytext=(0, 0),
                        arrowprops={"arrowstyle": "-|>", "color": color, "linewidth": 2})
        ax.text(v[0] * 1.05, v[1] * 1.05, name, color=color, fontsize=12, fontweight="bold")
    if p["norm_a"] > 0:
        proj = (p["dot"] / p["norm_a"] ** 2) * a  # b's shadow on the line through a
        ax.plot([b[0], proj[0]], [b[1], proj[1]], ":", color="0.5")
        ax.plot([0, proj[0]], [0, proj[1]], color="tab:green", linewidth=4, alpha=0.45,
                label="projection of b on a")
        ax.legend(loc="lower left", fontsize=8)
    ax.axhline(0, color="0.85", linewidth=0.8, zorder=0)
    ax.axvline(0, color="0.85", linewidth=0.8, zorder=0)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xlabel("first component")
    ax.set_ylabel("second component")
    angle = "undefined" if p["angle_deg"] is None else f"{p['angle_deg']:.1f}°"
    ax.set_title(f"a·b = {p['dot']:.2f}, θ = {angle}")
    return fig


# The values b's components move over (a stays fixed: the explorer turns b around it).
B_VALUES = (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0)


@functools.lru_cache(maxsize=128)
def dot_state(a1: float, a2: float, b1: float, b2: float) -> str:
    """One state of the explorer as HTML: the readout and the arrows (with alt text)."""
    a, b = [a1, a2], [b1, b2]
    p = dot_product_parts(a, b)
    angle = "no angle (b is the zero vector)" if p["angle_deg"] is None else f"an angle of {p['angle_deg']:.1f}°"
    alt = (f"Arrows from the origin: a = ({a1:g}, {a2:g}) in blue and b = ({b1:g}, {b2:g}) in orange, "
           f"at {angle}; b's projection on a is drawn in green; a·b = {p['dot']:.2f}.")
    return readout_html(a, b) + figure_html(_arrows_figure(a, b), alt)


def dot_product_explorer(a=(2.0, 1.0), b=(1.0, 2.0)):
    """The vector ``a`` fixed and sliders for the components of ``b``; shows a·b both ways.

    ``b₁`` and ``b₂`` move over ``B_VALUES``; every state (the readout with the components,
    a·b and |a||b|cos θ, and the arrows) is computed ahead, so no kernel is needed. Returns an
    ``ipywidgets.VBox`` with the attributes ``controls`` (dict "b1", "b2") and ``view``
    (``view.current()`` is the HTML shown).
    """
    import ipywidgets as widgets

    a, b = _vector(a, "a"), _vector(b, "b")
    if a.shape != (2,) or b.shape != (2,):
        raise ValueError(f"expected two 2-D vectors a and b, got shapes {a.shape} and {b.shape}")
    controls = {"b1": choice("b₁, first component of b", B_VALUES, float(b[0])),
                "b2": choice("b₂, second component of b", B_VALUES, float(b[1]))}
    a1, a2 = float(a[0]), float(a[1])
    view = precomputed(list(controls.values()), lambda b1, b2: dot_state(a1, a2, b1, b2))
    box = widgets.VBox([widgets.HBox(list(controls.values())), view])
    box.controls, box.view = controls, view
    return box
