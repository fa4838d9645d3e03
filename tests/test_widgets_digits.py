"""The digits explorer of chapter 14."""

import numpy as np
import pytest

import nnbook as nb
from nnbook.widgets import digits as wd


@pytest.fixture(scope="module")
def trained():
    return wd.default_digits_model(rng=0, epochs=5)


@pytest.fixture(scope="module")
def split():
    return nb.datasets.digits(test_size=0.25, rng=0)


def test_default_model_learns(trained, split):
    _, X_test, _, y_test = split
    assert isinstance(trained, nb.MLP) and trained.sizes == [64, 32, 10]
    assert np.mean(trained.predict_classes(X_test) == y_test) > 0.85


def test_probabilities_are_the_softmax_of_the_logits(trained, split):
    X = split[1][:20]
    P = wd.digit_probabilities(trained, X)
    np.testing.assert_allclose(P, nb.softmax(trained.predict(X)))
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    one = wd.digit_probabilities(trained, X[3])
    np.testing.assert_allclose(one, P[3])


def test_probabilities_pass_through_a_softmax_output(split):
    class Softmax(nb.Layer):
        def _forward(self, X):
            return nb.softmax(X)

    base = nb.MLP([64, 8, 10], output_activation="identity", rng=0)
    model = nb.Sequential(*base.layers, Softmax())
    X = split[1][:5]
    np.testing.assert_allclose(wd.digit_probabilities(model, X), model.predict(X))


def test_readout(trained, split):
    probs = np.array([0.05, 0.7, 0.25] + [0.0] * 7)
    text = wd.explorer_readout(2, probs)
    assert "true label: <b>2</b>" in text and "predicted: <b>1</b>" in text
    assert "0.7000" in text and "wrong" in text and "0.2500" in text
    assert "correct" in wd.explorer_readout(1, probs)


def test_explorer_follows_the_slider(trained, split):
    _, X_test, _, y_test = split
    box = nb.widgets.digits_explorer(trained, index=5)
    P = nb.softmax(trained.predict(X_test))
    pred = P.argmax(axis=1)
    np.testing.assert_array_equal(box.mistakes, np.flatnonzero(pred != y_test))
    np.testing.assert_allclose(box.probs, P)
    assert f"true label: <b>{y_test[5]}</b>" in box.readout.value
    before = box.image.value
    assert before[:8] == b"\x89PNG\r\n\x1a\n"
    for i in (0, 17, len(y_test) - 1):
        box.slider.value = i
        assert f"true label: <b>{y_test[i]}</b>" in box.readout.value
        assert f"predicted: <b>{pred[i]}</b>" in box.readout.value
        assert f"(probability {P[i, pred[i]]:.4f})" in box.readout.value
    assert box.image.value != before


def test_next_mistake_button(trained, split):
    box = nb.widgets.digits_explorer(trained)
    assert len(box.mistakes) > 1
    box.slider.value = 0
    box.next_mistake.click()
    first = box.mistakes[box.mistakes > 0][0]
    assert box.slider.value == first
    assert "wrong" in box.readout.value
    box.next_mistake.click()
    assert box.slider.value == box.mistakes[box.mistakes > first][0]
    box.slider.value = int(box.mistakes[-1])
    box.next_mistake.click()  # wraps around
    assert box.slider.value == box.mistakes[0]


def test_explorer_trains_a_default_model():
    box = nb.widgets.digits_explorer()
    assert isinstance(box.model, nb.MLP)
    assert len(box.mistakes) < 0.1 * len(box.y_test)


def test_explorer_bad_input(trained):
    with pytest.raises(TypeError, match="trained nnbook model"):
        nb.widgets.digits_explorer("model")
    with pytest.raises(ValueError, match="64 inputs"):
        nb.widgets.digits_explorer(nb.MLP([10, 4, 10], rng=0))
    with pytest.raises(ValueError, match="10 outputs"):
        nb.widgets.digits_explorer(nb.MLP([64, 4, 3], rng=0))
    with pytest.raises(ValueError, match="index"):
        nb.widgets.digits_explorer(trained, index=10_000)
