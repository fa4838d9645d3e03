"""The checks of chapters 11-13 pass right answers and fail wrong or hard-coded ones."""

import numpy as np
import pytest

import nnbook as nb


def not_implemented(*args):
    raise NotImplementedError


# --- chapter 11 ---------------------------------------------------------------------


def sgd_step(model, X, Y, loss, lr):
    value = loss.forward(model.forward(X), Y)
    model.backward(loss.backward())
    for name, p in model.params.items():
        p -= lr * model.grads[name]
    return value


def sgd_step_no_bias(model, X, Y, loss, lr):
    value = loss.forward(model.forward(X), Y)
    model.backward(loss.backward())
    for name, p in model.params.items():
        if name.endswith("W"):
            p -= lr * model.grads[name]
    return value


def sgd_step_loss_after(model, X, Y, loss, lr):
    sgd_step(model, X, Y, loss, lr)
    return loss.forward(model.forward(X), Y)


def minibatches(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]


def minibatches_unshuffled(X, y, batch_size, rng):
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]


def minibatches_with_replacement(X, y, batch_size, rng):
    for start in range(0, len(X), batch_size):
        idx = rng.integers(0, len(X), size=min(batch_size, len(X) - start))
        yield X[idx], y[idx]


def minibatches_mismatched(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[np.sort(idx)]


def train_xor():
    X, y = nb.datasets.xor()
    model = nb.MLP([2, 4, 4, 1], activation="sigmoid", output_activation="sigmoid", init="normal", rng=0)
    model.fit(X, y, loss=nb.SquaredErrorLoss(half=True), optimizer=nb.SGD(1.0), epochs=1000,
              batch_size=1, shuffle=False, progress=False)
    return model


class Memorized:
    """Answers [0, 1, 1, 0] whatever the input: a hard-coded 'network'."""

    def predict(self, X):
        return np.array([[0.0], [1.0], [1.0], [0.0]])


def standardize(X_train, X_new):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    return (X_train - mean) / std, (X_new - mean) / std


def standardize_own_stats(X_train, X_new):
    return ((X_train - X_train.mean(0)) / X_train.std(0), (X_new - X_new.mean(0)) / X_new.std(0))


def test_ch11_right_answers_pass(verdict):
    assert verdict.result("11.1", sgd_step).status == "passed"
    assert verdict.result("11.2", minibatches).status == "passed"
    assert verdict.result("11.3", train_xor).status == "passed"
    assert verdict.result("11.4", standardize).status == "passed"
    assert verdict.result("11.5", lambda: "b, c, e, f").status == "passed"


@pytest.mark.parametrize("qid, answer", [
    ("11.1", sgd_step_no_bias), ("11.1", sgd_step_loss_after),
    ("11.2", minibatches_unshuffled), ("11.2", minibatches_with_replacement), ("11.2", minibatches_mismatched),
    ("11.3", Memorized), ("11.3", lambda: nb.MLP([2, 4, 4, 1], rng=0)),
    ("11.4", standardize_own_stats), ("11.5", lambda: "bce"), ("11.5", lambda: 3),
])
def test_ch11_wrong_answers_fail(qid, answer, verdict):
    result = verdict.result(qid, answer)
    assert result.status == "failed" and result.points == 0 and result.message


def test_stubs_are_not_attempted(verdict):
    for qid in ["11.1", "11.2", "11.4", "12.2", "12.3", "12.5", "13.1", "13.2", "13.3", "13.4", "13.5"]:
        assert verdict.result(qid, not_implemented).status == "not attempted"
    for qid in ["11.3", "11.5", "12.4"]:
        assert verdict.result(qid, not_implemented).status == "not attempted"


# --- chapter 12 ---------------------------------------------------------------------


def distinct_hidden_rows(X, y, n_hidden, init):
    model = nb.MLP([X.shape[1], n_hidden, 1], activation="sigmoid", output_activation="identity", init=init, rng=0)
    model.fit(X, y, loss=nb.MSELoss(), optimizer=nb.SGD(0.5), epochs=50, progress=False)
    return len(np.unique(model.params["W1"], axis=0))


def xavier(n_in, n_out, rng):
    return rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / (n_in + n_out))


def he(n_in, n_out, rng):
    return rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)


def gradient_norms(model, X, y):
    loss = nb.BCELoss()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    return [np.linalg.norm(g) for name, g in model.grads.items() if name.startswith("W")]


def test_ch12_right_answers_pass(verdict):
    assert verdict.result("12.1", distinct_hidden_rows).status == "passed"
    assert verdict.result("12.2", xavier).status == "passed"
    assert verdict.result("12.3", he).status == "passed"
    assert verdict.result("12.4", lambda: "c").status == "passed"
    assert verdict.result("12.5", gradient_norms).status == "passed"


@pytest.mark.parametrize("qid, answer", [
    ("12.1", lambda X, y, h, init: 1),
    ("12.2", he), ("12.2", lambda n_in, n_out, rng: xavier(n_out, n_in, rng).T.T.reshape(n_in, n_out)),
    ("12.2", lambda n_in, n_out, rng: np.random.default_rng(0).standard_normal((n_out, n_in)) * np.sqrt(2 / (n_in + n_out))),
    ("12.3", xavier), ("12.3", lambda n_in, n_out, rng: rng.uniform(-1, 1, (n_out, n_in))),
    ("12.4", lambda: "a"),
    ("12.5", lambda model, X, y: gradient_norms(model, X, y)[::-1]),
])
def test_ch12_wrong_answers_fail(qid, answer, verdict):
    assert verdict.result(qid, answer).status == "failed"


# --- chapter 13 ---------------------------------------------------------------------


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def softmax_naive(Z):
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)


def one_hot(y, k):
    return np.eye(k)[y]


def cross_entropy(Z, y):
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -np.mean(log_probs[np.arange(len(y)), y])


def cross_entropy_naive(Z, y):
    return -np.mean(np.log(softmax(Z)[np.arange(len(y)), y]))


def cross_entropy_grad(Z, y):
    return (softmax(Z) - one_hot(y, Z.shape[1])) / len(Z)


def accuracy(Z, y):
    return float(np.mean(Z.argmax(axis=1) == y))


def test_ch13_right_answers_pass(verdict):
    assert verdict.result("13.1", softmax).status == "passed"
    assert verdict.result("13.2", one_hot).status == "passed"
    assert verdict.result("13.3", cross_entropy).status == "passed"
    assert verdict.result("13.4", cross_entropy_grad).status == "passed"
    assert verdict.result("13.5", accuracy).status == "passed"
    assert verdict.result("13.1", lambda Z: nb.softmax(Z)).status == "passed"


@pytest.mark.parametrize("qid, answer", [
    ("13.1", softmax_naive), ("13.1", lambda Z: softmax(Z.T).T),
    ("13.2", lambda y, k: np.eye(k)[y][:, ::-1]),
    ("13.3", cross_entropy_naive), ("13.3", lambda Z, y: len(y) * cross_entropy(Z, y)),
    ("13.4", lambda Z, y: softmax(Z) - one_hot(y, Z.shape[1])),
    ("13.5", lambda Z, y: float(np.mean(Z.argmin(axis=1) == y))),
])
def test_ch13_wrong_answers_fail(qid, answer, verdict):
    assert verdict.result(qid, answer).status == "failed"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_checks_pass_for_any_seed(seed, verdict):
    for qid, answer in [("11.1", sgd_step), ("11.2", minibatches), ("12.2", xavier), ("12.3", he),
                        ("13.3", cross_entropy), ("13.4", cross_entropy_grad)]:
        assert verdict.result(qid, answer, seed=seed).status == "passed", qid
