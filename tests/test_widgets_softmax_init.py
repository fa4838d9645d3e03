import numpy as np
import pytest

import nnbook as nb
from nnbook.widgets.init import init_explorer, layer_activations
from nnbook.widgets.softmax import softmax_explorer, softmax_readout

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


def test_softmax_explorer_updates_the_readout():
    box = softmax_explorer((2.0, 1.0, 0.1), label=0)
    p = nb.softmax(np.array([2.0, 1.0, 0.1]))
    assert f"{p[0]:.4f}" in box.readout.value
    first = box.image.value
    box.sliders[2].value = 4.0
    p = nb.softmax(np.array([2.0, 1.0, 4.0]))
    assert f"{-np.log(p[0]):.4f}" in box.readout.value
    box.label.value = 2
    assert f"{-np.log(p[2]):.4f}" in box.readout.value
    assert f"{p[2] - 1:.4f}" in box.readout.value
    assert box.image.value != first


def test_layer_activations_shapes_and_saturation():
    acts = layer_activations("normal", "tanh", depth=3, width=50, n_samples=200, rng=0)
    assert len(acts) == 3 and all(A.shape == (200, 50) for A in acts)
    assert np.mean(np.abs(acts[-1]) > 0.99) > 0.3  # N(0, 1) weights saturate tanh
    small = layer_activations("small", "tanh", depth=3, width=50, n_samples=200, rng=0)
    assert small[-1].std() < 1e-3 < small[0].std()  # ×0.01 weights shrink the signal layer by layer
    with pytest.raises(ValueError, match="initializer"):
        layer_activations("zeros")
    with pytest.raises(ValueError, match="depth"):
        layer_activations(depth=0)


def test_init_explorer_redraws():
    box = init_explorer("xavier", "tanh", depth=3)
    acts = layer_activations("xavier", "tanh", 3)
    assert f"{acts[0].std():.3g}" in box.readout.value
    first = box.image.value
    box.init.value = "normal"
    assert box.image.value != first
    box.activation.value = "relu"
    assert "zeros" in box.readout.value
