"""The derivative explorer: secant slopes, the readout and the picture follow the sliders."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

from nnbook.widgets.derivatives import (FUNCTIONS, derivative_explorer, draw_secant, readout_html,
                                        secant_slope, secant_table)


def test_secant_slope_is_the_difference_quotient():
    f = FUNCTIONS["x³"][0]
    for x, h in [(1.0, 1.0), (2.0, 0.1), (-0.5, 1e-3)]:
        expected = 3 * x**2 + 3 * x * h + h**2  # seed 000's expansion
        np.testing.assert_allclose(secant_slope(f, x, h), expected, rtol=1e-9)


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_secant_approaches_the_tangent(name):
    f, df, (lo, hi), _ = FUNCTIONS[name]
    x = lo + 0.4 * (hi - lo)
    rows = secant_table(name, x, [0.5, 0.05, 0.005, 0.0005])
    errors = [r[2] for r in rows]
    assert all(e1 < e0 for e0, e1 in zip(errors, errors[1:]))
    assert errors[-1] < 1e-2 * max(1.0, abs(df(x)))


def test_widget_readout_and_image_follow_the_sliders():
    box = derivative_explorer("x³", x=1.0, h=1.0)
    f = FUNCTIONS["x³"][0]
    assert f"{secant_slope(f, 1.0, 1.0):.6f}" in box.readout.value
    image_before = box.image.value
    box.sliders["h"].value = 0.01
    h = box.sliders["h"].value
    assert f"{secant_slope(f, 1.0, h):.6f}" in box.readout.value
    assert box.image.value != image_before
    box.sliders["x"].value = -1.5
    assert f"{secant_slope(f, -1.5, h):.6f}" in box.readout.value


def test_widget_switches_function_and_keeps_x_in_its_domain():
    box = derivative_explorer("x³", x=-1.5)
    box.function.value = "ln x"
    x = box.sliders["x"].value
    assert x > 0
    f, df, _, _ = FUNCTIONS["ln x"]
    assert f"{df(x):.6f}" in box.readout.value
    assert readout_html("ln x", x, box.sliders["h"].value) == box.readout.value


def test_draw_secant_returns_png():
    assert draw_secant("sin x", 0.3, 0.5)[:4] == b"\x89PNG"


def test_bad_input():
    with pytest.raises(ValueError, match="h ≠ 0"):
        secant_slope(np.sin, 1.0, 0.0)
    with pytest.raises(TypeError, match="callable"):
        secant_slope(3.0, 1.0, 0.1)
    with pytest.raises(TypeError, match="real number"):
        secant_slope(np.sin, "1", 0.1)
    with pytest.raises(ValueError, match="function name"):
        derivative_explorer("tan x")
    with pytest.raises(ValueError, match="h in"):
        derivative_explorer("x³", h=5.0)
