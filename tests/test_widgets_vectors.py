"""The dot-product explorer (chapter 2): a·b equals |a||b|cos θ, and the widget shows both."""

import re

import numpy as np
import pytest

import nnbook as nb

pytest.importorskip("ipywidgets")
from nnbook.widgets import vectors as mod  # noqa: E402


def _bold_numbers(html):
    return [float(v) for v in re.findall(r"<b>(-?[0-9.]+)</b>", html)]


def test_parts_random_vectors(rng):
    for _ in range(10):
        n = int(rng.integers(1, 8))
        a, b = rng.normal(size=n), rng.normal(size=n)
        p = mod.dot_product_parts(a, b)
        np.testing.assert_allclose(p["products"], a * b)
        np.testing.assert_allclose(p["dot"], np.dot(a, b))
        np.testing.assert_allclose(p["geometric"], np.dot(a, b), atol=1e-12)
        np.testing.assert_allclose(p["norm_a"], np.linalg.norm(a))
        assert 0.0 <= p["angle_deg"] <= 180.0


def test_known_angles():
    assert mod.dot_product_parts([1, 0], [0, 3])["angle_deg"] == pytest.approx(90.0)
    assert mod.dot_product_parts([1, 1], [2, 2])["angle_deg"] == pytest.approx(0.0, abs=1e-6)
    assert mod.dot_product_parts([1, 1], [-2, -2])["angle_deg"] == pytest.approx(180.0)


def test_zero_vector_has_no_angle():
    p = mod.dot_product_parts([0, 0], [1, 2])
    assert p["dot"] == 0.0 and p["cos"] is None and p["angle_deg"] is None
    assert "no angle" in mod.readout_html([0, 0], [1, 2])


@pytest.mark.parametrize(
    "a, b, error, match",
    [
        ([1, 2], [1, 2, 3], ValueError, "same length"),
        ([], [], ValueError, "non-empty"),
        ([[1, 2]], [[1, 2]], ValueError, "1-D"),
        ([1, np.inf], [1, 2], ValueError, "finite"),
        (["x", "y"], [1, 2], TypeError, "sequence of numbers"),
    ],
)
def test_bad_input(a, b, error, match):
    with pytest.raises(error, match=match):
        mod.dot_product_parts(a, b)


@pytest.fixture(scope="module")
def explorer():
    return nb.widgets.dot_product_explorer()


def test_explorer_starts_at_a_and_b(explorer):
    assert set(explorer.controls) == {"b1", "b2"}
    dot, geo = _bold_numbers(explorer.view.current())
    assert dot == pytest.approx(np.dot([2.0, 1.0], [1.0, 2.0]), abs=5e-5)
    assert geo == pytest.approx(dot, abs=5e-5)


def test_every_state_is_right_and_different(explorer):
    states = explorer.view.states
    assert len(states) == len(mod.B_VALUES) ** 2
    assert len(set(states.values())) == len(states)
    a = np.array([2.0, 1.0])
    for (b1, b2), html in states.items():
        b = np.array([b1, b2])
        numbers = _bold_numbers(html)
        assert numbers[0] == pytest.approx(float(a @ b), abs=5e-5)
        if b1 == b2 == 0.0:
            assert "no angle" in html and len(numbers) == 1
        else:
            assert numbers[1] == pytest.approx(float(a @ b), abs=5e-5)
            cos = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
            assert f"{np.degrees(np.arccos(np.clip(cos, -1, 1))):.1f}°" in html
        (alt,) = re.findall(r'<img [^>]*alt="([^"]+)"', html)
        assert f"b = ({b1:g}, {b2:g})" in alt


def test_controls_choose_the_state_shown(explorer):
    explorer.controls["b1"].value, explorer.controls["b2"].value = -1.0, 2.0
    assert _bold_numbers(explorer.view.current())[0] == 0.0  # orthogonal to a = (2, 1)
    assert "90.0°" in explorer.view.current()
    explorer.controls["b1"].value, explorer.controls["b2"].value = 1.0, 2.0


def test_explorer_wants_2d_vectors():
    with pytest.raises(ValueError, match="2-D vectors"):
        nb.widgets.dot_product_explorer(a=(1, 2, 3), b=(1, 2, 3))
