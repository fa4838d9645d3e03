"""Checks for chapter 8, gradient descent (``solutions/08-gradient-descent.ipynb``)."""

import numpy as np

import nnbook as nb

from ._answers import choice
from ._core import CheckFailed, question
from ._functions import Function


def _random_spd(rng, n):
    M = rng.normal(size=(n, n))
    return M @ M.T + 0.5 * np.eye(n)


@question("08.1", points=1, title="gd_step(w, grad, lr): one gradient-descent step",
          section="08-gradient-descent.html#ch08-update",
          hint="Return w − lr · grad as a new array; do not change w in place.")
def _(answer, rng):
    for _ in range(5):
        shape = tuple(int(s) for s in rng.integers(1, 5, size=int(rng.integers(1, 3))))
        w, g = rng.normal(size=shape), rng.normal(size=shape)
        lr = float(rng.uniform(0.001, 1.0))
        w_before = w.copy()
        got = np.asarray(answer(w, g, lr), dtype=float)
        if not np.array_equal(w, w_before):
            raise CheckFailed("expected w unchanged (return a new array), but gd_step changed it in place")
        ref = w_before - lr * g
        if got.shape != ref.shape or not np.allclose(got, ref, rtol=1e-12, atol=1e-12):
            raise CheckFailed(f"for w of shape {shape} and lr = {lr:.4f} expected w − lr·grad "
                              f"(shape {ref.shape}), got shape {got.shape}")


@question("08.2", points=3, title="gradient_descent(grad_f, w0, lr, steps)",
          section="08-gradient-descent.html#ch08-closed-form",
          hint="Start from a copy of w0 and repeat w = w − lr · grad_f(w) exactly `steps` times; return the final w.")
def _(answer, rng):
    for trial in range(5):
        n = int(rng.integers(1, 6))
        A = _random_spd(rng, n)
        b = rng.normal(size=n)
        w_star = np.linalg.solve(A, b)
        lr = float(rng.uniform(0.2, 1.9) / np.linalg.eigvalsh(A).max())
        steps = 0 if trial == 0 else int(rng.integers(1, 40))
        w0 = rng.normal(size=n)
        w0_before = w0.copy()
        got = np.asarray(answer(Function("affine_residual", A=A, b=b), w0, lr, steps), dtype=float)
        if not np.array_equal(w0, w0_before):
            raise CheckFailed("expected w0 unchanged; work on a copy")
        ref = w_star + np.linalg.matrix_power(np.eye(n) - lr * A, steps) @ (w0 - w_star)
        if got.shape != ref.shape or not np.allclose(got, ref, rtol=1e-8, atol=1e-10):
            raise CheckFailed(f"on a random quadratic in {n} variables with lr = {lr:.4f} and steps = {steps} "
                              f"expected w_k = {np.round(ref, 6)} (the closed-form iterate), got {np.round(got, 6)}")


@question("08.3", points=2, title="max_stable_lr(curvatures): the largest stable learning rate",
          section="08-gradient-descent.html#ch08-bowl",
          hint="Each coordinate is multiplied by its own factor at every step, and it shrinks only while that "
               "factor lies strictly between −1 and 1: which coordinate decides?")
def _(answer, rng):
    cases = [np.array([1.0, 10.0])]  # the chapter's bowl
    for _ in range(4):
        cases.append(rng.uniform(0.1, 20.0, size=int(rng.integers(1, 6))))
    for c in cases:
        raw = answer(c.copy())
        try:
            got = float(np.asarray(raw, dtype=float).reshape(-1)[0]) if np.size(raw) == 1 else None
        except (TypeError, ValueError):
            got = None
        if got is None:
            raise CheckFailed(f"expected one number from max_stable_lr(curvatures), got {raw!r}")
        # Gradient descent on ℒ(w) = ½ Σ c_k w_k² multiplies w_k by 1 − η c_k at every step: it
        # converges exactly when every |1 − η c_k| < 1. The check finds that threshold by running it.
        ref = _threshold_by_descent(c)
        if not np.isclose(got, ref, rtol=1e-6):
            raise CheckFailed(f"for the curvatures {np.round(c, 4).tolist()} expected the threshold {ref:.6f} "
                              f"(just below it gradient descent converges, just above it diverges), got {got!r}")


def _threshold_by_descent(c, steps=200):
    """The learning rate where gradient descent on ½ Σ c_k w_k² stops converging, found by bisection
    on runs of ``steps`` steps (not by a formula)."""
    def converges(lr):
        # From w = 1 a converging run shrinks every |w_k| at every step; one that does not shrink
        # is stopped there, before it can overflow.
        w = np.ones_like(c)
        for _ in range(steps):
            w = w - lr * (c * w)
            if np.any(np.abs(w) >= 1.0):
                return False
        return True

    lo, hi = 0.0, 4.0 / float(np.min(c))
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if converges(mid) else (lo, mid)
    return lo


@question("08.4", points=2, title="train_linear(X, y, lr, epochs): full-batch gradient descent on one Linear layer",
          section="08-gradient-descent.html#ch08-tiny-model",
          hint="Build nb.Sequential(nb.Linear(n_in, 1, rng=0)) and call fit with nb.MSELoss(), nb.SGD(lr), "
               "batch_size=None and progress=False; return (W, b) of the layer.")
def _(answer, rng):
    for _ in range(3):
        n, n_in = int(rng.integers(20, 60)), int(rng.integers(1, 5))
        X = rng.normal(size=(n, n_in))
        y = X @ rng.normal(size=n_in) + rng.normal() + 0.1 * rng.normal(size=n)
        lr, epochs = float(rng.uniform(0.01, 0.2)), int(rng.integers(5, 40))
        got = answer(X.copy(), y.copy(), lr, epochs)
        try:
            W_got, b_got = (np.asarray(v, dtype=float) for v in got)
        except (TypeError, ValueError):
            raise CheckFailed(f"expected a pair (W, b), got {type(got).__name__}") from None
        model = nb.Sequential(nb.Linear(n_in, 1, rng=0))
        model.fit(X, y.reshape(-1, 1), loss=nb.MSELoss(), optimizer=nb.SGD(lr), epochs=epochs,
                  batch_size=None, progress=False)
        W_ref, b_ref = model.layers[0].W, model.layers[0].b
        if W_got.shape != W_ref.shape or b_got.size != b_ref.size:
            raise CheckFailed(f"expected W of shape {W_ref.shape} and b of shape {b_ref.shape}, "
                              f"got {W_got.shape} and {b_got.shape}")
        if not (np.allclose(W_got, W_ref, rtol=1e-8, atol=1e-10) and np.allclose(b_got.ravel(), b_ref, rtol=1e-8, atol=1e-10)):
            raise CheckFailed(f"with n_in = {n_in}, lr = {lr:.3f}, epochs = {epochs} expected W = {np.round(W_ref, 5)}, "
                              f"b = {np.round(b_ref, 5)} (nb.Linear(n_in, 1, rng=0) trained by fit), got "
                              f"W = {np.round(W_got, 5)}, b = {np.round(b_got, 5)}")


@question("08.5", points=1, title="Perpendicular steps",
          section="08-gradient-descent.html#ch08-perpendicular",
          hint="Which method stops each step at the lowest point along its line?")
def _(answer, rng):
    choice(answer, "08.5", "abc", "731281d7235151bc593b7b0b",
           "{got!r} is not right; compare the cosines of consecutive steps in the chapter")
