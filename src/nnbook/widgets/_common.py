"""Pieces shared by the widgets: figures rendered to PNG bytes, and a labelled slider.

Widgets show their plots as ``ipywidgets.Image`` (PNG bytes), not as live matplotlib output,
so the picture is part of the widget state: the static HTML book shows it with no kernel,
and tests can check that it changes. Figures are made with ``matplotlib.figure.Figure``
(not pyplot), so a widget never touches the notebook's plotting backend.
"""

from __future__ import annotations

import io
import numbers

import numpy as np
from matplotlib.figure import Figure


def new_figure(figsize=(5, 3.2)) -> Figure:
    """A figure that belongs to no pyplot backend."""
    return Figure(figsize=figsize, layout="constrained")


def figure_to_png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96)
    return buf.getvalue()


def slider(description: str, value: float, min: float, max: float, step: float = 0.1):
    """A ``FloatSlider`` that updates when released (cheap redraws)."""
    import ipywidgets as w

    return w.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                         continuous_update=False, readout_format=".2f",
                         style={"description_width": "initial"})


def real_number(value, name: str) -> float:
    """A finite real number, or a ``TypeError``/``ValueError`` naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"expected {name} as a real number, got {value!r} of type {type(value).__name__}")
    if not np.isfinite(value):
        raise ValueError(f"expected {name} as a finite number, got {value}")
    return float(value)
