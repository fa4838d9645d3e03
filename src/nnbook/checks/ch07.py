"""Checks for chapter 7, derivatives (``solutions/07-derivatives.ipynb``)."""

import numpy as np

import nnbook as nb

from ._answers import as_scalar as _scalar
from ._answers import choice
from ._core import CheckFailed, question
from ._functions import Function


def _random_scalar_functions(rng):
    """(description, f) pairs with random coefficients (each f described by data: see ``_functions``)."""
    c = rng.normal(size=4)
    a, b = rng.uniform(0.5, 2.0), rng.normal()
    k = rng.uniform(0.2, 1.0)
    return [
        (f"{c[0]:.2f}x³ + {c[1]:.2f}x² + {c[2]:.2f}x + {c[3]:.2f}",
         Function("poly3", c=c)),
        (f"sin({a:.2f}x + {b:.2f})", Function("sin_affine", a=a, b=b)),
        (f"exp({k:.2f}x)", Function("exp_scaled", k=k)),
    ]


@question("07.1", points=2, title="central_difference(f, x, h)",
          section="07-derivatives.html#ch07-numerical",
          hint="Return (f(x + h) − f(x − h)) / (2h): one point on each side of x.")
def _(answer, rng):
    for _ in range(3):
        for desc, f in _random_scalar_functions(rng):
            x = float(rng.uniform(-2, 2))
            h = float(10 ** rng.uniform(-4, -1))
            got = _scalar(answer(f, x, h), "central_difference(f, x, h)")
            ref = (f(x + h) - f(x - h)) / (2 * h)
            if not np.isclose(got, ref, rtol=1e-9, atol=1e-12):
                fwd = (f(x + h) - f(x)) / h
                extra = " (that is the forward difference)" if np.isclose(got, fwd, rtol=1e-9) else ""
                raise CheckFailed(f"for f(x) = {desc} at x = {x:.3f} with h = {h:.2e} expected "
                                  f"(f(x+h) − f(x−h))/2h = {ref:.10g}, got {got:.10g}{extra}")


@question("07.2", points=3, title="numerical_gradient(f, x) for a vector x",
          section="07-derivatives.html#ch07-gradient",
          hint="For each i, move only x[i] by ±h (h around 1e-6) on a copy of x, and take the central difference.")
def _(answer, rng):
    for trial in range(4):
        n = int(rng.integers(2, 7))
        M = rng.normal(size=(n, n))
        A = M @ M.T
        b = rng.normal(size=n)
        c = rng.normal(size=n)
        if trial % 2 == 0:
            desc = f"½xᵀAx + bᵀx with a random {n}×{n} A"
            f = Function("quadratic_form", A=A, b=b)
            grad = lambda v, A=A, b=b: A @ v + b
        else:
            desc = f"Σ sin(cᵢxᵢ) + (Σ xᵢ)² in {n} variables"
            f = Function("sin_sum_square", c=c)
            grad = lambda v, c=c: c * np.cos(c * v) + 2 * np.sum(v)
        x = rng.normal(size=n)
        x_before = x.copy()
        got = np.asarray(answer(f, x), dtype=float)
        if not np.array_equal(x, x_before):
            raise CheckFailed("expected x unchanged after numerical_gradient(f, x); restore or copy it")
        ref = grad(x)
        if got.shape != ref.shape:
            raise CheckFailed(f"for f(x) = {desc} expected a gradient of shape {ref.shape}, got shape {got.shape}")
        if not np.allclose(got, ref, rtol=1e-5, atol=1e-6):
            raise CheckFailed(f"for f(x) = {desc} at x = {np.round(x, 3)} expected ∇f ≈ {np.round(ref, 6)}, "
                              f"got {np.round(got, 6)}")


def _h(x):
    return nb.sigmoid(3 * x**2 - 1)


@question("07.3", points=2, title="The derivative of h(x) = σ(3x² − 1) by the chain rule",
          section="07-derivatives.html#ch07-rules",
          hint="Name the inside z = 3x² − 1; the chain rule multiplies the outer function's slope at z "
               "by the inside's slope at x (chapter 4 gives the sigmoid's slope).")
def _(answer, rng):
    xs = [0.5] + list(rng.uniform(-2, 2, size=5))
    for x in xs:
        got = _scalar(answer(float(x)), "dh_dx(x)")
        ref = float((_h(x + 1e-6) - _h(x - 1e-6)) / 2e-6)
        if not np.isclose(got, ref, rtol=1e-6, atol=1e-9):
            raise CheckFailed(f"at x = {x:.4f} expected h′(x) ≈ {ref:.8f}, got {got!r}")


@question("07.4", points=1, title="Choosing the step h",
          section="07-derivatives.html#ch07-numerical",
          hint="Truncation error falls like h², round-off error grows like 1e-16 / h: balance them.")
def _(answer, rng):
    choice(answer, "07.4", "abcd", "e96393eff6a32ac9f4d23352",
           "{got!r} is not the most accurate choice; look at where the central difference's error is smallest in the log–log plot")
