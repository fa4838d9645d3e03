"""Figures of the digits capstone (chapter 14): image grids, the confusion matrix, first-layer weights.

Every function draws on one ``ax`` (a new figure when ``ax`` is None) and returns it. A grid of
small images is drawn as one mosaic, so it fits in a single axes like any other plot.
"""

from __future__ import annotations

import numpy as np

from ._alt import describe

__all__ = ["show_digits", "confusion_matrix", "confusion_matrix_plot", "first_layer_weights", "digit_mosaic"]

GAP = 1  # pixels between the cells of a mosaic


def _new_ax(ax, figsize):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _as_images(images, name: str = "images") -> np.ndarray:
    """``images`` as an array (n, side, side): accepts rows of side² pixels or square images."""
    arr = np.asarray(images)
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"expected {name} as a numeric array, got dtype {arr.dtype}")
    arr = arr.astype(float)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim == 2:
        side = int(round(np.sqrt(arr.shape[1])))
        if side * side != arr.shape[1] or arr.shape[0] == 0:
            raise ValueError(
                f"expected {name} as rows of a square number of pixels (64 for 8×8 digits), got shape {arr.shape}"
            )
        arr = arr.reshape(arr.shape[0], side, side)
    elif arr.ndim != 3 or arr.shape[1] != arr.shape[2] or arr.shape[0] == 0:
        raise ValueError(f"expected {name} of shape (n, 64) or (n, 8, 8), got shape {arr.shape}")
    return arr


def _as_labels(labels, n: int, name: str) -> np.ndarray | None:
    if labels is None:
        return None
    arr = np.asarray(labels)
    if arr.shape != (n,):
        raise ValueError(f"expected {name} of shape ({n},) (one per image), got shape {arr.shape}")
    if not np.issubdtype(arr.dtype, np.integer):
        if not np.issubdtype(arr.dtype, np.number) or not np.all(np.mod(arr, 1) == 0):
            raise TypeError(f"expected integer {name}, got dtype {arr.dtype}")
    return arr.astype(int)


