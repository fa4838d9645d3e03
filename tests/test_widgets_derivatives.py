"""The derivative explorer: secant slopes, the readout and the picture follow the sliders."""

import re

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

from nnbook.widgets.derivatives import (FUNCTIONS, H_VALUES, derivative_explorer, draw_secant,  # noqa: E402
                                        readout_html, secant_slope, secant_table)


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


@pytest.fixture(scope="module")
def explorer():
    return derivative_explorer("x³", x=1.0, h=1.0)


def test_every_state_is_right_and_different(explorer):
    states = explorer.view.states
    assert len(states) == len(FUNCTIONS) * len(H_VALUES)
    assert len(set(states.values())) == len(states)
    for (name, h), html in states.items():
        f, df, _, _ = FUNCTIONS[name]
        slope = (f(1.0 + h) - f(1.0)) / h
        assert f"secant slope = {slope:.6f}" in html and f"f′(x) = {float(df(1.0)):.6f}" in html
        (alt,) = re.findall(r'<img [^>]*alt="([^"]+)"', html)
        assert f"slope {slope:.4f}" in alt


def test_widget_follows_the_controls(explorer):
    f = FUNCTIONS["x³"][0]
    assert f"{secant_slope(f, 1.0, 1.0):.6f}" in explorer.view.current()
    explorer.controls["h"].value = 0.01
    assert f"{secant_slope(f, 1.0, 0.01):.6f}" in explorer.view.current()
    explorer.controls["function"].value = "ln x"
    assert readout_html("ln x", 1.0, 0.01) in explorer.view.current()
    explorer.controls["function"].value, explorer.controls["h"].value = "x³", 1.0


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
    with pytest.raises(ValueError, match="start value of control 'step h'"):
        derivative_explorer("x³", h=5.0)
    with pytest.raises(ValueError, match=r"expected x in \[0.05, 2\)"):
        derivative_explorer("x³", x=-1.0)
