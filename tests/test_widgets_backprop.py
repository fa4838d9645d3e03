"""The backprop stepper of chapter 10: its steps against nnbook's backward pass, and the widget."""

import numpy as np
import pytest

import nnbook as nb
from nnbook.widgets import backprop as bp


def reference_grads(x, y_true, w, b):
    """∂L/∂(every parameter) of the 2-2-1 network, from nnbook's layers."""
    W1 = np.array([[w[0], w[1]], [w[2], w[3]]])
    W2 = np.array([[w[4], w[5]]])
    model = nb.Sequential(nb.Linear.from_weights(W1, b[:2]), nb.Sigmoid(),
                          nb.Linear.from_weights(W2, b[2:]), nb.Sigmoid())
    loss = nb.SquaredErrorLoss()  # (ŷ − y)², one sample: seed 002's (1 − y_pred)²
    value = loss.forward(model.forward(np.array([x])), np.array([[y_true]]))
    model.backward(loss.backward())
    l1, l2 = model.layers[0], model.layers[2]
    g = dict(zip(["w1", "w2", "w3", "w4"], l1.grads["W"].ravel()))
    g.update(zip(["w5", "w6"], l2.grads["W"].ravel()))
    g.update(b1=l1.grads["b"][0], b2=l1.grads["b"][1], b3=l2.grads["b"][0])
    return value, g


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_steps_match_nnbook_backward(seed):
    rng = np.random.default_rng(seed)
    x = tuple(rng.normal(size=2))
    w = tuple(rng.normal(size=6))
    b = tuple(rng.normal(size=3))
    y_true = float(rng.integers(0, 2))
    steps = bp.backprop_steps(x, y_true, w, b)
    value, ref = reference_grads(x, y_true, w, b)
    assert bp.forward_221(x, y_true, w, b)["L"] == pytest.approx(value, rel=1e-12)
    found = {s["target"]: s["grad"] for s in steps}
    for name, g in ref.items():
        np.testing.assert_allclose(found[name], g, rtol=1e-10, atol=1e-15)
    for s in steps[1:]:  # each step multiplies one local gradient into the running product
        assert s["grad"] == pytest.approx(s["upstream"] * s["local"], rel=1e-12)
        assert s["upstream"] == found[s["source"]]


def test_default_is_the_original_posts_example():
    steps = bp.backprop_steps()
    _, ref = reference_grads((-2.0, -1.0), 1.0, (1.0,) * 6, (0.0,) * 3)
    w1 = next(s for s in steps if s["target"] == "w1")
    np.testing.assert_allclose(w1["grad"], ref["w1"], rtol=1e-12)
    assert round(w1["grad"], 3) == 0.021  # the seed's 0.0214, to the precision its factors allow


def test_widget_steps_and_inputs_change_what_is_shown():
    box = bp.backprop_stepper()
    c, view = box.controls, box.view
    steps = box.steps()
    assert c["step"].options[-1][1] == len(steps) - 1 and c["play"].max == len(steps) - 1
    assert len(view.states) == len(bp.X_VALUES) * len(steps)
    assert len(set(view.states.values())) == len(view.states)     # every state differs
    assert "Step 0" in view.current()
    k = next(i for i, s in enumerate(steps) if s["target"] == "w1")
    c["step"].index = k
    s = steps[k]
    shown = view.current()
    assert f"{s['local']:.4f}" in shown and f"<b>{s['grad']:.4f}</b>" in shown
    assert f"∂L/∂w1 = {s['grad']:.4f}" in shown.split('alt="')[1]  # the text alternative says it too
    c["x"].value = (3.0, -1.0)
    _, ref = reference_grads((3.0, -1.0), 1.0, (1.0,) * 6, (0.0,) * 3)
    np.testing.assert_allclose(box.steps((3.0, -1.0))[k]["grad"], ref["w1"], rtol=1e-12)
    assert f"<b>{ref['w1']:.4f}</b>" in view.current()
    c["step"].index = 0                                             # back to the start
    assert "Step 0" in view.current()

def test_bad_input():
    with pytest.raises(ValueError, match="expected 2 numbers for x"):
        bp.backprop_steps(x=(1.0, 2.0, 3.0))
    with pytest.raises(TypeError, match=r"expected w \(w1 … w6\)\[5\] as a finite real number"):
        bp.backprop_steps(w=(1, 1, 1, 1, 1, "a"))
    with pytest.raises(ValueError, match="step index"):
        bp.stepper_figure(bp.backprop_steps(), 99, bp.forward_221())
    with pytest.raises(ValueError, match="among the widget's inputs"):
        bp.backprop_stepper(x=(0.5, 0.5))


# ---- chapter 9's logistic-regression graph explorer (nnbook.widgets.graphs) -----------------

from nnbook.widgets import graphs as lg  # noqa: E402


def test_logistic_graph_values_match_seed001_formulas():
    rng = np.random.default_rng(4)
    for _ in range(3):
        x1, x2, w1, w2, b = rng.normal(size=5)
        y = float(rng.integers(0, 2))
        n = lg.logistic_graph_values(x1, x2, w1, w2, b, y)
        a = float(nb.sigmoid(w1 * x1 + w2 * x2 + b))
        np.testing.assert_allclose(n["a"].data, a, rtol=1e-12)
        np.testing.assert_allclose(n["L"].data, nb.BCELoss().forward(np.array([a]), np.array([y])), rtol=1e-10)
        np.testing.assert_allclose([n["w1"].grad, n["w2"].grad, n["b"].grad],
                                   [x1 * (a - y), x2 * (a - y), a - y], rtol=1e-10, atol=1e-15)


def test_logistic_graph_widget_updates():
    box = lg.logistic_graph()
    c, view = box.controls, box.view
    assert len(view.states) == len(lg.W1_VALUES) * 2
    assert len(set(view.states.values())) == len(view.states)      # every state differs
    first = view.current()
    c["w1"].value = -2.0
    n = lg.logistic_graph_values(**{**lg.DEFAULTS, "w1": -2.0})
    a = n["a"].data
    expected = n["x1"].data * (a - n["y"].data)
    assert f"{expected:.4f}" in view.current() and view.current() != first
    assert f"∂L/∂w1 = {n['w1'].grad:.4f}" in view.current().split('alt="')[1]
    c["y"].value = 0.0
    n0 = lg.logistic_graph_values(**{**lg.DEFAULTS, "w1": -2.0, "y": 0.0})
    assert f"∂L/∂b = ŷ − y = {n0['a'].data:.4f}" in view.current()
    with pytest.raises(TypeError, match="unexpected arguments"):
        lg.logistic_graph(w3=1.0)
    with pytest.raises(ValueError, match="label y as 0 or 1"):
        lg.logistic_graph_values(1, 1, 1, 1, 1, 0.5)
    with pytest.raises(ValueError, match="w1 among the widget's values"):
        lg.logistic_graph(w1=0.5)
