"""Layers: the ``Layer`` protocol and the fully connected ``Linear`` layer (chapters 3 and 10).

Shape convention, used everywhere in nnbook:

* ``W`` has shape ``(n_out, n_in)``, the seeds' ``W`` in ``z = W x + b``.
* One example is a 1-D ``x`` of shape ``(n_in,)`` and the layer computes ``W @ x + b``.
* A batch is rows: ``X`` of shape ``(n_samples, n_in)`` and ``Z = X @ W.T + b``;
  row ``i`` of ``Z`` is ``(W x_i + b)ᵀ``.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, as_rng, check_input, check_positive_int
from .init import initialize


class Layer:
    """Base class: ``forward(X)`` keeps what ``backward`` needs, ``backward(dY)`` returns ``dX``.

    ``params`` and ``grads`` are dictionaries with the same keys; ``backward``
    overwrites ``grads`` (it never accumulates), so there is no ``zero_grad``.
    ``dY`` is never changed in place.
    """

    n_in: int | None = None

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self._out_shape = None

    def forward(self, X):
        """Validate ``X`` (one example ``(n_in,)`` or a batch ``(n_samples, n_in)``) and compute the output."""
        X = check_input(X, self.n_in, "X", f"this {type(self).__name__}")
        Y = self._forward(X)
        self._out_shape = Y.shape
        return Y

    def backward(self, dY):
        """Given ``dY = ∂L/∂Y`` (the shape of the last output), store parameter gradients and return ``dX``."""
        if self._out_shape is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        dY = as_float_array(dY, "dY")
        if dY.shape != self._out_shape:
            raise ValueError(
                f"expected dY of shape {self._out_shape} (the shape of the last forward output), got shape {dY.shape}"
            )
        return self._backward(dY)

    __call__ = forward

    def parameters(self):
        """``(name, parameter, gradient)`` triples, the arrays themselves (optimizers update them in place)."""
        return [(k, self.params[k], self.grads[k]) for k in self.params]

    # Subclasses implement these two; training calls them directly, after one validation per fit.
    def _forward(self, X):
        raise NotImplementedError

    def _backward(self, dY):
        raise NotImplementedError

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
        layer.W[...] = W
        layer.b[...] = b
        return layer

    @property
    def W(self) -> np.ndarray:
        return self.params["W"]

    @W.setter
    def W(self, value):
        value = as_float_array(value, "W")
        if value.shape != self.params["W"].shape:
            raise ValueError(f"expected W of shape {self.params['W'].shape}, got shape {value.shape}")
        self.params["W"][...] = value

    @property
    def b(self) -> np.ndarray:
        return self.params["b"]

    @b.setter
    def b(self, value):
        value = as_float_array(value, "b")
        if value.shape != self.params["b"].shape:
            raise ValueError(f"expected b of shape {self.params['b'].shape}, got shape {value.shape}")
        self.params["b"][...] = value

    def _forward(self, X):
        self.X = X
        Z = X @ self.params["W"].T  # Z = X Wᵀ + b; row i is (W xᵢ + b)ᵀ
        Z += self.params["b"]
        return Z

    def _backward(self, dZ, need_dX=True):
        # The book's formulas (chapter 10): dW = dZᵀ X, db = Σ_rows dZ, dX = dZ W.
        X, W = self.X, self.params["W"]
        if dZ.ndim == 1:  # one example: dW is the outer product dz xᵀ
            np.outer(dZ, X, out=self.grads["W"])
            self.grads["b"][...] = dZ
        else:
            np.matmul(dZ.T, X, out=self.grads["W"])  # written into the stored array, no new one
            dZ.sum(axis=0, out=self.grads["b"])
        # Training never needs ∂L/∂X of the data itself, so the first layer may skip dZ W.
        return dZ @ W if need_dX else None

    def get_config(self) -> dict:
        return {"n_in": self.n_in, "n_out": self.n_out, "init": self.init}

    def __repr__(self) -> str:
        return f"Linear(n_in={self.n_in}, n_out={self.n_out})"
