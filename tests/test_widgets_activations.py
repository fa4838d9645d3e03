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


@pytest.fixture(scope="module")
def explorer():
    return mod.activation_explorer("sigmoid", z=0.0)


def test_every_state_is_right_and_different(explorer):
    states = explorer.view.states
    assert len(states) == len(mod.FUNCTIONS) * len(mod.Z_VALUES)
    assert len(set(states.values())) == len(states)
    for (name, z), html in states.items():
        f, df = LIBRARY[name]
        np.testing.assert_allclose(_bold_numbers(html), [f(z), df(z)], atol=5e-5)
        (alt,) = re.findall(r'<img [^>]*alt="([^"]+)"', html)
        assert name in alt and f"z = {z:g}" in alt


def test_explorer_follows_the_slider_and_the_choice(explorer):
    f0, df0 = _bold_numbers(explorer.view.current())
    np.testing.assert_allclose([f0, df0], [nb.sigmoid(0.0), nb.sigmoid_prime(0.0)], atol=5e-5)
    explorer.controls["z"].value = 2.0
    np.testing.assert_allclose(_bold_numbers(explorer.view.current()), [nb.sigmoid(2.0), nb.sigmoid_prime(2.0)],
                               atol=5e-5)
    explorer.controls["function"].value = "leaky_relu"
    explorer.controls["z"].value = -3.0
    np.testing.assert_allclose(_bold_numbers(explorer.view.current()), [-3.0 * mod.LEAKY_ALPHA, mod.LEAKY_ALPHA],
                               atol=5e-5)
    explorer.controls["function"].value, explorer.controls["z"].value = "sigmoid", 0.0


def test_widget_is_callable_through_the_namespace():
    box = nb.widgets.activation_explorer("tanh", z=2.0)
    assert box.controls["function"].value == "tanh"
    np.testing.assert_allclose(_bold_numbers(box.view.current()), [nb.tanh(2.0), nb.tanh_prime(2.0)], atol=5e-5)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: mod.activation_at("softplus", 0.0), ValueError, "unknown activation 'softplus'"),
        (lambda: mod.activation_at("tanh", "1"), TypeError, "expected z as a finite real number"),
        (lambda: mod.activation_at("tanh", float("inf")), ValueError, "finite"),
        (lambda: mod.activation_explorer("step"), ValueError, "expected one of"),
        (lambda: mod.activation_explorer(z=0.25), ValueError, "start value of control 'input z'"),
        (lambda: mod.activation_png("relu", None), TypeError, "expected z"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
