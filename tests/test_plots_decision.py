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


def test_figures_carry_a_text_alternative_into_the_notebook_output():
    # In a notebook the figure's PNG output carries {"alt": ...} (the book's <img alt>), made of
    # what each helper drew, never a file name.
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats
    from matplotlib.figure import Figure

    from nnbook.plots import decision_boundary, loss_curve
    from nnbook.plots._alt import alt_text

    shell = InteractiveShell.instance()
    try:
        select_figure_formats(shell, {"png"})
        shell.display_formatter.formatters["image/png"].enabled = True
        X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
        y = np.array([0, 0, 1, 1])
        fig = Figure()
        ax1, ax2 = fig.subplots(1, 2)
        decision_boundary(nb.MLP([2, 4, 1], rng=0), X, y, ax=ax1, title="XOR")
        loss_curve([0.7, 0.5, 0.25], ax=ax2)
        data, metadata = shell.display_formatter.format(fig)
        alt = metadata["image/png"]["alt"]
        assert alt == alt_text(fig) and "image/png" in data
        assert alt.startswith("XOR: decision regions of a classifier") and "4 data points of 2 classes" in alt
        assert "The loss per epoch, from 0.7 to 0.25 over 3 epochs." in alt
        assert ".png" not in alt
    finally:
        InteractiveShell.clear_instance()


def test_the_build_writes_a_figures_description_into_its_page(tmp_path):
    # tools/figure_alt.py: MyST-NB names an output image by the sha256 of its bytes and gives it
    # the file's path as alt; the description from the output's metadata replaces it.
    import base64
    import hashlib
    import json
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    import figure_alt

    png = b"\x89PNG\r\n\x1a\nfake"
    digest = hashlib.sha256(png).hexdigest()
    output = {"output_type": "display_data", "data": {"image/png": base64.b64encode(png).decode()},
              "metadata": {"image/png": {"alt": 'Decision regions of "XOR"'}}}
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "a.ipynb").write_text(json.dumps({"cells": [{"outputs": [output]}]}))
    alts = figure_alt.alt_texts(tmp_path)
    assert alts == {digest: 'Decision regions of "XOR"'}
    page = f'<img alt="../_images/{digest}.png" src="../_images/{digest}.png"><img alt="../_images/{"0" * 64}.png">'
    new, count = figure_alt.fill_alts(page, alts)
    assert count == 1
    assert new.startswith('<img alt="Decision regions of &quot;XOR&quot;" src=') and f'alt="../_images/{"0" * 64}.png"' in new
