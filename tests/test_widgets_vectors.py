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


def test_explorer_readout_follows_sliders():
    box = nb.widgets.dot_product_explorer()
    assert set(box.sliders) == {"a1", "a2", "b1", "b2"}
    dot, geo = _bold_numbers(box.readout.value)
    assert dot == pytest.approx(np.dot([2.0, 1.0], [1.0, 2.0]), abs=5e-5)
    assert geo == pytest.approx(dot, abs=5e-5)
    before = box.image.value
    box.sliders["a1"].value = -1.5
    box.sliders["b2"].value = 0.5
    a, b = np.array([-1.5, 1.0]), np.array([1.0, 0.5])
    dot, geo = _bold_numbers(box.readout.value)
    assert dot == pytest.approx(float(a @ b), abs=5e-5)
    cos = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    assert f"{np.degrees(np.arccos(cos)):.1f}°" in box.readout.value
    assert box.image.value != before and box.image.value[:4] == b"\x89PNG"


def test_explorer_handles_a_zero_vector():
    box = nb.widgets.dot_product_explorer()
    box.sliders["a1"].value = 0.0
    box.sliders["a2"].value = 0.0
    assert "no angle" in box.readout.value
    assert box.image.value[:4] == b"\x89PNG"


def test_explorer_wants_2d_vectors():
    with pytest.raises(ValueError, match="2-D vectors"):
        nb.widgets.dot_product_explorer(a=(1, 2, 3), b=(1, 2, 3))
