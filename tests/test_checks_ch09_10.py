"""Checks of chapters 9–10: each passes a reference solution and fails wrong, hard-coded or missing answers."""

import numpy as np
import pytest

import nnbook as nb
from nnbook.autograd import Value
from nnbook.checks import check, questions

SEEDS = [0, 1, 2, 12345]


def status(qid, answer, seed=0):
    return check(qid, answer, seed=seed, quiet=True).status


def message(qid, answer, seed=0):
    return check(qid, answer, seed=seed, quiet=True).message


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


def ref_softmax_ce(Z, labels):
    return (nb.softmax(Z) - np.eye(Z.shape[1])[labels]) / len(Z)


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


def ref_train_step(W1, W2, x, y, eta):
    dW2, dW1 = ref_two_layer_gradients(W1, W2, x, y)
    W1, W2 = W1 - eta * dW1, W2 - eta * dW2
    return W1, W2, 0.5 * float(np.sum((W2 @ (2 * (W1 @ x)) - y) ** 2))


def test_all_questions_are_registered():
    assert questions("09") == ["09.1", "09.2", "09.3", "09.4", "09.5"]
    assert questions("10") == ["10.1", "10.2", "10.3", "10.4", "10.5"]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("qid, answer", [
    ("09.1", ref_mul), ("09.2", ref_bias_add), ("09.3", ref_sigmoid_backward), ("09.4", ref_softmax_ce),
    ("09.5", ref_logistic_graph), ("10.1", ref_linear_backward), ("10.2", ref_dL_dw1),
    ("10.3", ref_two_layer_gradients), ("10.4", ref_train_step), ("10.5", lambda: "c"),
])
def test_reference_solutions_pass(qid, answer, seed):
    assert status(qid, answer, seed) == "passed", message(qid, answer, seed)


@pytest.mark.parametrize("qid", ["09.1", "09.2", "09.3", "09.4", "09.5", "10.1", "10.2", "10.3", "10.4", "10.5"])
def test_untouched_stub_is_not_attempted(qid):
    assert status(qid, stub) == "not attempted"


def test_wrong_node_rules_fail():
    assert status("09.1", lambda x, y, dout: (x * dout, y * dout)) == "failed"        # not swapped
    assert status("09.1", lambda x, y, dout: (y, x)) == "failed"                      # dout forgotten
    assert status("09.2", lambda dY: (dY, dY.mean(axis=0))) == "failed"
    assert status("09.2", lambda dY: (dY, np.full(dY.shape[1], 2.0))) == "failed"     # the seed's [2, 2, 2] hard-coded
    assert status("09.3", lambda x, dout: nb.sigmoid(x) * (1 - nb.sigmoid(x))) == "failed"  # dout forgotten
    assert status("09.3", lambda x, dout: dout * -1 / (1 + np.exp(-x)) ** 2) == "failed"   # stopped after one node


def test_softmax_ce_without_the_mean_fails_with_a_hint():
    msg = message("09.4", lambda Z, labels: ref_softmax_ce(Z, labels) * len(Z))
    assert "divide by n" in msg


def test_logistic_graph_must_be_a_real_graph():
    def numbers_only(x1, x2, w1, w2, b, y):
        a = float(nb.sigmoid(w1 * x1 + w2 * x2 + b))
        L = Value(-(y * np.log(a) + (1 - y) * np.log(1 - a)))
        p = {"w1": Value(w1), "w2": Value(w2), "b": Value(b)}
        p["w1"].grad, p["w2"].grad, p["b"].grad = x1 * (a - y), x2 * (a - y), a - y
        return L, p

    assert "nodes of L's graph" in message("09.5", numbers_only)

    def no_backward(x1, x2, w1, w2, b, y):
        p = {"w1": Value(w1), "w2": Value(w2), "b": Value(b)}
        a = (p["w1"] * x1 + p["w2"] * x2 + p["b"]).sigmoid()
        return -(y * a.log() + (1 - y) * (1 - a).log()), p

    assert "L.backward()" in message("09.5", no_backward)
    assert status("09.5", lambda *args: (1.0, {})) == "failed"


def test_linear_backward_errors_fail():
    assert status("10.1", lambda dZ, X, W: (dZ @ W, X.T @ dZ, dZ.sum(axis=0))) == "failed"   # dW transposed
    assert status("10.1", lambda dZ, X, W: (dZ @ W, dZ.T @ X, dZ.mean(axis=0))) == "failed"  # mean, not sum
    assert status("10.1", lambda dZ, X, W: (dZ @ W.T, dZ.T @ X, dZ.sum(axis=0))) == "failed"


def test_hard_coded_two_two_one_number_fails():
    exact = ref_dL_dw1(-2.0, -1.0, [1.0] * 6, [0.0] * 3, 1.0)
    assert status("10.2", lambda *args: exact) == "failed"
    assert status("10.2", lambda *args: 0.0214) == "failed"


def test_two_layer_gradients_without_g_prime_fails_and_says_so():
    no_g_prime = lambda W1, W2, x, y: ref_two_layer_gradients(W1, W2, x, y, g_prime=1.0)  # noqa: E731
    assert "g′ = 2 is missing" in message("10.3", no_g_prime)
    worked = ref_two_layer_gradients(np.array([[1, 2], [2, 3], [1, 1], [3, 1]], float),
                                     np.array([[1, 1, 1, 1], [1, 0, 0, 1]], float), np.array([2.0, 3.0]),
                                     np.array([2.0, 3.0]))
    assert status("10.3", lambda *args: worked) == "failed"   # hard-coded worked example


def test_train_step_errors_fail():
    def ascent(W1, W2, x, y, eta):
        return ref_train_step(W1, W2, x, y, -eta)

    def old_loss(W1, W2, x, y, eta):
        W1_new, W2_new, _ = ref_train_step(W1, W2, x, y, eta)
        return W1_new, W2_new, 0.5 * float(np.sum((W2 @ (2 * (W1 @ x)) - y) ** 2))

    assert status("10.4", ascent) == "failed"
    assert "loss after the step" in message("10.4", old_loss)


@pytest.mark.parametrize("wrong", ["a", "b", "d", "", "cc", 3])
def test_multiple_choice_rejects_other_answers(wrong):
    assert status("10.5", lambda: wrong) == "failed"
