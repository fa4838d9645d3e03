"""Matplotlib figures of the book, one module per topic."""

from .decision import decision_boundary, loss_curve, class_labels, grid_predictions
from .digits import (
    show_digits,
    confusion_matrix,
    confusion_matrix_plot,
    first_layer_weights,
    digit_mosaic,
)
from .network import draw_network, network_layers

__all__ = [
    "decision_boundary",
    "loss_curve",
    "class_labels",
    "grid_predictions",
    "show_digits",
    "confusion_matrix",
    "confusion_matrix_plot",
    "first_layer_weights",
    "digit_mosaic",
    "draw_network",
    "network_layers",
]
