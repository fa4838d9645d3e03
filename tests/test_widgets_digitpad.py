"""The digit pad of chapter 14: the drawing's reduction to 8×8 and the exported network."""

import base64
import json
import re

import numpy as np
import pytest

import nnbook as nb
from nnbook.widgets import digitpad as dp


@pytest.fixture(scope="module")
def model():
    X_train, _, y_train, _ = nb.datasets.digits(test_size=0.25, rng=0)
    m = nb.MLP([64, 16, 10], activation="relu", output_activation="identity", init="he", rng=0)
    m.fit(X_train, y_train, loss=nb.SoftmaxCrossEntropyLoss(), optimizer=nb.SGD(0.1), epochs=3,
          batch_size=32, rng=0, progress=False)
    return m


def _upsample(counts):
    """A 32×32 bitmap whose 4×4 blocks hold ``counts`` inked pixels each (the first ones, row by row)."""
    bitmap = np.zeros((32, 32), dtype=np.uint8)
    for k, c in enumerate(np.asarray(counts, dtype=int)):
        i, j = divmod(k, 8)
        block = np.zeros(16, dtype=np.uint8)
        block[:c] = 1
        bitmap[4 * i:4 * i + 4, 4 * j:4 * j + 4] = block.reshape(4, 4)
    return bitmap


def test_reduce_bitmap_gives_back_the_training_images():
    raw, _, _, _ = nb.datasets.digits(test_size=0.25, rng=0, scale=False)
    for row in raw[:50]:
        np.testing.assert_array_equal(dp.reduce_bitmap(_upsample(row)), row)


def test_reduce_bitmap_counts_blocks_row_by_row():
    bitmap = np.zeros((32, 32), dtype=np.uint8)
    bitmap[5, 9] = 1                 # block (1, 2): pixel 1 * 8 + 2 = 10
    bitmap[28:32, 0:4] = 1           # block (7, 0): pixel 56, all 16 inked
    counts = dp.reduce_bitmap(bitmap)
    assert counts.shape == (64,)
    assert counts[10] == 1 and counts[56] == 16 and counts.sum() == 17
    np.testing.assert_array_equal(dp.reduce_bitmap(np.ones((32, 32), dtype=np.uint8)), np.full(64, 16.0))


def test_a_vertical_stroke_fills_the_height_in_the_middle():
    bitmap = dp.rasterize([[(0.5, 0.3), (0.5, 0.6)]])
    rows, cols = np.nonzero(bitmap)
    assert rows.min() == 0 and rows.max() == 31            # scaled to fill the box's height
    np.testing.assert_array_equal(bitmap, bitmap[:, ::-1])  # centred
    assert set(cols) == {13, 14, 15, 16, 17, 18}             # 6 pixels wide: the pen's diameter


def test_a_dot_is_a_disc_of_the_pen_radius():
    bitmap = dp.rasterize([[(0.2, 0.7)]])
    centres = np.arange(32) + 0.5
    disc = (centres[:, None] - 16) ** 2 + (centres[None, :] - 16) ** 2 <= dp.PEN_RADIUS ** 2
    np.testing.assert_array_equal(bitmap, disc)


def test_the_drawing_is_read_whatever_its_place_and_size():
    strokes = [[(0.3, 0.2), (0.7, 0.2), (0.45, 0.85)], [(0.35, 0.5), (0.65, 0.5)]]
    moved = [[(x / 2 + 0.25, y / 2 + 0.125) for x, y in s] for s in strokes]  # exact in binary
    np.testing.assert_array_equal(dp.rasterize(moved), dp.rasterize(strokes))
    assert dp.rasterize([]).sum() == 0


def test_pad_features_are_counts_over_16():
    strokes = [[(0.5, 0.1), (0.5, 0.9)]]
    x = dp.pad_features(strokes)
    np.testing.assert_array_equal(x * 16, dp.reduce_bitmap(dp.rasterize(strokes)))
    # The 6-pixel-wide stroke covers columns 13-18: 3 of the 4 columns of blocks 3 and 4.
    assert x.reshape(8, 8)[2:6, 3:5].tolist() == [[0.75, 0.75]] * 4 and x.min() == 0.0


