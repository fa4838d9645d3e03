"""The digits explorer of chapter 14: pick a test image, see what the network thinks it is.

The arithmetic lives in plain functions (:func:`digit_probabilities`, :func:`default_digits_model`,
:func:`explorer_readout`), testable without widgets; the widget wires an index slider and a
"next mistake" button to them and draws the image next to the ten class probabilities.
"""

from __future__ import annotations

import numpy as np

from ..activations import softmax
from ..datasets import digits
from ..layers import Layer
from ..losses import SoftmaxCrossEntropyLoss
from ..network import MLP
from ..optim import SGD
from ._common import figure_to_png, new_figure

__all__ = ["digits_explorer"]


def default_digits_model(rng=0, epochs: int = 20):
    """A small MLP [64, 32, 10] (ReLU, logits out) trained on the digits' training split in well under a second."""
    X_train, _, y_train, _ = digits(test_size=0.25, rng=0)
    model = MLP([64, 32, 10], activation="relu", output_activation="identity", init="he", rng=rng)
    model.fit(X_train, y_train, loss=SoftmaxCrossEntropyLoss(), optimizer=SGD(0.1), epochs=epochs,
              batch_size=32, rng=rng, progress=False)
    return model


def digit_probabilities(model, X) -> np.ndarray:
    """Class probabilities for images ``X`` (n, 64) or one image (64,): the softmax of the model's logits.

    A model whose outputs are already probabilities (non-negative rows summing to 1, e.g. a final
    softmax) is returned unchanged.
    """
    out = np.asarray(model.predict(X), dtype=float)
    rows = out if out.ndim == 2 else out[None, :]
    if rows.min() >= 0 and np.allclose(rows.sum(axis=1), 1.0):
        return out
    return softmax(out, axis=-1)


def explorer_readout(true_label: int, probs) -> str:
    """The HTML the explorer shows: true label, predicted label and its probability."""
    probs = np.asarray(probs, dtype=float)
    pred = int(np.argmax(probs))
    ok = pred == int(true_label)
    verdict = ("<span style='color:green'>correct</span>" if ok
               else "<span style='color:#c00'>wrong</span>")
    return (
        "<div style='font-family: monospace'>"
        f"true label: <b>{int(true_label)}</b> &nbsp; predicted: <b>{pred}</b> "
        f"(probability {probs[pred]:.4f}) &nbsp; {verdict}<br>"
        f"probability of the true class: {probs[int(true_label)]:.4f}"
        "</div>"
    )


def explorer_png(image, probs, true_label: int) -> bytes:
    """The 8×8 image beside a bar chart of the ten probabilities, as PNG bytes."""
    probs = np.asarray(probs, dtype=float)
    pred = int(np.argmax(probs))
    fig = new_figure((6.4, 2.8))
    ax_img, ax_bar = fig.subplots(1, 2, width_ratios=[1, 1.8])
    ax_img.imshow(np.asarray(image, dtype=float).reshape(8, 8), cmap="gray_r", interpolation="nearest")
    ax_img.set_xticks([])
    ax_img.set_yticks([])
    ax_img.set_title(f"true {int(true_label)}, predicted {pred}", fontsize=10)
    colors = ["0.7"] * len(probs)
    colors[pred] = "tab:green" if pred == int(true_label) else "tab:red"
    ax_bar.bar(range(len(probs)), probs, color=colors)
    ax_bar.set_xticks(range(len(probs)))
    ax_bar.set_ylim(0, 1)
    ax_bar.set_xlabel("class")
    ax_bar.set_ylabel("probability")
    ax_bar.set_title("the network's probabilities (softmax)", fontsize=10)
    return figure_to_png(fig)


def digits_explorer(model=None, *, index: int = 0, rng=0):
    """Pick a test image by index; see the image, the ten probabilities, the true and predicted labels.

    Parameters
    ----------
    model : a trained nnbook model with 64 inputs and 10 outputs (logits or probabilities).
        When None, a small default model is trained on the spot (well under a second).
    index : the test image shown first.
    rng : seed of the default model.

    Returns an ``ipywidgets.VBox`` with the attributes ``slider`` (``IntSlider``), ``next_mistake``
    (``Button``), ``readout`` (``HTML``), ``image`` (``Image``), ``model``, ``X_test``, ``y_test``,
    ``probs`` (the test set's probabilities, (n, 10)), ``mistakes`` (indices of the wrong
    predictions) and ``update()``.
    """
    import ipywidgets as widgets

    if model is None:
        model = default_digits_model(rng=rng)
    elif not isinstance(model, Layer) or not hasattr(model, "predict"):
        raise TypeError(f"expected a trained nnbook model (an MLP or Sequential), got {type(model).__name__}")
    if getattr(model, "n_in", None) not in (None, 64):
        raise ValueError(f"expected a model with 64 inputs (8×8 pixels), got one with n_in = {model.n_in}")
    _, X_test, _, y_test = digits(test_size=0.25, rng=0)
    probs = digit_probabilities(model, X_test)
    if probs.ndim != 2 or probs.shape[1] != 10:
        raise ValueError(f"expected a model with 10 outputs (one per digit), got outputs of shape {probs.shape}")
    mistakes = np.flatnonzero(probs.argmax(axis=1) != y_test)
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < len(y_test):
        raise ValueError(f"expected index as an integer in 0..{len(y_test) - 1}, got {index!r}")

    slider = widgets.IntSlider(value=int(index), min=0, max=len(y_test) - 1, step=1,
                               description="test image", continuous_update=False,
                               style={"description_width": "initial"})
    button = widgets.Button(description="next mistake", tooltip="jump to the next misclassified image",
                            disabled=len(mistakes) == 0)
    summary = widgets.HTML(
        f"<small>{len(y_test) - len(mistakes)} of {len(y_test)} test images correct; "
        f"{len(mistakes)} mistakes</small>")
    readout = widgets.HTML()
    image = widgets.Image(format="png")

    def update(*_):
        i = slider.value
        readout.value = explorer_readout(y_test[i], probs[i])
        image.value = explorer_png(X_test[i], probs[i], y_test[i])

    def jump(_=None):
        later = mistakes[mistakes > slider.value]
        if len(mistakes):
            slider.value = int(later[0] if len(later) else mistakes[0])

    slider.observe(update, names="value")
    button.on_click(jump)
    update()
    box = widgets.VBox([widgets.HBox([slider, button]), summary, readout, image])
    box.slider, box.next_mistake, box.readout, box.image = slider, button, readout, image
    box.model, box.X_test, box.y_test, box.probs, box.mistakes = model, X_test, y_test, probs, mistakes
    box.update, box.jump = update, jump
    return box

