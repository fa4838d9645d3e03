"""Checks for chapter 3, matrix multiplication (``solutions/03-matrices.ipynb``)."""

import numpy as np

import nnbook as nb

from ._answers import as_array as _array
from ._answers import close, difference, values
from ._core import CheckFailed, question

W_FOUR_UNITS = nb.datasets.SEED004_W_HIDDEN  # the four-unit layer of chapter 3


def _shapes(rng, k):
    return [tuple(int(v) for v in rng.integers(1, 7, size=2)) for _ in range(k)]


@question("03.1", points=2, title="matvec(W, x) with loops",
          section="03-matrices.html#ch03-matvec",
          hint="Each z[i] is the dot product of row i of W with x: one loop over the rows, one over the columns. "
               "(The check compares values only: it cannot tell loops from @, so the loops are up to you.)")
def _(answer, rng):
    cases = [(W_FOUR_UNITS, np.array([2.0, 3.0]))]
    for n_out, n_in in _shapes(rng, 6):
        cases.append((rng.normal(size=(n_out, n_in)), rng.normal(size=n_in)))
    for W, x in cases:
        got = _array(answer(W.copy(), x.copy()), (W.shape[0],), "matvec(W, x)")
        ref = nb.Linear.from_weights(W).forward(x)
        if not close(got, ref, rtol=1e-10, atol=1e-12):
            raise CheckFailed(f"for W of shape {W.shape} expected W @ x = {np.round(ref, 4)}, got {np.round(got, 4)}: "
                              f"{difference(got, ref)}")
    W = rng.normal(size=(3, 2))
    try:
        answer(W, np.ones(3))
    except ValueError:
        return
    except NotImplementedError:
        raise
    except Exception as exc:
        raise CheckFailed(f"expected W of shape (3, 2) with x of length 3 to raise ValueError, "
                          f"got {type(exc).__name__}: {exc}{_ERROR_HINT}") from None
    raise CheckFailed("the products are right, but W of shape (3, 2) with x of length 3 returned normally "
                      f"instead of raising ValueError{_ERROR_HINT}")


# The hint for a missing error (the question's hint is about the loops, which are right by then).
_ERROR_HINT = ("\nhint: before the loops, compare len(x) with the number of columns of W and, if they "
               "differ, raise ValueError(...) with a message that gives both.")


@question("03.2", points=2, title="linear_forward(W, b, X) for a batch",
          section="03-matrices.html#ch03-batch",
          hint="X has one example per row: Z = X @ W.T + b, of shape (n_samples, n_out).")
def _(answer, rng):
    for n_out, n_in in _shapes(rng, 6):
        n_samples = int(rng.integers(1, 9))
        W, b, X = rng.normal(size=(n_out, n_in)), rng.normal(size=n_out), rng.normal(size=(n_samples, n_in))
        got = _array(answer(W.copy(), b.copy(), X.copy()), (n_samples, n_out), "linear_forward(W, b, X)")
        ref = nb.Linear.from_weights(W, b).forward(X)
        if not close(got, ref, rtol=1e-10, atol=1e-12):
            raise CheckFailed(f"for W {W.shape}, X {X.shape} expected nb.Linear's output, {difference(got, ref)}")


@question("03.3", points=1, title="The pre-activation z of chapter 3's four-unit layer",
          section="03-matrices.html#ch03-four-units",
          hint="Build W and x as NumPy arrays and compute the layer's weighted sums with @, then add the bias.")
def _(answer, rng):
    got = _array(answer(), (4,), "z")
    ref = nb.Linear.from_weights(W_FOUR_UNITS, 0.2).forward(np.array([2.0, 3.0]))
    if not close(got, ref, rtol=1e-12):
        raise CheckFailed(f"expected the 4 weighted sums of the four-unit layer, got {np.round(got, 4)}")


@question("03.4", points=2, title="collapse(W1, b1, W2, b2): two linear layers as one",
          section="03-matrices.html#ch03-collapse",
          hint="Substitute x1 = W1 x0 + b1 into x2 = W2 x1 + b2 and collect the terms in x0.")
def _(answer, rng):
    for _ in range(5):
        n0, n1, n2 = (int(v) for v in rng.integers(1, 6, size=3))
        W1, b1 = rng.normal(size=(n1, n0)), rng.normal(size=n1)
        W2, b2 = rng.normal(size=(n2, n1)), rng.normal(size=n2)
        W, b = values(answer(W1.copy(), b1.copy(), W2.copy(), b2.copy()), 2, "collapse (the pair (W, b))")
        W = _array(W, (n2, n0), "W")
        b = _array(b, (n2,), "b")
        X0 = rng.normal(size=(4, n0))
        two = nb.Sequential(nb.Linear.from_weights(W1, b1), nb.Linear.from_weights(W2, b2)).forward(X0)
        one = nb.Linear.from_weights(W, b).forward(X0)
        if not close(one, two, rtol=1e-9, atol=1e-10, like=(W, b)):
            raise CheckFailed(f"for layers {n0} → {n1} → {n2} your single layer (W, b) gives outputs that differ "
                              f"from the two layers by up to {np.abs(one - two).max():.3g}")


@question("03.5", points=1, title="The shape of Z for a batch",
          section="03-matrices.html#ch03-shapes",
          hint="nnbook puts examples in rows: Z has one row per example and one column per unit.")
def _(answer, rng):
    got = answer()
    try:
        got = tuple(int(v) for v in got)
    except (TypeError, ValueError):
        raise CheckFailed(f"expected a shape tuple such as (3, 5), got {got!r}") from None
    ref = nb.Linear.from_weights(W_FOUR_UNITS, 0.2).forward(np.zeros((10, 2))).shape
    if got != ref:
        raise CheckFailed(f"expected the shape of Z for 10 examples through a layer with W of shape (4, 2), got {got}")
