"""Pieces shared by the widgets: a figure rendered to PNG bytes, and a labelled slider.

Widgets show their plots as ``ipywidgets.Image`` (PNG bytes), not as live matplotlib output,
so the picture is part of the widget state: the static HTML book shows it with no kernel,
and tests can check that it changes.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402


def figure_to_png(fig) -> bytes:
    """Render a matplotlib figure to PNG bytes and close it."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def slider(description: str, value: float, min: float, max: float, step: float = 0.1):
    """A ``FloatSlider`` that updates only when released (cheap redraws)."""
    import ipywidgets as w

    return w.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                         continuous_update=False, readout_format=".2f",
                         style={"description_width": "initial"})
