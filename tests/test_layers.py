"""Layers: shapes, the book's formulas, and gradient checks on random shapes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnbook as nb

ACTIVATIONS = [nb.Sigmoid, nb.Tanh, nb.ReLU, lambda: nb.LeakyReLU(0.1), nb.Identity,
               lambda: nb.Elementwise(lambda z: 2 * z, lambda z: np.full_like(z, 2.0), name="2x")]


def test_linear_single_example_is_W_x_plus_b(rng):
    layer = nb.Linear(3, 2, rng=rng)
    x = rng.normal(size=3)
    np.testing.assert_allclose(layer.forward(x), layer.W @ x + layer.b)


def test_linear_batch_rows_equal_single_examples(rng):
    layer = nb.Linear(3, 4, rng=rng)
    X = rng.normal(size=(5, 3))
    Z = layer.forward(X)
    for i in range(5):
        np.testing.assert_allclose(Z[i], layer.W @ X[i] + layer.b)


def test_linear_backward_matches_book_formulas(rng):
    layer = nb.Linear(3, 4, rng=rng)
    X = rng.normal(size=(6, 3))
    layer.forward(X)
    dZ = rng.normal(size=(6, 4))
    dZ_before = dZ.copy()
    dX = layer.backward(dZ)
    np.testing.assert_allclose(layer.grads["W"], dZ.T @ X)
    np.testing.assert_allclose(layer.grads["b"], dZ.sum(axis=0))
    np.testing.assert_allclose(dX, dZ @ layer.W)
    np.testing.assert_array_equal(dZ, dZ_before)  # dY is never changed in place


def test_linear_backward_single_example_is_outer_product(rng):
    layer = nb.Linear(2, 3, rng=rng)
    x = rng.normal(size=2)
    layer.forward(x)
    dz = rng.normal(size=3)
    dx = layer.backward(dz)
    np.testing.assert_allclose(layer.grads["W"], np.outer(dz, x))
    np.testing.assert_allclose(layer.grads["b"], dz)
    assert dx.shape == (2,)


def test_backward_overwrites_gradients(rng):
    layer = nb.Linear(2, 2, rng=rng)
    X = rng.normal(size=(3, 2))
    dZ = rng.normal(size=(3, 2))
    layer.forward(X)
    layer.backward(dZ)
    first = layer.grads["W"].copy()
    layer.forward(X)
    layer.backward(dZ)
    np.testing.assert_allclose(layer.grads["W"], first)


def test_params_and_grads_have_same_keys():
    layer = nb.Linear(2, 3, rng=0)
    assert set(layer.params) == set(layer.grads) == {"W", "b"}
    for act in ACTIVATIONS:
        a = act()
        assert a.params == {} and a.grads == {}


def test_from_weights_scalar_and_column_bias():
    W = [[1, 2], [2, 3], [1, 1], [3, 1]]
    a = nb.Linear.from_weights(W, 0.2)
    b = nb.Linear.from_weights(W, np.full((4, 1), 0.2))
    np.testing.assert_array_equal(a.b, b.b)
    assert a.W.dtype == np.float64 and a.W.shape == (4, 2)


@pytest.mark.parametrize("init", ["zeros", "small", "normal", "xavier", "he"])
def test_initializers_shapes_and_determinism(init):
    a = nb.Linear(5, 3, init=init, rng=7)
    b = nb.Linear(5, 3, init=init, rng=7)
    assert a.W.shape == (3, 5)
    np.testing.assert_array_equal(a.W, b.W)
    np.testing.assert_array_equal(a.b, b.b)


def test_initializer_scales():
    W = nb.Linear(400, 300, init="he", rng=0).W
    assert abs(W.std() - np.sqrt(2 / 400)) < 0.01 * np.sqrt(2 / 400) * 10
    W = nb.Linear(400, 300, init="xavier", rng=0).W
    assert abs(W.std() - np.sqrt(2 / 700)) < 0.05 * np.sqrt(2 / 700)
    assert np.abs(nb.Linear(10, 10, init="small", rng=0).W).max() < 0.05


@settings(max_examples=40, deadline=None)
@given(n_in=st.integers(1, 5), n_out=st.integers(1, 5), n=st.integers(1, 6), seed=st.integers(0, 10**6))
def test_linear_gradcheck(n_in, n_out, n, seed):
    rng = np.random.default_rng(seed)
    layer = nb.Linear(n_in, n_out, init="normal", rng=rng)
    X, Y = rng.normal(size=(n, n_in)), rng.normal(size=(n, n_out))
    errors = nb.gradcheck(layer, nb.MSELoss(), X, Y)
    assert set(errors) == {"W", "b", "X"}
    assert max(errors.values()) < 1e-6


@settings(max_examples=40, deadline=None)
@given(index=st.integers(0, len(ACTIVATIONS) - 1), n=st.integers(1, 6), width=st.integers(1, 5),
       seed=st.integers(0, 10**6))
def test_activation_gradcheck(index, n, width, seed):
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(n, width))
    Z[np.abs(Z) < 1e-3] = 0.5  # keep clear of the ReLU kink, where no derivative exists
    layer = ACTIVATIONS[index]()
    errors = nb.gradcheck(layer, nb.MSELoss(), Z, rng.normal(size=(n, width)))
    assert errors["X"] < 1e-6


def test_activation_functions_and_derivatives_agree_with_numeric():
    z = np.linspace(-4, 4, 41) + 0.013  # avoid z = 0 exactly
    h = 1e-6
    for f, df in [(nb.sigmoid, nb.sigmoid_prime), (nb.tanh, nb.tanh_prime),
                  (nb.relu, nb.relu_prime), (nb.leaky_relu, nb.leaky_relu_prime)]:
        numeric = (f(z + h) - f(z - h)) / (2 * h)
        np.testing.assert_allclose(df(z), numeric, atol=1e-8)


def test_sigmoid_and_softmax_are_stable(recwarn):
    np.testing.assert_array_equal(nb.sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])
    p = nb.softmax(np.array([[1000.0, 0.0, -1000.0], [1e308, 1e308, 0.0]]))
    np.testing.assert_allclose(p, [[1, 0, 0], [0.5, 0.5, 0]])
    assert np.isfinite(nb.sigmoid_prime(np.array([-1000.0, 1000.0]))).all()
    assert not [w for w in recwarn.list if issubclass(w.category, RuntimeWarning)]


def test_softmax_rows_sum_to_one(rng):
    P = nb.softmax(rng.normal(size=(5, 4)) * 50)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    assert (P >= 0).all()
