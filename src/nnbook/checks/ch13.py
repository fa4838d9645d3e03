"""Checks for chapter 13, classifying many classes."""

import numpy as np

import nnbook as nb

from ._answers import as_array, close
from ._core import CheckFailed, question


def _random_logits(rng):
    n, k = int(rng.integers(1, 8)), int(rng.integers(2, 7))
    return rng.normal(scale=3.0, size=(n, k)), rng.integers(0, k, size=n), k


@question("13.1", points=2, title="A stable softmax",
          section="13-softmax.html#ch13-softmax-function",
          hint="Subtract Z.max(axis=1, keepdims=True) before np.exp, then divide by the row sums.")
def _(answer, rng):
    for trial in range(3):
        Z, _, _ = _random_logits(rng)
        got = as_array(answer(Z.copy()), None, "softmax(Z)")
        ref = nb.softmax(Z)
        if got.shape != ref.shape or not close(got, ref, rtol=1e-9, atol=1e-12):
            raise CheckFailed(f"expected softmax of each row, shape {ref.shape}, got {np.round(got, 4)!r}")
    Z = rng.normal(size=(3, 4)) + 1000.0 * rng.choice([-1.0, 1.0], size=(3, 1))
    with np.errstate(all="ignore"):
        got = as_array(answer(Z.copy()), None, "softmax(Z)")
    if got.shape != Z.shape or not np.all(np.isfinite(got)) or not close(got, nb.softmax(Z), rtol=1e-9):
        raise CheckFailed(f"expected finite probabilities for logits near ±1000 (subtract the row maximum), got {got!r}")


@question("13.2", points=1, title="One-hot labels",
          section="13-softmax.html#ch13-one-hot",
          hint="np.eye(k)[y] picks row y[i] of the identity for every sample.")
def _(answer, rng):
    for trial in range(3):
        k = int(rng.integers(2, 8))
        y = rng.integers(0, k, size=int(rng.integers(1, 10)))
        got = as_array(answer(y.copy(), k), None, "one_hot(y, k)")
        ref = np.eye(k)[y]
        if got.shape != ref.shape or not np.array_equal(got, ref):
            raise CheckFailed(f"expected an array of shape {ref.shape} with a 1 at column y[i] of row i, "
                              f"for y={y.tolist()} and k={k}, got {got.tolist()}")


@question("13.3", points=2, title="The cross-entropy of softmax outputs",
          section="13-softmax.html#ch13-one-hot",
          hint="The mean over samples of −log softmax(Z)[i, y[i]]; compute log-softmax stably.")
def _(answer, rng):
    for trial in range(3):
        Z, y, _ = _random_logits(rng)
        got = answer(Z.copy(), y.copy())
        ref = nb.SoftmaxCrossEntropyLoss().forward(Z, y)
        if not close(float(np.asarray(got, dtype=float)), ref, rtol=1e-9):
            raise CheckFailed(f"expected the mean cross-entropy {ref:.6f} for {len(y)} samples, got {got!r}")
    Z = np.array([[1000.0, 0.0, -1000.0]])
    with np.errstate(all="ignore"):
        got = float(np.asarray(answer(Z.copy(), np.array([1])), dtype=float))
    if not close(got, 1000.0, rtol=1e-9):
        raise CheckFailed(f"expected a finite loss of 1000 for logits (1000, 0, −1000) and label 1, got {got!r}")


@question("13.4", points=2, title="The gradient ŷ − y",
          section="13-softmax.html#ch13-gradient",
          hint="(softmax(Z) − one_hot(y, k)) / n_samples.")
def _(answer, rng):
    for trial in range(3):
        Z, y, _ = _random_logits(rng)
        got = as_array(answer(Z.copy(), y.copy()), None, "the gradient")
        loss = nb.SoftmaxCrossEntropyLoss()
        loss.forward(Z, y)
        ref = loss.backward()
        if got.shape != ref.shape or not close(got, ref, rtol=1e-8, atol=1e-12):
            raise CheckFailed(f"expected ∂ℒ/∂Z of shape {ref.shape} equal to (softmax(Z) − Y) / n, with Y the one-hot labels, got {np.round(got, 4)!r}")


@question("13.5", points=1, title="Accuracy",
          section="13-softmax.html#ch13-accuracy-loss",
          hint="The mean of (Z.argmax(axis=1) == y).")
def _(answer, rng):
    for trial in range(4):
        Z, y, _ = _random_logits(rng)
        Z = np.concatenate([Z, rng.normal(size=(10, Z.shape[1]))])
        y = np.concatenate([y, rng.integers(0, Z.shape[1], size=10)])
        got = answer(Z.copy(), y.copy())
        ref = float(np.mean(Z.argmax(axis=1) == y))
        if not np.isclose(float(np.asarray(got, dtype=float)), ref):
            raise CheckFailed(f"expected the fraction of rows whose largest logit is at y, {ref:.4f}, got {got!r}")