def test_a_drawn_one_is_read_as_a_one():
    # The capstone's network, trained as in chapter 14, on a plain vertical stroke with a flag.
    X_train, _, y_train, _ = nb.datasets.digits(test_size=0.25, rng=0)
    m = nb.MLP([64, 128, 10], activation="relu", output_activation="identity", init="he", rng=0)
    m.fit(X_train, y_train, loss=nb.SoftmaxCrossEntropyLoss(), optimizer=nb.SGD(0.1), epochs=50,
          batch_size=32, rng=np.random.default_rng(0), progress=False)
    x = dp.pad_features([[(0.45, 0.25), (0.55, 0.15), (0.55, 0.85)]])
    assert m.predict_classes(x[None])[0] == 1
    ring = np.linspace(0, 2 * np.pi, 60)
    x0 = dp.pad_features([list(zip(0.5 + 0.2 * np.sin(ring), 0.5 - 0.3 * np.cos(ring)))])
    assert m.predict_classes(x0[None])[0] == 0


def _decode(s, shape):
    return np.frombuffer(base64.b64decode(s), dtype="<f8").reshape(shape)


def test_exported_layers_compute_the_models_probabilities(model):
    layers = dp.export_layers(model)
    assert [l["type"] for l in layers] == ["linear", "relu", "linear"]
    linears = [l for l in model.layers if isinstance(l, nb.Linear)]
    X = nb.datasets.digits(test_size=0.25, rng=0)[1][:40]
    A = X
    for spec in layers:
        if spec["type"] == "relu":
            A = np.maximum(A, 0)
        else:
            W = _decode(spec["W"], (spec["n_out"], spec["n_in"]))
            np.testing.assert_array_equal(W, linears[0].W if spec["n_in"] == 64 else linears[1].W)
            A = A @ W.T + _decode(spec["b"], (spec["n_out"],))
    np.testing.assert_allclose(nb.softmax(A), nb.softmax(model.predict(X)), atol=1e-12)


def test_the_pad_is_deterministic_and_names_its_parts(model):
    pad = dp.digit_pad(model)
    assert pad.html == dp.digit_pad(model).html
    html = pad._repr_html_()
    assert html.count(pad.element_id) >= 3   # the element, the script's lookup, its registry entry
    assert 'aria-label="Drawing pad' in html and 'aria-live="polite"' in html
    assert "@" not in html.replace("@media", "")   # every placeholder filled
    other = nb.MLP([64, 16, 10], activation="relu", output_activation="identity", rng=1)
    assert dp.digit_pad(other).element_id != pad.element_id


def test_the_pad_tells_its_keys_and_gets_its_steps(model):
    html = dp.digit_pad(model).html
    pad = dp.digit_pad(model)
    # The pad is described by the hint under it, which names the keys.
    described = re.search(r'<canvas class="pad"[^>]*aria-describedby="([^"]+)"', html)
    assert described and described.group(1) == f"{pad.element_id}-keys"
    hint = re.search(rf'<p id="{described.group(1)}"[^>]*>(.*?)</p>', html, flags=re.S)
    assert hint, "no element holds the pad's description"
    for key in ("arrow keys", "Shift", "Space", "Delete"):
        assert key in hint.group(1)
    config = json.loads(re.search(r"const C = (\{.*?\});", html).group(1))
    assert (config["step"], config["fineStep"]) == (dp.KEY_STEP, dp.KEY_STEP_FINE)
    # Exact in binary: a cursor moved from the centre lands on exact multiples of the steps.
    for step in (dp.KEY_STEP, dp.KEY_STEP_FINE):
        assert (0.5 + 3 * step) - 0.5 == 3 * step and 1 / step == round(1 / step)
    assert dp.KEY_STEP_FINE < dp.KEY_STEP


def test_bad_input():
    with pytest.raises(TypeError, match="strokes as a list"):
        dp.rasterize(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="stroke 1 as a non-empty list"):
        dp.rasterize([[(0, 0)], []])
    with pytest.raises(ValueError, match="finite coordinates in stroke 0"):
        dp.rasterize([[(0, np.nan)]])
    with pytest.raises(ValueError, match="square bitmap"):
        dp.reduce_bitmap(np.zeros((32, 30)))
    with pytest.raises(ValueError, match="0s and 1s"):
        dp.reduce_bitmap(np.full((32, 32), 2))
    with pytest.raises(TypeError, match="Sequential or MLP"):
        dp.digit_pad("model")
    with pytest.raises(ValueError, match="Linear, ReLU and Identity layers only"):
        dp.digit_pad(nb.MLP([64, 8, 10], activation="sigmoid", output_activation="identity", rng=0))
    with pytest.raises(ValueError, match="logits of a Linear layer"):
        dp.digit_pad(nb.MLP([64, 8, 10], activation="relu", output_activation="relu", rng=0))
    with pytest.raises(ValueError, match="64 inputs and 10 outputs, got 64 inputs and 3"):
        dp.digit_pad(nb.MLP([64, 8, 3], activation="relu", output_activation="identity", rng=0))
