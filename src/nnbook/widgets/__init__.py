"""Interactive figures of the book (ipywidgets), one module per chapter topic.

Each widget is a function returning an ipywidgets object, so a chapter shows it in one
line: ``nnbook.widgets.neuron_playground()``.
"""

from .activations import activation_explorer
from .backprop import backprop_stepper
from .derivatives import derivative_explorer
from .descent import gradient_descent_stepper
from .digitpad import digit_pad
from .digits import digits_explorer
from .forward import forward_pass_explorer
from .frameworks import framework_step_explorer
from .graphs import logistic_graph
from .init import init_explorer
from .losses import loss_explorer
from .matrices import matvec_explorer
from .neuron import neuron_playground
from .softmax import softmax_explorer
from .training import training_playground
from .vectors import dot_product_explorer

__all__ = [
    "activation_explorer",
    "backprop_stepper",
    "derivative_explorer",
    "gradient_descent_stepper",
    "digit_pad",
    "digits_explorer",
    "forward_pass_explorer",
    "framework_step_explorer",
    "logistic_graph",
    "init_explorer",
    "loss_explorer",
    "matvec_explorer",
    "neuron_playground",
    "softmax_explorer",
    "training_playground",
    "dot_product_explorer",
]
