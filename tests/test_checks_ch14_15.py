"""Checks of chapters 14–15: each passes a reference solution and fails wrong, hard-coded or unfinished answers."""

import numpy as np
import pytest

import nnbook as nb
from nnbook.checks import questions

SEEDS = [0, 1, 2, 12345]


def stub(*args):
    raise NotImplementedError


def test_questions_are_registered():
    assert questions("14") == ["14.1", "14.2", "14.3", "14.4", "14.5"]
    assert questions("15") == ["15.1", "15.2", "15.3", "15.4", "15.5"]


@pytest.mark.parametrize("qid", ["14.1", "14.2", "14.3", "14.4", "14.5", "15.1", "15.2", "15.3", "15.4", "15.5"])
def test_stubs_are_not_attempted(qid, verdict):
    assert verdict.status(qid, stub) == "not attempted"


# --- chapter 14 -------------------------------------------------------------------------------

def ref_predict_classes(logits):
    return np.array([max(range(len(row)), key=lambda k: row[k]) for row in logits])


def ref_accuracy(y, predicted):
    return sum(int(a == b) for a, b in zip(y, predicted)) / len(y)


def ref_confusion(y, predicted, k):
    C = np.zeros((k, k), dtype=int)
    np.add.at(C, (np.asarray(y), np.asarray(predicted)), 1)
    return C


@pytest.mark.parametrize("seed", SEEDS)
def test_14_references_pass(seed, verdict):
    assert verdict.status("14.1", ref_predict_classes, seed) == "passed"
    assert verdict.status("14.2", ref_accuracy, seed) == "passed"
    assert verdict.status("14.3", ref_confusion, seed) == "passed"


def test_14_1_wrong(verdict):
    assert verdict.status("14.1", lambda Z: np.argmax(Z, axis=0)) == "failed"         # wrong axis
    assert verdict.status("14.1", lambda Z: np.argmin(Z, axis=1)) == "failed"
    assert verdict.status("14.1", lambda Z: np.argmax(Z, axis=1).astype(float)) == "failed"  # not integers
    assert verdict.status("14.1", lambda Z: np.zeros(len(Z), dtype=int)) == "failed"   # hard-coded class
    assert "shape" in verdict.message("14.1", lambda Z: np.argmax(Z))


def test_14_2_wrong(verdict):
    assert verdict.status("14.2", lambda t, p: np.sum(t == p)) == "failed"            # a count, not a fraction
    assert verdict.status("14.2", lambda t, p: np.mean(t != p)) == "failed"           # error rate
    assert verdict.status("14.2", lambda t, p: 0.5) == "failed"
    assert "number" in verdict.message("14.2", lambda t, p: "high")


def test_14_3_wrong(verdict):
    assert verdict.status("14.3", lambda t, p, k: ref_confusion(t, p, k).T) == "failed"      # rows and columns swapped
    assert verdict.status("14.3", lambda t, p, k: ref_confusion(t, p, max(t.max(), p.max()) + 1)) == "failed"
    assert verdict.status("14.3", lambda t, p, k: np.eye(k, dtype=int)) == "failed"
    assert "(4, 4)" in verdict.message("14.3", lambda t, p, k: ref_confusion(t, p, int(max(t.max(), p.max())) + 1))


@pytest.fixture(scope="module")
def digits_models():
    X_train, _, y_train, _ = nb.datasets.digits(test_size=0.25, rng=0)
    good = nb.MLP([64, 128, 10], activation="relu", output_activation="identity", init="he", rng=0)
    good.fit(X_train, y_train, loss=nb.SoftmaxCrossEntropyLoss(), optimizer=nb.SGD(0.1), epochs=30,
             batch_size=32, rng=0, progress=False)
    weak = nb.MLP([64, 4, 10], activation="relu", output_activation="identity", init="he", rng=0)
    weak.fit(X_train, y_train, loss=nb.SoftmaxCrossEntropyLoss(), optimizer=nb.SGD(0.01), epochs=1,
             batch_size=32, rng=0, progress=False)
    return good, weak


