"""The derivative as the limit of secant slopes (chapter 7).

``derivative_explorer()`` draws f, the secant through (x, f(x)) and (x + h, f(x + h)), and the
tangent at x; as h shrinks the secant's slope (f(x + h) − f(x)) / h approaches f′(x).
The arithmetic lives in plain functions so that it can be tested without widgets; the widget's
states (each function, a few steps h) are computed ahead, so the published page needs no kernel.
"""

from __future__ import annotations

import functools
import html

import numpy as np

from ..activations import sigmoid, sigmoid_prime
from ._common import choice, figure_html, figure_to_png, new_figure, precomputed, real_number

__all__ = ["derivative_explorer"]

# name -> (f, f′, domain of the plot, description)
FUNCTIONS = {
    "x³": (lambda x: x ** 3, lambda x: 3 * x ** 2, (-2.0, 2.0), "f(x) = x³, f′(x) = 3x²"),
    "sin x": (np.sin, np.cos, (-4.0, 4.0), "f(x) = sin x, f′(x) = cos x"),
    "eˣ": (np.exp, np.exp, (-2.0, 2.0), "f(x) = eˣ, f′(x) = eˣ"),
    "ln x": (np.log, lambda x: 1 / x, (0.05, 4.0), "f(x) = ln x, f′(x) = 1/x"),
    "σ(x)": (sigmoid, sigmoid_prime, (-6.0, 6.0), "f(x) = σ(x), f′(x) = σ(x)(1 − σ(x))"),
}


def _check_function(name):
    if name not in FUNCTIONS:
        raise ValueError(f"expected a function name among {list(FUNCTIONS)}, got {name!r}")
    return FUNCTIONS[name]


def secant_slope(f, x: float, h: float) -> float:
    """The difference quotient (f(x + h) − f(x)) / h: the slope of the secant (seed 000's Δy/Δx)."""
    if not callable(f):
        raise TypeError(f"expected f as a callable, got {type(f).__name__}")
    x = real_number(x, "x")
    h = real_number(h, "h")
    if h == 0:
        raise ValueError("expected a step h ≠ 0, got 0")
    return float((f(x + h) - f(x)) / h)


def secant_table(name: str, x: float, hs) -> list[tuple[float, float, float]]:
    """Rows (h, secant slope, |secant slope − f′(x)|) for the named function."""
    f, df, _, _ = _check_function(name)
    exact = float(df(real_number(x, "x")))
    rows = []
    for h in hs:
        s = secant_slope(f, x, h)
        rows.append((float(h), s, abs(s - exact)))
    return rows


def draw_secant(name: str, x: float, h: float) -> bytes:
    """PNG of f, its secant over [x, x + h] and its tangent at x."""
    return figure_to_png(_secant_figure(name, x, h))


def _secant_figure(name: str, x: float, h: float):
    f, df, (lo, hi), desc = _check_function(name)
    x, h = real_number(x, "x"), real_number(h, "h")
    fig = new_figure((5, 3.4))
    ax = fig.add_subplot()
    grid = np.linspace(lo, hi, 400)
    ax.plot(grid, f(grid), color="black", lw=1.5, label="f")
    s = secant_slope(f, x, h)
    t = float(df(x))
    span = np.linspace(min(x, x + h) - 0.6, max(x, x + h) + 0.6, 2)
    ax.plot(span, f(x) + s * (span - x), color="tab:orange", label=f"secant, slope {s:.4f}")
    ax.plot(span, f(x) + t * (span - x), color="tab:blue", ls="--", label=f"tangent, slope {t:.4f}")
    ax.plot([x, x + h], [f(x), f(x + h)], "o", color="tab:orange")
    ylo, yhi = np.min(f(grid)), np.max(f(grid))
    pad = 0.15 * (yhi - ylo)
    ax.set_ylim(ylo - pad, yhi + pad)
    ax.set_xlim(lo, hi)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.set_title(f"{desc}; h = {h:.3g}", fontsize=9)
    ax.legend(fontsize=8, loc="upper left")
    return fig


def readout_html(name: str, x: float, h: float) -> str:
    f, df, _, _ = _check_function(name)
    s = secant_slope(f, x, h)
    t = float(df(x))
    return (f"<b>{html.escape(name)}</b> at x = {x:.3f}, h = {h:.4g}: "
            f"secant slope = {s:.6f}, f′(x) = {t:.6f}, difference = {abs(s - t):.2e}")


# The steps h the explorer's slider moves over, from a wide secant to a nearly tangent one.
H_VALUES = (1.0, 0.5, 0.2, 0.1, 0.01, 0.001)


@functools.lru_cache(maxsize=128)
def derivative_state(name: str, x: float, h: float) -> str:
    """One state of the explorer as HTML: the readout and the picture (with alt text)."""
    f, df, (lo, hi), desc = _check_function(name)
    s, t = secant_slope(f, x, h), float(df(x))
    alt = (f"The graph of {desc.split(',')[0]} for x from {lo:g} to {hi:g}, with the secant through "
           f"x = {x:g} and x + h = {x + h:g} (orange, slope {s:.4f}) and the tangent at x (dashed blue, "
           f"slope {t:.4f}).")
    return f"<div>{readout_html(name, x, h)}</div>" + figure_html(_secant_figure(name, x, h), alt)


def derivative_explorer(function: str = "x³", x: float = 1.0, h: float = 1.0):
    """Pick f and the step h, and watch the secant at x turn into the tangent as h shrinks.

    f is one of ``FUNCTIONS``, h one of ``H_VALUES``; x stays where it is given (inside every
    function's domain). Every state is computed ahead. Returns an ``ipywidgets.VBox`` with the
    attributes ``controls`` (dict "function", "h") and ``view`` (``view.current()`` is the
    HTML shown).
    """
    import ipywidgets as w

    _check_function(function)
    x, h = real_number(x, "x"), real_number(h, "h")
    lo = max(d[0] for _, _, d, _ in FUNCTIONS.values())
    hi = min(d[1] for _, _, d, _ in FUNCTIONS.values())
    if not lo <= x < hi:
        raise ValueError(f"expected x in [{lo:g}, {hi:g}) (inside every function's plot), got {x}")
    controls = {"function": choice("function f", list(FUNCTIONS), function, kind="dropdown"),
                "h": choice("step h", H_VALUES, h)}
    view = precomputed([controls["function"], controls["h"]], lambda name, hv: derivative_state(name, x, hv))
    box = w.VBox([controls["function"], controls["h"], view])
    box.controls, box.view = controls, view
    return box
