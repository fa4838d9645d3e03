"""Checks for chapter 1, the neuron (``solutions/01-neuron.ipynb``)."""

import numpy as np

import nnbook as nb

from ._answers import as_scalar as _scalar
from ._answers import choice, close
from ._core import CheckFailed, question


def _reference_neuron(w, b, x):
    return float(nb.sigmoid(nb.Linear.from_weights(np.reshape(w, (1, -1)), b).forward(x))[0])


@question("01.1", points=1, title="The output of chapter 1's worked-example neuron",
          section="01-neuron.html#ch01-worked-neuron",
          hint="z = 0·2 + 1·3 + 4, then a = σ(z) = 1 / (1 + e^(−z)); return a unrounded.")
def _(answer, rng):
    got = _scalar(answer(), "the neuron's output a")
    ref = _reference_neuron([0.0, 1.0], 4.0, np.array([2.0, 3.0]))
    if not close(got, ref, rtol=1e-9, atol=0):
        raise CheckFailed(f"expected a = σ(7) to full precision (about {ref:.4f}), got {got!r}")


@question("01.2", points=2, title="neuron(w, b, x): a sigmoid neuron",
          section="01-neuron.html#ch01-weighted-sum",
          hint="Compute z = Σ wᵢxᵢ + b, then return 1 / (1 + e^(−z)).")
def _(answer, rng):
    cases = [(np.array([0.0, 1.0]), 4.0, np.array([2.0, 3.0]))]
    for _ in range(5):
        n = int(rng.integers(1, 8))
        cases.append((rng.normal(size=n), float(rng.normal()), rng.normal(size=n)))
    for w, b, x in cases:
        got = _scalar(answer(w.copy(), b, x.copy()), "neuron(w, b, x)")
        ref = _reference_neuron(w, b, x)
        if not close(got, ref, rtol=1e-7, atol=1e-12):
            raise CheckFailed(f"for w = {np.round(w, 3)}, b = {b:.3f}, x = {np.round(x, 3)} expected "
                              f"σ(w·x + b) = {ref:.6f}, got {got!r}")


@question("01.3", points=2, title="perceptron(w, b, x): a step neuron",
          section="01-neuron.html#ch01-perceptron",
          hint="Return 1 when w·x + b > 0 and 0 otherwise (z = 0 gives 0).")
def _(answer, rng):
    cases = [(np.array([1.0, 1.0]), -1.5, np.array(x, dtype=float)) for x in ([0, 0], [0, 1], [1, 0], [1, 1])]
    cases.append((np.array([1.0, -1.0]), 0.0, np.array([2.0, 2.0])))  # z = 0 exactly: no firing
    for _ in range(8):
        n = int(rng.integers(1, 6))
        cases.append((rng.normal(size=n), float(rng.normal()), rng.normal(size=n)))
    for w, b, x in cases:
        got = _scalar(answer(w.copy(), b, x.copy()), "perceptron(w, b, x)", binary=True)
        z = float(nb.Linear.from_weights(w.reshape(1, -1), b).forward(x)[0])
        ref = 1.0 if z > 0 else 0.0
        if got != ref:
            raise CheckFailed(f"for w = {np.round(w, 3)}, b = {b:.3f}, x = {np.round(x, 3)} the sum is "
                              f"z = {z:.4f}, so expected {ref:.0f}, got {got!r}")


@question("01.4", points=1, title="Which inputs matter to the worked-example neuron",
          section="01-neuron.html#ch01-worked-neuron",
          hint="An input multiplied by a weight of 0 never reaches the sum.")
def _(answer, rng):
    choice(answer, "01.4", "abcd", "171d6e08027a950574e955be",
           "{got!r} is not right: change x1 and x2 one at a time and watch a")


@question("01.5", points=2, title="Weights and bias of an OR unit",
          section="01-neuron.html#ch01-perceptron",
          hint="You need w·x + b > 0 when at least one input is 1, and ≤ 0 when both are 0.")
def _(answer, rng):
    got = answer()
    try:
        w, b = got
        w = np.asarray(w, dtype=float)
        b = float(b)
    except (TypeError, ValueError):
        raise CheckFailed(f"expected a pair (w, b) with w of length 2 and b a number, got {got!r}") from None
    if w.shape != (2,):
        raise CheckFailed(f"expected w with 2 weights, got shape {w.shape}")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    z = nb.Linear.from_weights(w.reshape(1, -1), b).forward(X)[:, 0]
    out = (z > 0).astype(int)
    want = np.array([0, 1, 1, 1])
    if not np.array_equal(out, want):
        rows = ", ".join(f"{tuple(int(v) for v in x)} -> {o}" for x, o in zip(X, out))
        raise CheckFailed(f"expected the outputs 0, 1, 1, 1 (logical OR), your unit gives {rows}")
