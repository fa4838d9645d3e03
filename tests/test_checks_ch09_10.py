"""Checks of chapters 9–10: each passes a reference solution and fails wrong, hard-coded or missing answers."""

from pathlib import Path

import numpy as np
import pytest

import nnbook as nb
from nnbook.autograd import Value
from nnbook.checks import get_question, questions

SEEDS = [0, 1, 2, 12345]


def stub(*args):
    raise NotImplementedError


# --- reference solutions (written independently of the notebooks) -------------------------

def ref_mul(x, y, dout):
    return y * dout, x * dout


def ref_bias_add(dY):
    return dY, dY.sum(axis=0)


def ref_sigmoid_backward(z, ds):
    s = nb.sigmoid(z)
    return ds * s * (1 - s)


def ref_logistic_batch_grad(X, y, w, b):
    dw, db = np.zeros_like(w), 0.0
    for x_i, y_i in zip(X, y):  # one example at a time, then the mean
        dz = float(nb.sigmoid(x_i @ w + b)) - y_i
        dw, db = dw + dz * x_i, db + dz
    return dw / len(X), db / len(X)


def ref_logistic_graph(x1, x2, w1, w2, b, y):
    p = {"w1": Value(w1), "w2": Value(w2), "b": Value(b)}
    a = (p["w1"] * x1 + p["w2"] * x2 + p["b"]).sigmoid()
    L = -(y * a.log() + (1 - y) * (1 - a).log())
    L.backward()
    return L, p


def ref_linear_backward(dZ, X, W):
    return dZ @ W, dZ.T @ X, dZ.sum(axis=0)


def ref_dL_dw1(x1, x2, w, b, y):
    h1v = [Value(v) for v in w]
    bv = [Value(v) for v in b]
    h1 = (h1v[0] * x1 + h1v[1] * x2 + bv[0]).sigmoid()
    h2 = (h1v[2] * x1 + h1v[3] * x2 + bv[1]).sigmoid()
    o = (h1v[4] * h1 + h1v[5] * h2 + bv[2]).sigmoid()
    L = (o - y) ** 2
    L.backward()
    return h1v[0].grad


def ref_two_layer_gradients(W1, W2, x, y, g_prime=2.0):
    a1 = 2 * (W1 @ x)
    dy_hat = W2 @ a1 - y
    return np.outer(dy_hat, a1), np.outer(g_prime * (W2.T @ dy_hat), x)


def ref_train_step(W1, W2, grads, x, y, eta):
    dW2, dW1 = grads
    W1, W2 = W1 - eta * dW1, W2 - eta * dW2
    return W1, W2, 0.5 * float(np.sum((W2 @ (2 * (W1 @ x)) - y) ** 2))


def test_all_questions_are_registered():
    assert questions("09") == ["09.1", "09.2", "09.3", "09.4", "09.5"]
    assert questions("10") == ["10.1", "10.2", "10.3", "10.4", "10.5"]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("qid, answer", [
    ("09.1", ref_mul), ("09.2", ref_bias_add), ("09.3", ref_sigmoid_backward), ("09.4", ref_logistic_batch_grad),
    ("09.5", ref_logistic_graph), ("10.1", ref_linear_backward), ("10.2", ref_dL_dw1),
    ("10.3", ref_two_layer_gradients), ("10.4", ref_train_step), ("10.5", lambda: "c"),
])
def test_reference_solutions_pass(qid, answer, seed, verdict):
    assert verdict.status(qid, answer, seed) == "passed", verdict.message(qid, answer, seed)


@pytest.mark.parametrize("qid", ["09.1", "09.2", "09.3", "09.4", "09.5", "10.1", "10.2", "10.3", "10.4", "10.5"])
def test_untouched_stub_is_not_attempted(qid, verdict):
    assert verdict.status(qid, stub) == "not attempted"


def test_wrong_node_rules_fail(verdict):
    assert verdict.status("09.1", lambda x, y, dout: (x * dout, y * dout)) == "failed"        # not swapped
    assert verdict.status("09.1", lambda x, y, dout: (y, x)) == "failed"                      # dout forgotten
    assert verdict.status("09.2", lambda dY: (dY, dY.mean(axis=0))) == "failed"
    assert verdict.status("09.2", lambda dY: (dY, np.full(dY.shape[1], 2.0))) == "failed"     # the seed's [2, 2, 2] hard-coded
    assert verdict.status("09.3", lambda x, dout: nb.sigmoid(x) * (1 - nb.sigmoid(x))) == "failed"  # dout forgotten
    assert verdict.status("09.3", lambda x, dout: dout * -1 / (1 + np.exp(-x)) ** 2) == "failed"   # stopped after one node


def test_logistic_batch_grad_without_the_mean_fails_with_a_hint(verdict):
    def summed(X, y, w, b):
        dw, db = ref_logistic_batch_grad(X, y, w, b)
        return dw * len(X), db * len(X)

    assert "divide by m" in verdict.message("09.4", summed)
    assert verdict.status("09.4", lambda X, y, w, b: ref_logistic_batch_grad(X, y, w, b)[::-1]) == "failed"
    assert verdict.status("09.4", lambda X, y, w, b: (X.T @ (X @ w + b - y) / len(X), 0.0)) == "failed"  # no σ


