"""The training playground of chapter 11: watch a small network learn a 2-D data set.

The arithmetic lives in plain functions: :func:`make_data` draws the data set,
:func:`train_playground_model` builds ``MLP([2, hidden, n_classes])`` with a softmax
cross-entropy loss and trains it with full-batch gradient descent, :func:`training_snapshots`
keeps the network after each of :data:`EPOCH_VALUES` epochs, and :func:`playground_figure`
draws the decision regions and the loss curve so far. The widget trains every combination of
data set and hidden units (:data:`HIDDEN_VALUES`) ahead, at build time, and steps through the
epochs with a slider and a Play button, so the published page needs no kernel.
"""

from __future__ import annotations

import copy
import html
import numbers

import numpy as np

from .._validation import as_rng
from ..losses import SoftmaxCrossEntropyLoss
from ..network import MLP
from ..optim import SGD
from .. import datasets
from ._common import choice, figure_html, new_figure, player, precomputed, readout, real_number

__all__ = ["training_playground"]

DATASETS = ("moons", "spiral", "xor")
ACTIVATIONS = ("tanh", "relu", "sigmoid")
MAX_EPOCHS = 2000


def xor_cloud(n_samples: int = 200, noise: float = 0.2, rng=0):
    """Noisy copies of the four XOR corners: ``X`` (n_samples, 2) around (0,0), (0,1), (1,0), (1,1)
    and integer labels ``y`` = x₁ XOR x₂ of the corner each point came from."""
    if isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral) or n_samples < 4:
        raise ValueError(f"expected n_samples as an integer ≥ 4, got {n_samples!r}")
    rng = as_rng(rng)
    corners = rng.integers(0, 4, size=n_samples)
    bits = np.column_stack([corners // 2, corners % 2]).astype(float)
    X = bits + noise * rng.standard_normal((n_samples, 2))
    y = (bits[:, 0] != bits[:, 1]).astype(np.intp)
    return X, y


def make_data(name: str, rng=0):
    """The playground's data sets: "moons" (200 points, 2 classes), "spiral" (3 arms of 80
    points, 3 classes) or "xor" (200 noisy XOR points, 2 classes). Returns ``X, y`` (integer labels)."""
    if name == "moons":
        return datasets.moons(200, noise=0.15, rng=rng)
    if name == "spiral":
        return datasets.spiral(80, 3, noise=0.2, rng=rng)
    if name == "xor":
        return xor_cloud(200, noise=0.2, rng=rng)
    raise ValueError(f"unknown data set {name!r}; expected one of {', '.join(DATASETS)}")


def _positive_int(value, name, lo, hi):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not lo <= value <= hi:
        raise ValueError(f"expected {name} as an integer in [{lo}, {hi}], got {value!r}")
    return int(value)


def _learning_rate(lr) -> float:
    lr = real_number(lr, "lr")
    if not 0 < lr <= 10:
        raise ValueError(f"expected lr as a number in (0, 10], got {lr!r}")
    return lr


def train_playground_model(dataset: str = "moons", hidden: int = 16, lr: float = 0.5,
                           epochs: int = 300, activation: str = "tanh", rng=0):
    """Train ``MLP([2, hidden, n_classes], activation, output_activation="identity")`` with
    ``SoftmaxCrossEntropyLoss`` and full-batch ``SGD(lr)`` on ``make_data(dataset)``.

    Returns ``(model, X, y, history)``; ``history.loss`` and ``history.accuracy`` have one entry per epoch.
    """
    hidden = _positive_int(hidden, "hidden", 1, 256)
    epochs = _positive_int(epochs, "epochs", 1, MAX_EPOCHS)
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; expected one of {', '.join(ACTIVATIONS)}")
    lr = _learning_rate(lr)
    X, y = make_data(dataset, rng=rng)
    n_classes = int(y.max()) + 1
    init = "he" if activation == "relu" else "xavier"
    model = MLP([2, hidden, n_classes], activation=activation, output_activation="identity", init=init, rng=rng)
    history = model.fit(X, y, loss=SoftmaxCrossEntropyLoss(), optimizer=SGD(float(lr)), epochs=epochs,
                        batch_size=None, progress=False)
    return model, X, y, history


def final_accuracy(model, X, y) -> float:
    """The fraction of samples whose predicted class (argmax of the outputs) is the label."""
    return float(np.mean(model.predict_classes(X) == y))


# The values the widget moves over; the activation and the learning rate stay fixed.
HIDDEN_VALUES = (2, 4, 8, 32)
EPOCH_VALUES = (0, 10, 30, 100, 300, 1000)
ACTIVATION, LR = "tanh", 0.5


def training_snapshots(dataset: str = "moons", hidden: int = 8, epochs=EPOCH_VALUES, lr: float = LR,
                       activation: str = ACTIVATION, rng=0):
    """Train as :func:`train_playground_model` does and keep the network after each number of ``epochs``.

    Returns ``(X, y, snapshots)``: one ``(model, losses)`` per entry of ``epochs`` (increasing,
    from 0), ``model`` a copy of the network after that many epochs and ``losses`` the loss of
    every epoch so far. Plain full-batch gradient descent keeps no state between calls to
    ``fit``, so the snapshots are those of one run of ``max(epochs)`` epochs.
    """
    epochs = [int(_positive_int(e, "every snapshot's epochs", 0, MAX_EPOCHS)) for e in epochs]
    if not epochs or epochs != sorted(set(epochs)):
        raise ValueError(f"expected epochs as increasing integers, got {epochs}")
    hidden = _positive_int(hidden, "hidden", 1, 256)
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; expected one of {', '.join(ACTIVATIONS)}")
    lr = _learning_rate(lr)
    X, y = make_data(dataset, rng=rng)  # then the same start as train_playground_model
    model = MLP([2, hidden, int(y.max()) + 1], activation=activation, output_activation="identity",
                init="he" if activation == "relu" else "xavier", rng=rng)
    losses, done, snapshots = [], 0, []
    for e in epochs:
        if e > done:
            history = model.fit(X, y, loss=SoftmaxCrossEntropyLoss(), optimizer=SGD(float(lr)), epochs=e - done,
                                batch_size=None, progress=False)
            losses += list(history.loss)
            done = e
        snapshots.append((copy.deepcopy(model), list(losses)))
    return X, y, snapshots


def playground_figure(model, X, y, losses, max_epochs: int = EPOCH_VALUES[-1], title: str = ""):
    """The decision regions (left) and the loss per epoch so far (right, log-log, fixed axes)."""
    from matplotlib.ticker import StrMethodFormatter

    from ..plots.decision import decision_boundary

    fig = new_figure((7.2, 3.0))
    ax1, ax2 = fig.subplots(1, 2)
    decision_boundary(model, X, y, ax=ax1, resolution=60, title=title or "decision regions")
    if losses:
        ax2.plot(np.arange(1, len(losses) + 1), losses, color="tab:purple")
    else:  # before training: the loss of the random start, the point the curve will leave from
        start = start_loss(model, X, y)
        ax2.plot([1], [start], "o", color="tab:purple", ms=6)
        ax2.annotate(f"the start: loss {start:.3f}", (1, start), xytext=(8, 8), textcoords="offset points",
                     fontsize=9, color="tab:purple")
    ax2.set_xscale("log")
    ax2.set_yscale("log")
    ax2.set_xlim(1, max_epochs)
    ax2.set_ylim(0.01, 2.0)
    ax2.minorticks_off()  # log axes' minor ticks cost most of the drawing time
    # Plain numbers (1, 10, 100; 0.01, 0.1, 1) rather than powers of ten: read at a glance, and
    # drawn as text, not typeset as mathematics again for each of the figure's 72 states.
    for axis in (ax2.xaxis, ax2.yaxis):
        axis.set_major_formatter(StrMethodFormatter("{x:g}"))
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("loss")
    ax2.set_title("training loss (cross-entropy)", fontsize=10)
    return fig


def start_loss(model, X, y) -> float:
    """The cross-entropy of the network as it is (before any training: its random start)."""
    return float(SoftmaxCrossEntropyLoss().forward(model.forward(X), y))


def readout_html(model, X, y, losses, dataset, hidden, lr, activation) -> str:
    acc = final_accuracy(model, X, y)
    sizes = f"MLP([2, {hidden}, {int(y.max()) + 1}])"
    if not losses:
        return readout(f"{html.escape(dataset)}: {sizes}, {html.escape(activation)}, lr = {lr:.3g}",
                       f"epoch 0 (the random start): loss <b>{start_loss(model, X, y):.4f}</b>; "
                       f"training accuracy <b>{acc:.1%}</b>")
    return readout(
        f"{html.escape(dataset)}: {sizes}, {html.escape(activation)}, lr = {lr:.3g}, "
        f"{len(losses)} epochs of full-batch gradient descent",
        f"loss: {losses[0]:.4f} → <b>{losses[-1]:.4f}</b>; training accuracy <b>{acc:.1%}</b>")


def _alt(model, X, y, losses, dataset, hidden) -> str:
    acc = final_accuracy(model, X, y)
    loss = (f", the loss curve down to {losses[-1]:.3f}" if losses
            else f", and the loss at the start, {start_loss(model, X, y):.3f}, as one point")
    return (f"Decision regions of a {hidden}-hidden-unit network on the {dataset} data after {len(losses)} "
            f"epochs, the points coloured by class, {acc:.0%} of them on the right side{loss}.")


def training_playground(dataset: str = "moons", hidden: int = 8, epochs: int = 0, seed: int = 0):
    """Watch a small network learn: choose the data set and the hidden units, step through the epochs.

    Every network (``MLP([2, hidden, n_classes])``, tanh, learning rate 0.5, full-batch gradient
    descent) is trained ahead for every data set and every entry of ``HIDDEN_VALUES``; the epoch
    slider (with a Play button) shows it after each of ``EPOCH_VALUES`` epochs, 0 the random start.

    Returns an ``ipywidgets.VBox`` with ``controls`` (dict: "dataset", "hidden", "epochs", "play")
    and ``view`` (the precomputed view; ``view.current()`` is the HTML shown).
    """
    import ipywidgets as widgets

    if dataset not in DATASETS:
        raise ValueError(f"unknown data set {dataset!r}; expected one of {', '.join(DATASETS)}")
    if hidden not in HIDDEN_VALUES:
        raise ValueError(f"expected hidden among the widget's values {HIDDEN_VALUES}, got {hidden!r}")
    if epochs not in EPOCH_VALUES:
        raise ValueError(f"expected epochs among the widget's values {EPOCH_VALUES}, got {epochs!r}")
    _positive_int(seed, "seed", 0, 2**31 - 1)
    runs = {}

    def state(name, h, e):
        if (name, h) not in runs:
            runs[name, h] = training_snapshots(name, h, EPOCH_VALUES, LR, ACTIVATION, rng=seed)
        X, y, snapshots = runs[name, h]
        model, losses = snapshots[EPOCH_VALUES.index(e)]
        fig = playground_figure(model, X, y, losses, title=f"{name}: decision regions")
        return (readout_html(model, X, y, losses, name, h, LR, ACTIVATION)
                + figure_html(fig, _alt(model, X, y, losses, name, h)))

    play, epoch = player("epochs", len(EPOCH_VALUES))
    epoch.options = [(str(e), e) for e in EPOCH_VALUES]
    epoch.index = play.value = EPOCH_VALUES.index(epochs)
    controls = {"dataset": choice("data set", DATASETS, dataset, kind="toggle"),
                "hidden": choice("hidden units", HIDDEN_VALUES, hidden, kind="toggle"),
                "epochs": epoch, "play": play}
    view = precomputed([controls["dataset"], controls["hidden"], epoch], state)
    box = widgets.VBox([controls["dataset"], controls["hidden"], widgets.HBox([play, epoch]), view])
    box.controls, box.view = controls, view
    return box
