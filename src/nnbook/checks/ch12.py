"""Checks for chapter 12, initialization."""

import numbers

import numpy as np

import nnbook as nb

from ._answers import choice, is_number
from ._core import CheckFailed, question


def _reference_distinct_rows(X, y, n_hidden, init):
    model = nb.MLP([X.shape[1], n_hidden, 1], activation="sigmoid", output_activation="identity", init=init, rng=0)
    model.fit(X, y, loss=nb.MSELoss(), optimizer=nb.SGD(0.5), epochs=50, progress=False)
    return len(np.unique(model.params["W1"], axis=0))


@question("12.1", points=2, title="The symmetry of zero initialization",
          section="12-initialization.html#ch12-symmetry",
          hint="Build nb.MLP([n_in, n_hidden, 1], 'sigmoid', output_activation='identity', init=init, rng=0), "
               "fit it, then count np.unique(model.params['W1'], axis=0).")
def _(answer, rng):
    for init in ("zeros", "small", "zeros"):
        n, d, h = int(rng.integers(20, 60)), int(rng.integers(2, 5)), int(rng.integers(2, 7))
        X = rng.normal(size=(n, d))
        y = (X @ rng.normal(size=d))[:, None] + 0.5
        got = answer(X, y, h, init)
        expected = _reference_distinct_rows(X, y, h, init)
        if not is_number(got, numbers.Integral) or got != expected:
            raise CheckFailed(f"expected {expected} distinct rows of W[1] for init={init!r} and {h} hidden units, "
                              f"got {got!r}")


def _check_initializer(answer, rng, name, variance):
    for trial in range(3):
        n_in, n_out = int(rng.integers(1, 9)), int(rng.integers(1, 9))
        W = np.asarray(answer(n_in, n_out, np.random.default_rng(int(rng.integers(2**31 - 1)))), dtype=float)
        if W.shape != (n_out, n_in):
            raise CheckFailed(f"expected W of shape (n_out, n_in) = ({n_out}, {n_in}), got shape {W.shape}")
    n_in, n_out = int(rng.integers(200, 400)), int(rng.integers(200, 400))
    seed = int(rng.integers(2**31 - 1))
    W = np.asarray(answer(n_in, n_out, np.random.default_rng(seed)), dtype=float)
    W2 = np.asarray(answer(n_in, n_out, np.random.default_rng(seed + 1)), dtype=float)
    expected = variance(n_in, n_out)
    if W.shape != (n_out, n_in):
        raise CheckFailed(f"expected W of shape ({n_out}, {n_in}), got shape {W.shape}")
    if np.array_equal(W, W2):
        raise CheckFailed("expected different weights for different generators (draw from the rng argument)")
    # The sample variance of ~10^5 draws is within 2 % of the truth with overwhelming probability.
    if abs(W.mean()) > 5 * np.sqrt(expected / W.size) or not np.isclose(W.var(), expected, rtol=0.03):
        raise CheckFailed(f"expected {name} weights with mean 0 and variance {expected:.5g} for n_in={n_in}, "
                          f"n_out={n_out}, got mean {W.mean():.3g} and variance {W.var():.5g}")


@question("12.2", points=2, title="Xavier initialization",
          section="12-initialization.html#ch12-rules",
          hint="rng.standard_normal((n_out, n_in)) * np.sqrt(2 / (n_in + n_out)).")
def _(answer, rng):
    _check_initializer(answer, rng, "Xavier", lambda n_in, n_out: 2.0 / (n_in + n_out))


@question("12.3", points=2, title="He initialization",
          section="12-initialization.html#ch12-rules",
          hint="rng.standard_normal((n_out, n_in)) * np.sqrt(2 / n_in).")
def _(answer, rng):
    _check_initializer(answer, rng, "He", lambda n_in, n_out: 2.0 / n_in)


@question("12.4", points=1, title="Why the gradient vanishes through sigmoid layers",
          section="12-initialization.html#ch12-vanishing",
          hint="What is the largest value of σ'(z), and how often is it multiplied in?")
def _(answer, rng):
    choice(answer, "12.4", "abcd", "8376ebebf09027fcb8ed4dff",
           "expected the reason the backward pass shrinks, got {got!r}")


@question("12.5", points=2, title="Gradient norms per layer",
          section="12-initialization.html#ch12-vanishing",
          hint="forward, loss.forward, model.backward(loss.backward()), then np.linalg.norm(g) "
               "for each weight gradient model.grads['W1'], model.grads['W2'], ...")
def _(answer, rng):
    for trial in range(2):
        depth = int(rng.integers(2, 6))
        sizes = [2] + [int(rng.integers(3, 9))] * depth + [1]
        seed = int(rng.integers(2**31 - 1))
        X = rng.normal(size=(int(rng.integers(5, 20)), 2))
        y = (rng.random(len(X)) > 0.5).astype(float)[:, None]
        mine = nb.MLP(sizes, activation="sigmoid", output_activation="sigmoid", init="xavier", rng=seed)
        ref = nb.MLP(sizes, activation="sigmoid", output_activation="sigmoid", init="xavier", rng=seed)
        got = np.asarray(answer(mine, X, y), dtype=float)
        loss = nb.BCELoss()
        loss.forward(ref.forward(X), y)
        ref.backward(loss.backward())
        expected = np.array([np.linalg.norm(g) for name, g in ref.grads.items() if name.startswith("W")])
        if got.shape != expected.shape or not np.allclose(got, expected, rtol=1e-7):
            raise CheckFailed(f"expected the {len(expected)} norms {np.round(expected, 6)} for MLP{sizes}, "
                              f"got {got!r}")
