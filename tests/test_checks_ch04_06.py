"""The exercise checks of chapters 4–6: each passes the reference solution and fails wrong,
naive or hard-coded ones."""

import numpy as np
import pytest

import nnbook as nb
from nnbook.checks import CheckFailed, get_question


def _run(qid, answer, seed=0):
    get_question(qid).checker(answer, np.random.default_rng(seed))


def passes(qid, answer):
    for seed in range(3):
        _run(qid, answer, seed)


def fails(qid, answer, match=None):
    with pytest.raises(CheckFailed, match=match):
        _run(qid, answer)


# --- references (as in solutions/*.ipynb) ------------------------------------------------------

def ref_sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def ref_forward(layers, X):
    A = np.asarray(X, dtype=float)
    for W, b in layers:
        A = nb.sigmoid(A @ np.asarray(W, dtype=float).T + b)
    return A


def ref_o1(x, w, b):
    h = nb.sigmoid(np.dot(w, x) + b)
    return float(nb.sigmoid(np.dot(w, [h, h]) + b))


def ref_bce(p, y):
    p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


W_H = np.array([[1, 2], [2, 3], [1, 1], [3, 1]], dtype=float)
W_O = np.array([[1, 1, 1, 1], [1, 0, 0, 1]], dtype=float)


# --- chapter 4 ---------------------------------------------------------------------------------

def test_04_1_sigmoid():
    passes("04.1", ref_sigmoid)
    fails("04.1", lambda z: 1 / (1 + np.exp(-z)), "without any floating-point warning")  # naive: overflows
    fails("04.1", lambda z: np.tanh(z), "expected sigmoid")
    fails("04.1", lambda z: 0.5, "shape")  # hard-coded


def test_04_2_sigmoid_prime():
    passes("04.2", lambda z: ref_sigmoid(z) * (1 - ref_sigmoid(z)))
    fails("04.2", lambda z: ref_sigmoid(z), "sigmoid_prime")
    fails("04.2", lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2, "floating-point warning")  # overflows at −1000
    fails("04.2", lambda z: np.full(np.shape(z), 0.25), "sigmoid_prime")


def test_04_3_relu():
    passes("04.3", lambda z: np.maximum(z, 0.0))
    fails("04.3", lambda z: np.abs(z), "relu")
    fails("04.3", lambda z: np.maximum(z, 0.0) + 1e-6, "relu")


def test_04_4_relu_prime():
    passes("04.4", lambda z: (np.asarray(z) > 0).astype(float))
    passes("04.4", lambda z: (np.asarray(z) >= 0).astype(float))  # seed 001's choice at the corner
    fails("04.4", lambda z: np.maximum(z, 0.0), "relu_prime")
    fails("04.4", lambda z: np.ones_like(z), "relu_prime")


def test_04_5_multiple_choice():
    passes("04.5", lambda: "c")
    passes("04.5", lambda: " C ")
    fails("04.5", lambda: "a", "expected the statement")
    fails("04.5", lambda: 3, "expected one of the letters")


def test_stub_is_not_attempted():
    def stub(z):
        raise NotImplementedError
    with pytest.raises(NotImplementedError):
        _run("04.1", stub)


# --- chapter 5 ---------------------------------------------------------------------------------

def test_05_1_forward():
    passes("05.1", ref_forward)
    fails("05.1", lambda layers, X: ref_forward(layers[:-1], X) if len(layers) > 1 else X, "expected")
    fails("05.1", lambda layers, X: X @ layers[0][0].T + layers[0][1], "expected")  # one layer, no sigmoid

    def no_bias(layers, X):
        A = X
        for W, b in layers:
            A = nb.sigmoid(A @ W.T)
        return A
    fails("05.1", no_bias, "nb.Sequential")

    def in_place(layers, X):
        layers[0][0][...] = 0.0
        return ref_forward(layers, X)
    fails("05.1", in_place)


def test_05_2_seed002():
    passes("05.2", ref_o1)
    assert round(ref_o1([2, 3], [0, 1], 0), 4) == 0.7216
    fails("05.2", lambda x, w, b: 0.7216325609518421, "expected o1")  # hard-coded
    fails("05.2", lambda x, w, b: float(nb.sigmoid(np.dot(w, x) + b)), "expected o1")  # stops at the hidden layer


def test_05_3_seed004_outputs():
    y = nb.sigmoid(W_O @ nb.sigmoid(W_H @ np.array([2.0, 3.0]) + 0.2) + 0.2)
    passes("05.3", lambda: y)
    fails("05.3", lambda: W_O @ nb.sigmoid(W_H @ np.array([2.0, 3.0]) + 0.2) + 0.2, "pre-activations")
    fails("05.3", lambda: np.round(y, 2), "expected")
    fails("05.3", lambda: y[0], "shape")
    # Seed 004's printed (partly wrong) hidden values lead to a different answer.
    seed_hidden = np.array([0.9997, 0.9999, 0.9933, 0.9998])
    fails("05.3", lambda: nb.sigmoid(W_O @ seed_hidden + 0.2), "expected")


def test_05_4_parameter_count():
    passes("05.4", lambda sizes: sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:])))
    fails("05.4", lambda sizes: 22, "expected the integer")  # hard-coded seed 004 count
    fails("05.4", lambda sizes: sum(a * b for a, b in zip(sizes[:-1], sizes[1:])), "expected the integer")  # no biases
    fails("05.4", lambda sizes: float(sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))), "integer")


# --- chapter 6 ---------------------------------------------------------------------------------

def test_06_1_mse():
    passes("06.1", lambda p, y: float(np.mean((p - y) ** 2)))
    fails("06.1", lambda p, y: float(np.sum((p - y) ** 2)), "expected mse")
    fails("06.1", lambda p, y: 0.5, "expected mse")  # hard-coded seed 002 example
    fails("06.1", lambda p, y: (p - y) ** 2, "one number")


def test_06_2_mse_grad():
    passes("06.2", lambda p, y: 2 * (p - y) / p.size)
    fails("06.2", lambda p, y: (p - y) / p.size, "half")
    fails("06.2", lambda p, y: 2 * (p - y), "not divided by N")
    fails("06.2", lambda p, y: 2 * (p - y) / len(p), "expected")  # rows, not entries, for 2-D


def test_06_3_bce():
    passes("06.3", ref_bce)
    fails("06.3", lambda p, y: float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))), "warning")  # log(0)
    fails("06.3", lambda p, y: ref_bce(p, y) * len(p), "mean over")  # a sum
    fails("06.3", lambda p, y: float(-np.mean(y * np.log(np.clip(p, 1e-12, 1)))), "expected")  # drops a term
    fails("06.3", lambda p, y: ref_bce(np.clip(p, 0.01, 0.99), y), "expected")  # clips far too much


def test_06_4_ratio():
    s = nb.sigmoid(-6.0)
    passes("06.4", lambda: 1 / (s * (1 - s)))
    fails("06.4", lambda: 2 / (s * (1 - s)), "ratio")  # the full (ŷ − y)² form
    fails("06.4", lambda: s * (1 - s), "ratio")  # upside down
    fails("06.4", lambda: [1.0], "one number")


def test_registry_lists_the_questions():
    from nnbook.checks import questions
    assert questions("04") == ["04.1", "04.2", "04.3", "04.4", "04.5"]
    assert questions("05") == ["05.1", "05.2", "05.3", "05.4"]
    assert questions("06") == ["06.1", "06.2", "06.3", "06.4"]
