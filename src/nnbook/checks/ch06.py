"""Checks for chapter 6, loss functions."""

import numpy as np

import nnbook as nb

from ._answers import as_scalar, call_quietly, close
from ._core import CheckFailed, question


def _random_pair(rng):
    if rng.random() < 0.5:
        shape = (int(rng.integers(1, 12)),)
    else:
        shape = (int(rng.integers(1, 9)), int(rng.integers(1, 4)))
    return rng.normal(size=shape), rng.normal(size=shape)


@question("06.1", points=1, title="Mean squared error",
          section="06-losses.html#ch06-squared-error",
          hint="The mean of (ŷ − y)² over every entry: np.mean(...).")
def _check_06_1(answer, rng):
    for _ in range(5):
        y_hat, y = _random_pair(rng)
        got = as_scalar(call_quietly(answer, y_hat, y, what="mse(y_hat, y)"), "mse(y_hat, y)", exact=True)
        ref = nb.MSELoss().forward(y_hat, y)
        if not close(got, ref, rtol=1e-9, atol=1e-12):
            raise CheckFailed(f"expected mse = {ref:.6g} for arrays of shape {y.shape}, got {got:.6g}")
    got = as_scalar(answer(np.zeros(4), np.array([1.0, 0.0, 0.0, 1.0])), "mse(y_hat, y)", exact=True)
    if not np.isclose(got, 0.5):
        raise CheckFailed(f"expected mse of the chapter's four labels y = [1, 0, 0, 1] and predictions ŷ = 0 to be 0.5, got {got:.6g}")


@question("06.2", points=2, title="The gradient of the mean squared error",
          section="06-losses.html#ch06-constant",
          hint="∂/∂ŷ of (1/N) Σ (ŷ − y)² is 2(ŷ − y)/N, with N the number of entries; same shape as y_hat.")
def _check_06_2(answer, rng):
    for _ in range(5):
        y_hat, y = _random_pair(rng)
        got = np.asarray(call_quietly(answer, y_hat, y, what="mse_grad(y_hat, y)"), dtype=float)
        loss = nb.MSELoss()
        loss.forward(y_hat, y)
        ref = loss.backward()
        if got.shape != ref.shape:
            raise CheckFailed(f"expected a gradient of the shape of y_hat {ref.shape}, got shape {got.shape}")
        if not close(got, ref, rtol=1e-9, atol=1e-12):
            if close(got, ref / 2, rtol=1e-9, atol=1e-12):
                raise CheckFailed("expected 2(ŷ − y)/N; yours is half of it, the gradient of ½ MSE")
            if close(got, ref * y.size, rtol=1e-9, atol=1e-12):
                raise CheckFailed("expected 2(ŷ − y)/N; yours is not divided by N, the number of entries")
            raise CheckFailed(f"expected the gradient {ref.ravel()[:3].round(6).tolist()}…, got "
                              f"{got.ravel()[:3].round(6).tolist()}…")


@question("06.3", points=3, title="Binary cross-entropy that never takes log(0)",
          section="06-losses.html#ch06-cross-entropy",
          hint="Clip p into [ε, 1 − ε] with a tiny ε (1e-12, say) before the logarithms; average over the samples.")
def _check_06_3(answer, rng):
    for _ in range(5):
        n = int(rng.integers(1, 12))
        p = rng.uniform(0.01, 0.99, size=n)
        y = rng.integers(0, 2, size=n).astype(float)
        got = as_scalar(call_quietly(answer, p, y, what="bce(p, y)"), "bce(p, y)", exact=True)
        ref = nb.BCELoss().forward(p.reshape(-1, 1), y.reshape(-1, 1))  # n samples, one output each
        if not close(got, ref, rtol=1e-7, atol=1e-12):
            raise CheckFailed(f"expected bce = {ref:.6g} (the mean over {n} samples), got {got:.6g}")
    # Saturated predictions: exactly 0 and 1.
    p, y = np.array([1.0, 0.0, 1.0, 0.0]), np.array([1.0, 0.0, 1.0, 0.0])
    got = as_scalar(call_quietly(answer, p, y, what="bce(p, y) with p exactly 0 or 1"), "bce(p, y)", exact=True)
    if not np.isfinite(got) or abs(got) > 1e-6:
        raise CheckFailed(f"expected a loss close to 0 for perfect predictions p = {p.tolist()}, got {got!r}")
    for p, y in ((np.array([0.0]), np.array([1.0])), (np.array([1.0]), np.array([0.0]))):
        got = as_scalar(call_quietly(answer, p, y, what="bce(p, y) with p exactly 0 or 1"), "bce(p, y)", exact=True)
        if not np.isfinite(got) or got < 10:
            raise CheckFailed(f"expected a large but finite loss for the confidently wrong p = {p[0]:g}, y = {y[0]:g}, "
                              f"got {got!r}")


@question("06.4", points=1, title="How much stronger is cross-entropy's signal?",
          section="06-losses.html#ch06-why-bce",
          hint="∂ℒ/∂z is ŷ − y for cross-entropy and (ŷ − y)σ'(z) for ½(ŷ − y)²; divide the first by the second.")
def _check_06_4(answer, rng):
    got = as_scalar(answer(), "answer_06_4()", exact=True)
    z = np.array([-6.0])
    y = np.array([1.0])
    half = nb.SquaredErrorLoss(half=True)
    half.forward(nb.sigmoid(z), y)
    d_se = float(half.backward()[0] * nb.sigmoid_prime(z)[0])
    d_bce = float(nb.sigmoid(z)[0] - y[0])
    ref = d_bce / d_se
    if not np.isclose(got, ref, rtol=1e-3):
        raise CheckFailed(f"expected the ratio of the two gradients to 3 significant digits, got {got:.6g}")
