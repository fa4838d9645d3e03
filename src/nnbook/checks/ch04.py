"""Checks for chapter 4, activation functions."""

import numpy as np

import nnbook as nb

from ._answers import call_quietly, choice, close
from ._core import CheckFailed, question

EXTREMES = np.array([-1000.0, -745.0, -710.0, -40.0, 0.0, 40.0, 710.0, 745.0, 1000.0])


def _random_z(rng, scale=5.0):
    shape = tuple(int(n) for n in rng.integers(1, 6, size=int(rng.integers(1, 3))))
    return rng.normal(scale=scale, size=shape)


def _call_quietly(answer, z, what):
    got = call_quietly(answer, z, what=what, context=f" for z in [{z.min():g}, {z.max():g}]")
    return np.asarray(got, dtype=float)


def _compare(got, ref, z, what, rtol=1e-7, atol=1e-12):
    if got.shape != ref.shape:
        raise CheckFailed(f"expected {what} to keep the input's shape {ref.shape}, got shape {got.shape}")
    if not np.all(np.isfinite(got)):
        raise CheckFailed(f"expected finite values from {what}, got {got.ravel()[~np.isfinite(got.ravel())][:3]}")
    if not close(got, ref, rtol=rtol, atol=atol):
        i = np.unravel_index(np.argmax(np.abs(got - ref)), ref.shape)
        raise CheckFailed(f"expected {what} at z = {z[i]:.6g} to be {ref[i]:.10g}, got {got[i]:.10g}")


@question("04.1", points=3, title="A numerically stable sigmoid",
          section="04-activations.html#ch04-stable-sigmoid",
          hint="Exponentiate only −|z|: for z < 0 use e^z / (1 + e^z), for z ≥ 0 use 1 / (1 + e^(−z)); np.where picks per entry.")
def _check_04_1(answer, rng):
    for _ in range(4):
        z = _random_z(rng)
        _compare(_call_quietly(answer, z, "sigmoid(z)"), nb.sigmoid(z), z, "sigmoid(z)")
    z = np.concatenate([EXTREMES, rng.uniform(-1000, 1000, size=6)])
    _compare(_call_quietly(answer, z, "sigmoid(z)"), nb.sigmoid(z), z, "sigmoid(z)")


@question("04.2", points=2, title="The sigmoid's derivative",
          section="04-activations.html#ch04-derivatives",
          hint="σ'(z) = σ(z)(1 − σ(z)); compute σ(z) once with your stable sigmoid.")
def _check_04_2(answer, rng):
    for _ in range(4):
        z = _random_z(rng)
        _compare(_call_quietly(answer, z, "sigmoid_prime(z)"), nb.sigmoid_prime(z), z, "sigmoid_prime(z)")
    z = np.concatenate([EXTREMES, rng.uniform(-1000, 1000, size=6)])
    _compare(_call_quietly(answer, z, "sigmoid_prime(z)"), nb.sigmoid_prime(z), z, "sigmoid_prime(z)",
             atol=1e-15)
    # A central difference of the library's sigmoid, independent of any formula.
    z = rng.uniform(-6, 6, size=8)
    eps = 1e-5
    numeric = (nb.sigmoid(z + eps) - nb.sigmoid(z - eps)) / (2 * eps)
    _compare(_call_quietly(answer, z, "sigmoid_prime(z)"), numeric, z, "sigmoid_prime(z)", rtol=1e-6, atol=1e-9)


@question("04.3", points=1, title="ReLU",
          section="04-activations.html#ch04-four-functions",
          hint="ReLU(z) = max(0, z) entry by entry: np.maximum(z, 0), not max(z).")
def _check_04_3(answer, rng):
    for _ in range(4):
        z = _random_z(rng)
        _compare(_call_quietly(answer, z, "relu(z)"), nb.relu(z), z, "relu(z)")
    z = np.array([-3.0, -1e-9, 0.0, 1e-9, 1000.0])
    _compare(_call_quietly(answer, z, "relu(z)"), nb.relu(z), z, "relu(z)", rtol=0, atol=0)


@question("04.4", points=1, title="ReLU's derivative",
          section="04-activations.html#ch04-derivatives",
          hint="1 where z > 0 and 0 where z < 0, as floats (np.where or a comparison turned into floats).")
def _check_04_4(answer, rng):
    for _ in range(4):
        z = _random_z(rng)
        _compare(_call_quietly(answer, z, "relu_prime(z)"), nb.relu_prime(z), z, "relu_prime(z)", rtol=0, atol=0)
    z = np.array([-2.0, -1e-12, 0.0, 1e-12, 5.0])
    got = _call_quietly(answer, z, "relu_prime(z)")
    kink = z == 0
    # At the corner any slope between 0 and 1 is a valid choice (this book picks 0; 1 is as good).
    if got.shape == z.shape and np.isfinite(got[kink]).all() and (0 <= got[kink]).all() and (got[kink] <= 1).all():
        got = np.where(kink, 0.0, got)
    _compare(got, nb.relu_prime(z), z, "relu_prime(z)", rtol=0, atol=0)


@question("04.5", points=1, title="Why a nonlinearity",
          section="04-activations.html#ch04-why-nonlinear",
          hint="Substitute one linear layer into the next and simplify.")
def _check_04_5(answer, rng):
    choice(answer, "04.5", "abcd", "fd17a4993ccfeaa5fb069d54",
           "expected the statement that holds for every choice of weights, got {got!r}")
