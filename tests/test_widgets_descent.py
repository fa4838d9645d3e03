"""The gradient-descent stepper: paths, losses and the readout follow the controls."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

import nnbook as nb
from nnbook.widgets.descent import (BOWL_KAPPA, PROBLEMS, descent_path, draw_path, gradient_descent_stepper,
                                    path_losses)


def test_bowl_path_matches_the_closed_form_iterate():
    A = np.diag([1.0, BOWL_KAPPA])
    w0 = np.array([-2.5, 1.0])
    for lr, steps in [(0.05, 10), (0.15, 25), (0.19, 7)]:
        path = descent_path("2-D bowl", w0, lr, steps)
        assert path.shape == (steps + 1, 2)
        np.testing.assert_allclose(path[-1], np.linalg.matrix_power(np.eye(2) - lr * A, steps) @ w0)


def test_gradients_are_right():
    rng = np.random.default_rng(0)
    for name, p in PROBLEMS.items():
        w = rng.normal(size=p.dim)
        np.testing.assert_allclose(nb.numerical_gradient(lambda: p.f(w), w), p.grad(w), rtol=1e-6, atol=1e-8)


def test_threshold_two_over_L_is_exact_on_the_bowl():
    lr_stable = PROBLEMS["2-D bowl"].lr_stable
    assert lr_stable == pytest.approx(2 / BOWL_KAPPA)
    below = path_losses("2-D bowl", descent_path("2-D bowl", (-2.5, 1.0), lr_stable - 0.002, 400))
    above = path_losses("2-D bowl", descent_path("2-D bowl", (-2.5, 1.0), lr_stable + 0.002, 400))
    assert below[-1] < 1e-3 < below[0] < above[-1]


def test_curve_descends_to_a_stationary_point():
    path = descent_path("1-D curve", (2.0,), 0.05, 200)
    losses = path_losses("1-D curve", path)
    assert np.all(np.diff(losses) <= 1e-12)
    assert abs(PROBLEMS["1-D curve"].grad(path[-1])[0]) < 1e-6


def test_widget_steps_and_readout():
    box = gradient_descent_stepper("2-D bowl", lr=0.15, steps=0)
    assert "step 0" in box.readout.value
    image0 = box.image.value
    for _ in range(3):
        box.step_button.click()
    assert box.sliders["steps"].value == 3
    path = descent_path("2-D bowl", (box.sliders["w1"].value, box.sliders["w2"].value), 0.15, 3)
    np.testing.assert_allclose(box.path(), path)
    loss = path_losses("2-D bowl", path)[-1]
    assert "step 3" in box.readout.value and f"{loss:.6g}" in box.readout.value
    assert box.image.value != image0
    box.sliders["lr"].value = 0.25
    assert "diverges" in box.readout.value
    box.reset_button.click()
    assert box.sliders["steps"].value == 0


def test_widget_switches_to_the_curve():
    box = gradient_descent_stepper("2-D bowl", lr=0.1, steps=4)
    box.problem.value = "1-D curve"
    assert box.sliders["steps"].value == 0
    assert box.sliders["w2"].disabled
    assert "1-D curve" in box.readout.value
    box.sliders["steps"].value = 10
    assert box.path().shape == (11, 1)


def test_divergent_path_is_reported_not_raised():
    path = descent_path("2-D bowl", (-2.5, 1.0), 1.0, 400)
    assert not np.all(np.isfinite(path[-1]))
    assert draw_path("2-D bowl", path)[:4] == b"\x89PNG"


def test_bad_input():
    with pytest.raises(ValueError, match="problem among"):
        descent_path("3-D", (0.0,), 0.1, 3)
    with pytest.raises(ValueError, match="2 coordinates"):
        descent_path("2-D bowl", (0.0,), 0.1, 3)
    with pytest.raises(ValueError, match="lr > 0"):
        descent_path("2-D bowl", (0.0, 1.0), -0.1, 3)
    with pytest.raises(ValueError, match="steps"):
        descent_path("2-D bowl", (0.0, 1.0), 0.1, 2.5)
    with pytest.raises(ValueError, match="problem among"):
        gradient_descent_stepper("saddle")
