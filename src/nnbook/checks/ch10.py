"""Checks for chapter 10, backpropagation (``solutions/10-backpropagation.ipynb``)."""

import numpy as np

import nnbook as nb

from ._answers import as_array as _array
from ._answers import Parts, as_scalar, choice, close, difference, values
from ._core import CheckFailed, question

W1_242 = nb.datasets.SEED004_W_HIDDEN  # the 2-4-2 network of chapter 10
W2_242 = nb.datasets.SEED004_W_OUTPUT


def _two_two_one(x, w, b, y):
    """The 2-2-1 network of chapter 10 in nnbook, after one backward pass of ℒ = (ŷ − y)²."""
    net = nb.Sequential(nb.Linear.from_weights(np.reshape(w[:4], (2, 2)), b[:2]), nb.Sigmoid(),
                        nb.Linear.from_weights(np.reshape(w[4:], (1, 2)), b[2:]), nb.Sigmoid())
    loss = nb.SquaredErrorLoss()
    loss.forward(net.forward(np.reshape(x, (1, 2))), np.array([[y]]))
    net.backward(loss.backward())
    return net


def _two_four_two(W1, W2):
    double = nb.Elementwise(lambda z: 2 * z, lambda z: 2 * np.ones_like(z), name="2x")
    return nb.Sequential(nb.Linear.from_weights(W1, 0.0), double, nb.Linear.from_weights(W2, 0.0))


def _gradients_242(W1, W2, x, y):
    """(dW2, dW1) of the 2-4-2 network for ℒ = ½‖ŷ − y‖², by nnbook: the gradients 10.4's answer is given."""
    net = _two_four_two(np.asarray(W1, dtype=float), np.asarray(W2, dtype=float))
    loss = nb.SquaredErrorLoss(half=True)
    loss.forward(net.forward(np.asarray(x, dtype=float)), np.asarray(y, dtype=float))
    net.backward(loss.backward())
    return net.layers[2].grads["W"].copy(), net.layers[0].grads["W"].copy()


def _two_four_two_cases(rng, k):
    cases = [(W1_242, W2_242, np.array([2.0, 3.0]), np.array([2.0, 3.0]))]
    for _ in range(k):
        cases.append((rng.normal(size=(4, 2)), rng.normal(size=(2, 4)), rng.normal(size=2), rng.normal(size=2)))
    return cases


@question("10.1", points=3, title="linear_backward(dZ, X, W) -> (dX, dW, db)",
          section="10-backpropagation.html#ch10-matrix-formulas",
          hint="Rows are examples: dX = dZ W, dW = dZᵀ X, db = the sum of dZ over the rows. Check the shapes.")
def _(answer, rng):
    parts = Parts({"dX": 1, "dW": 1, "db": 1})
    for _ in range(6):
        n, n_in, n_out = (int(v) for v in rng.integers(1, 7, size=3))
        X, W, b = rng.normal(size=(n, n_in)), rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)
        dZ = rng.normal(size=(n, n_out))
        result = values(answer(dZ.copy(), X.copy(), W.copy()), 3, "linear_backward")
        layer = nb.Linear.from_weights(W, b)
        layer.forward(X)
        refs = (layer.backward(dZ), layer.grads["W"], layer.grads["b"])
        for name, value, ref in zip(("dX", "dW", "db"), result, refs):
            with parts.part(name):  # one point per gradient: they are independent
                got = _array(value, ref.shape, name)
                if not close(got, ref, rtol=1e-9, atol=1e-12):
                    raise CheckFailed(f"for X {X.shape}, W {W.shape} expected {name} like nb.Linear's backward, "
                                      f"{difference(got, ref)}")
    parts.finish()


@question("10.2", points=2, title="∂ℒ/∂w1 of the 2-2-1 network for any inputs and weights",
          section="10-backpropagation.html#ch10-two-two-one",
          hint="Follow the one path from w1 to the loss (w1 → a[1]_1 → ŷ → ℒ) and multiply the local "
               "slopes of its steps.")
def _(answer, rng):
    cases = [(np.array([-2.0, -1.0]), np.ones(6), np.zeros(3), 1.0)]
    for _ in range(5):
        cases.append((rng.normal(size=2), rng.normal(size=6), rng.normal(size=3), float(rng.integers(0, 2))))
    for x, w, b, y in cases:
        got = answer(float(x[0]), float(x[1]), [float(v) for v in w], [float(v) for v in b], y)
        got = as_scalar(got, "∂ℒ/∂w1")
        ref = float(_two_two_one(x, w, b, y).layers[0].grads["W"][0, 0])
        if not close(got, ref, rtol=1e-7, atol=1e-12):
            raise CheckFailed(f"for x = {np.round(x, 4)}, w = {np.round(w, 3)}, b = {np.round(b, 3)}, "
                              f"y = {y:g} expected ∂ℒ/∂w1 = {ref:.6f}, got {got:.6f}")