def test_14_4(digits_models, verdict):
    good, weak = digits_models
    seen = {}

    def learner(X, y):
        seen["shapes"] = (X.shape, y.shape)
        return good

    assert verdict.status("14.4", learner) == "passed"
    assert seen["shapes"] == ((1347, 64), (1347,))  # the training split only
    assert verdict.status("14.4", lambda X, y: weak) == "failed"
    assert "0.95" in verdict.message("14.4", lambda X, y: weak)
    assert verdict.status("14.4", lambda X, y: None) == "failed"
    assert verdict.status("14.4", lambda X, y: nb.MLP([64, 5, 3], rng=0)) == "failed"   # 3 outputs


def test_14_5(verdict):
    assert verdict.status("14.5", lambda m, p: (nb.save(m, p), nb.load(p))[1]) == "passed"
    assert verdict.status("14.5", lambda m, p: m) == "failed"                              # nothing saved
    assert verdict.status("14.5", lambda m, p: (nb.save(m, p), m)[1]) == "failed"          # the same object

    def saves_other(m, p):
        other = nb.MLP(m.sizes, activation="relu", output_activation="identity", rng=99)
        nb.save(other, p)
        return nb.load(p)

    assert verdict.status("14.5", saves_other) == "failed"

    def returns_fresh(m, p):
        nb.save(m, p)
        return nb.MLP(m.sizes, activation="relu", output_activation="identity", rng=99)

    assert verdict.status("14.5", returns_fresh) == "failed"


# --- chapter 15 -------------------------------------------------------------------------------

def ref_sgd_step(W_hidden, W_output, x, y, lr):
    """Every partial derivative as its own sum over indices: no matrix product, no backward pass.

    L = (1/n_out) Σ_k (ŷ_k − y_k)², ŷ_k = Σ_j Wo[k, j] h_j, h_j = max(z_j, 0), z_j = Σ_i Wh[j, i] x_i, so
    ∂L/∂Wo[k, j] = e_k h_j and ∂L/∂Wh[j, i] = (Σ_k e_k Wo[k, j]) · [z_j > 0] · x_i with e_k = 2(ŷ_k − y_k)/n_out.
    """
    n_h, n_in = W_hidden.shape
    n_out = W_output.shape[0]
    z = [sum(W_hidden[j, i] * x[i] for i in range(n_in)) for j in range(n_h)]
    h = [max(z_j, 0.0) for z_j in z]
    y_hat = [sum(W_output[k, j] * h[j] for j in range(n_h)) for k in range(n_out)]
    e = [2.0 * (y_hat[k] - y[k]) / n_out for k in range(n_out)]
    dWo = np.array([[e[k] * h[j] for j in range(n_h)] for k in range(n_out)])
    dWh = np.array([[sum(e[k] * W_output[k, j] for k in range(n_out)) * (1.0 if z[j] > 0 else 0.0) * x[i]
                     for i in range(n_in)] for j in range(n_h)])
    return W_hidden - lr * dWh, W_output - lr * dWo


def missing_relu_derivative(W_hidden, W_output, x, y, lr):
    z = W_hidden @ x
    h = np.maximum(z, 0)
    dy = 2 * (W_output @ h - y) / y.size
    return W_hidden - lr * np.outer(W_output.T @ dy, x), W_output - lr * np.outer(dy, h)


def half_squared_error_step(W_hidden, W_output, x, y, lr):
    z = W_hidden @ x
    h = np.maximum(z, 0)
    dy = W_output @ h - y  # gradient of ½Σ(ŷ − y)², not of the mean
    return W_hidden - lr * np.outer((W_output.T @ dy) * (z > 0), x), W_output - lr * np.outer(dy, h)


@pytest.mark.parametrize("seed", SEEDS)
def test_15_1(seed, verdict):
    assert verdict.status("15.1", ref_sgd_step, seed) == "passed"
    assert verdict.status("15.1", missing_relu_derivative, seed) == "failed"
    assert verdict.status("15.1", half_squared_error_step, seed) == "failed"


