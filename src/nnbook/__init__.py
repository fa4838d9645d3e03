"""nnbook: the small NumPy library that every chapter of the book runs on.

Shapes: ``W`` is ``(n_out, n_in)``; one example is a 1-D ``x`` (``W @ x + b``); a batch is
rows ``X`` of shape ``(n_samples, n_in)`` (``X @ W.T + b``).

``import nnbook`` loads NumPy and the core below. The rooms above it are entered by name,
where they are used: ``import nnbook.plots`` (figures, matplotlib), ``import nnbook.widgets``
(the book's interactive figures), ``from nnbook.checks import check, score`` (the exercise
checks) and ``nnbook.grading`` (the instructor's grader). None of them is imported here,
and nothing here imports them.
"""

from .activations import (
    Elementwise,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Tanh,
    leaky_relu,
    leaky_relu_prime,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    softmax,
    tanh,
    tanh_prime,
)
from . import autograd, datasets, init
from .gradcheck import gradcheck, numerical_gradient, relative_error
from .io import load, load_weights, save
from .layers import Layer, Linear, check_layer
from .losses import BCELoss, Loss, MSELoss, SoftmaxCrossEntropyLoss, SquaredErrorLoss
from .network import MLP, Sequential
from .optim import SGD
from .training import History, fit

__version__ = "0.1.0"

__all__ = [
    "Layer", "Linear", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Identity", "Elementwise",
    "sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime",
    "leaky_relu", "leaky_relu_prime", "softmax",
    "Loss", "MSELoss", "SquaredErrorLoss", "BCELoss", "SoftmaxCrossEntropyLoss",
    "Sequential", "MLP", "History", "SGD", "fit", "check_layer",
    "gradcheck", "numerical_gradient", "relative_error",
    "save", "load", "load_weights", "autograd", "datasets", "init",
]
