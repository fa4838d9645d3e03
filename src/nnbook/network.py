"""Networks: ``Sequential`` layers, the ``MLP`` builder, and training with ``fit`` (chapters 5 and 11)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ._validation import as_float_array, as_rng, check_input, check_positive_int
from .activations import Activation, get_activation
from .layers import Layer, Linear
from .losses import BCELoss, Loss, SoftmaxCrossEntropyLoss, get_loss


@dataclass
class History:
    """What ``fit`` returns: the mean training loss of each epoch, and the training
    accuracy of each epoch for classifiers (softmax cross-entropy or binary cross-entropy).

    Both are averages over the batches of the epoch, taken as the weights change.
    """

    loss: list = field(default_factory=list)
    accuracy: list | None = None

    def __getitem__(self, key):
        return getattr(self, key)

    def __len__(self) -> int:
        return len(self.loss)


class Sequential(Layer):
    """Layers applied in order: ``Sequential(Linear(2, 4), Sigmoid(), Linear(4, 1), Sigmoid())``.

    Forward: a[l] = layer_l(a[l−1]); backward runs the layers in reverse, each turning
    ∂L/∂a[l] into ∂L/∂a[l−1] (chapter 10). Parameters are named ``"<layer index>.<name>"``.
    """

    def __init__(self, *layers: Layer):
        super().__init__()
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        if not layers:
            raise ValueError("expected at least one layer, got none")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"expected nnbook layers, got {type(layer).__name__} at position {i}")
        self.layers = list(layers)
        self.n_in = next((l.n_in for l in self.layers if l.n_in is not None), None)
        self.params = {f"{i}.{k}": v for i, l in enumerate(self.layers) for k, v in l.params.items()}
        self.grads = {f"{i}.{k}": v for i, l in enumerate(self.layers) for k, v in l.grads.items()}
        self._parameters = [(k, self.params[k], self.grads[k]) for k in self.params]

    def parameters(self):
        return self._parameters

    @property
    def n_out(self) -> int | None:
        for layer in reversed(self.layers):
            if getattr(layer, "n_out", None) is not None:
                return layer.n_out
        return None

    def _forward(self, X):
        for layer in self.layers:
            X = layer._forward(X)
        return X

    def _backward(self, dY, need_dX=True):
        for layer in reversed(self.layers[1:]):
            dY = layer._backward(dY)
        first = self.layers[0]
        if not need_dX and isinstance(first, Linear):
            return first._backward(dY, need_dX=False)  # fit needs no ∂L/∂X of the data
        return first._backward(dY)

    def predict(self, X):
        """The network's output for one example ``(n_in,)`` or a batch ``(n_samples, n_in)``."""
        return self.forward(X)

    def predict_classes(self, X):
        """Class predictions: argmax of the outputs, or output > 0.5 for a single (sigmoid) output."""
        out = self.forward(X)
        if out.shape[-1] == 1:
            return (out[..., 0] > 0.5).astype(np.intp)
        return np.argmax(out, axis=-1)

    def fit(self, X, y, *, loss, optimizer, epochs, batch_size=None, rng=None, progress=True, shuffle=True):
        """Train with mini-batch gradient descent and return a ``History``.

        Parameters
        ----------
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

        Raises ``FloatingPointError`` naming the epoch and batch where the loss becomes NaN or infinite.
        """
        X = check_input(X, self.n_in, "X", "this network")
        if X.ndim != 2:
            raise ValueError(f"expected X as a batch of shape (n_samples, {self.n_in}), got shape {X.shape}")
        n = X.shape[0]
        loss = get_loss(loss)
        if not hasattr(optimizer, "step"):
            raise TypeError(f"expected an optimizer with a step(model) method such as SGD, got {type(optimizer).__name__}")
        epochs = check_positive_int(epochs, "epochs")
        if batch_size is None:
            batch_size = n
        batch_size = check_positive_int(batch_size, "batch_size")
        if batch_size > n:
            raise ValueError(f"expected batch_size at most n_samples ({n}), got {batch_size}; use None for the full batch")
        rng = as_rng(rng)

        # Validate the targets once, against the shape the network will output.
        out_probe = self._forward(X[:1])
        if out_probe.shape[0] != 1:
            raise ValueError(f"expected the network to keep one output row per sample, got shape {out_probe.shape}")
        T = loss._check_targets(np.zeros((n, out_probe.shape[1])), y)
        if T.shape[0] != n:
            raise ValueError(f"expected one target per sample ({n}), got {T.shape[0]}")

        classifier = isinstance(loss, (SoftmaxCrossEntropyLoss, BCELoss))
        labels = None
        if isinstance(loss, SoftmaxCrossEntropyLoss) and T.max(axis=1).min() == 1.0:
            labels = T.argmax(axis=1)  # hard labels: the loss indexes them, no one-hot per batch
            T = labels
        history = History(accuracy=[] if classifier else None)
        forward, backward, step = self._forward, self._backward, optimizer.step
        loss_forward, loss_backward = loss._forward, loss._backward
        shuffled = shuffle and batch_size < n

        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=epochs, desc="training", unit="epoch")
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                for epoch in range(1, epochs + 1):
                    order = rng.permutation(n) if shuffled else None
                    total, correct = 0.0, 0
                    for batch, start in enumerate(range(0, n, batch_size), start=1):
                        if order is None:
                            Xb, Tb = X[start:start + batch_size], T[start:start + batch_size]
                        else:
                            idx = order[start:start + batch_size]
                            Xb, Tb = X[idx], T[idx]
                        out = forward(Xb)
                        value = loss_forward(out, Tb)
                        if not math.isfinite(value):
                            raise FloatingPointError(
                                f"the loss became {value} at epoch {epoch}, batch {batch}; "
                                f"try a smaller learning rate (lr={getattr(optimizer, 'lr', '?')}) or scaled inputs"
                            )
                        backward(loss_backward(), need_dX=False)
                        step(self)
                        total += value * len(Xb)
                        if classifier:
                            if labels is not None:
                                correct += int(np.count_nonzero(out.argmax(axis=1) == Tb))
                            else:
                                correct += int(np.count_nonzero((out > 0.5) == (Tb > 0.5))) / Tb.shape[1]
                    history.loss.append(total / n)
                    if classifier:
                        history.accuracy.append(correct / n)
                    if bar is not None:
                        bar.update(1)
                        if epoch == epochs or epoch % max(1, epochs // 20) == 0:
                            bar.set_postfix(loss=f"{history.loss[-1]:.4g}", refresh=False)
        finally:
            if bar is not None:
                bar.close()
        return history

    def get_config(self) -> dict:
        return {}

    def __repr__(self) -> str:
        inner = ",\n  ".join(repr(l) for l in self.layers)
        return f"{type(self).__name__}(\n  {inner}\n)"


class MLP(Sequential):
    """A multilayer perceptron: ``Linear`` layers of the given sizes, each followed by an activation.

    ``MLP([2, 4, 4, 1], activation="sigmoid")`` is seed 000's
    ``NeuralNetwork([2, 4, 4, 1], sigmoid, dsigmoid)``: sigmoid after every layer, output included.

    Parameters
    ----------
    sizes : list of int, at least two: ``[n_in, hidden..., n_out]``.
    activation : str, for the hidden layers: "sigmoid", "tanh", "relu", "leaky_relu" or "identity".
    output_activation : str, for the last layer; "same" (the default) repeats ``activation``.
        Use "identity" for regression and for ``SoftmaxCrossEntropyLoss``, which takes logits.
    init : str, weight initializer (see ``nnbook.init``).
    rng : int or Generator, for the initial weights.
    """

    def __init__(self, sizes, activation="sigmoid", output_activation="same", init="xavier", rng=None):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
            raise TypeError(f"expected sizes as a list of layer widths such as [2, 4, 1], got {sizes!r}")
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"expected sizes with at least two entries [n_in, ..., n_out], got {sizes}")
        for s in sizes:
            check_positive_int(s, "every layer size")
        out_act = activation if output_activation == "same" else output_activation
        for name in (activation, out_act):
            if not isinstance(name, str):
                raise TypeError(f"expected an activation name such as 'sigmoid', got {type(name).__name__}")
            get_activation(name)  # validates the name before anything is drawn
        rng = as_rng(rng)
        layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers.append(Linear(n_in, n_out, init=init, rng=rng))
            last = i == len(sizes) - 2
            layers.append(get_activation(out_act if last else activation))
        super().__init__(*layers)
        self.sizes = sizes
        self.activation = activation
        self.output_activation = out_act
        self.init = init

    @property
    def linears(self) -> list[Linear]:
        """The ``Linear`` layers, in order: ``model.linears[0].W`` is W[1] of the book."""
        return [l for l in self.layers if isinstance(l, Linear)]

    def get_config(self) -> dict:
        return {"sizes": self.sizes, "activation": self.activation,
                "output_activation": self.output_activation, "init": self.init}

    def __repr__(self) -> str:
        return (f"MLP(sizes={self.sizes}, activation={self.activation!r}, "
                f"output_activation={self.output_activation!r})")
