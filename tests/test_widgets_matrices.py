"""The matrix–vector explorer (chapter 3): row i of W gives z_i, column j is weighted by x_j."""

import re

import numpy as np
import pytest

import nnbook as nb

pytest.importorskip("ipywidgets")
from nnbook.widgets import matrices as mod  # noqa: E402

W004 = np.array([[1, 2], [2, 3], [1, 1], [3, 1]], dtype=float)


def _bold_numbers(html):
    return [float(v) for v in re.findall(r"-?\d+\.\d+", re.search(r"<b>(.*?)</b>", html).group(1))]


def test_parts_match_linear_on_random_shapes(rng):
    for _ in range(5):
        n_out, n_in = (int(v) for v in rng.integers(1, 6, size=2))
        W, b, x = rng.normal(size=(n_out, n_in)), rng.normal(size=n_out), rng.normal(size=n_in)
        p = mod.matvec_parts(W, b, x)
        np.testing.assert_allclose(p["z"], nb.Linear.from_weights(W, b).forward(x))
        np.testing.assert_allclose(p["products"].sum(axis=1), W @ x)


def test_seed004_hidden_layer():
    p = mod.matvec_parts(W004, 0.2, [2, 3])
    np.testing.assert_allclose(p["z"], nb.Linear.from_weights(W004, 0.2).forward(np.array([2.0, 3.0])))


@pytest.mark.parametrize(
    "W, b, x, match",
    [
        ([1, 2], 0.0, [1, 2], r"W of shape \(n_out, n_in\)"),
        (W004, [1, 2], [1, 2], r"b as a scalar or of shape \(4,\)"),
        (W004, 0.0, [1, 2, 3], r"x of shape \(2,\)"),
        (W004, np.nan, [1, 2], "finite"),
    ],
)
def test_bad_input(W, b, x, match):
    with pytest.raises(ValueError, match=match):
        mod.matvec_parts(W, b, x)


def test_readouts_bad_index():
    with pytest.raises(ValueError, match="row index in 0..3"):
        mod.row_readout(W004, 0.2, [2, 3], 4)
    with pytest.raises(ValueError, match="column index in 0..1"):
        mod.column_readout(W004, 0.2, [2, 3], 2)


def test_explorer_row_view_follows_index_and_inputs():
    box = nb.widgets.matvec_explorer()
    ref = nb.Linear.from_weights(W004, 0.2)
    z = ref.forward(np.array([2.0, 3.0]))
    assert _bold_numbers(box.readout.value) == pytest.approx([z[0]], abs=5e-5)
    box.index.value = 3
    assert "row 3" in box.readout.value
    assert _bold_numbers(box.readout.value) == pytest.approx([z[2]], abs=5e-5)
    before = box.image.value
    box.sliders["x1"].value = -1.0
    z = ref.forward(np.array([-1.0, 3.0]))
    assert _bold_numbers(box.readout.value) == pytest.approx([z[2]], abs=5e-5)
    assert box.image.value != before


def test_explorer_column_view_shows_all_of_z():
    box = nb.widgets.matvec_explorer()
    box.index.value = 4
    box.view.value = "column"
    assert box.index.max == 2 and box.index.value == 2
    assert box.index.description == "column j"
    z = nb.Linear.from_weights(W004, 0.2).forward(np.array([2.0, 3.0]))
    assert _bold_numbers(box.readout.value) == pytest.approx(list(z), abs=5e-5)
    box.view.value = "row"
    assert box.index.max == 4


def test_explorer_any_shape():
    W = np.arange(6.0).reshape(2, 3)
    box = nb.widgets.matvec_explorer(W=W, b=[1.0, -1.0], x=[1.0, 0.5, -1.0])
    assert set(box.sliders) == {"x1", "x2", "x3"}
    z = W @ np.array([1.0, 0.5, -1.0]) + np.array([1.0, -1.0])
    box.index.value = 2
    assert _bold_numbers(box.readout.value) == pytest.approx([z[1]], abs=5e-5)


def test_png_rejects_bad_view_or_index():
    with pytest.raises(ValueError, match="view 'row' or 'column'"):
        mod.matvec_png(W004, 0.2, [2, 3], view="diagonal")
    with pytest.raises(ValueError, match=r"column index in 0..1"):
        mod.matvec_png(W004, 0.2, [2, 3], view="column", index=3)
    assert mod.matvec_png(W004, 0.2, [2, 3], view="column", index=1)[:4] == b"\x89PNG"
