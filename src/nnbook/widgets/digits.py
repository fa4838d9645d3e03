"""The digits explorer of chapter 14: the network's mistakes, and some of its right answers.

The arithmetic lives in plain functions (:func:`digit_probabilities`, :func:`default_digits_model`,
:func:`explorer_readout`), testable without widgets. The widget steps through the misclassified
test images (at most :data:`MAX_SHOWN`) with a slider and a Play button, the old "next mistake",
or through as many correctly classified ones, and draws each image next to the ten class
probabilities; every state is computed ahead, so the published page needs no kernel.
"""

from __future__ import annotations

import numpy as np

from ..activations import softmax
from ..datasets import digits
from ..layers import Layer
from ..losses import SoftmaxCrossEntropyLoss
from ..network import MLP
from ..optim import SGD
from ._common import choice, figure_html, new_figure, player, precomputed

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


def explorer_readout(true_label: int, probs, index: int | None = None) -> str:
    """The HTML the explorer shows: true label, predicted label and its probability."""
    probs = np.asarray(probs, dtype=float)
    pred = int(np.argmax(probs))
    ok = pred == int(true_label)
    verdict = ("<span style='color:green'>correct</span>" if ok
               else "<span style='color:#c00'>wrong</span>")
    return (
        "<div class='nnbook-readout' style='font-family: monospace'>"
        + ("" if index is None else f"test image {int(index)}: ")
        + f"true label: <b>{int(true_label)}</b> &nbsp; predicted: <b>{pred}</b> "
        f"(probability {probs[pred]:.4f}) &nbsp; {verdict}<br>"
        f"probability of the true class: {probs[int(true_label)]:.4f}"
        "</div>"
    )


def explorer_figure(image, probs, true_label: int):
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
    return fig


def explorer_alt(probs, true_label: int) -> str:
    """The text alternative of the figure: the digit, the verdict and the largest probabilities."""
    probs = np.asarray(probs, dtype=float)
    pred = int(np.argmax(probs))
    top = np.argsort(probs)[::-1][:3]
    listed = ", ".join(f"{int(k)}: {probs[k]:.3f}" for k in top)
    return (f"An 8 by 8 image of a handwritten {int(true_label)}, which the network reads as {pred}; "
            f"beside it the bars of its ten probabilities, the largest {listed}.")


MAX_SHOWN = 13


def digits_explorer(model=None, *, rng=0):
    """Step through the test images the network gets wrong, or as many it gets right.

    Parameters
    ----------
    model : a trained nnbook model with 64 inputs and 10 outputs (logits or probabilities).
        When None, a small default model is trained on the spot (well under a second).
    rng : seed of the default model.

    Controls: "mistakes" or "correct answers", and the image among them (a slider with a Play
    button): the first ``MAX_SHOWN`` misclassified test images, and as many correctly classified
    ones. Every state is computed ahead. Returns an ``ipywidgets.VBox`` with ``controls`` (dict:
    "group", "image", "play"), ``view`` (the precomputed view; ``view.current()`` is the HTML
    shown), ``model``, ``X_test``, ``y_test``, ``probs`` (the test set's probabilities, (n, 10)),
    ``mistakes`` (indices of the wrong predictions) and ``shown`` (dict: the test indices of each group).
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
    right = probs.argmax(axis=1) == y_test
    mistakes, correct = np.flatnonzero(~right), np.flatnonzero(right)
    n = min(MAX_SHOWN, len(mistakes)) or min(MAX_SHOWN, len(correct))
    shown = {"mistakes": mistakes[:n], "correct answers": correct[:n]} if len(mistakes) else \
        {"correct answers": correct[:n]}

    def state(group, k):
        i = int(shown[group][k])
        return (explorer_readout(y_test[i], probs[i], index=i)
                + figure_html(explorer_figure(X_test[i], probs[i], y_test[i]), explorer_alt(probs[i], y_test[i])))

    group = choice("show", list(shown), kind="toggle")
    play, image = player("image", n)
    image.options = [(f"{k + 1} of {n}", k) for k in range(n)]
    view = precomputed([group, image], state)
    more = f" (the first {n} shown)" if len(mistakes) > n else ""
    summary = widgets.HTML(f"<small>{len(correct)} of {len(y_test)} test images correct; "
                           f"{len(mistakes)} mistakes{more}</small>")
    box = widgets.VBox([group, widgets.HBox([play, image]), summary, view])
    box.controls, box.view = {"group": group, "image": image, "play": play}, view
    box.model, box.X_test, box.y_test, box.probs, box.mistakes = model, X_test, y_test, probs, mistakes
    box.shown = shown
    return box
