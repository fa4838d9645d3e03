"""Checks of chapters 7–8: each passes a reference solution and fails wrong or hard-coded answers."""

import numpy as np
import pytest

import nnbook as nb
from nnbook.checks import questions

SEEDS = [0, 1, 2, 12345]


# --- reference solutions -----------------------------------------------------------------

def ref_central(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def ref_numgrad(f, x):
    xc = np.array(x, dtype=float)
    return nb.numerical_gradient(lambda: f(xc), xc, eps=1e-6)


def ref_dh(x):
    s = nb.sigmoid(np.array(3 * x**2 - 1.0))
    return float(s * (1 - s) * 6 * x)


def ref_gd(grad_f, w0, lr, steps):
    w = np.array(w0, dtype=float)
    for _ in range(steps):
        w = w - lr * grad_f(w)
    return w


def ref_train(X, y, lr, epochs):
    W = nb.Linear(X.shape[1], 1, rng=0)
    Wv, b = W.W.ravel().copy(), float(W.b[0])
    for _ in range(epochs):  # written out, independent of fit
        r = X @ Wv + b - y
        Wv, b = Wv - lr * 2 * X.T @ r / len(y), b - lr * 2 * r.mean()
    return Wv.reshape(1, -1), np.array([b])


def test_questions_registered():
    assert questions("07") == ["07.1", "07.2", "07.3", "07.4"]
    assert questions("08") == ["08.1", "08.2", "08.3", "08.4", "08.5"]


@pytest.mark.parametrize("seed", SEEDS)
def test_reference_solutions_pass(seed, verdict):
    assert verdict.status("07.1", ref_central, seed) == "passed"
    assert verdict.status("07.2", ref_numgrad, seed) == "passed"
    assert verdict.status("07.3", ref_dh, seed) == "passed"
    assert verdict.status("07.4", lambda: "b", seed) == "passed"
    assert verdict.status("08.1", lambda w, g, lr: w - lr * g, seed) == "passed"
    assert verdict.status("08.2", ref_gd, seed) == "passed"
    assert verdict.status("08.3", lambda c: 2 / np.max(c), seed) == "passed"
    assert verdict.status("08.4", ref_train, seed) == "passed"
    assert verdict.status("08.5", lambda: "b", seed) == "passed"


def test_forward_difference_fails_with_a_named_reason(verdict):
    fwd = lambda f, x, h: (f(x + h) - f(x)) / h
    assert verdict.status("07.1", fwd) == "failed"
    assert "forward difference" in verdict.message("07.1", fwd)


def test_numgrad_that_changes_x_or_has_wrong_shape_fails(verdict):
    def in_place(f, x):
        g = ref_numgrad(f, x)
        x += 1.0
        return g

    assert verdict.status("07.2", in_place) == "failed"
    assert verdict.status("07.2", lambda f, x: ref_numgrad(f, x)[:-1]) == "failed"
    assert verdict.status("07.2", lambda f, x: np.zeros_like(x)) == "failed"


def test_hard_coded_answers_fail(verdict):
    value_at_half = ref_dh(0.5)
    assert verdict.status("07.3", lambda x: value_at_half) == "failed"
    assert verdict.status("07.3", lambda x: ref_dh(x) / 2) == "failed"  # missing the chain rule factor
    assert verdict.status("08.3", lambda c: 0.2) == "failed"            # the chapter's bowl, hard-coded
    assert verdict.status("08.3", lambda c: 1 / np.max(c)) == "failed"
    assert verdict.status("08.3", lambda c: 2 / np.min(c)) == "failed"  # the shallow direction does not decide
    assert verdict.status("08.3", lambda c: 2 / np.mean(c)) == "failed"


def test_wrong_choices_fail(verdict):
    for bad in ["a", "c", "d", 2, None]:
        assert verdict.status("07.4", lambda bad=bad: bad) == "failed"
    for bad in ["a", "c", "B?"]:
        assert verdict.status("08.5", lambda bad=bad: bad) == "failed"
    assert verdict.status("08.5", lambda: " B ") == "passed"


def test_gd_step_in_place_or_wrong_sign_fails(verdict):
    def in_place(w, g, lr):
        w -= lr * g
        return w

    assert verdict.status("08.1", in_place) == "failed"
    assert verdict.status("08.1", lambda w, g, lr: w + lr * g) == "failed"


def test_gradient_descent_off_by_one_or_in_place_fails(verdict):
    assert verdict.status("08.2", lambda gf, w0, lr, steps: ref_gd(gf, w0, lr, steps + 1)) == "failed"

    def in_place(gf, w0, lr, steps):
        for _ in range(steps):
            w0 -= lr * gf(w0)
        return w0

    assert verdict.status("08.2", in_place) == "failed"


def test_train_linear_with_other_init_fails(verdict):
    def other_init(X, y, lr, epochs):
        model = nb.Sequential(nb.Linear(X.shape[1], 1, rng=1))
        model.fit(X, y.reshape(-1, 1), loss=nb.MSELoss(), optimizer=nb.SGD(lr), epochs=epochs,
                  batch_size=None, progress=False)
        return model.layers[0].W, model.layers[0].b

    assert verdict.status("08.4", other_init) == "failed"


def test_stubs_are_not_attempted(verdict):
    def stub(*args):
        raise NotImplementedError

    for qid in questions("07") + questions("08"):
        assert verdict.status(qid, stub) == "not attempted"
