"""The loss explorer (chapter 6): both losses and both gradients with respect to z."""

import re

import numpy as np
import pytest

import nnbook as nb

pytest.importorskip("ipywidgets")
from nnbook.widgets import losses as mod  # noqa: E402


def _bold_numbers(html):
    return [float(v) for v in re.findall(r"<b>(-?[0-9.]+)</b>", html)]


def _numeric_dz(loss, z, y, eps=1e-6):
    f = lambda v: loss.forward(nb.sigmoid(np.array([v])), np.array([float(y)]))  # noqa: E731
    return (f(z + eps) - f(z - eps)) / (2 * eps)


def test_loss_at_matches_losses_and_central_differences(rng):
    for _ in range(6):
        z, y = float(rng.uniform(-8, 8)), int(rng.integers(0, 2))
        r = mod.loss_at(z, y)
        p = nb.sigmoid(z)
        np.testing.assert_allclose(r["y_hat"], p)
        np.testing.assert_allclose(r["se"], 0.5 * (p - y) ** 2)
        np.testing.assert_allclose(r["bce"], -(y * np.log(p) + (1 - y) * np.log(1 - p)))
        np.testing.assert_allclose(r["dse_dz"], _numeric_dz(nb.SquaredErrorLoss(half=True), z, y), rtol=1e-5, atol=1e-10)
        np.testing.assert_allclose(r["dbce_dz"], _numeric_dz(nb.BCELoss(), z, y), rtol=1e-5, atol=1e-10)


def test_squared_error_gradient_vanishes_when_saturated_on_the_wrong_side():
    r = mod.loss_at(-8.0, 1)
    assert abs(r["dse_dz"]) < 1e-3 < abs(r["dbce_dz"])


def test_every_state_is_right_and_different():
    box = mod.loss_explorer(z=-4.0, y=1)
    states = box.view.states
    assert len(states) == 2 * len(mod.Z_VALUES)
    assert len(set(states.values())) == len(states)
    for (z, y), html in states.items():
        p = float(nb.sigmoid(z))
        se = 0.5 * (p - y) ** 2
        bce = -(y * np.log(p) + (1 - y) * np.log(1 - p))
        expected = [p, se, (p - y) * p * (1 - p), bce, p - y]
        np.testing.assert_allclose(_bold_numbers(html), expected, atol=5e-5)
        (alt,) = re.findall(r'<img [^>]*alt="([^"]+)"', html)
        assert f"label y = {y}" in alt and f"z = {z:g}" in alt


def test_explorer_follows_the_controls():
    box = mod.loss_explorer(z=-4.0, y=1)
    r = mod.loss_at(-4.0, 1)
    shown = _bold_numbers(box.view.current())
    np.testing.assert_allclose(shown, [r["y_hat"], r["se"], r["dse_dz"], r["bce"], r["dbce_dz"]], atol=5e-5)
    box.controls["y"].value = 0
    r = mod.loss_at(-4.0, 0)
    np.testing.assert_allclose(_bold_numbers(box.view.current()), [r["y_hat"], r["se"], r["dse_dz"], r["bce"],
                                                                   r["dbce_dz"]], atol=5e-5)
    box.controls["z"].value = 3.0
    np.testing.assert_allclose(_bold_numbers(box.view.current())[0], nb.sigmoid(3.0), atol=5e-5)


def test_explorer_wants_a_listed_z():
    with pytest.raises(ValueError, match="start value of control 'pre-activation z'"):
        mod.loss_explorer(z=0.5)


@pytest.mark.parametrize(
    "args, error, match",
    [
        ((0.0, 2), ValueError, "expected the label y as 0 or 1"),
        ((0.0, True), ValueError, "expected the label y"),
        (("a", 1), TypeError, "expected z"),
        ((float("nan"), 1), ValueError, "expected z as a finite real number"),
    ],
)
def test_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        mod.loss_at(*args)
