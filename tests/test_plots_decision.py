import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnbook as nb
from nnbook.plots.decision import class_labels, decision_boundary, grid_predictions, loss_curve


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_grid_predictions_match_the_model_at_grid_points():
    X, _ = nb.datasets.moons(40, rng=1)
    model = nb.MLP([2, 3, 1], output_activation="sigmoid", rng=2)
    xx, yy, out = grid_predictions(model, X, resolution=7, padding=0.25)
    assert xx.shape == yy.shape == (7, 7) and out.shape == (7, 7, 1)
    np.testing.assert_allclose(xx.min(), X[:, 0].min() - 0.25)
    np.testing.assert_allclose(yy.max(), X[:, 1].max() + 0.25)
    i, j = 3, 5
    np.testing.assert_allclose(out[i, j], model.predict(np.array([xx[i, j], yy[i, j]])))


def test_decision_boundary_binary_draws_the_half_level_and_the_points():
    X, y = nb.datasets.moons(60, rng=0)
    model = nb.MLP([2, 1], activation="sigmoid", output_activation="sigmoid", rng=0)
    model.fit(X, y.astype(float), loss=nb.BCELoss(), optimizer=nb.SGD(1.0), epochs=50, progress=False)
    fig, ax = plt.subplots()
    out = decision_boundary(model, X, y, ax=ax, title="t")
    assert out is ax and ax.get_title() == "t"
    assert len(ax.collections) >= 3  # filled contours, the 0.5 line, two scatter sets
    offsets = np.concatenate([c.get_offsets() for c in ax.collections if hasattr(c, "get_offsets")
                              and len(c.get_offsets()) in (int((y == 0).sum()), int((y == 1).sum()))])
    assert offsets.shape[0] >= len(y)


def test_decision_boundary_multiclass_regions_follow_argmax():
    X, y = nb.datasets.blobs(20, 3, rng=0)
    model = nb.MLP([2, 8, 3], activation="relu", output_activation="identity", rng=0)
    ax = decision_boundary(model, X, y, resolution=30)
    assert ax.get_legend() is not None
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1", "class 2"]


def test_class_labels_accepts_labels_columns_and_one_hot():
    np.testing.assert_array_equal(class_labels([0, 2, 1], 3), [0, 2, 1])
    np.testing.assert_array_equal(class_labels([[0.0], [1.0]], 2), [0, 1])
    np.testing.assert_array_equal(class_labels(np.eye(3)[[2, 0]], 2), [2, 0])
    with pytest.raises(ValueError, match="one label per sample"):
        class_labels([0, 1], 3)


def test_decision_boundary_rejects_bad_input():
    model = nb.MLP([2, 1], output_activation="sigmoid", rng=0)
    with pytest.raises(ValueError, match=r"shape \(n_samples, 2\)"):
        decision_boundary(model, np.zeros((4, 3)), np.zeros(4))
    with pytest.raises(TypeError, match="predict"):
        decision_boundary(object(), np.zeros((4, 2)), np.zeros(4))
    with pytest.raises(TypeError, match="Axes"):
        decision_boundary(model, np.zeros((4, 2)), np.zeros(4), ax="left")
    with pytest.raises(ValueError, match="resolution"):
        decision_boundary(model, np.zeros((4, 2)), np.zeros(4), resolution=1)


def test_loss_curve_plots_the_history():
    h = nb.History(loss=[3.0, 2.0, 1.5])
    ax = loss_curve(h, label="run")
    line = ax.get_lines()[0]
    np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(line.get_ydata(), [3.0, 2.0, 1.5])
    ax2 = loss_curve([1.0, 0.5], x=[10, 20], logy=True, xlabel="updates")
    assert ax2.get_yscale() == "log" and ax2.get_xlabel() == "updates"
    np.testing.assert_array_equal(ax2.get_lines()[0].get_xdata(), [10, 20])


def test_loss_curve_rejects_bad_input():
    with pytest.raises(ValueError, match="non-empty 1-D"):
        loss_curve([])
    with pytest.raises(ValueError, match="shape of the losses"):
        loss_curve([1.0, 2.0], x=[1, 2, 3])
    with pytest.raises(TypeError, match="numeric"):
        loss_curve(["a", "b"])
