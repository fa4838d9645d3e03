"""The forward-pass explorer (chapter 5): seed 002's 2-2-1 network under sliders."""

import re

import numpy as np
import pytest

import nnbook as nb

pytest.importorskip("ipywidgets")
from nnbook.widgets import forward as mod  # noqa: E402


def _bold_numbers(html):
    return [float(v) for v in re.findall(r"<b>(-?[0-9.]+)</b>", html)]


def _reference(v):
    x = np.array([v["x1"], v["x2"]])
    h = nb.sigmoid(np.array([[v["w1"], v["w2"]], [v["w3"], v["w4"]]]) @ x + np.array([v["b1"], v["b2"]]))
    o = nb.sigmoid(np.array([v["w5"], v["w6"]]) @ h + v["b3"])
    return h, o


def test_seed002_values():
    r = mod.two_two_one(mod.SEED_002)
    np.testing.assert_allclose([r["z_h1"], r["z_h2"]], [3.0, 3.0])
    np.testing.assert_allclose([r["h1"], r["h2"]], [nb.sigmoid(3.0)] * 2)
    np.testing.assert_allclose(r["o1"], nb.sigmoid(nb.sigmoid(3.0)))
    assert round(r["o1"], 4) == 0.7216  # the seed's printed value, reproduced


def test_random_values_match_a_by_hand_forward_pass(rng):
    for _ in range(5):
        v = {name: float(rng.normal(scale=2)) for name in mod.NAMES}
        r = mod.two_two_one(v)
        h, o = _reference(v)
        np.testing.assert_allclose([r["h1"], r["h2"], r["o1"]], [h[0], h[1], o])


@pytest.fixture(scope="module")
def explorer():
    return mod.forward_pass_explorer()


def test_every_state_is_right_and_different(explorer):
    assert set(explorer.controls) == {"w5", "w6"}
    states = explorer.view.states
    assert len(states) == len(mod.W_OUT_VALUES) ** 2
    assert len(set(states.values())) == len(states)
    for (w5, w6), html in states.items():
        h, o = _reference(dict(mod.SEED_002, w5=w5, w6=w6))
        np.testing.assert_allclose(_bold_numbers(html), [h[0], h[1], o], atol=5e-5)
        (alt,) = re.findall(r'<img [^>]*alt="([^"]+)"', html)
        assert f"w5 = {w5:g} and w6 = {w6:g}" in alt and f"o1 = {o:.4f}" in alt


def test_explorer_starts_at_the_seed_and_follows_the_controls(explorer):
    h, o = _reference(mod.SEED_002)
    np.testing.assert_allclose(_bold_numbers(explorer.view.current()), [h[0], h[1], o], atol=5e-5)
    explorer.controls["w5"].value = -2.0
    h, o2 = _reference(dict(mod.SEED_002, w5=-2.0))
    np.testing.assert_allclose(_bold_numbers(explorer.view.current()), [h[0], h[1], o2], atol=5e-5)
    assert o2 < o  # a negative w5 pulls o1 down
    explorer.controls["w5"].value = 0.0


def test_build_network_is_a_sequential_with_the_given_weights():
    v = dict(mod.SEED_002, w3=-1.5, b2=0.25)
    net = mod.build_network(v)
    assert isinstance(net, nb.Sequential)
    np.testing.assert_allclose(net.layers[0].W, [[0, 1], [-1.5, 1]])
    np.testing.assert_allclose(net.layers[0].b, [0, 0.25])


def test_explorer_accepts_fixed_values_through_the_namespace():
    box = nb.widgets.forward_pass_explorer(x1=1.0, w6=2.0)
    assert box.controls["w6"].value == 2.0
    h, o = _reference(dict(mod.SEED_002, x1=1.0, w6=2.0))
    np.testing.assert_allclose(_bold_numbers(box.view.current()), [h[0], h[1], o], atol=5e-5)


@pytest.mark.parametrize(
    "values, error, match",
    [
        ({"w1": 1.0}, ValueError, "missing"),
        (dict(mod.SEED_002, w7=1.0), ValueError, "unknown"),
        (dict(mod.SEED_002, w1="a"), TypeError, "expected w1 as a finite real number"),
        (dict(mod.SEED_002, b3=float("nan")), ValueError, "expected b3 as a finite real number"),
        ([1, 2], TypeError, "expected a dict"),
    ],
)
def test_bad_input(values, error, match):
    with pytest.raises(error, match=match):
        mod.two_two_one(values)


def test_explorer_rejects_unknown_names():
    with pytest.raises(ValueError, match="unknown"):
        mod.forward_pass_explorer(w9=1.0)