@question("10.3", points=3, title="The gradient matrices dW2, dW1 of the 2-4-2 network with g(z) = 2z",
          section="10-backpropagation.html#ch10-two-four-two",
          hint="Go back one layer at a time: each weight gradient is an outer product of the gradient "
               "arriving at the layer and the layer's input; between the layers the gradient passes "
               "back through W2 and through g, whose slope is not 1.")
def _(answer, rng):
    for W1, W2, x, y in _two_four_two_cases(rng, 4):
        g_o, g_h = values(answer(W1.copy(), W2.copy(), x.copy(), y.copy()), 2, "two_layer_gradients")
        g_o, g_h = _array(g_o, (2, 4), "dW2"), _array(g_h, (4, 2), "dW1")
        net = _two_four_two(W1, W2)
        loss = nb.SquaredErrorLoss(half=True)
        loss.forward(net.forward(x), y)
        net.backward(loss.backward())
        ref_o, ref_h = net.layers[2].grads["W"], net.layers[0].grads["W"]
        if not close(g_o, ref_o, rtol=1e-9, atol=1e-10):
            raise CheckFailed(f"expected dW2 = {np.round(ref_o, 4).tolist()}, got {np.round(g_o, 4).tolist()}")
        if not close(g_h, ref_h, rtol=1e-9, atol=1e-10):
            half = " (exactly half: the factor g′ = 2 is missing)" if close(2 * g_h, ref_h, rtol=1e-9) else ""
            raise CheckFailed(f"expected dW1 = {np.round(ref_h, 4).tolist()}{half}, "
                              f"got {np.round(g_h, 4).tolist()}")


@question("10.4", points=2, title="One training step of the 2-4-2 network",
          section="10-backpropagation.html#ch10-one-step",
          hint="Move each matrix a step of size η against its gradient (grads is the pair (dW2, dW1)), "
               "then run the network forward with the new weights.")
def _(answer, rng):
    for k, (W1, W2, x, y) in enumerate(_two_four_two_cases(rng, 4)):
        eta = 0.01 if k == 0 else float(rng.uniform(0.001, 0.1))
        # The check's own correct gradients: a mistake in 10.3 costs nothing here.
        grads = _gradients_242(W1, W2, x, y)
        result = values(answer(W1.copy(), W2.copy(), tuple(g.copy() for g in grads), x.copy(), y.copy(), eta),
                        3, "train_step")
        new_h = _array(result[0], (4, 2), "W1_new")
        new_o = _array(result[1], (2, 4), "W2_new")
        loss_after = as_scalar(result[2], "the loss after the step")
        net = _two_four_two(W1, W2)
        loss = nb.SquaredErrorLoss(half=True)
        loss.forward(net.forward(x), y)
        net.backward(loss.backward())
        ref_h = W1 - eta * net.layers[0].grads["W"]
        ref_o = W2 - eta * net.layers[2].grads["W"]
        ref_loss = loss.forward(_two_four_two(ref_h, ref_o).forward(x), y)
        if not (close(new_h, ref_h, rtol=1e-9, atol=1e-10)
                and close(new_o, ref_o, rtol=1e-9, atol=1e-10)):
            raise CheckFailed(f"with η = {eta:.4g} expected W1_new = {np.round(ref_h, 4).tolist()} and "
                              f"W2_new = {np.round(ref_o, 4).tolist()}, got {np.round(new_h, 4).tolist()} "
                              f"and {np.round(new_o, 4).tolist()}")
        if not close(loss_after, ref_loss, rtol=1e-9, like=(new_h, new_o)):
            raise CheckFailed(f"with η = {eta:.4g} expected the loss after the step {ref_loss:.6g}, "
                              f"got {loss_after:.6g}")


@question("10.5", points=1, title="Why the loss of the 2-4-2 example rises after one step",
          section="10-backpropagation.html#ch10-one-step",
          hint="The gradient passes the gradient check; look at the size of the step η·dW.")
def _(answer, rng):
    choice(answer, "10.5", "abcd", "707c069f6b9a826083183644",
           "{got!r} is not it: compare the gradient check's verdict with the size of η·dW")
