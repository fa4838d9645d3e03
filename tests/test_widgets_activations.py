"""The activation explorer (chapter 4): values, derivatives and picture follow the controls."""

import re

import numpy as np
import pytest

import nnbook as nb

pytest.importorskip("ipywidgets")
from nnbook.widgets import activations as mod  # noqa: E402

LIBRARY = {
    "sigmoid": (nb.sigmoid, nb.sigmoid_prime),
    "tanh": (nb.tanh, nb.tanh_prime),
    "relu": (nb.relu, nb.relu_prime),
    "leaky_relu": (lambda z: nb.leaky_relu(z, mod.LEAKY_ALPHA), lambda z: nb.leaky_relu_prime(z, mod.LEAKY_ALPHA)),
}


def _bold_numbers(html):
    return [float(v) for v in re.findall(r"<b>(-?[0-9.]+)</b>", html)]


@pytest.mark.parametrize("name", list(LIBRARY))
def test_activation_at_matches_the_library_and_central_differences(name, rng):
    f, df = LIBRARY[name]
    for z in rng.uniform(-6, 6, size=8):
        values = mod.activation_at(name, float(z))
        np.testing.assert_allclose(values["f"], f(z))
        np.testing.assert_allclose(values["df"], df(z))
        np.testing.assert_allclose(values["numeric"], df(z), atol=1e-7)


def test_relu_kink_central_difference_is_the_average_slope():
    assert mod.activation_at("relu", 0.0)["df"] == 0.0
    np.testing.assert_allclose(mod.activation_at("relu", 0.0)["numeric"], 0.5)


def test_sigmoid_saturates():
    values = mod.activation_at("sigmoid", 10.0)
    np.testing.assert_allclose(values["df"], nb.sigmoid_prime(10.0))
    assert values["df"] < 1e-4


def test_explorer_follows_the_slider_and_the_choice():
    box = mod.activation_explorer("sigmoid", z=0.0)
    f0, df0 = _bold_numbers(box.readout.value)
    np.testing.assert_allclose([f0, df0], [nb.sigmoid(0.0), nb.sigmoid_prime(0.0)], atol=5e-5)
    png0 = box.image.value
    assert png0[:8] == b"\x89PNG\r\n\x1a\n"

    box.sliders["z"].value = 2.0
    f1, df1 = _bold_numbers(box.readout.value)
    np.testing.assert_allclose([f1, df1], [nb.sigmoid(2.0), nb.sigmoid_prime(2.0)], atol=5e-5)
    assert box.image.value != png0

    png1 = box.image.value
    box.function.value = "tanh"
    f2, df2 = _bold_numbers(box.readout.value)
    np.testing.assert_allclose([f2, df2], [nb.tanh(2.0), nb.tanh_prime(2.0)], atol=5e-5)
    assert box.image.value != png1

    box.function.value = "leaky_relu"
    box.sliders["z"].value = -3.0
    f3, df3 = _bold_numbers(box.readout.value)
    np.testing.assert_allclose([f3, df3], [-3.0 * mod.LEAKY_ALPHA, mod.LEAKY_ALPHA], atol=5e-5)


def test_widget_is_callable_through_the_namespace():
    box = nb.widgets.activation_explorer()
    assert box.function.value == "sigmoid"


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: mod.activation_at("softplus", 0.0), ValueError, "unknown activation 'softplus'"),
        (lambda: mod.activation_at("tanh", "1"), TypeError, "expected z as a real number"),
        (lambda: mod.activation_at("tanh", float("inf")), ValueError, "finite"),
        (lambda: mod.activation_explorer("step"), ValueError, "expected one of"),
        (lambda: mod.activation_png("relu", None), TypeError, "expected z"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
