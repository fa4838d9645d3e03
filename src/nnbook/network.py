"""Networks: ``Sequential`` layers, the ``MLP`` builder, and training with ``fit`` (chapters 5 and 11).

Parameters carry the book's names: ``model.params["W1"]`` is W^[1], the weights of the first
``Linear`` layer, ``model.params["b2"]`` is b^[2], and ``model.grads`` has the same keys.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_rng, check_positive_int
from .activations import get_activation
from .layers import Layer, Linear
from .training import fit


class Sequential(Layer):
    """Layers applied in order: ``Sequential(Linear(2, 4), Sigmoid(), Linear(4, 1), Sigmoid())``.

    Forward: a[l] = layer_l(a[l−1]); backward runs the layers in reverse, each turning
    ∂L/∂a[l] into ∂L/∂a[l−1] (chapter 10).

    ``params`` and ``grads`` are read from the layers on every access (nothing is copied):
    the layers that have parameters are counted from 1, so ``params["W1"]`` and
    ``params["b1"]`` belong to the first ``Linear`` layer, ``params["W2"]`` to the second.
    """

    def __init__(self, *layers: Layer):
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        if not layers:
            raise ValueError("expected at least one layer, got none")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"expected nnbook layers, got {type(layer).__name__} at position {i}")
        self.layers = list(layers)
        self.n_in = next((l.n_in for l in self.layers if l.n_in is not None), None)

    def _numbered(self):
        """The layers that have parameters, numbered from 1: (1, first Linear), (2, second), ..."""
        return enumerate([layer for layer in self.layers if layer.params], start=1)

    def _named(self, attribute):
        return {f"{k}{l}": v for l, layer in self._numbered() for k, v in getattr(layer, attribute).items()}

    def parameters(self):
        """``(name, parameter, gradient)`` triples: ``("W1", W^[1], ∂L/∂W^[1])``, ..."""
        return [(f"{k}{l}", p, layer.grads[k]) for l, layer in self._numbered() for k, p in layer.params.items()]

    @property
    def params(self) -> dict:
        """``{"W1": W^[1], "b1": b^[1], "W2": ...}``: the layers' own arrays."""
        return self._named("params")

    @property
    def grads(self) -> dict:
        """``{"W1": ∂L/∂W^[1], ...}``, as the last ``backward`` stored them."""
        return self._named("grads")

    @property
    def n_out(self) -> int | None:
        for layer in reversed(self.layers):
            if getattr(layer, "n_out", None) is not None:
                return layer.n_out
        return None

    def forward(self, X):
        """a[0] = X, then a[l] = layer_l.forward(a[l−1]); each layer keeps what its backward needs."""
        for layer in self.layers:
            X = layer.forward(X)
        return X

    __call__ = forward

    def backward(self, dY):
        """∂L/∂a[l] → ∂L/∂a[l−1], from the last layer to the first; returns ∂L/∂X."""
        for layer in reversed(self.layers):
            dY = layer.backward(dY)
        return dY

    # The same steps without the per-layer checks, for fit (which checks its data once).
    def _forward(self, X):
        for layer in self.layers:
            X = layer._forward(X)
        return X

    def _backward(self, dY, need_dX=True):
        for layer in reversed(self.layers[1:]):
            dY = layer._backward(dY)
        first = self.layers[0]
        if not need_dX and isinstance(first, Linear):
            return first._backward(dY, need_dX=False)
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

    fit = fit

    def __repr__(self) -> str:
        inner = ",\n  ".join(repr(l) for l in self.layers)
        return f"{type(self).__name__}(\n  {inner}\n)"


class MLP(Sequential):
    """A multilayer perceptron: ``Linear`` layers of the given sizes, each followed by an activation.

    ``MLP([2, 4, 4, 1], activation="sigmoid", output_activation="sigmoid")`` is seed 000's
    ``NeuralNetwork([2, 4, 4, 1], sigmoid, dsigmoid)``: sigmoid after every layer, output included.

    Parameters
    ----------
    sizes : list of int, at least two: ``[n_in, hidden..., n_out]``.
    activation : str, default "sigmoid", for the hidden layers: "sigmoid", "tanh", "relu",
        "leaky_relu" or "identity".
    output_activation : str, default "identity", for the last layer: the logits of
        ``SoftmaxCrossEntropyLoss`` and the outputs of a regression. Use "sigmoid" for
        probabilities (``BCELoss``, the seeds' networks).
    init : str, weight initializer (see ``nnbook.init``).
    rng : int or Generator, for the initial weights.
    """

    def __init__(self, sizes, activation="sigmoid", output_activation="identity", init="xavier", rng=None):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
            raise TypeError(f"expected sizes as a list of layer widths such as [2, 4, 1], got {sizes!r}")
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"expected sizes with at least two entries [n_in, ..., n_out], got {sizes}")
        for s in sizes:
            check_positive_int(s, "every layer size")
        for name in (activation, output_activation):
            get_activation(name)  # validates the name before anything is drawn
        rng = as_rng(rng)
        layers = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            layers += [Linear(n_in, n_out, init=init, rng=rng), get_activation(activation)]
        layers[-1] = get_activation(output_activation)
        super().__init__(*layers)
        self.sizes = sizes
        self.activation = activation
        self.output_activation = output_activation
        self.init = init

    def get_config(self) -> dict:
        return {"sizes": self.sizes, "activation": self.activation,
                "output_activation": self.output_activation, "init": self.init}

    def __repr__(self) -> str:
        return (f"MLP(sizes={self.sizes}, activation={self.activation!r}, "
                f"output_activation={self.output_activation!r})")
