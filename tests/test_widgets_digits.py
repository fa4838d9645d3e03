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
        def forward(self, X):
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


def test_explorer_steps_through_the_mistakes(trained, split):
    _, X_test, _, y_test = split
    box = nb.widgets.digits_explorer(trained)
    c, view = box.controls, box.view
    P = nb.softmax(trained.predict(X_test))
    pred = P.argmax(axis=1)
    np.testing.assert_array_equal(box.mistakes, np.flatnonzero(pred != y_test))
    np.testing.assert_allclose(box.probs, P)
    n = min(wd.MAX_SHOWN, len(box.mistakes))
    assert n > 1 and len(view.states) == 2 * n
    assert len(set(view.states.values())) == len(view.states)     # every state differs
    np.testing.assert_array_equal(box.shown["mistakes"], box.mistakes[:n])
    for k in (0, 1, n - 1):                                        # the old "next mistake", step by step
        c["image"].index = k
        i = box.mistakes[k]
        shown = view.current()
        assert f"test image {i}: true label: <b>{y_test[i]}</b>" in shown
        assert f"predicted: <b>{pred[i]}</b>" in shown and "wrong" in shown
        assert f"(probability {P[i, pred[i]]:.4f})" in shown
        assert f"handwritten {y_test[i]}, which the network reads as {pred[i]}" in shown
    c["group"].value = "correct answers"
    i = box.shown["correct answers"][n - 1]
    assert f"test image {i}:" in view.current() and "correct" in view.current()
    assert pred[i] == y_test[i]
    c["image"].index = 0                                           # back to the start
    assert f"test image {box.shown['correct answers'][0]}:" in view.current()


def test_explorer_trains_a_default_model():
    box = nb.widgets.digits_explorer()
    assert isinstance(box.model, nb.MLP)
    assert len(box.mistakes) < 0.1 * len(box.y_test)


def test_explorer_bad_input(trained):
    with pytest.raises(TypeError, match="trained nnbook model"):
        nb.widgets.digits_explorer("model")
    with pytest.raises(ValueError, match="64 inputs"):
        nb.widgets.digits_explorer(nb.MLP([10, 4, 10], output_activation="identity", rng=0))
    with pytest.raises(ValueError, match="10 outputs"):
        nb.widgets.digits_explorer(nb.MLP([64, 4, 3], output_activation="identity", rng=0))