def test_chapter_9_asks_nothing_of_a_later_chapter():
    """09.4 used to need softmax and one-hot vectors, which chapter 13 teaches."""
    text = (Path(__file__).resolve().parent.parent / "solutions" / "09-computation-graphs.ipynb").read_text(encoding="utf-8")
    assert "softmax" not in text.lower() and "one-hot" not in text


def test_logistic_graph_must_be_a_real_graph(verdict):
    def numbers_only(x1, x2, w1, w2, b, y):
        a = float(nb.sigmoid(w1 * x1 + w2 * x2 + b))
        L = Value(-(y * np.log(a) + (1 - y) * np.log(1 - a)))
        p = {"w1": Value(w1), "w2": Value(w2), "b": Value(b)}
        p["w1"].grad, p["w2"].grad, p["b"].grad = x1 * (a - y), x2 * (a - y), a - y
        return L, p

    assert "nodes of L's graph" in verdict.message("09.5", numbers_only)

    def no_backward(x1, x2, w1, w2, b, y):
        p = {"w1": Value(w1), "w2": Value(w2), "b": Value(b)}
        a = (p["w1"] * x1 + p["w2"] * x2 + p["b"]).sigmoid()
        return -(y * a.log() + (1 - y) * (1 - a).log()), p

    assert "L.backward()" in verdict.message("09.5", no_backward)
    assert verdict.status("09.5", lambda *args: (1.0, {})) == "failed"


def test_linear_backward_errors_fail(verdict):
    assert verdict.status("10.1", lambda dZ, X, W: (dZ @ W, X.T @ dZ, dZ.sum(axis=0))) == "failed"   # dW transposed
    assert verdict.status("10.1", lambda dZ, X, W: (dZ @ W, dZ.T @ X, dZ.mean(axis=0))) == "failed"  # mean, not sum
    assert verdict.status("10.1", lambda dZ, X, W: (dZ @ W.T, dZ.T @ X, dZ.sum(axis=0))) == "failed"


def test_hard_coded_two_two_one_number_fails(verdict):
    exact = ref_dL_dw1(-2.0, -1.0, [1.0] * 6, [0.0] * 3, 1.0)
    assert verdict.status("10.2", lambda *args: exact) == "failed"
    assert verdict.status("10.2", lambda *args: 0.0214) == "failed"


def test_two_layer_gradients_without_g_prime_fails_and_says_so(verdict):
    no_g_prime = lambda W1, W2, x, y: ref_two_layer_gradients(W1, W2, x, y, g_prime=1.0)  # noqa: E731
    assert "g′ = 2 is missing" in verdict.message("10.3", no_g_prime)
    worked = ref_two_layer_gradients(np.array([[1, 2], [2, 3], [1, 1], [3, 1]], float),
                                     np.array([[1, 1, 1, 1], [1, 0, 0, 1]], float), np.array([2.0, 3.0]),
                                     np.array([2.0, 3.0]))
    assert verdict.status("10.3", lambda *args: worked) == "failed"   # hard-coded worked example


def test_train_step_errors_fail(verdict):
    def ascent(W1, W2, grads, x, y, eta):
        return ref_train_step(W1, W2, grads, x, y, -eta)

    def old_loss(W1, W2, grads, x, y, eta):
        W1_new, W2_new, _ = ref_train_step(W1, W2, grads, x, y, eta)
        return W1_new, W2_new, 0.5 * float(np.sum((W2 @ (2 * (W1 @ x)) - y) ** 2))

    assert verdict.status("10.4", ascent) == "failed"
    assert "loss after the step" in verdict.message("10.4", old_loss)


def test_a_wrong_10_3_does_not_cost_points_in_10_4(verdict):
    """10.4 is given correct gradients by its check: a learner whose 10.3 misses g′ still passes 10.4."""
    no_g_prime = lambda W1, W2, x, y: ref_two_layer_gradients(W1, W2, x, y, g_prime=1.0)  # noqa: E731
    assert verdict.status("10.3", no_g_prime) == "failed"
    assert verdict.status("10.4", ref_train_step) == "passed"  # uses the gradients it is given

    def with_own_gradients(W1, W2, grads, x, y, eta):  # ignores them: the 10.3 mistake shows
        return ref_train_step(W1, W2, no_g_prime(W1, W2, x, y), x, y, eta)

    assert verdict.status("10.4", with_own_gradients) == "failed"


def test_hints_point_at_the_idea_not_the_formula():
    for qid, formula in [("07.3", "6x"), ("07.3", "σ(z)(1 − σ(z))"), ("10.2", "2(ŷ − y)"),
                         ("10.3", "outer(2"), ("10.3", "W2ᵀ dŷ"), ("09.4", "Xᵀ")]:
        assert formula not in get_question(qid).hint, f"{qid}'s hint gives away {formula!r}"


@pytest.mark.parametrize("wrong", ["a", "b", "d", "", "cc", 3])
def test_multiple_choice_rejects_other_answers(wrong, verdict):
    assert verdict.status("10.5", lambda: wrong) == "failed"
