"""Layers that compose: derived parameters, a layer written Saito's way, public forward and
backward, the book's parameter names, the logits trap, History."""

import numpy as np
import pytest

import nnbook as nb


class SaitoLinear(nb.Layer):
    """A fully connected layer written as in Saito's ``common/layers.py``: it assigns new
    gradient arrays in ``backward`` instead of writing into the old ones."""

    def __init__(self, W, b):
        super().__init__()
        self.n_in = W.shape[1]
        self.n_out = W.shape[0]
        self.params = {"W": W.copy(), "b": b.copy()}
        self.grads = {}

    def _forward(self, X):
        self.X = X
        return X @ self.params["W"].T + self.params["b"]

    def _backward(self, dZ):
        self.grads["W"] = dZ.T @ self.X
        self.grads["b"] = dZ.sum(axis=0)
        return dZ @ self.params["W"]


def _pair(seed=0):
    rng = np.random.default_rng(seed)
    W1, b1 = rng.normal(size=(5, 2)), rng.normal(size=5)
    W2, b2 = rng.normal(size=(3, 5)), rng.normal(size=3)
    saito = nb.Sequential(SaitoLinear(W1, b1), nb.Tanh(), SaitoLinear(W2, b2))
    ours = nb.Sequential(nb.Linear.from_weights(W1, b1), nb.Tanh(), nb.Linear.from_weights(W2, b2))
    return saito, ours


def test_saito_style_layer_trains_inside_sequential():
    X, y = nb.datasets.blobs(n_per_class=20, rng=1)
    saito, ours = _pair()
    before = saito.params["W1"].copy()
    for model in (saito, ours):
        model.fit(X, y, loss=nb.SoftmaxCrossEntropyLoss(), optimizer=nb.SGD(0.1), epochs=5,
                  batch_size=10, rng=0, progress=False)
    assert not np.allclose(saito.params["W1"], before)
    for k in ours.params:  # the same steps as the library's Linear
        np.testing.assert_allclose(saito.params[k], ours.params[k], rtol=1e-12)


def test_gradcheck_works_with_a_saito_style_layer(rng):
    saito, _ = _pair(3)
    X, y = rng.normal(size=(6, 2)), rng.integers(0, 3, size=6)
    errors = nb.gradcheck(saito, nb.SoftmaxCrossEntropyLoss(), X, y)
    assert set(errors) == {"W1", "b1", "W2", "b2", "X"}
    assert max(errors.values()) < 1e-6


def test_params_and_grads_are_read_from_the_layers(rng):
    model = nb.MLP([3, 4, 2], activation="tanh", rng=0)
    assert list(model.grads) == ["W1", "b1", "W2", "b2"]
    model.layers[0].grads["W"] = np.ones((4, 3))  # a new array, assigned
    np.testing.assert_array_equal(model.grads["W1"], np.ones((4, 3)))
    model.params["W2"][...] = 0.0  # the layer's own array, not a copy
    np.testing.assert_array_equal(model.layers[2].W, 0.0)


def test_a_layers_public_backward_works_after_the_networks_forward(rng):
    model = nb.MLP([3, 4, 2], activation="sigmoid", output_activation="sigmoid", rng=0)
    X = rng.normal(size=(5, 3))
    A = model.forward(X)
    dZ = model.layers[-1].backward(np.ones_like(A))
    np.testing.assert_allclose(dZ, A * (1 - A))
    dX = model.backward(np.ones_like(A))
    assert dX.shape == X.shape


def test_linear_one_example_is_one_row_of_a_batch(rng):
    layer = nb.Linear(3, 2, rng=0)
    x, dz = rng.normal(size=3), rng.normal(size=2)
    z = layer.forward(x)
    dx = layer.backward(dz)
    np.testing.assert_allclose(z, layer.W @ x + layer.b)
    np.testing.assert_allclose(layer.grads["W"], np.outer(dz, x))
    np.testing.assert_allclose(layer.grads["b"], dz)
    np.testing.assert_allclose(dx, layer.W.T @ dz)
    assert dx.shape == (3,)


def test_softmax_cross_entropy_gradient_is_p_minus_t_over_n(rng):
    Z, y = rng.normal(size=(4, 3)), np.array([0, 2, 1, 2])
    loss = nb.SoftmaxCrossEntropyLoss()
    loss.forward(Z, y)
    np.testing.assert_allclose(loss.backward(), (nb.softmax(Z) - np.eye(3)[y]) / 4)


def test_mlp_output_is_identity_by_default():
    model = nb.MLP([2, 3, 2], activation="relu")
    assert [type(l).__name__ for l in model.layers] == ["Linear", "ReLU", "Linear", "Identity"]
    assert model.output_activation == "identity"


@pytest.mark.parametrize("out", ["sigmoid", "relu", "tanh"])
def test_softmax_cross_entropy_refuses_squashed_outputs(out):
    X, y = nb.datasets.blobs(n_per_class=5, rng=0)
    model = nb.MLP([2, 4, 3], activation="relu", output_activation=out, rng=0)
    with pytest.raises(ValueError, match="takes logits.*output_activation='identity'"):
        model.fit(X, y, loss=nb.SoftmaxCrossEntropyLoss(), optimizer=nb.SGD(0.1), epochs=1, progress=False)


def test_old_files_with_layer_index_keys_still_load(tmp_path, rng):
    model = nb.MLP([3, 4, 2], activation="tanh", rng=1)
    old_keys = {"0.W": model.params["W1"], "0.b": model.params["b1"],
                "2.W": model.params["W2"], "2.b": model.params["b2"]}
    meta = {"format": "nnbook-model", "version": 1, "model": {"class": "MLP", "config": model.get_config()}}
    import json

    np.savez(tmp_path / "old.npz", __nnbook__=np.array(json.dumps(meta)), **old_keys)
    again = nb.load(tmp_path / "old.npz")
    X = rng.normal(size=(5, 3))
    np.testing.assert_array_equal(again.predict(X), model.predict(X))
    nb.save(model, tmp_path / "new.npz")
    assert sorted(np.load(tmp_path / "new.npz").files) == ["W1", "W2", "__nnbook__", "b1", "b2"]


def test_soft_target_accuracy_is_by_argmax():
    X = np.array([[0.4, 0.1], [0.2, 0.45]])
    T = np.array([[0.6, 0.4], [0.3, 0.7]])  # soft targets: class 0, then class 1
    model = nb.Sequential(nb.Linear.from_weights(np.eye(2)))  # logits = X: below 0.5, argmax right
    h = model.fit(X, T, loss=nb.SoftmaxCrossEntropyLoss(), optimizer=nb.SGD(1e-9), epochs=1, progress=False)
    assert h.accuracy == [1.0]


def test_history_repr_is_short():
    h = nb.History(loss=[2.302, 1.0, 0.0512], accuracy=[0.1, 0.5, 0.981])
    assert repr(h) == "History(epochs=3, loss 2.3 → 0.0512, accuracy 0.981)"
    assert repr(nb.History(loss=[1.0, 0.5])) == "History(epochs=2, loss 1 → 0.5)"
