"""Figures of chapter 14: digit grids, the confusion matrix and first-layer weights."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.metrics import confusion_matrix as sk_confusion_matrix

import nnbook as nb
from nnbook.plots import digits as pd


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _images(rng, n=7):
    return rng.integers(0, 17, size=(n, 64)) / 16.0


def test_mosaic_places_every_image(rng):
    X = _images(rng, 7)
    M = pd.digit_mosaic(X, ncols=3)
    cell = 8 + pd.GAP
    assert M.shape == (3 * cell - pd.GAP, 3 * cell - pd.GAP)
    for i, row in enumerate(X):
        r, c = divmod(i, 3)
        np.testing.assert_array_equal(M[r * cell:r * cell + 8, c * cell:c * cell + 8], row.reshape(8, 8))
    # the two unused cells of the last row and the gaps are empty (NaN)
    assert np.isnan(M[2 * cell:, cell:]).all()
    assert np.isnan(M[8, :]).all()


def test_mosaic_row_gap(rng):
    X = _images(rng, 4)
    M = pd.digit_mosaic(X, ncols=2, row_gap=3)
    np.testing.assert_array_equal(M[11:19, 0:8], X[2].reshape(8, 8))
    assert np.isnan(M[8:11, :]).all()


def test_show_digits_accepts_rows_or_squares(rng):
    X = _images(rng, 5)
    ax1 = pd.show_digits(X)
    ax2 = pd.show_digits(X.reshape(5, 8, 8))
    np.testing.assert_array_equal(ax1.images[0].get_array().filled(-1), ax2.images[0].get_array().filled(-1))


def test_show_digits_captions_and_colours(rng):
    X = _images(rng, 6)
    labels = np.array([0, 1, 2, 3, 4, 5])
    pred = np.array([0, 1, 7, 3, 9, 5])
    fig, ax = plt.subplots()
    assert pd.show_digits(X, labels, pred, ncols=4, ax=ax, title="t") is ax
    texts = [t for t in ax.texts]
    assert [t.get_text() for t in texts] == [f"{a}→{b}" for a, b in zip(labels, pred)]
    wrong = [t.get_text() for t in texts if t.get_color() == "tab:red"]
    assert wrong == ["2→7", "4→9"]
    assert ax.get_title() == "t"


def test_show_digits_labels_only(rng):
    ax = pd.show_digits(_images(rng, 3), [4, 5, 6])
    assert [t.get_text() for t in ax.texts] == ["4", "5", "6"]


def test_show_digits_bad_input(rng):
    with pytest.raises(ValueError, match="square number of pixels"):
        pd.show_digits(rng.random((3, 10)))
    with pytest.raises(ValueError, match="one per image"):
        pd.show_digits(_images(rng, 3), [1, 2])
    with pytest.raises(TypeError, match="integer labels"):
        pd.show_digits(_images(rng, 2), [1.5, 2.0])
    with pytest.raises(TypeError, match="numeric array"):
        pd.show_digits([["a"] * 64])
    with pytest.raises(ValueError, match="ncols"):
        pd.show_digits(_images(rng, 2), ncols=0)


@pytest.mark.parametrize("k", [2, 3, 10])
def test_confusion_matrix_matches_sklearn(rng, k):
    for _ in range(5):
        n = int(rng.integers(1, 200))
        t = rng.integers(0, k, n)
        p = rng.integers(0, k, n)
        np.testing.assert_array_equal(pd.confusion_matrix(t, p, k), sk_confusion_matrix(t, p, labels=range(k)))
    C = pd.confusion_matrix([0, 2], [0, 2])
    assert C.shape == (3, 3)


def test_confusion_matrix_bad_input():
    with pytest.raises(ValueError, match="same length"):
        pd.confusion_matrix([0, 1], [0])
    with pytest.raises(ValueError, match=r"labels in 0\.\.1"):
        pd.confusion_matrix([0, 2], [0, 1], 2)
    with pytest.raises(TypeError, match="non-negative integer"):
        pd.confusion_matrix([0, -1], [0, 1])
    with pytest.raises(TypeError, match="non-negative integer"):
        pd.confusion_matrix([0.5, 1], [0, 1])
    with pytest.raises(ValueError, match="n_classes"):
        pd.confusion_matrix([0, 1], [0, 1], 0)


def test_confusion_matrix_plot_shows_the_counts(rng):
    t = rng.integers(0, 4, 60)
    p = np.where(rng.random(60) < 0.7, t, rng.integers(0, 4, 60))
    ax = pd.confusion_matrix_plot(t, p, 4)
    C = sk_confusion_matrix(t, p, labels=range(4))
    np.testing.assert_array_equal(ax.images[0].get_array(), C)
    shown = {(round(tx.get_position()[1]), round(tx.get_position()[0])): int(tx.get_text()) for tx in ax.texts}
    for (i, j), count in shown.items():
        assert C[i, j] == count
    assert sum(shown.values()) == C.sum()
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"


def test_first_layer_weights_draws_each_row_scaled():
    model = nb.MLP([64, 5, 10], output_activation="sigmoid", rng=3)
    W = model.params["W1"]
    ax = pd.first_layer_weights(model, ncols=5)
    M = ax.images[0].get_array().filled(np.nan)
    for j in range(5):
        np.testing.assert_allclose(M[0:8, 9 * j:9 * j + 8], W[j].reshape(8, 8) / np.abs(W[j]).max())
    ax2 = pd.first_layer_weights(model.layers[0], n_units=2)
    assert ax2.images[0].get_array().shape == (8, 17)


def test_first_layer_weights_relative_to():
    model = nb.MLP([64, 3, 10], output_activation="sigmoid", rng=1)
    W0 = model.params["W1"].copy()
    W0[1] = model.params["W1"][1]  # unit 1 unchanged: drawn as zeros, not NaN
    W0[0] += 0.5
    ax = pd.first_layer_weights(model, relative_to=W0, ncols=3)
    M = ax.images[0].get_array().filled(np.nan)
    np.testing.assert_allclose(M[0:8, 0:8], -1.0)
    np.testing.assert_allclose(M[0:8, 9:17], 0.0)


def test_first_layer_weights_bad_input():
    with pytest.raises(ValueError, match="square number of inputs"):
        pd.first_layer_weights(nb.MLP([10, 4, 2], output_activation="sigmoid", rng=0))
    with pytest.raises(TypeError, match="Linear layer"):
        pd.first_layer_weights("model")
    with pytest.raises(ValueError, match="n_units"):
        pd.first_layer_weights(nb.MLP([64, 4, 2], output_activation="sigmoid", rng=0), n_units=0)
    with pytest.raises(ValueError, match="relative_to"):
        pd.first_layer_weights(nb.MLP([64, 4, 2], output_activation="sigmoid", rng=0), relative_to=np.zeros((3, 64)))


def test_package_exports():
    import nnbook.plots

    assert nnbook.plots.show_digits is pd.show_digits
    assert nnbook.plots.confusion_matrix_plot is pd.confusion_matrix_plot
    assert nnbook.plots.first_layer_weights is pd.first_layer_weights
