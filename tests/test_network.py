"""Sequential, MLP, fit, SGD, gradcheck of whole networks, save/load."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nnbook as nb


@settings(max_examples=25, deadline=None)
@given(sizes=st.lists(st.integers(1, 5), min_size=2, max_size=4), n=st.integers(1, 5),
       act=st.sampled_from(["sigmoid", "tanh", "leaky_relu", "identity"]), seed=st.integers(0, 10**6))
def test_random_mlp_gradcheck(sizes, n, act, seed):
    rng = np.random.default_rng(seed)
    model = nb.MLP(sizes, activation=act, output_activation="identity", init="normal", rng=rng)
    X, Y = rng.normal(size=(n, sizes[0])), rng.normal(size=(n, sizes[-1]))
    loss = nb.MSELoss()
    loss.forward(model.forward(X), Y)
    model.backward(loss.backward())
    # A relative error means nothing for a gradient that is ~0 (a saturated unit): the
    # difference quotient's round-off, ~1e-10, is then all there is.
    assume(min(np.linalg.norm(g) for _, _, g in model.parameters()) > 1e-3)
    errors = nb.gradcheck(model, loss, X, Y)
    assert len(errors) == 2 * (len(sizes) - 1) + 1
    assert max(errors.values()) < 1e-6


def test_softmax_classifier_gradcheck(rng):
    model = nb.MLP([4, 6, 3], activation="tanh", output_activation="identity", rng=rng)
    X, y = rng.normal(size=(7, 4)), rng.integers(0, 3, size=7)
    assert max(nb.gradcheck(model, nb.SoftmaxCrossEntropyLoss(), X, y).values()) < 1e-6


def test_mlp_structure_matches_seed_000():
    model = nb.MLP([2, 4, 4, 1], activation="sigmoid", output_activation="sigmoid")
    kinds = [type(l).__name__ for l in model.layers]
    assert kinds == ["Linear", "Sigmoid", "Linear", "Sigmoid", "Linear", "Sigmoid"]
    assert list(model.params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert [model.params[f"W{l}"].shape for l in (1, 2, 3)] == [(4, 2), (4, 4), (1, 4)]
    assert model.params["W2"] is model.layers[2].W  # W^[2] is the second Linear layer's own array


def test_xor_seed_000_all_outputs_on_correct_side():
    X, y = nb.datasets.xor()
    model = nb.MLP([2, 4, 4, 1], activation="sigmoid", output_activation="sigmoid", init="normal", rng=0)
    history = model.fit(X, y, loss=nb.SquaredErrorLoss(half=True), optimizer=nb.SGD(1.0),
                        epochs=1000, batch_size=1, shuffle=False, progress=False)
    out = model.predict(X).ravel()
    assert ((out > 0.5) == (y.ravel() == 1)).all(), out
    assert history.loss[-1] < history.loss[0]


def test_fit_history_and_accuracy(rng):
    X, y = nb.datasets.blobs(n_per_class=30, rng=1)
    model = nb.MLP([2, 8, 3], activation="relu", output_activation="identity", init="he", rng=2)
    h = model.fit(X, y, loss=nb.SoftmaxCrossEntropyLoss(), optimizer=nb.SGD(0.1), epochs=30,
                  batch_size=16, rng=3, progress=False)
    assert len(h.loss) == 30 and len(h.accuracy) == 30
    assert h.accuracy[-1] > 0.9
    assert np.mean(model.predict_classes(X) == y) > 0.9


def test_fit_is_deterministic_given_rng():
    X, y = nb.datasets.moons(60, rng=0)
    runs = []
    for _ in range(2):
        model = nb.MLP([2, 5, 2], activation="tanh", output_activation="identity", rng=4)
        runs.append(model.fit(X, y, loss="softmax_cross_entropy", optimizer=nb.SGD(0.2), epochs=5,
                              batch_size=8, rng=9, progress=False).loss)
    assert runs[0] == runs[1]


def test_full_batch_step_is_one_gradient_descent_step(rng):
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    model = nb.MLP([3, 4, 2], activation="tanh", output_activation="identity", rng=1)
    params0 = {k: p.copy() for k, p in model.params.items()}
    loss = nb.MSELoss()
    loss.forward(model.forward(X), Y)
    model.backward(loss.backward())
    grads = {k: g.copy() for k, g in model.grads.items()}
    model.fit(X, Y, loss=nb.MSELoss(), optimizer=nb.SGD(0.1), epochs=1, progress=False)
    for k, p in model.params.items():
        np.testing.assert_allclose(p, params0[k] - 0.1 * grads[k])


def test_momentum_accumulates(rng):
    layer = nb.Linear(2, 1, init="zeros")
    opt = nb.SGD(0.1, momentum=0.9)
    layer.grads["W"][...] = 1.0
    opt.step(layer)
    opt.step(layer)
    np.testing.assert_allclose(layer.W, -(0.1 + 0.1 * 0.9 + 0.1))


def test_fit_reports_divergence_with_epoch():
    X, y = nb.datasets.height_weight()
    model = nb.MLP([2, 3, 1], activation="identity", init="normal", rng=0)
    with pytest.raises(FloatingPointError, match=r"epoch \d+, batch \d+"):
        model.fit(X * 100, y, loss=nb.MSELoss(), optimizer=nb.SGD(10.0), epochs=50, progress=False)


def test_progress_bar_can_be_turned_off(capsys):
    X, y = nb.datasets.xor()
    nb.MLP([2, 2, 1], output_activation="sigmoid", rng=0).fit(X, y, loss="mse", optimizer=nb.SGD(0.5), epochs=3, progress=False)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
    nb.MLP([2, 2, 1], output_activation="sigmoid", rng=0).fit(X, y, loss="mse", optimizer=nb.SGD(0.5), epochs=3, progress=True)
    drawn = capsys.readouterr()
    assert "training" in drawn.err + drawn.out  # tqdm's stream: stderr in a terminal, the cell's output in Jupyter


def test_save_and_load_round_trip(tmp_path, rng):
    model = nb.MLP([3, 5, 2], activation="relu", output_activation="identity", rng=3)
    path = tmp_path / "model.npz"
    nb.save(model, path)
    again = nb.load(path)
    X = rng.normal(size=(4, 3))
    np.testing.assert_array_equal(again.predict(X), model.predict(X))
    seq = nb.Sequential(nb.Linear(2, 3, rng=1), nb.LeakyReLU(0.2), nb.Linear(3, 1, rng=2))
    nb.save(seq, tmp_path / "seq.npz")
    np.testing.assert_array_equal(nb.load(tmp_path / "seq.npz").predict(X[:, :2]), seq.predict(X[:, :2]))


def test_load_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no model file"):
        nb.load(tmp_path / "missing.npz")
    nb.save(nb.MLP([3, 5, 2], output_activation="sigmoid", rng=0), tmp_path / "m.npz")
    with pytest.raises(ValueError, match=r"expects shape \(4, 3\), the file has \(5, 3\)"):
        nb.load_weights(nb.MLP([3, 4, 2], output_activation="sigmoid", rng=0), tmp_path / "m.npz")
    with pytest.raises(ValueError, match="do not match"):
        nb.load_weights(nb.MLP([3, 5, 5, 2], output_activation="sigmoid", rng=0), tmp_path / "m.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip file")
    with pytest.raises(ValueError, match="expected an nnbook model file"):
        nb.load(tmp_path / "junk.npz")
    with pytest.raises(TypeError, match="cannot save"):
        nb.save(nb.Sequential(nb.Elementwise(np.sin, np.cos)), tmp_path / "e.npz")


def test_datasets_are_deterministic_and_shaped():
    X, y = nb.datasets.height_weight()
    assert X.shape == (16, 2) and y.tolist() == [1] * 8 + [0] * 8
    a, b = nb.datasets.spiral(20, 3, rng=5), nb.datasets.spiral(20, 3, rng=5)
    np.testing.assert_array_equal(a[0], b[0])
    assert a[0].shape == (60, 2) and set(a[1]) == {0, 1, 2}
    Xtr, Xte, ytr, yte = nb.datasets.digits(rng=0)
    assert Xtr.shape[1] == 64 and len(Xtr) + len(Xte) == 1797 and Xtr.max() <= 1.0
    X, y = nb.datasets.sum_of_inputs(10, rng=0)
    np.testing.assert_allclose(y[:, 0], X.sum(axis=1))


def test_history_holds_plain_floats():
    """The book glues History's numbers with format specs: they are Python floats, not NumPy scalars."""
    X, y = nb.datasets.xor()
    h = nb.MLP([2, 4, 2], output_activation="identity", rng=0).fit(
        X, y.ravel().astype(int), loss="softmax_cross_entropy", optimizer=nb.SGD(0.5), epochs=3, progress=False)
    assert h.loss and h.accuracy
    assert all(type(v) is float for v in h.loss + h.accuracy), [type(v) for v in h.loss + h.accuracy]
