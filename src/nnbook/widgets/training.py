"""The training playground of chapter 11: train a small network live on a 2-D data set.

The arithmetic lives in plain functions: :func:`make_data` draws the data set,
:func:`train_playground_model` builds ``MLP([2, hidden, n_classes])`` with a softmax
cross-entropy loss and trains it with full-batch gradient descent, :func:`playground_png`
draws the decision regions and the loss curve. The widget wires the controls to them and
trains when the Train button is pressed.
"""

from __future__ import annotations

import html
import numbers

import numpy as np

from .._validation import as_rng
from ..losses import SoftmaxCrossEntropyLoss
from ..network import MLP
from ..optim import SGD
from .. import datasets
from ._common import figure_to_png, new_figure

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
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not 0 < lr <= 10:
        raise ValueError(f"expected lr as a number in (0, 10], got {lr!r}")
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


def playground_png(model, X, y, history, title: str = "") -> bytes:
    """The decision regions (left) and the loss per epoch (right), as PNG bytes."""
    from ..plots.decision import decision_boundary, loss_curve

    fig = new_figure((8, 3.4))
    ax1, ax2 = fig.subplots(1, 2)
    decision_boundary(model, X, y, ax=ax1, resolution=80, title=title or "decision regions")
    loss_curve(history, ax=ax2, title="training loss (cross-entropy)", color="tab:purple")
    return figure_to_png(fig)


def readout_html(model, X, y, history, dataset, hidden, lr, epochs, activation) -> str:
    acc = final_accuracy(model, X, y)
    return (
        "<div style='font-family: monospace'>"
        f"{html.escape(dataset)}: MLP([2, {hidden}, {int(y.max()) + 1}]), {html.escape(activation)}, "
        f"lr = {lr:.3g}, {epochs} epochs of full-batch gradient descent<br>"
        f"loss: {history.loss[0]:.4f} → <b>{history.loss[-1]:.4f}</b>; "
        f"training accuracy <b>{acc:.1%}</b>"
        "</div>"
    )


def training_playground(dataset: str = "moons", hidden: int = 16, lr: float = 0.5, epochs: int = 300,
                        activation: str = "tanh", seed: int = 0):
    """Train a small network on a 2-D data set and see its decision regions and loss curve.

    Controls: data set (moons, spiral, xor), hidden units, activation, learning rate, epochs,
    seed, and a Train button (training runs only when it is pressed, and once at start).

    Returns an ``ipywidgets.VBox`` with the attributes ``controls`` (dict of the widgets by
    name: "dataset", "hidden", "activation", "lr", "epochs", "seed"), ``button``, ``readout``
    (``HTML``), ``image`` (``Image``), ``train()`` (train with the current values) and
    ``result`` (the last ``(model, X, y, history)``).
    """
    import ipywidgets as widgets

    if dataset not in DATASETS:
        raise ValueError(f"unknown data set {dataset!r}; expected one of {', '.join(DATASETS)}")
    _positive_int(hidden, "hidden", 1, 64)
    _positive_int(epochs, "epochs", 10, MAX_EPOCHS)
    _positive_int(seed, "seed", 0, 20)
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; expected one of {', '.join(ACTIVATIONS)}")
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not 1e-3 <= lr <= 10:
        raise ValueError(f"expected lr as a number in [0.001, 10], got {lr!r}")
    style = {"description_width": "initial"}
    controls = {
        "dataset": widgets.ToggleButtons(options=list(DATASETS), value=dataset, description="data"),
        "hidden": widgets.IntSlider(value=hidden, min=1, max=64, description="hidden units", style=style,
                                    continuous_update=False),
        "activation": widgets.ToggleButtons(options=list(ACTIVATIONS), value=activation, description="activation"),
        "lr": widgets.FloatLogSlider(value=lr, base=10, min=-3, max=1, step=0.1, description="learning rate",
                                     style=style, continuous_update=False, readout_format=".3g"),
        "epochs": widgets.IntSlider(value=epochs, min=10, max=MAX_EPOCHS, step=10, description="epochs",
                                    style=style, continuous_update=False),
        "seed": widgets.IntSlider(value=seed, min=0, max=20, description="seed", style=style,
                                  continuous_update=False),
    }
    button = widgets.Button(description="Train", button_style="primary", icon="play")
    readout = widgets.HTML()
    image = widgets.Image(format="png")
    box = widgets.VBox()

    def train(*_):
        values = {k: c.value for k, c in controls.items()}
        readout.value = "<i>training…</i>"
        try:
            model, X, y, history = train_playground_model(
                values["dataset"], values["hidden"], values["lr"], values["epochs"], values["activation"],
                rng=values["seed"])
        except FloatingPointError as exc:
            readout.value = f"<div style='color: #b00'>training diverged: {html.escape(str(exc))}</div>"
            return
        box.result = (model, X, y, history)
        readout.value = readout_html(model, X, y, history, values["dataset"], values["hidden"], values["lr"],
                                     values["epochs"], values["activation"])
        image.value = playground_png(model, X, y, history, title=f"{values['dataset']}: decision regions")

    button.on_click(train)
    box.children = [
        controls["dataset"], controls["activation"],
        widgets.HBox([widgets.VBox([controls["hidden"], controls["lr"]]),
                      widgets.VBox([controls["epochs"], controls["seed"]])]),
        button, readout, image,
    ]
    box.controls, box.button, box.readout, box.image, box.train = controls, button, readout, image, train
    box.result = None
    train()
    return box
