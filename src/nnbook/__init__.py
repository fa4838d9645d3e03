"""nnbook: the small NumPy library that every chapter of the book runs on.

Shapes: ``W`` is ``(n_out, n_in)``; one example is a 1-D ``x`` (``W @ x + b``); a batch is
rows ``X`` of shape ``(n_samples, n_in)`` (``X @ W.T + b``).
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
from . import datasets, init
from .gradcheck import gradcheck, numerical_gradient, relative_error
from .io import load, load_weights, save
from .layers import Layer, Linear
from .losses import BCELoss, Loss, MSELoss, SoftmaxCrossEntropyLoss, SquaredErrorLoss
from .network import MLP, Sequential
from .optim import SGD
from .training import History

__version__ = "0.1.0"

__all__ = [
    "Layer", "Linear", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Identity", "Elementwise",
    "sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime",
    "leaky_relu", "leaky_relu_prime", "softmax",
    "Loss", "MSELoss", "SquaredErrorLoss", "BCELoss", "SoftmaxCrossEntropyLoss",
    "Sequential", "MLP", "History", "SGD",
    "gradcheck", "numerical_gradient", "relative_error",
    "save", "load", "load_weights", "datasets", "init",
    "autograd", "checks", "grading", "plots", "widgets",
]

# The book's figures, the exercise checks and the grader: imported here, so that
# ``nb.widgets.neuron_playground`` and ``nb.checks.check`` work after ``import nnbook``.
from . import autograd, checks, grading, plots, widgets  # noqa: E402
