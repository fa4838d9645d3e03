"""The gradient-descent stepper: paths and losses, and the precomputed states the controls select."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

import nnbook as nb
from nnbook.widgets.descent import (BOWL_KAPPA, CURVE_LR, CURVE_STEPS, LR_VALUES, MAX_STEPS, PROBLEMS, START_VALUES,
                                    descent_path, gradient_descent_stepper, path_figure, path_losses)


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
    # The widget's values show both sides of the threshold.
    assert min(LR_VALUES) < lr_stable < max(LR_VALUES)


def test_curve_descends_to_a_stationary_point():
    path = descent_path("1-D curve", (2.0,), 0.05, 200)
    losses = path_losses("1-D curve", path)
    assert np.all(np.diff(losses) <= 1e-12)
    assert abs(PROBLEMS["1-D curve"].grad(path[-1])[0]) < 1e-6


def test_curve_start_points_reach_both_valleys():
    ends = [descent_path("1-D curve", (w0,), CURVE_LR, 200)[-1, 0] for w0 in START_VALUES]
    assert min(ends) < 0 < max(ends)   # the left (deeper) valley and the right one


@pytest.fixture(scope="module")
def bowl():
    return gradient_descent_stepper("2-D bowl", lr=0.15, steps=0)


def test_bowl_states_are_the_paths(bowl):
    view, c = bowl.view, bowl.controls
    assert set(c) == {"lr", "step", "play"}
    assert len(view.states) == len(LR_VALUES) * (MAX_STEPS + 1)
    assert len(set(view.states.values())) == len(view.states)    # every state differs
    assert "step 0" in view.current()
    c["step"].index = 3
    path = descent_path("2-D bowl", (-2.5, 1.0), 0.15, 3)
    loss = path_losses("2-D bowl", path)[-1]
    shown = view.current()
    assert "step 3" in shown and f"{loss:.6g}" in shown and "converges" in shown
    assert 'alt="Contours of the bowl' in shown
    c["lr"].value = 0.25
    assert "diverges" in view.current() and "η = 0.25" in view.current()
    c["step"].index = 0                                           # back to the start: "reset"
    assert "step 0" in view.current()
    assert c["play"].max == MAX_STEPS


@pytest.fixture(scope="module")
def curve():
    """The 1-D curve's stepper, built once (it draws every start point at every step)."""
    return gradient_descent_stepper("1-D curve", start=-1.0, steps=MAX_STEPS)


def test_curve_widget_moves_the_start(curve):
    c, view = curve.controls, curve.view
    c["start"].value, c["step"].index = -1.0, CURVE_STEPS.index(MAX_STEPS)   # as built
    assert set(c) == {"start", "step", "play"}
    assert [v for _, v in c["step"].options] == list(CURVE_STEPS) and c["play"].max == len(CURVE_STEPS) - 1
    path = descent_path("1-D curve", (-1.0,), CURVE_LR, MAX_STEPS)
    assert f"w = ({path[-1, 0]:.4g})" in view.current()
    c["start"].value = 2.2
    assert f"w = ({descent_path('1-D curve', (2.2,), CURVE_LR, MAX_STEPS)[-1, 0]:.4g})" in view.current()


def test_curve_widget_shows_where_the_start_by_the_hump_ends_up(curve):
    # From w0 = 0.2 (left of the hump at w ≈ 0.25) the iterates creep, then slide to the left valley.
    c, view = curve.controls, curve.view
    c["start"].value, c["step"].index = 0.2, 0
    assert "step 0: w = (0.2)" in view.current()
    c["step"].index = len(CURVE_STEPS) - 1
    end = descent_path("1-D curve", (0.2,), CURVE_LR, CURVE_STEPS[-1])[-1, 0]
    grad = PROBLEMS["1-D curve"].grad(np.array([end]))
    assert end < -1.5 and abs(float(grad[0])) < 1e-2, (end, grad)   # settled in the left valley
    assert f"step {CURVE_STEPS[-1]}: w = ({end:.4g})" in view.current()


def test_divergent_path_is_reported_not_raised():
    path = descent_path("2-D bowl", (-2.5, 1.0), 1.0, 400)
    assert not np.all(np.isfinite(path[-1]))
    assert path_figure("2-D bowl", path) is not None


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
    with pytest.raises(ValueError, match="lr among the widget's values"):
        gradient_descent_stepper("2-D bowl", lr=0.3)
    with pytest.raises(ValueError, match="start among the widget's values"):
        gradient_descent_stepper("1-D curve", start=0.0)
    with pytest.raises(ValueError, match="expected steps among"):
        gradient_descent_stepper("2-D bowl", steps=50)
