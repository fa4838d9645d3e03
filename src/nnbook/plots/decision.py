"""Decision boundaries and loss curves (chapters 11–13).

``decision_boundary`` evaluates a trained model on a grid over a 2-D data set and colours the
plane by the class it predicts: one sigmoid output is read as P(class 1) with the boundary at
0.5; several outputs are read as class scores and the plane is split by their argmax.
``loss_curve`` draws the ``History`` that ``fit`` returns.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._validation import as_float_array
from ._alt import describe

__all__ = ["decision_boundary", "loss_curve", "class_labels", "grid_predictions"]

CLASS_COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown")


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(4.5, 4))
    elif not hasattr(ax, "contourf"):
        raise TypeError(f"expected a matplotlib Axes or None for ax, got {type(ax).__name__}")
    return ax


def class_labels(y, n_samples: int) -> np.ndarray:
    """Integer class labels from ``(n,)`` labels, ``(n, 1)`` 0/1 targets or ``(n, k)`` one-hot rows."""
    arr = as_float_array(y, "y")
    if arr.ndim == 2 and arr.shape[1] > 1:
        arr = arr.argmax(axis=1)
    elif arr.ndim == 2:
        arr = arr[:, 0]
    if arr.ndim != 1 or arr.shape[0] != n_samples:
        raise ValueError(f"expected y with one label per sample ({n_samples}), got shape {np.shape(y)}")
    return (arr > 0.5).astype(np.intp) if np.any(np.mod(arr, 1) != 0) else arr.astype(np.intp)


def grid_predictions(model, X, resolution: int = 150, padding: float = 0.5):
    """The model's outputs on a ``resolution × resolution`` grid covering ``X`` plus ``padding``.

    Returns ``(xx, yy, out)`` with ``xx, yy`` of shape ``(resolution, resolution)`` and
    ``out`` of shape ``(resolution, resolution, n_out)``.
    """
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] == 0:
        raise ValueError(f"expected X of shape (n_samples, 2) (a 2-D data set), got shape {X.shape}")
    if not hasattr(model, "predict"):
        raise TypeError(f"expected a model with a predict(X) method, got {type(model).__name__}")
    if isinstance(resolution, bool) or not isinstance(resolution, numbers.Integral) or resolution < 2:
        raise ValueError(f"expected resolution as an integer ≥ 2, got {resolution!r}")
    lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    out = np.asarray(model.predict(np.column_stack([xx.ravel(), yy.ravel()])), dtype=float)
    if out.ndim == 1:
        out = out[:, None]
    return xx, yy, out.reshape(resolution, resolution, -1)


def decision_boundary(model, X, y, ax=None, *, resolution: int = 150, padding: float = 0.5,
                      title: str | None = None, show_probability: bool = True):
    """Draw the classes a 2-D classifier predicts, with the data on top.

    Parameters
    ----------
    model : anything with ``predict(X)``: one output per sample (a probability, boundary at 0.5)
        or ``n_classes`` outputs (scores or probabilities, split by argmax).
    X : array of shape (n_samples, 2)
    y : labels ``(n_samples,)``, 0/1 targets ``(n_samples, 1)`` or one-hot ``(n_samples, n_classes)``.
    ax : matplotlib Axes, or None for a new figure.
    resolution : grid points per axis.
    padding : margin around the data, in data units.
    title : str, optional.
    show_probability : for one output, shade the plane by P(class 1) (else only by the class).

    Returns
    -------
    The Axes.
    """
    X = as_float_array(X, "X")
    xx, yy, out = grid_predictions(model, X, resolution, padding)
    labels = class_labels(y, X.shape[0])
    ax = _axes(ax)
    from matplotlib.colors import ListedColormap

    if out.shape[2] == 1:
        p = out[:, :, 0]
        n_classes = 2
        if show_probability:
            ax.contourf(xx, yy, p, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.35, vmin=0, vmax=1)
        else:
            ax.contourf(xx, yy, (p > 0.5).astype(float), levels=[-0.5, 0.5, 1.5],
                        cmap=ListedColormap(CLASS_COLORS[:2]), alpha=0.25)
        if p.min() < 0.5 < p.max():
            ax.contour(xx, yy, p, levels=[0.5], colors="k", linewidths=1.2)
    else:
        n_classes = out.shape[2]
        regions = out.argmax(axis=2)
        cmap = ListedColormap([CLASS_COLORS[k % len(CLASS_COLORS)] for k in range(n_classes)])
        ax.contourf(xx, yy, regions, levels=np.arange(n_classes + 1) - 0.5, cmap=cmap, alpha=0.25)
        ax.contour(xx, yy, regions, levels=np.arange(n_classes) + 0.5, colors="k", linewidths=0.8)
    if show_probability and out.shape[2] == 1:
        point_colors = ["tab:blue", "tab:red"]
    else:
        point_colors = list(CLASS_COLORS)
    for k in np.unique(labels):
        sel = labels == k
        ax.scatter(X[sel, 0], X[sel, 1], s=22, color=point_colors[int(k) % len(point_colors)],
                   edgecolors="k", linewidths=0.5, label=f"class {int(k)}")
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title is not None:
        ax.set_title(title)
    if len(np.unique(labels)) <= 6:
        ax.legend(loc="best", fontsize=7, framealpha=0.7)
    right = float(np.mean(_predicted_classes(out, xx, yy, X) == labels))
    describe(ax, (f"decision regions of a classifier in the plane (x1, x2), shaded by the class it predicts, "
                  f"with the {X.shape[0]} data points of {n_classes} classes coloured by their label; "
                  f"{right:.0%} of the points lie in the region of their class."), title)
    return ax


def _predicted_classes(out, xx, yy, X) -> np.ndarray:
    """The class of the grid cell nearest to each point (what the shaded regions show there)."""
    i = np.clip(np.searchsorted(yy[:, 0], X[:, 1]), 0, yy.shape[0] - 1)
    j = np.clip(np.searchsorted(xx[0, :], X[:, 0]), 0, xx.shape[1] - 1)
    cell = out[i, j]
    return (cell[:, 0] > 0.5).astype(int) if out.shape[2] == 1 else cell.argmax(axis=1)


def loss_curve(history, ax=None, *, label: str | None = None, logy: bool = False,
               xlabel: str = "epoch", title: str | None = None, x=None, **plot_kwargs):
    """Plot the loss of each epoch from a ``History`` (or any sequence of numbers).

    Parameters
    ----------
    history : ``History`` from ``fit``, or a 1-D sequence of losses.
    ax : matplotlib Axes, or None for a new figure.
    label : legend label.
    logy : bool, a logarithmic loss axis.
    xlabel : str, the x axis label ("epoch" by default).
    title : str, optional.
    x : optional x values of the same length (for example the number of updates).

    Returns
    -------
    The Axes.
    """
    values = getattr(history, "loss", history)
    values = as_float_array(values, "history.loss")
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"expected a non-empty 1-D sequence of losses, got shape {values.shape}")
    if x is None:
        x = np.arange(1, values.size + 1)
    else:
        x = as_float_array(x, "x")
        if x.shape != values.shape:
            raise ValueError(f"expected x with the shape of the losses {values.shape}, got shape {x.shape}")
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(5, 3.2))
    elif not hasattr(ax, "plot"):
        raise TypeError(f"expected a matplotlib Axes or None for ax, got {type(ax).__name__}")
    ax.plot(x, values, label=label, **plot_kwargs)
    describe(ax, (f"the loss{' of ' + label if label else ''} per {xlabel}, from {values[0]:.3g} to "
                  f"{values[-1]:.3g} over {len(values)} {xlabel}s."), title)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("training loss")
    if title is not None:
        ax.set_title(title)
    if label is not None:
        ax.legend(fontsize=8)
    return ax
