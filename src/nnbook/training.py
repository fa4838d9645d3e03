"""Training (chapter 11): ``fit`` runs the book's loop, and returns a ``History``.

    for each epoch:
        for each batch (X_b, T_b):
            out = forward(X_b)            # the prediction
            L = loss(out, T_b)            # the loss
            backward(∂L/∂out)             # every gradient
            update(params, grads)         # w ← w − α ∂L/∂w
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, field

import numpy as np

from ._validation import as_rng, check_input, check_positive_int
from .activations import Activation, Identity
from .layers import check_layer
from .losses import BCELoss, SoftmaxCrossEntropyLoss, get_loss


@dataclass
class History:
    """What ``fit`` returns: the mean training loss of each epoch, and the training
    accuracy of each epoch for classifiers (softmax cross-entropy or binary cross-entropy).

    Both are averages over the batches of the epoch, taken as the weights change.
    """

    loss: list = field(default_factory=list)
    accuracy: list | None = None

    def __len__(self) -> int:
        return len(self.loss)

    def __repr__(self) -> str:
        if not self.loss:
            return "History(epochs=0)"
        text = f"History(epochs={len(self.loss)}, loss {self.loss[0]:.3g} → {self.loss[-1]:.3g}"
        if self.accuracy:
            text += f", accuracy {self.accuracy[-1]:.3g}"
        return text + ")"


def batches(n, batch_size, rng=None):
    """The rows of each batch of ``batch_size`` (the last may be smaller): slices in order, or
    index arrays of a new random order when ``rng`` is given."""
    order = None if rng is None else rng.permutation(n)
    for start in range(0, n, batch_size):
        yield slice(start, start + batch_size) if order is None else order[start:start + batch_size]


def classes(Y) -> np.ndarray:
    """The class of each row: argmax for several outputs (or one-hot targets), > 0.5 for one."""
    return Y[:, 0] > 0.5 if Y.shape[1] == 1 else Y.argmax(axis=1)


def _check_logits_model(model, loss):
    last = model.layers[-1] if getattr(model, "layers", None) else model
    if isinstance(loss, SoftmaxCrossEntropyLoss) and isinstance(last, Activation) and not isinstance(last, Identity):
        raise ValueError(
            f"SoftmaxCrossEntropyLoss takes logits, but this model ends in {type(last).__name__}, "
            "which squashes or clips them; end the model in a Linear layer (MLP(..., "
            "output_activation='identity'), the default)"
        )


def fit(model, X, y, *, loss, optimizer, epochs, batch_size=None, rng=None, progress=True, shuffle=True):
    """Train with mini-batch gradient descent and return a ``History``.

    Parameters
    ----------
    model : a layer (any object with ``params``, ``grads``, ``forward`` and ``backward``) or a
        ``Sequential``; ``model.fit(X, y, ...)`` is the same call.
    X : array of shape (n_samples, n_in)
    y : targets of the shape of the network's output ``(n_samples, n_out)``; a 1-D
        ``(n_samples,)`` for one output; integer labels ``(n_samples,)`` or one-hot
        rows for ``SoftmaxCrossEntropyLoss``.
    loss : Loss or str
    optimizer : SGD (anything with ``step(model)``)
    epochs : int, passes over the data.
    batch_size : None for the full batch, 1 for one sample at a time (seeds 000 and 002),
        k for mini-batches of k samples (the last may be smaller).
    rng : int or Generator, the shuffling of each epoch (only mini-batches are shuffled).
    progress : bool, show a progress bar over epochs.
    shuffle : bool, False keeps the data order, as the seeds' loops do.

    Raises ``FloatingPointError`` naming the epoch and batch where the loss becomes NaN or
    infinite, and ``ValueError`` for ``SoftmaxCrossEntropyLoss`` on a model whose last layer
    is not linear.
    """
    # Everything is checked once here, so that the loop below needs no checks.
    check_layer(model, " as the model")
    n_in = getattr(model, "n_in", None)
    X = check_input(X, n_in, "X", "this network")
    if X.ndim != 2:
        raise ValueError(f"expected X as a batch of shape (n_samples, {n_in or 'n_in'}), got shape {X.shape}")
    n = X.shape[0]
    loss = get_loss(loss)
    _check_logits_model(model, loss)
    if not hasattr(optimizer, "step"):
        raise TypeError(f"expected an optimizer with a step(model) method such as SGD, got {type(optimizer).__name__}")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(n if batch_size is None else batch_size, "batch_size")
    if batch_size > n:
        raise ValueError(f"expected batch_size at most n_samples ({n}), got {batch_size}; use None for the full batch")
    rng = as_rng(rng) if shuffle and batch_size < n else None
    n_out = np.shape(model.forward(X[:1]))[-1]  # what the model gives, whatever its layers
    T = loss.targets(y, (n, n_out))
    classifier = isinstance(loss, (SoftmaxCrossEntropyLoss, BCELoss))
    history = History(accuracy=[] if classifier else None)
    labels = classes(T) if classifier else None
    predicted = np.empty(n, dtype=np.intp) if classifier else None  # each epoch's, batch by batch
    # The data's own gradient ∂L/∂X trains nothing: a backward that can skip it takes need_dX
    # (Linear's and Sequential's do); a layer's plain backward(dY) is called as it is.
    skip_dX = "need_dX" in inspect.signature(model.backward).parameters

    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=epochs, desc="training", unit="epoch")
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for epoch in range(1, epochs + 1):
                total = 0.0
                for batch, rows in enumerate(batches(n, batch_size, rng), start=1):
                    Xb, Tb = X[rows], T[rows]
                    out = model.forward(Xb)
                    L = loss.value(out, Tb)
                    if not math.isfinite(L):
                        raise FloatingPointError(
                            f"the loss became {L} at epoch {epoch}, batch {batch}; try a smaller "
                            f"learning rate (lr={getattr(optimizer, 'lr', '?')}) or scaled inputs"
                        )
                    if skip_dX:
                        model.backward(loss.backward(), need_dX=False)
                    else:
                        model.backward(loss.backward())
                    optimizer.step(model)
                    total += L * len(Xb)
                    if classifier:
                        predicted[rows] = classes(out)
                history.loss.append(float(total / n))
                if classifier:
                    history.accuracy.append(float(np.count_nonzero(predicted == labels) / n))
                if bar is not None:
                    bar.update(1)
                    if epoch == epochs or epoch % max(1, epochs // 20) == 0:
                        bar.set_postfix(loss=f"{history.loss[-1]:.4g}", refresh=False)
    finally:
        if bar is not None:
            bar.close()
    return history
