"""Networks: ``Sequential`` layers and the ``MLP`` builder (chapters 5 and 11).

Parameters carry the book's names: ``model.params["W1"]`` is W^[1], the weights of the first
``Linear`` layer, ``model.params["b2"]`` is b^[2], and ``model.grads`` has the same keys.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, as_rng, check_input, check_positive_int
from .activations import get_activation
from .layers import Layer, Linear, check_layer
from .training import fit


def parameter_names(layers) -> list[tuple[str, object, str]]:
    """``(name, layer, key)`` for every parameter of ``layers``, a layer inside a nested model
    included: the name under which ``Sequential.params`` shows ``layer.params[key]``.

    ``Linear`` layers are numbered in order, as the book numbers W^[l]: ``W1, b1, W2, ...``.
    Any other layer with parameters is named by its class and its number among the layers of
    that class name, then the key: ``Affine1.W``, ``Affine2.W`` (a nested model's own names
    follow a dot: ``Sequential1.W1``). A layer added to a network renames no other layer of
    another class; two parameters under one name raise ``ValueError`` naming both.
    """
    names, counts, owner = [], {}, {}
    for i, layer in enumerate(layers):
        if not layer.params:
            continue
        kind = "Linear" if isinstance(layer, Linear) else type(layer).__name__
        counts[kind] = number = counts.get(kind, 0) + 1
        if isinstance(layer, Sequential):
            inner = [(f"{kind}{number}.{name}", leaf, key) for name, leaf, key in layer.names]
        elif kind == "Linear":
            inner = [(f"{key}{number}", layer, key) for key in layer.params]
        else:
            inner = [(f"{kind}{number}.{key}", layer, key) for key in layer.params]
        for name, leaf, key in inner:
            if name in owner:
                raise ValueError(f"two parameters would both be named {name!r}: {owner[name]} and "
                                 f"{key!r} of layer {i} ({type(layer).__name__}); rename one of the keys")
            owner[name] = f"{key!r} of layer {i} ({type(layer).__name__})"
            names.append((name, leaf, key))
    return names


class Sequential(Layer):
    """Layers applied in order: ``Sequential(Linear(2, 4), Sigmoid(), Linear(4, 1), Sigmoid())``.

    Forward: a[l] = layer_l(a[l−1]); backward runs the layers in reverse, each turning
    ∂L/∂a[l] into ∂L/∂a[l−1] (chapter 10). A layer is any object with ``params``, ``grads``,
    ``forward(X)`` and ``backward(dY)`` (see ``nnbook.layers``): a class of your own too.

    ``params`` and ``grads`` are read from the layers on every access (nothing is copied),
    under the names that ``parameter_names`` gives: ``params["W1"]``
    and ``params["b1"]`` belong to the first ``Linear`` layer, ``params["W2"]`` to the second.
    The input is checked here, once, and not again inside the layers: its type and shape by
    ``forward``, its values too by ``predict`` (and by ``fit`` and ``gradcheck``).
    """

    def __init__(self, *layers):
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        if not layers:
            raise ValueError("expected at least one layer, got none")
        for i, layer in enumerate(layers):
            check_layer(layer, f" at position {i}")
        self.layers = list(layers)
        self._named, self._names = list(self.layers), parameter_names(self.layers)  # a clash raises now
        self.n_in = next((l.n_in for l in self.layers if getattr(l, "n_in", None) is not None), None)
        self._Y = None  # the last output: backward checks dY against its shape

    @property
    def names(self) -> list:
        """``(name, layer, key)`` of every parameter (see ``parameter_names``), named again
        only when ``layers`` has changed."""
        if self._named != self.layers:  # compares the layers themselves: cheap
            self._names = parameter_names(self.layers)
            self._named = list(self.layers)
        return self._names

    def parameters(self):
        """``(name, parameter, gradient)`` triples: ``("W1", W^[1], ∂L/∂W^[1])``, ..."""
        return [(name, layer.params[key], layer.grads[key]) for name, layer, key in self.names]

    @property
    def params(self) -> dict:
        """``{"W1": W^[1], "b1": b^[1], "W2": ...}``: the layers' own arrays."""
        return {name: layer.params[key] for name, layer, key in self.names}

    @property
    def grads(self) -> dict:
        """``{"W1": ∂L/∂W^[1], ...}``, as the last ``backward`` stored them."""
        return {name: layer.grads[key] for name, layer, key in self.names if key in layer.grads}

    @property
    def n_out(self) -> int | None:
        for layer in reversed(self.layers):
            if getattr(layer, "n_out", None) is not None:
                return layer.n_out
        return None

    def forward(self, X):
        """Check the type and shape of ``X`` (one example ``(n_in,)`` or a batch
        ``(n_samples, n_in)``), then a[0] = X and a[l] = layer_l.forward(a[l−1]); each layer
        keeps what its backward needs. Its values are checked by ``predict``, ``fit`` and
        ``gradcheck``, once for the whole data (``fit`` calls forward for every batch)."""
        X = check_input(X, self.n_in, "X", "this network", finite=False)
        for layer in self.layers:
            X = layer.forward(X)
        self._Y = X
        return X

    def __call__(self, X):
        return self.predict(X)

    def backward(self, dY, need_dX=True):
        """∂L/∂a[l] → ∂L/∂a[l−1], from the last layer to the first; returns ∂L/∂X.

        ``need_dX=False`` returns None and spares the first layer the product that only
        ∂L/∂X needs, when that layer is a ``Linear`` or a ``Sequential`` (``fit`` asks for
        this: the data's own gradient trains nothing).
        """
        if self._Y is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        dY = as_float_array(dY, "dY")
        if dY.shape != np.shape(self._Y):
            raise ValueError(f"expected dY of shape {np.shape(self._Y)} (the shape of the last forward "
                             f"output), got shape {dY.shape}")
        first = self.layers[0]
        for layer in self.layers[:0:-1]:
            dY = layer.backward(dY)
        if need_dX or not isinstance(first, (Linear, Sequential)):
            return first.backward(dY)
        return first.backward(dY, need_dX=False)

    def predict(self, X):
        """The network's output for one example ``(n_in,)`` or a batch ``(n_samples, n_in)``,
        its values checked first (``model(X)`` is the same call)."""
        return self.forward(check_input(X, self.n_in, "X", "this network"))

    def predict_classes(self, X):
        """Class predictions: argmax of the outputs, or output > 0.5 for a single (sigmoid) output."""
        out = self.predict(X)
        if out.shape[-1] == 1:
            return (out[..., 0] > 0.5).astype(np.intp)
        return np.argmax(out, axis=-1)

    def fit(self, X, y, *, loss, optimizer, epochs, batch_size=None, rng=None, progress=True, shuffle=True):
        """Train this network with mini-batch gradient descent: ``nnbook.fit(self, X, y, ...)``,
        whose docstring says what every argument means. Returns a ``History``."""
        return fit(self, X, y, loss=loss, optimizer=optimizer, epochs=epochs, batch_size=batch_size,
                   rng=rng, progress=progress, shuffle=shuffle)

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
