"""The neuron playground (chapter 1): arithmetic, readout and picture follow the sliders."""

import re

import numpy as np
import pytest

import nnbook as nb

pytest.importorskip("ipywidgets")
from nnbook.widgets import neuron as mod  # noqa: E402


def _bold_numbers(html):
    return [float(v) for v in re.findall(r"<b>(-?[0-9.]+)</b>", html)]


def test_neuron_output_matches_the_library_on_seed002():
    z, a = mod.neuron_output([0, 1], 4, [2, 3])
    layer = nb.Linear.from_weights([[0, 1]], 4)
    z_ref = layer.forward(np.array([2.0, 3.0]))
    np.testing.assert_allclose(z, z_ref[0])
    np.testing.assert_allclose(a, nb.sigmoid(z_ref)[0])


def test_neuron_output_random_inputs(rng):
    for _ in range(5):
        n = int(rng.integers(1, 6))
        w, x, b = rng.normal(size=n), rng.normal(size=n), float(rng.normal())
        z, a = mod.neuron_output(w, b, x)
        layer = nb.Linear.from_weights(w.reshape(1, -1), b)
        np.testing.assert_allclose(z, layer.forward(x)[0])
        np.testing.assert_allclose(a, nb.sigmoid(z))


def test_step_activation_is_a_threshold():
    assert mod.neuron_output([1.0], 0.5, [1.0], "step") == (1.5, 1.0)
    assert mod.neuron_output([1.0], -2.0, [1.0], "step") == (-1.0, 0.0)
    assert mod.neuron_output([1.0], -1.0, [1.0], "step")[1] == 0.0  # z = 0 does not fire


@pytest.mark.parametrize(
    "args, error, match",
    [
        (([1, 2], 0.0, [1, 2, 3]), ValueError, "same length"),
        (([1, 2], "b", [1, 2]), TypeError, "expected b as a finite real number"),
        (([1, 2], float("nan"), [1, 2]), ValueError, "finite"),
        (([[1, 2]], 0.0, [[1, 2]]), ValueError, "1-D"),
    ],
)
def test_neuron_output_rejects_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        mod.neuron_output(*args)


def test_unknown_activation():
    with pytest.raises(ValueError, match="unknown activation 'relu'"):
        mod.neuron_output([1], 0, [1], "relu")
    with pytest.raises(ValueError, match="unknown activation"):
        nb.widgets.neuron_playground(activation="tanh")


def _alt(html):
    return re.findall(r'<img [^>]*alt="([^"]+)"', html)


@pytest.fixture(scope="module")
def playground():
    return nb.widgets.neuron_playground()


def test_playground_starts_at_seed002_neuron(playground):
    box = playground
    assert set(box.controls) == {"w2", "b", "activation"}
    assert box.controls["w2"].value == 1.0 and box.controls["b"].value == 4.0
    z, y = _bold_numbers(box.view.current())
    z_ref = nb.Linear.from_weights([[0, 1]], 4).forward(np.array([2.0, 3.0]))[0]
    assert z == pytest.approx(z_ref, abs=5e-5)
    assert y == pytest.approx(float(nb.sigmoid(z_ref)), abs=5e-5)
    assert len(_alt(box.view.current())) == 1


def test_every_state_is_right_and_different(playground):
    box = playground
    states = box.view.states
    assert len(states) == len(mod.W2_VALUES) * len(mod.B_VALUES) * 2
    assert len(set(states.values())) == len(states)
    x = np.array([2.0, 3.0])
    for (w2, b, activation), html in states.items():
        z_ref = float(nb.Linear.from_weights([[0.0, w2]], b).forward(x)[0])
        y_ref = float(nb.sigmoid(z_ref)) if activation == "sigmoid" else float(z_ref > 0)
        z, y = _bold_numbers(html)
        assert z == pytest.approx(z_ref, abs=5e-5)
        assert y == pytest.approx(y_ref, abs=5e-5)
        (alt,) = _alt(html)
        assert f"z = {z_ref:.2f}" in alt and activation in alt


def test_controls_choose_the_state_shown():
    box = nb.widgets.neuron_playground()
    c = box.controls
    c["w2"].value, c["b"].value = 0.0, -2.0
    assert _bold_numbers(box.view.current())[1] == pytest.approx(float(nb.sigmoid(-2.0)), abs=5e-5)
    c["activation"].value = "step"
    assert "step(z)" in box.view.current()
    assert _bold_numbers(box.view.current())[1] == 0.0
    c["w2"].value = 1.0  # z = 3 − 2 = 1 > 0: the step fires
    assert _bold_numbers(box.view.current())[1] == 1.0


def test_controls_have_names(playground):
    box = playground
    assert [c.description for c in box.controls.values()] == ["weight w₂", "bias b", "activation f"]


def test_playground_rejects_bad_start_values():
    with pytest.raises(TypeError, match="expected w2 as a finite real number"):
        nb.widgets.neuron_playground(w2="one")
    with pytest.raises(ValueError, match="start value of control 'bias b'"):
        nb.widgets.neuron_playground(b=0.5)


def test_activation_plot_rejects_bad_input():
    with pytest.raises(ValueError, match="unknown activation"):
        mod.activation_plot_png(0.0, 0.5, "relu")
    with pytest.raises(TypeError, match="expected z as a finite real number"):
        mod.activation_plot_png("0", 0.5)
