"""Checks for chapter 2, vectors (``solutions/02-vectors.ipynb``)."""

import numpy as np

from ._answers import as_scalar as _scalar
from ._answers import choice, close
from ._core import CheckFailed, question


def _vector_result(value, n, what):
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailed(f"expected {what} as a sequence of {n} numbers, got {value!r}") from None
    if arr.shape != (n,):
        raise CheckFailed(f"expected {what} with {n} components, got shape {arr.shape}")
    return arr


def _random_pairs(rng, k=6):
    pairs = [([1.0, 2.0, 3.0], [4.0, 5.0, 8.0])]
    for _ in range(k):
        n = int(rng.integers(1, 12))
        pairs.append((rng.normal(size=n).tolist(), rng.normal(size=n).tolist()))
    return pairs


def _expect_value_error(fn, what):
    try:
        fn([1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0])
    except ValueError:
        return
    except NotImplementedError:
        raise
    except Exception as exc:
        raise CheckFailed(f"expected {what} of lengths 3 and 4 to raise ValueError, "
                          f"got {type(exc).__name__}: {exc}{_ERROR_HINT}") from None
    raise CheckFailed(f"the sums are right, but {what} of lengths 3 and 4 returned normally instead of raising "
                      f"ValueError{_ERROR_HINT}")


# The hint for a missing error (the question's hint is about the loop, which is right by then).
_ERROR_HINT = ("\nhint: before the loop, compare len(a) with len(b) and, if they differ, "
               "raise ValueError(...) with a message that gives both lengths.")


@question("02.1", points=2, title="vector_add(a, b) with a loop",
          section="02-vectors.html#ch02-addition",
          hint="Build a list with a[i] + b[i] for every index i; raise ValueError if the lengths differ.")
def _(answer, rng):
    for a, b in _random_pairs(rng):
        got = _vector_result(answer(list(a), list(b)), len(a), "vector_add(a, b)")
        ref = np.add(a, b)
        if not close(got, ref, rtol=1e-12, atol=1e-12):
            raise CheckFailed(f"for a = {np.round(a, 3)}, b = {np.round(b, 3)} expected {np.round(ref, 4)}, "
                              f"got {np.round(got, 4)}")
    _expect_value_error(answer, "vector_add of vectors")


@question("02.2", points=2, title="dot(a, b) with a loop",
          section="02-vectors.html#ch02-dot-product",
          hint="Start from total = 0.0 and add a[i] * b[i] for every index; raise ValueError if the lengths differ.")
def _(answer, rng):
    for a, b in _random_pairs(rng):
        got = _scalar(answer(list(a), list(b)), "dot(a, b)")
        ref = float(np.dot(a, b))
        if not close(got, ref, rtol=1e-10, atol=1e-12):
            raise CheckFailed(f"for a = {np.round(a, 3)}, b = {np.round(b, 3)} expected a·b = {ref:.6f}, got {got!r}")
    _expect_value_error(answer, "dot of vectors")


@question("02.3", points=2, title="angle(a, b) in degrees",
          section="02-vectors.html#ch02-geometry",
          hint="cos θ = a·b / (|a| |b|), |a| = √(a·a); np.arccos gives radians, np.degrees converts.")
def _(answer, rng):
    cases = [([1.0, 0.0], [0.0, 2.0]), ([2.0, 1.0], [1.0, 2.0]), ([1.0, 1.0], [-3.0, -3.0])]
    for _ in range(6):
        n = int(rng.integers(2, 7))
        cases.append((rng.normal(size=n), rng.normal(size=n)))
    for a, b in cases:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        got = _scalar(answer(a.copy(), b.copy()), "angle(a, b)")
        cos = np.clip(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)), -1.0, 1.0)
        ref = float(np.degrees(np.arccos(cos)))
        if not np.isclose(got, ref, atol=1e-6):
            raise CheckFailed(f"for a = {np.round(a, 3)}, b = {np.round(b, 3)} expected θ = {ref:.4f} degrees, got {got!r}")


@question("02.4", points=1, title="The sign of a dot product",
          section="02-vectors.html#ch02-geometry",
          hint="a·b = |a| |b| cos θ, and the lengths are positive.")
def _(answer, rng):
    choice(answer, "02.4", "abc", "8d92806f606ff2d4543e269a",
           "{got!r} is not right: a·b < 0 means cos θ < 0")


@question("02.5", points=1, title="The dot product [1, 2, 3]·[4, 5, 8]",
          section="02-vectors.html#ch02-dot-product",
          hint="1·4 + 2·5 + 3·8; you may call your dot from question 2.2.")
def _(answer, rng):
    got = _scalar(answer(), "the dot product")
    ref = float(np.dot([1.0, 2.0, 3.0], [4.0, 5.0, 8.0]))
    if not close(got, ref, rtol=1e-12):
        raise CheckFailed(f"expected the number 1·4 + 2·5 + 3·8, got {got!r}")
