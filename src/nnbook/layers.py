"""Layers: the layer protocol and the fully connected ``Linear`` layer (chapters 3 and 10).

Shape convention, used everywhere in nnbook:

* ``W`` has shape ``(n_out, n_in)``, the seeds' ``W`` in ``z = W x + b``.
* One example is a 1-D ``x`` of shape ``(n_in,)`` and the layer computes ``W @ x + b``.
* A batch is rows: ``X`` of shape ``(n_samples, n_in)`` and ``Z = X @ W.T + b``;
  row ``i`` of ``Z`` is ``(W x_i + b)ᵀ``.

The protocol, Saito's: a layer is any object with ``params`` and ``grads`` dictionaries (the
same keys) and two methods, ``forward(X)``, which keeps what backward needs, and
``backward(dY)``, which stores fresh parameter gradients in ``grads`` and returns ``dX``.
A plain class with those four names trains in ``Sequential``, ``fit``, ``SGD``, ``gradcheck``.
``Layer`` is an optional base class that supplies empty dictionaries and ``layer(X)``.
A layer computes; the model checks, once, where the data enter (``Sequential.forward``,
``predict``, ``fit``, ``gradcheck``): a network's layers check nothing.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, as_rng, check_input, check_positive_int
from .init import initialize


def check_layer(layer, where: str = "") -> None:
    """``TypeError`` unless ``layer`` follows the protocol (``params``, ``grads``, ``forward``, ``backward``)."""
    missing = [a for a in ("params", "grads") if not isinstance(getattr(layer, a, None), dict)]
    missing += [f"{m}()" for m in ("forward", "backward") if not callable(getattr(layer, m, None))]
    if missing:
        raise TypeError(
            f"expected a layer with params and grads dictionaries and forward(X) and backward(dY) "
            f"methods, got {type(layer).__name__}{where} without {', '.join(missing)}"
        )


class Layer:
    """Optional base class of a layer: ``forward(X)`` keeps what ``backward`` needs,
    ``backward(dY)`` returns ``dX``.

    ``params`` and ``grads`` are plain dictionaries with the same keys. ``backward`` stores
    fresh gradients (``self.grads["W"] = dZ.T @ X`` is fine: nothing keeps the old array),
    so there is no ``zero_grad``. ``dY`` is never changed in place.
    """

    n_in: int | None = None

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, X):
        """The layer's output for ``X``, keeping what ``backward`` needs."""
        raise NotImplementedError(f"{type(self).__name__} must define forward(X)")

    def backward(self, dY):
        """Given ``dY = ∂L/∂Y``, store the parameter gradients in ``grads`` and return ``dX``."""
        raise NotImplementedError(f"{type(self).__name__} must define backward(dY)")

    def __call__(self, X):
        return self.forward(X)

    def parameters(self):
        """``(name, parameter, gradient)`` triples: what ``SGD.step`` updates (all of ``params``)."""
        params, grads = self.params, self.grads
        return [(k, params[k], grads[k]) for k in params]

    def get_config(self) -> dict:
        """The constructor arguments that rebuild this layer (used by ``nnbook.save``)."""
        return {}


class Linear(Layer):
    """Fully connected layer ``z = W x + b`` (chapter 3), backward in chapter 10.

    Parameters
    ----------
    n_in, n_out : int
        Number of inputs and of outputs (units).
    init : str, default "xavier"
        Weight initializer: "zeros", "small" (N(0, 1)·0.01), "normal" (N(0, 1), seed 000's
        ``randn``, biases too), "xavier" (Glorot) or "he". See ``nnbook.init``.
    rng : int or numpy.random.Generator, optional
        Seed or generator for the random initializers.

    Attributes
    ----------
    W : ndarray of shape (n_out, n_in)
    b : ndarray of shape (n_out,)
    """

    def __init__(self, n_in: int, n_out: int, *, init: str = "xavier", rng=None):
        super().__init__()
        self.n_in = check_positive_int(n_in, "n_in")
        self.n_out = check_positive_int(n_out, "n_out")
        self.init = init
        W, b = initialize(init, self.n_in, self.n_out, as_rng(rng))
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}

    @classmethod
    def from_weights(cls, W, b=0.0) -> "Linear":
        """A layer with given weights, for the worked examples.

        ``W`` has shape ``(n_out, n_in)``; ``b`` is a scalar (seed 004's 0.2 for every unit),
        a vector of shape ``(n_out,)`` or a column ``(n_out, 1)`` as the seeds write it.
        Integer arrays are converted to float64 (a copy: the caller's arrays are not shared).
        """
        W = as_float_array(W, "W")
        if W.ndim != 2 or 0 in W.shape:
            raise ValueError(f"expected W of shape (n_out, n_in), got shape {W.shape}")
        n_out, n_in = W.shape
        b = as_float_array(b, "b")
        if b.ndim == 0:
            b = np.full(n_out, float(b))
        elif b.shape in ((n_out,), (n_out, 1)):
            b = b.reshape(n_out)
        else:
            raise ValueError(
                f"expected b as a scalar or of shape ({n_out},) (n_out of W), got shape {b.shape}"
            )
        layer = cls(n_in, n_out, init="zeros")
        layer.W = W
        layer.b = b
        return layer

    def _set(self, key, value):
        value = as_float_array(value, key)
        if value.shape != self.params[key].shape:
            raise ValueError(f"expected {key} of shape {self.params[key].shape}, got shape {value.shape}")
        self.params[key][...] = value  # in place: optimizers and views keep the same array

    W = property(lambda self: self.params["W"], lambda self, value: self._set("W", value))
    b = property(lambda self: self.params["b"], lambda self, value: self._set("b", value))

    def forward(self, X):
        W, b = self.params["W"], self.params["b"]
        self.X = X = np.asarray(X)  # a list from a chapter's cell, too
        try:
            Z = X @ W.T + b  # row i is (W xᵢ + b)ᵀ; for one example x, W x + b
        except (ValueError, TypeError):  # say what the product needed, not only that it failed
            check_input(X, self.n_in, "X", "this Linear")
            raise
        return Z

    def backward(self, dZ, need_dX=True):
        """Store ``dW = dZᵀ X`` and ``db = Σ dZ``; return ``dX = dZ W``.

        ``need_dX=False`` skips the product ``dZ W`` and returns None: the first layer of a
        network in training, whose input is the data (``Sequential.backward`` asks for it).
        """
        X, W = self.X, self.params["W"]
        one = dZ.ndim == 1
        if one:  # one example: a batch of one row, so that dW = dz xᵀ
            X, dZ = X[np.newaxis], dZ[np.newaxis]
        self.grads["W"] = dZ.T @ X
        self.grads["b"] = dZ.sum(axis=0)
        if not need_dX:
            return None
        dX = dZ @ W
        return dX[0] if one else dX

    def get_config(self) -> dict:
        return {"n_in": self.n_in, "n_out": self.n_out, "init": self.init}

    def __repr__(self) -> str:
        return f"Linear(n_in={self.n_in}, n_out={self.n_out})"
