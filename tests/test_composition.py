"""Layers that compose: a layer written Saito's way (a plain class) and a Layer subclass train
with the public forward and backward alone; names that hold (the book's W1, b1, ..., nested
models, a reader's layer); the logits trap; History."""

import numpy as np
import pytest

import nnbook as nb


class Affine:
    """Saito's ``Affine`` (``common/layers.py``) in nnbook's shapes, as a reader would copy it: a
    plain class, no base class, public ``forward`` and ``backward`` only, and ``backward``
    assigns new gradient arrays instead of writing into the old ones."""

    def __init__(self, W, b):
        self.params = {"W": W.copy(), "b": b.copy()}
        self.grads = {}

    def forward(self, x):
        self.x = x
        return x @ self.params["W"].T + self.params["b"]

    def backward(self, dout):
        self.grads["W"] = dout.T @ self.x
        self.grads["b"] = dout.sum(axis=0)
        return dout @ self.params["W"]


class Scale(nb.Layer):
    """A ``Layer`` subclass that writes only the public ``forward`` and ``backward``: y = a·x."""

    def __init__(self, a=1.5):
        super().__init__()
        self.params = {"a": np.array([a])}
        self.grads = {"a": np.zeros(1)}

    def forward(self, X):
        self.X = X
        return self.params["a"] * X

    def backward(self, dY):
        self.grads["a"] = np.array([(dY * self.X).sum()])
        return dY * self.params["a"]


def _pair(seed=0):
    rng = np.random.default_rng(seed)
    W1, b1 = rng.normal(size=(5, 2)), rng.normal(size=5)
    W2, b2 = rng.normal(size=(3, 5)), rng.normal(size=3)
    saito = nb.Sequential(Affine(W1, b1), nb.Tanh(), Affine(W2, b2))
    ours = nb.Sequential(nb.Linear.from_weights(W1, b1), nb.Tanh(), nb.Linear.from_weights(W2, b2))
    return saito, ours


def test_saito_style_layer_trains_inside_sequential():
    X, y = nb.datasets.blobs(n_per_class=20, rng=1)
    saito, ours = _pair()
    assert list(saito.params) == ["Affine1.W", "Affine1.b", "Affine2.W", "Affine2.b"]
    before = saito.params["Affine1.W"].copy()
    for model in (saito, ours):
        model.fit(X, y, loss=nb.SoftmaxCrossEntropyLoss(), optimizer=nb.SGD(0.1), epochs=5,
                  batch_size=10, rng=0, progress=False)
    assert not np.allclose(saito.params["Affine1.W"], before)
    for p_saito, p_ours in zip(saito.params.values(), ours.params.values(), strict=True):
        np.testing.assert_allclose(p_saito, p_ours, rtol=1e-12)  # the same steps as Linear's


def test_saito_style_layer_trains_alone_with_fit_and_sgd():
    X, y = nb.datasets.blobs(n_per_class=20, rng=1)
    rng = np.random.default_rng(2)
    W, b = rng.normal(size=(3, 2)), np.zeros(3)
    alone, ours = Affine(W, b), nb.Linear.from_weights(W, b)
    for model in (alone, ours):
        h = nb.fit(model, X, y, loss="softmax_cross_entropy", optimizer=nb.SGD(0.1, momentum=0.5),
                   epochs=4, batch_size=8, rng=0, progress=False)
        assert h.loss[-1] < h.loss[0]
    np.testing.assert_allclose(alone.params["W"], ours.W, rtol=1e-12)
    np.testing.assert_allclose(alone.params["b"], ours.b, rtol=1e-12)


def test_a_layer_subclass_with_public_forward_and_backward_trains():
    X, y = nb.datasets.blobs(n_per_class=20, rng=1)
    model = nb.Sequential(nb.Linear(2, 4, rng=0), Scale(), nb.Tanh(), nb.Linear(4, 3, rng=1))
    assert list(model.params) == ["W1", "b1", "Scale1.a", "W2", "b2"]
    h = model.fit(X, y, loss=nb.SoftmaxCrossEntropyLoss(), optimizer=nb.SGD(0.2), epochs=20,
                  batch_size=10, rng=0, progress=False)
    assert h.loss[-1] < h.loss[0] and model.params["Scale1.a"][0] != 1.5
    assert max(nb.gradcheck(model, "softmax_cross_entropy", X[:6], y[:6]).values()) < 1e-6


def test_gradcheck_works_with_a_saito_style_layer(rng):
    saito, _ = _pair(3)
    X, y = rng.normal(size=(6, 2)), rng.integers(0, 3, size=6)
    errors = nb.gradcheck(saito, nb.SoftmaxCrossEntropyLoss(), X, y)
    assert set(errors) == {"Affine1.W", "Affine1.b", "Affine2.W", "Affine2.b", "X"}
    assert max(errors.values()) < 1e-6
    errors = nb.gradcheck(Affine(rng.normal(size=(3, 2)), rng.normal(size=3)), "softmax_cross_entropy", X, y)
    assert set(errors) == {"W", "b", "X"} and max(errors.values()) < 1e-6


