"""The matrix–vector explorer (chapter 3): row i of W gives z_i, column j is weighted by x_j."""

import re

import numpy as np
import pytest

import nnbook as nb

pytest.importorskip("ipywidgets")
from nnbook.widgets import matrices as mod  # noqa: E402

W004 = nb.datasets.SEED004_W_HIDDEN


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


@pytest.fixture(scope="module")
def explorer():
    return nb.widgets.matvec_explorer()


def test_explorer_starts_at_row_1_of_seed004(explorer):
    assert set(explorer.controls) == {"part", "x1"}
    z = nb.Linear.from_weights(W004, 0.2).forward(np.array([2.0, 3.0]))
    assert "row 1 of W" in explorer.view.current()
    assert _bold_numbers(explorer.view.current()) == pytest.approx([z[0]], abs=5e-5)


def test_every_state_is_right_and_different(explorer):
    states = explorer.view.states
    assert {part for part, _ in states} == {"row 1", "row 2", "row 3", "row 4", "column 1", "column 2"}
    assert len(states) == 6 * len(mod.X1_VALUES)
    assert len(set(states.values())) == len(states)
    layer = nb.Linear.from_weights(W004, 0.2)
    for (part, x1), html in states.items():
        z = layer.forward(np.array([x1, 3.0]))
        kind, k = part.split()
        expected = [z[int(k) - 1]] if kind == "row" else list(z)
        assert _bold_numbers(html) == pytest.approx(expected, abs=5e-5)
        (alt,) = re.findall(r'<img [^>]*alt="([^"]+)"', html)
        assert f"{part} of W" in alt and f"x = ({x1:g}, 3)" in alt


def test_controls_choose_the_state_shown(explorer):
    explorer.controls["part"].value = "column 2"
    explorer.controls["x1"].value = -1.0
    z = nb.Linear.from_weights(W004, 0.2).forward(np.array([-1.0, 3.0]))
    assert "column 2 of W" in explorer.view.current()
    assert _bold_numbers(explorer.view.current()) == pytest.approx(list(z), abs=5e-5)
    explorer.controls["part"].value, explorer.controls["x1"].value = "row 1", 2.0


def test_explorer_any_shape():
    W = np.arange(6.0).reshape(2, 3)
    box = nb.widgets.matvec_explorer(W=W, b=[1.0, -1.0], x=[0.5, 0.5, -1.0])
    assert [label for label, _ in box.controls["part"].options] == ["row 1", "row 2", "column 1", "column 2",
                                                                    "column 3"]
    assert 0.5 in [v for _, v in box.controls["x1"].options]
    z = W @ np.array([0.5, 0.5, -1.0]) + np.array([1.0, -1.0])
    box.controls["part"].value = "row 2"
    assert _bold_numbers(box.view.current()) == pytest.approx([z[1]], abs=5e-5)


def test_state_rejects_a_bad_part():
    with pytest.raises(ValueError, match="expected part as 'row i' or 'column j', got 'diagonal'"):
        mod.matvec_state(W004, 0.2, [2, 3], "diagonal")


def test_png_rejects_bad_view_or_index():
    with pytest.raises(ValueError, match="view 'row' or 'column'"):
        mod.matvec_png(W004, 0.2, [2, 3], view="diagonal")
    with pytest.raises(ValueError, match=r"column index in 0..1"):
        mod.matvec_png(W004, 0.2, [2, 3], view="column", index=3)
    assert mod.matvec_png(W004, 0.2, [2, 3], view="column", index=1)[:4] == b"\x89PNG"
