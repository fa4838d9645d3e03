"""The functions that checkers hand to an answer (the ``f`` of ``central_difference(f, x, h)``,
the ``grad_f`` of ``gradient_descent``), described by data: a family from the fixed table
``FAMILIES`` and its coefficients.

A ``Function`` is an ordinary callable in a notebook. The grader never hands a callable to a
submission's kernel: it sends ``Function.family`` and ``Function.params`` (numbers and arrays),
and the kernel rebuilds the same ``Function`` from this file's source, which the grader ships
to it. The checker computes its expected values with the very same table, on its own side.

This file imports NumPy only: it runs in the grader and, as source, in the sandboxed kernel.
"""

import numpy as np


def _poly3(x, c):
    return c[0] * x**3 + c[1] * x**2 + c[2] * x + c[3]


def _sin_affine(x, a, b):
    return np.sin(a * x + b)


def _exp_scaled(x, k):
    return np.exp(k * x)


def _quadratic_form(v, A, b):
    return float(0.5 * v @ A @ v + b @ v)


def _sin_sum_square(v, c):
    return float(np.sum(np.sin(c * v)) + np.sum(v) ** 2)


def _affine_residual(w, A, b):
    return A @ w - b


# family -> (the function of x and the coefficients, the coefficients' names)
FAMILIES = {
    "poly3": (_poly3, ("c",)),  # c[0]x³ + c[1]x² + c[2]x + c[3]
    "sin_affine": (_sin_affine, ("a", "b")),  # sin(ax + b)
    "exp_scaled": (_exp_scaled, ("k",)),  # exp(kx)
    "quadratic_form": (_quadratic_form, ("A", "b")),  # ½vᵀAv + bᵀv, a float
    "sin_sum_square": (_sin_sum_square, ("c",)),  # Σ sin(cᵢvᵢ) + (Σ vᵢ)², a float
    "affine_residual": (_affine_residual, ("A", "b")),  # Aw − b (the gradient of ½wᵀAw − bᵀw)
}


class Function:
    """``family``'s function with the coefficients ``params`` (floats or float arrays)."""

    __slots__ = ("family", "params")
    nnbook_function = True  # how the grader's wire recognises one, on either side

    def __init__(self, family: str, **params):
        if family not in FAMILIES:
            raise ValueError(f"expected a function family among {', '.join(FAMILIES)}, got {family!r}")
        names = FAMILIES[family][1]
        if sorted(params) != sorted(names):
            raise ValueError(f"the family {family!r} takes the coefficients {', '.join(names)}, got {', '.join(params)}")
        clean = {}
        for name in names:
            value = params[name]
            if isinstance(value, (float, int, np.floating, np.integer)) and not isinstance(value, (bool, np.bool_)):
                clean[name] = float(value)
            else:
                arr = np.array(value, dtype=float)
                arr.flags.writeable = False
                clean[name] = arr
        object.__setattr__(self, "family", family)
        object.__setattr__(self, "params", clean)

    def __setattr__(self, name, value):
        raise AttributeError("a Function does not change")

    def __call__(self, x):
        return FAMILIES[self.family][0](x, **self.params)

    def __repr__(self):
        return f"<function {self.family}>"