def test_15_1_wrong_shapes_and_types(verdict):
    assert verdict.status("15.1", lambda Wh, Wo, x, y, lr: (Wh, Wo)) == "failed"                  # no step
    assert verdict.status("15.1", lambda Wh, Wo, x, y, lr: ref_sgd_step(Wh, Wo, x, y, lr)[0]) == "failed"
    assert "pair" in verdict.message("15.1", lambda Wh, Wo, x, y, lr: 3.0)


def test_15_2(verdict):
    assert verdict.status("15.2", lambda y, n: np.tile(y, (1, n))) == "passed"
    assert verdict.status("15.2", lambda y, n: np.broadcast_to(y, (len(y), n))) == "passed"
    assert verdict.status("15.2", lambda y, n: y) == "failed"
    assert verdict.status("15.2", lambda y, n: np.repeat(y, n, axis=0)) == "failed"
    assert verdict.status("15.2", lambda y, n: np.repeat(y, 2, axis=1)) == "failed"       # hard-coded 2 outputs


def _train_by_hand(X, y):
    Wh = np.array([[1, 2], [2, 3], [1, 1], [3, 1]], dtype=float)
    Wo = np.array([[1, 1, 1, 1]], dtype=float)
    for _ in range(10):
        for xi, yi in zip(X, y):
            Wh, Wo = ref_sgd_step(Wh, Wo, xi, yi, 0.01)
    return Wh, Wo


def test_15_3(verdict):
    assert verdict.status("15.3", _train_by_hand) == "passed"

    def two_outputs(X, y):
        Wh = np.array([[1, 2], [2, 3], [1, 1], [3, 1]], dtype=float)
        Wo = np.array([[1, 1, 1, 1], [1, 0, 0, 1]], dtype=float)
        for _ in range(10):
            for xi, yi in zip(X, y):
                Wh, Wo = ref_sgd_step(Wh, Wo, xi, np.repeat(yi, 2), 0.01)
        return Wh, Wo

    assert verdict.status("15.3", two_outputs) == "failed"

    def with_biases(X, y):
        net = nb.Sequential(nb.Linear.from_weights([[1, 2], [2, 3], [1, 1], [3, 1]], 0.0), nb.ReLU(),
                            nb.Linear.from_weights([[1, 1, 1, 1]], 0.0))
        net.fit(X, y, loss=nb.MSELoss(), optimizer=nb.SGD(0.01), epochs=10, batch_size=1, shuffle=False,
                progress=False)
        return net.layers[0].W, net.layers[2].W

    assert verdict.status("15.3", with_biases) == "failed"

    def shuffled(X, y):
        order = np.random.default_rng(0).permutation(len(X))
        return _train_by_hand(X[order], y[order])

    assert verdict.status("15.3", shuffled) == "failed"
    fixed = _train_by_hand(*nb.datasets.sum_of_inputs(100, rng=0))
    assert verdict.status("15.3", lambda X, y: fixed) == "failed"                  # hard-coded result


def test_15_4(verdict):
    assert verdict.status("15.4", lambda: "b") == "passed"
    assert verdict.status("15.4", lambda: " B ") == "passed"
    for wrong in ("a", "c", "d"):
        assert verdict.status("15.4", lambda w=wrong: w) == "failed"
    assert "one letter" in verdict.message("15.4", lambda: 2)


def test_15_5(verdict):
    def ref(n_in, n_out):
        return {"nnbook": nb.Linear(n_in, n_out).W.shape, "pytorch": (n_out, n_in), "paddle": (n_in, n_out)}

    assert verdict.status("15.5", ref) == "passed"
    assert verdict.status("15.5", lambda i, o: {"nnbook": (o, i), "pytorch": (o, i), "paddle": (o, i)}) == "failed"
    assert verdict.status("15.5", lambda i, o: {"nnbook": (i, o), "pytorch": (i, o), "paddle": (i, o)}) == "failed"
    assert verdict.status("15.5", lambda i, o: {"nnbook": (o, i), "pytorch": (o, i)}) == "failed"
    assert verdict.status("15.5", lambda i, o: {"nnbook": (4, 2), "pytorch": (4, 2), "paddle": (2, 4)}) == "failed"
    assert "dict" in verdict.message("15.5", lambda i, o: (o, i))
