import numpy as np
import pytest

import nnbook as nb
from nnbook.widgets.init import DEPTH_VALUES, INITS, init_explorer, input_spread, layer_activations
from nnbook.widgets.softmax import Z0_VALUES, softmax_explorer, softmax_readout

pytest.importorskip("ipywidgets")


def test_softmax_readout_matches_the_library(rng):
    z = rng.normal(size=5)
    r = softmax_readout(z, 3)
    np.testing.assert_allclose(r["p"], nb.softmax(z))
    np.testing.assert_allclose(r["loss"], -np.log(nb.softmax(z)[3]))
    np.testing.assert_allclose(r["grad"], nb.softmax(z) - np.eye(5)[3])
    with pytest.raises(ValueError, match="label"):
        softmax_readout(z, 5)
    with pytest.raises(ValueError, match="at least 2 classes"):
        softmax_readout([1.0], 0)


def test_softmax_explorer_states_follow_the_controls():
    box = softmax_explorer((2.0, 1.0, 0.1), label=0)
    c, view = box.controls, box.view
    assert len(view.states) == len(Z0_VALUES) * 3
    assert len(set(view.states.values())) == len(view.states)     # every state differs
    p = nb.softmax(np.array([2.0, 1.0, 0.1]))
    assert f"{p[0]:.4f}" in view.current()
    c["z0"].value = 5.0
    p = nb.softmax(np.array([5.0, 1.0, 0.1]))
    assert f"<b>{-np.log(p[0]):.4f}</b>" in view.current()
    c["label"].value = 2
    shown = view.current()
    assert f"<b>{-np.log(p[2]):.4f}</b>" in shown and f"{p[2] - 1:.4f}" in shown
    assert f"class 2: {p[2]:.3f}; the true class 2 in green" in shown      # the text alternative
    with pytest.raises(ValueError, match="first logit among"):
        softmax_explorer((2.5, 1.0, 0.1))


def test_layer_activations_shapes_and_saturation():
    acts = layer_activations("normal", "tanh", depth=3, width=50, n_samples=200, rng=0)
    assert len(acts) == 3 and all(A.shape == (200, 50) for A in acts)
    assert np.mean(np.abs(acts[-1]) > 0.99) > 0.3  # N(0, 1) weights saturate tanh
    small = layer_activations("small", "tanh", depth=3, width=50, n_samples=200, rng=0)
    assert small[-1].std() < 1e-3 < small[0].std()  # ×0.01 weights shrink the signal layer by layer
    # With the sigmoid every unit settles at 0.5 whatever the input: the values still differ from
    # unit to unit (their std stays), but what depends on the input shrinks layer by layer.
    sig = layer_activations("small", "sigmoid", depth=4, width=50, n_samples=200, rng=0)
    spreads = [input_spread(A) for A in sig]
    assert all(b < 0.1 * a for a, b in zip(spreads, spreads[1:])) and spreads[-1] < 1e-6, spreads
    assert sig[-1].std() > 1e-3                    # the plain std would not show it
    with pytest.raises(ValueError, match="initializer"):
        layer_activations("zeros")
    with pytest.raises(ValueError, match="depth"):
        layer_activations(depth=0)


def test_init_explorer_states_follow_the_controls():
    box = init_explorer("xavier", "tanh", depth=5)
    c, view = box.controls, box.view
    assert len(view.states) == len(INITS) * 3 * len(DEPTH_VALUES)
    assert len(set(view.states.values())) == len(view.states)     # every state differs
    acts = layer_activations("xavier", "tanh", 5)
    assert f"{input_spread(acts[0]):.3g}, " in view.current()
    c["init"].value = "normal"
    c["depth"].value = 10
    acts = layer_activations("normal", "tanh", 10)
    shown = view.current()
    assert ", ".join(f"{input_spread(A):.3g}" for A in acts) in shown and "saturated" in shown
    assert "each of 10 hidden layers with init = normal" in shown
    c["activation"].value = "relu"
    assert "zeros" in view.current()
    with pytest.raises(ValueError, match="depth among"):
        init_explorer(depth=4)