def digit_mosaic(images, ncols: int = 10, fill: float = np.nan, row_gap: int = GAP) -> np.ndarray:
    """Tile images (n, side, side) into one 2-D array, ``ncols`` per row, ``GAP`` pixels apart
    (``row_gap`` pixels between rows, room for captions)."""
    imgs = _as_images(images)
    if isinstance(ncols, bool) or not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise ValueError(f"expected ncols as a positive integer, got {ncols!r}")
    n, side, _ = imgs.shape
    ncols = min(int(ncols), n)
    nrows = -(-n // ncols)
    cell, row_cell = side + GAP, side + row_gap
    out = np.full((nrows * row_cell - row_gap, ncols * cell - GAP), fill)
    for i, img in enumerate(imgs):
        r, c = divmod(i, ncols)
        out[r * row_cell:r * row_cell + side, c * cell:c * cell + side] = img
    return out


def show_digits(images, labels=None, predicted=None, *, ncols: int = 10, ax=None, title=None, cmap="gray_r"):
    """A grid of digit images with their labels.

    Parameters
    ----------
    images : array of shape (n, 64) (rows of pixels, as ``nb.datasets.digits`` gives) or (n, 8, 8)
    labels : integer array (n,), optional: the true labels, written above each image.
    predicted : integer array (n,), optional: the network's labels; each caption then reads
        "true→predicted", green when they agree and red when they do not.
    ncols : images per row.
    ax : matplotlib axes, optional.

    Returns the axes.
    """
    imgs = _as_images(images)
    n, side, _ = imgs.shape
    labels = _as_labels(labels, n, "labels")
    predicted = _as_labels(predicted, n, "predicted")
    captions = labels is not None or predicted is not None
    row_gap = 3 if captions else GAP
    mosaic = digit_mosaic(imgs, ncols, row_gap=row_gap)
    ncols = min(int(ncols), n)
    nrows = -(-n // ncols)
    ax = _new_ax(ax, (0.62 * ncols + 0.3, 0.8 * nrows + 0.5))
    ax.imshow(np.ma.masked_invalid(mosaic), cmap=cmap, interpolation="nearest")
    ax.set_facecolor("white")
    cell, row_cell = side + GAP, side + row_gap
    if captions:
        for i in range(n):
            r, c = divmod(i, ncols)
            if predicted is None:
                text, color = f"{labels[i]}", "black"
            elif labels is None:
                text, color = f"→{predicted[i]}", "black"
            else:
                text = f"{labels[i]}→{predicted[i]}"
                color = "tab:green" if labels[i] == predicted[i] else "tab:red"
            ax.text(c * cell + side / 2 - 0.5, r * row_cell - 0.6, text, ha="center", va="bottom",
                    fontsize=8, color=color)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_ylim(nrows * row_cell - row_gap - 0.5, -2.8 if captions else -0.5)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if title:
        ax.set_title(title, fontsize=10)
    if labels is not None and predicted is not None:
        wrong = int(np.sum(labels != predicted))
        pairs = ", ".join(f"{t}→{p}" for t, p in zip(labels[:12], predicted[:12]))
        what = (f"{n} handwritten digits ({side}×{side} pixels) captioned true→predicted label, "
                f"{wrong} of them wrongly predicted: {pairs}{' …' if n > 12 else ''}.")
    elif labels is not None:
        what = (f"{n} handwritten digits ({side}×{side} pixels) with their labels: "
                f"{', '.join(str(t) for t in labels[:30])}{' …' if n > 30 else ''}.")
    else:
        what = f"{n} handwritten digits ({side}×{side} pixels)."
    describe(ax, what, title)
    return ax


def confusion_matrix(y_true, y_pred, n_classes: int | None = None) -> np.ndarray:
    """Counts ``C[i, j]`` = number of examples of true class i predicted as class j, shape (k, k)."""
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.ndim != 1 or y_true.shape != y_pred.shape:
        raise ValueError(
            f"expected y_true and y_pred as 1-D label arrays of the same length, got shapes {y_true.shape} and {y_pred.shape}"
        )
    for name, arr in (("y_true", y_true), ("y_pred", y_pred)):
        if arr.size and (not np.issubdtype(arr.dtype, np.number) or not np.all(np.mod(arr, 1) == 0) or arr.min() < 0):
            raise TypeError(f"expected {name} as non-negative integer class labels, got {arr.dtype} values")
    y_true = y_true.astype(int)
    y_pred = y_pred.astype(int)
    top = int(max(y_true.max(initial=-1), y_pred.max(initial=-1))) + 1
    if n_classes is None:
        n_classes = top
    elif isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) or n_classes < 1:
        raise ValueError(f"expected n_classes as a positive integer, got {n_classes!r}")
    elif top > n_classes:
        raise ValueError(f"expected labels in 0..{n_classes - 1}, got a label {top - 1}")
    C = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(C, (y_true, y_pred), 1)
    return C


def confusion_matrix_plot(y_true, y_pred, n_classes: int | None = None, *, ax=None, title="Confusion matrix",
                          cmap="Blues"):
    """The confusion matrix as a heat map with the counts written in the cells.

    Rows are the true classes, columns the predicted ones: the diagonal holds the correct
    predictions, every other cell a kind of mistake. Returns the axes.
    """
    C = confusion_matrix(y_true, y_pred, n_classes)
    k = C.shape[0]
    ax = _new_ax(ax, (4.6, 4.0))
    # A log-like scale would hide the diagonal's size; a plain scale with the counts written out is clearer.
    ax.imshow(C, cmap=cmap, vmin=0)
    threshold = C.max() / 2 if C.max() else 1
    for i in range(k):
        for j in range(k):
            if C[i, j] or i == j:
                ax.text(j, i, str(C[i, j]), ha="center", va="center", fontsize=8,
                        color="white" if C[i, j] > threshold else ("tab:red" if i != j else "black"))
    ax.set_xticks(range(k))
    ax.set_yticks(range(k))
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    if title:
        ax.set_title(title, fontsize=10)
    off = C - np.diag(np.diag(C))
    i, j = np.unravel_index(int(off.argmax()), off.shape)
    worst = f"; the most frequent mistake is a true {i} predicted as {j} ({off[i, j]} times)" if off[i, j] else ""
    describe(ax, (f"confusion matrix of {C.sum()} predictions over {k} classes, true classes in rows and "
                  f"predicted ones in columns: {np.trace(C)} on the diagonal (correct){worst}."), title)
    return ax


def _first_linear(model):
    from ..layers import Linear

    if isinstance(model, Linear):
        return model
    for layer in getattr(model, "layers", ()):
        if isinstance(layer, Linear):
            return layer
    raise TypeError(f"expected an nnbook model with a Linear layer (an MLP, a Sequential or a Linear), got {type(model).__name__}")


def first_layer_weights(model, n_units: int | None = None, *, ncols: int = 16, ax=None, relative_to=None,
                        title="First-layer weights, one 8×8 image per hidden unit", cmap="RdBu_r"):
    """Each hidden unit's incoming weights ``W[j, :]`` (64 numbers) shown as an 8×8 image.

    Red is a positive weight (ink there raises the unit's input), blue a negative one. Each
    image is scaled by its own largest |weight| so that weak and strong units are equally visible.

    Parameters
    ----------
    model : an MLP, a Sequential or a Linear whose first Linear takes 64 (= 8×8) inputs.
    n_units : how many hidden units to show (the first ones), all by default.
    relative_to : array of W's shape, optional: show ``W − relative_to`` instead, e.g. the change
        since the initial weights (what training added).

    Returns the axes.
    """
    W = np.array(_first_linear(model).W, dtype=float)
    if relative_to is not None:
        ref = np.asarray(relative_to, dtype=float)
        if ref.shape != W.shape:
            raise ValueError(f"expected relative_to of the first layer's shape {W.shape}, got shape {ref.shape}")
        W = W - ref
    side = int(round(np.sqrt(W.shape[1])))
    if side * side != W.shape[1]:
        raise ValueError(f"expected a first layer with a square number of inputs (64 for 8×8 images), got W of shape {W.shape}")
    if n_units is not None:
        if isinstance(n_units, bool) or not isinstance(n_units, (int, np.integer)) or not 1 <= n_units:
            raise ValueError(f"expected n_units as a positive integer, got {n_units!r}")
        W = W[:n_units]
    scale = np.abs(W).max(axis=1, keepdims=True)
    scale[scale == 0] = 1.0
    mosaic = digit_mosaic(W / scale, ncols)
    ncols = min(int(ncols), W.shape[0])
    nrows = -(-W.shape[0] // ncols)
    ax = _new_ax(ax, (0.45 * ncols + 0.6, 0.45 * nrows + 0.6))
    image = ax.imshow(np.ma.masked_invalid(mosaic), cmap=cmap, vmin=-1, vmax=1, interpolation="nearest")
    what = "weight" if relative_to is None else "change"
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label=f"{what} / max |{what}| of the unit")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if title:
        ax.set_title(title, fontsize=10)
    shown = ("incoming weights" if relative_to is None else
             "change of the incoming weights since the reference (what training added)")
    describe(ax, (f"the {shown} of {W.shape[0]} hidden units, each as a {side}×{side} image of the input "
                  "pixels, red where a weight is positive and blue where it is negative."), title)
    return ax
