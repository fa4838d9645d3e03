"""Losses: values, gradients (central differences), and stability."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnbook as nb


def test_mse_is_seed_002_formula():
    y_true = np.array([1.0, 0.0, 0.0, 1.0])
    y_pred = np.zeros(4)
    assert nb.MSELoss().forward(y_pred, y_true) == pytest.approx(np.mean((y_true - y_pred) ** 2))


def test_squared_error_half_and_full(rng):
    y_pred, y = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    full = nb.SquaredErrorLoss().forward(y_pred, y)
    half_loss = nb.SquaredErrorLoss(half=True)
    half = half_loss.forward(y_pred, y)
    assert full == pytest.approx(np.sum((y_pred - y) ** 2) / 3)
    assert half == pytest.approx(full / 2)
    np.testing.assert_allclose(half_loss.backward(), (y_pred - y) / 3)


def test_seed_004_loss_gradient_is_ym_minus_yt():
    loss = nb.SquaredErrorLoss(half=True)
    y_m, y_t = np.array([70.0, 34.0]), np.array([2.0, 3.0])
    assert loss.forward(y_m, y_t) == pytest.approx(0.5 * ((70 - 2) ** 2 + (34 - 3) ** 2))
    np.testing.assert_allclose(loss.backward(), y_m - y_t)


def test_bce_never_takes_log_zero(recwarn):
    loss = nb.BCELoss()
    value = loss.forward(np.array([[0.0], [1.0]]), np.array([[1.0], [0.0]]))
    assert np.isfinite(value) and value > 700
    assert np.isfinite(loss.backward()).all()
    assert loss.forward(np.array([[0.0], [1.0]]), np.array([[0.0], [1.0]])) == 0.0
    assert not [w for w in recwarn.list if issubclass(w.category, RuntimeWarning)]


def test_softmax_cross_entropy_gradient_is_y_minus_t(rng):
    Z = rng.normal(size=(4, 3))
    labels = np.array([0, 2, 1, 2])
    loss = nb.SoftmaxCrossEntropyLoss()
    value = loss.forward(Z, labels)
    P = nb.softmax(Z)
    T = np.eye(3)[labels]
    assert value == pytest.approx(-np.mean(np.log(P[np.arange(4), labels])))
    np.testing.assert_allclose(loss.backward(), (P - T) / 4)
    assert loss.forward(Z, T) == pytest.approx(value)  # one-hot gives the same


def test_softmax_cross_entropy_huge_logits(recwarn):
    loss = nb.SoftmaxCrossEntropyLoss()
    value = loss.forward(np.array([[1000.0, -1000.0]]), np.array([1]))
    assert value == pytest.approx(2000.0)
    assert not [w for w in recwarn.list if issubclass(w.category, RuntimeWarning)]


@settings(max_examples=30, deadline=None)
@given(kind=st.sampled_from(["mse", "se", "se_half", "bce", "softmax"]), n=st.integers(1, 5),
       k=st.integers(2, 4), seed=st.integers(0, 10**6))
def test_loss_gradcheck(kind, n, k, seed):
    rng = np.random.default_rng(seed)
    if kind == "bce":
        X = rng.uniform(0.05, 0.95, size=(n, k))
        y = rng.integers(0, 2, size=(n, k)).astype(float)
        loss = nb.BCELoss()
    elif kind == "softmax":
        X = rng.normal(size=(n, k)) * 3
        y = rng.integers(0, k, size=n)
        loss = nb.SoftmaxCrossEntropyLoss()
    else:
        X, y = rng.normal(size=(n, k)), rng.normal(size=(n, k))
        loss = {"mse": nb.MSELoss(), "se": nb.SquaredErrorLoss(), "se_half": nb.SquaredErrorLoss(half=True)}[kind]
    errors = nb.gradcheck(nb.Identity(), loss, X, y)
    assert errors["X"] < 1e-6
