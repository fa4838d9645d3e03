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
    z, y = mod.neuron_output([0, 1], 4, [2, 3])
    layer = nb.Linear.from_weights([[0, 1]], 4)
    z_ref = layer.forward(np.array([2.0, 3.0]))
    np.testing.assert_allclose(z, z_ref[0])
    np.testing.assert_allclose(y, nb.sigmoid(z_ref)[0])


def test_neuron_output_random_inputs(rng):
    for _ in range(5):
        n = int(rng.integers(1, 6))
        w, x, b = rng.normal(size=n), rng.normal(size=n), float(rng.normal())
        z, y = mod.neuron_output(w, b, x)
        layer = nb.Linear.from_weights(w.reshape(1, -1), b)
        np.testing.assert_allclose(z, layer.forward(x)[0])
        np.testing.assert_allclose(y, nb.sigmoid(z))


def test_step_activation_is_a_threshold():
    assert mod.neuron_output([1.0], 0.5, [1.0], "step") == (1.5, 1.0)
    assert mod.neuron_output([1.0], -2.0, [1.0], "step") == (-1.0, 0.0)
    assert mod.neuron_output([1.0], -1.0, [1.0], "step")[1] == 0.0  # z = 0 does not fire


@pytest.mark.parametrize(
    "args, error, match",
    [
        (([1, 2], 0.0, [1, 2, 3]), ValueError, "same length"),
        (([1, 2], "b", [1, 2]), TypeError, "expected b as a real number"),
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


def test_playground_starts_at_seed002_neuron():
    box = nb.widgets.neuron_playground()
    assert set(box.sliders) == {"w1", "w2", "b", "x1", "x2"}
    z, y = _bold_numbers(box.readout.value)
    z_ref = nb.Linear.from_weights([[0, 1]], 4).forward(np.array([2.0, 3.0]))[0]
    assert z == pytest.approx(z_ref, abs=5e-5)
    assert y == pytest.approx(float(nb.sigmoid(z_ref)), abs=5e-5)
    assert box.image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_sliders_update_readout_and_image():
    box = nb.widgets.neuron_playground()
    before = box.image.value
    box.sliders["w1"].value = -2.0
    box.sliders["b"].value = 1.5
    w, x = np.array([-2.0, 1.0]), np.array([2.0, 3.0])
    z_ref = float(nb.Linear.from_weights(w.reshape(1, -1), 1.5).forward(x)[0])
    z, y = _bold_numbers(box.readout.value)
    assert z == pytest.approx(z_ref, abs=5e-5)
    assert y == pytest.approx(float(nb.sigmoid(z_ref)), abs=5e-5)
    assert box.image.value != before


def test_step_toggle_changes_the_output():
    box = nb.widgets.neuron_playground(w1=1.0, w2=0.0, b=-0.5, x1=0.2, x2=0.0)
    assert _bold_numbers(box.readout.value)[1] == pytest.approx(float(nb.sigmoid(-0.3)), abs=5e-5)
    box.activation.value = "step"
    assert "step(z)" in box.readout.value
    assert _bold_numbers(box.readout.value)[1] == 0.0
    box.sliders["x1"].value = 1.0
    assert _bold_numbers(box.readout.value)[1] == 1.0


def test_playground_rejects_bad_start_values():
    with pytest.raises(TypeError, match="expected w1 as a real number"):
        nb.widgets.neuron_playground(w1="one")


def test_activation_plot_rejects_bad_input():
    with pytest.raises(ValueError, match="unknown activation"):
        mod.activation_plot_png(0.0, 0.5, "relu")
    with pytest.raises(TypeError, match="expected z as a real number"):
        mod.activation_plot_png("0", 0.5)
