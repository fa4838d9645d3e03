"""The framework comparison widget of chapter 15: one SGD step of seed 004's ReLU network."""

import numpy as np
import pytest

import nnbook as nb
from nnbook.widgets import frameworks as wf


def _reference(W_hidden, W_output, x, y):
    """The loss and its gradients by central differences."""
    def loss_of(Wh, Wo):
        return float(np.mean((Wo @ np.maximum(Wh @ x, 0) - y) ** 2))

    Wh, Wo = W_hidden.copy(), W_output.copy()
    num_h = nb.numerical_gradient(lambda: loss_of(Wh, W_output), Wh, 1e-6)
    num_o = nb.numerical_gradient(lambda: loss_of(W_hidden, Wo), Wo, 1e-6)
    return loss_of(W_hidden, W_output), num_h, num_o


@pytest.mark.parametrize("method", wf.METHODS)
def test_gradients_match_finite_differences(rng, method):
    for _ in range(4):
        n_in, n_h, n_out = rng.integers(1, 5, size=3)
        Wh = rng.standard_normal((n_h, n_in))
        Wo = rng.standard_normal((n_out, n_h))
        x = rng.standard_normal(n_in)
        y = rng.standard_normal(n_out)
        g = wf.gradients(Wh, Wo, x, y, method)
        loss, num_h, num_o = _reference(Wh, Wo, x, y)
        assert g["loss"] == pytest.approx(loss)
        np.testing.assert_allclose(g["dW_hidden"], num_h, atol=1e-6)
        np.testing.assert_allclose(g["dW_output"], num_o, atol=1e-6)


def test_seed_sample():
    r = wf.step_three_ways(2.0, 3.0, 0.01)
    W_h, W_o = wf.W_HIDDEN, wf.W_OUTPUT
    y_pred = W_o @ np.maximum(W_h @ [2.0, 3.0], 0)
    np.testing.assert_allclose(r["numpy"]["y_pred"], y_pred)
    assert wf.max_disagreement(r) < 1e-9
    np.testing.assert_allclose(r["new"]["W_output"], W_o - 0.01 * r["autograd"]["dW_output"])
    np.testing.assert_allclose(r["new"]["W_hidden"], W_h - 0.01 * r["autograd"]["dW_hidden"])
    one = wf.step_three_ways(2.0, 3.0, 0.01, n_out=1)
    assert one["layers"]["dW_output"].shape == (1, 4)


def test_the_seed_matrices_come_from_the_datasets():
    assert wf.W_HIDDEN is nb.datasets.SEED004_W_HIDDEN and wf.W_OUTPUT is nb.datasets.SEED004_W_OUTPUT


def test_widget_states_follow_the_controls():
    box = nb.widgets.framework_step_explorer()
    c, view = box.controls, box.view
    assert len(view.states) == len(wf.SAMPLES) * 2 * len(wf.LR_VALUES)
    assert len(set(view.states.values())) == len(view.states)     # every state differs
    first = view.current()
    assert "loss = <b>" in first
    c["sample"].value = (-1.5, -2.0)
    # both inputs negative, all weights positive: every hidden unit is off, every gradient 0
    r = wf.step_three_ways(-1.5, -2.0, 0.01)
    np.testing.assert_array_equal(r["layers"]["dW_hidden"], 0.0)
    np.testing.assert_array_equal(r["layers"]["dW_output"], 0.0)
    assert view.current() != first and "0 of the entries are non-zero" in view.current()
    c["sample"].value = (1.0, -2.0)
    expected = wf.step_three_ways(1.0, -2.0, 0.01)
    assert f"<b>{expected['layers']['loss']:.4f}</b>" in view.current()
    row = "[" + ", ".join(f"{v:8.3f}" for v in expected["new"]["W_hidden"][3]) + "]"
    assert row in view.current()
    c["outputs"].value = 1
    one = wf.step_three_ways(1.0, -2.0, 0.01, n_out=1)
    assert f"ŷ = {np.array2string(one['layers']['y_pred'], precision=4)}," in view.current()
    c["lr"].value = 0.05
    fast = wf.step_three_ways(1.0, -2.0, 0.05, n_out=1)
    row = "[" + ", ".join(f"{v:8.3f}" for v in fast["new"]["W_hidden"][3]) + "]"
    assert "learning rate 0.05:" in view.current() and row in view.current()


def test_bad_input():
    with pytest.raises(ValueError, match="one label per output"):
        wf.gradients(wf.W_HIDDEN, wf.W_OUTPUT, [2.0, 3.0], [5.0])
    with pytest.raises(ValueError, match="unknown method"):
        wf.gradients(wf.W_HIDDEN, wf.W_OUTPUT, [2.0, 3.0], [5.0, 5.0], "torch")
    with pytest.raises(ValueError, match="x of shape"):
        wf.gradients(wf.W_HIDDEN, wf.W_OUTPUT, [2.0], [5.0, 5.0])
    with pytest.raises(TypeError, match="x1"):
        wf.step_three_ways("2", 3.0)
    with pytest.raises(ValueError, match="learning rate"):
        wf.step_three_ways(2.0, 3.0, -0.1)
    with pytest.raises(ValueError, match="n_out"):
        wf.step_three_ways(2.0, 3.0, 0.01, n_out=3)
    with pytest.raises(ValueError, match="among the widget's samples"):
        nb.widgets.framework_step_explorer(0.3, 0.3)
    with pytest.raises(ValueError, match="lr among the widget's values"):
        nb.widgets.framework_step_explorer(lr=0.02)