def test_sequential_says_what_a_layer_lacks():
    with pytest.raises(TypeError, match=r"params and grads dictionaries .* got list at position 1 without "
                                        r"params, grads, forward\(\), backward\(\)"):
        nb.Sequential(nb.Linear(2, 2), [1, 2])

    class NoBackward:
        params, grads = {}, {}

        def forward(self, X):
            return X

    with pytest.raises(TypeError, match=r"got NoBackward at position 0 without backward\(\)"):
        nb.Sequential(NoBackward())
    with pytest.raises(TypeError, match="NoBackward as the model without backward"):
        nb.fit(NoBackward(), np.zeros((2, 2)), np.zeros((2, 2)), loss="mse", optimizer=nb.SGD(0.1), epochs=1)


def test_a_readers_layer_renames_no_linear():
    W = np.ones((4, 4))
    plain = nb.Sequential(nb.Linear(2, 4, rng=0), nb.Tanh(), nb.Linear(4, 4, rng=1), nb.Linear(4, 1, rng=2))
    mixed = nb.Sequential(plain.layers[0], plain.layers[1], Affine(W, np.zeros(4)), *plain.layers[2:])
    assert list(plain.params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert list(mixed.params) == ["W1", "b1", "Affine1.W", "Affine1.b", "W2", "b2", "W3", "b3"]
    for name in plain.params:  # the second Linear is W2 in both
        assert mixed.params[name] is plain.params[name]


def test_nested_models_have_unique_stable_keys(tmp_path, rng):
    twelve = [nb.Linear(3, 3, rng=i) for i in range(12)]
    inner = nb.Sequential(nb.Linear(3, 3, rng=20), nb.Tanh(), nb.Linear(3, 3, rng=21))
    model = nb.Sequential(*twelve[:10], inner, *twelve[10:], nb.MLP([3, 2, 3], rng=22))
    n_arrays = 2 * 12 + 2 * 2 + 2 * 2
    assert len(model.params) == len(model.grads) == n_arrays
    assert len({id(p) for p in model.params.values()}) == n_arrays
    assert [k for k in model.params if "." in k] == ["Sequential1.W1", "Sequential1.b1", "Sequential1.W2",
                                                     "Sequential1.b2", "MLP1.W1", "MLP1.b1", "MLP1.W2", "MLP1.b2"]
    assert model.params["W11"] is twelve[10].W and model.params["Sequential1.W2"] is inner.layers[2].W
    X, Y = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    assert max(nb.gradcheck(model, "mse", X, Y).values()) < 1e-6
    nb.save(model, tmp_path / "nested.npz")
    again = nb.load(tmp_path / "nested.npz")
    assert list(again.params) == list(model.params)
    np.testing.assert_array_equal(again.predict(X), model.predict(X))


def test_two_parameters_under_one_name_raise_naming_both():
    class TwoWeights(nb.Linear):  # keeps a second matrix under the key "W1": its name would be W11
        def __init__(self):
            super().__init__(1, 1, rng=0)
            self.params["W1"], self.grads["W1"] = np.ones((1, 1)), np.zeros((1, 1))

    layers = [TwoWeights()] + [nb.Linear(1, 1, rng=i) for i in range(10)]
    with pytest.raises(ValueError, match=r"both be named 'W11': 'W1' of layer 0 \(TwoWeights\) and 'W' of "
                                         r"layer 10 \(Linear\)"):
        nb.Sequential(*layers)


def test_a_readers_layer_cannot_be_saved_but_says_so(tmp_path):
    saito, _ = _pair()
    with pytest.raises(TypeError, match=r"cannot save a Affine layer.*np.savez\(path, \*\*model.params\)"):
        nb.save(saito, tmp_path / "saito.npz")


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


def test_names_follow_the_layers_list(rng):
    model = nb.Sequential(nb.Linear(2, 3, rng=0), nb.Tanh())
    model.layers.append(nb.Linear(3, 1, rng=1))
    assert list(model.params) == ["W1", "b1", "W2", "b2"]
    model.forward(rng.normal(size=(4, 2)))
    model.backward(np.ones((4, 1)))
    assert list(model.grads) == list(model.params)


def test_fit_reads_the_output_width_from_the_model_not_from_its_last_linear():
    X, y = nb.datasets.blobs(n_per_class=10, rng=1)  # 3 classes
    rng = np.random.default_rng(0)
    model = nb.Sequential(nb.Linear(2, 4, rng=0), nb.Tanh(), Affine(rng.normal(size=(3, 4)), np.zeros(3)))
    h = model.fit(X, y, loss="softmax_cross_entropy", optimizer=nb.SGD(0.1), epochs=3, progress=False)
    assert len(h.loss) == 3 and model.predict(X).shape == (30, 3)
