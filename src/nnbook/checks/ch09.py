"""Checks for chapter 9, the chain rule and computation graphs (``solutions/09-computation-graphs.ipynb``)."""

import numpy as np

import nnbook as nb

from ..autograd import Value, topological_order
from ._answers import as_array as _array
from ._answers import close, values
from ._core import CheckFailed, question


@question("09.1", points=2, title="mul_backward(x, y, dout): the multiplication node",
          section="09-computation-graphs.html#ch09-nodes",
          hint="out = x·y: dx = y·dout and dy = x·dout (multiplication swaps its inputs).")
def _(answer, rng):
    cases = [(3.0, -2.0, 0.5)]
    cases += [tuple(float(v) for v in rng.normal(size=3)) for _ in range(4)]
    shape = tuple(int(v) for v in rng.integers(1, 5, size=2))
    cases.append(tuple(rng.normal(size=shape) for _ in range(3)))  # elementwise on arrays
    for x, y, dout in cases:
        dx, dy = values(answer(np.copy(x), np.copy(y), np.copy(dout)), 2, "mul_backward")
        shape = np.shape(x)
        dx, dy = _array(dx, shape, "dx"), _array(dy, shape, "dy")
        pair = np.array([x, y], dtype=float)
        num = nb.numerical_gradient(lambda: float(np.sum(dout * pair[0] * pair[1])), pair)
        if not (np.allclose(dx, num[0], atol=1e-6) and np.allclose(dy, num[1], atol=1e-6)):
            raise CheckFailed(f"for x = {np.round(x, 4)}, y = {np.round(y, 4)}, dout = {np.round(dout, 4)} "
                              f"expected dx = {np.round(num[0], 4)}, dy = {np.round(num[1], 4)}, "
                              f"got dx = {np.round(dx, 4)}, dy = {np.round(dy, 4)}")


@question("09.2", points=2, title="bias_add_backward(dY): the addition node of a batch",
          section="09-computation-graphs.html#ch09-affine",
          hint="Y = X + b adds b to every row: dX = dY (passed on), db = the sum of dY over the rows.")
def _(answer, rng):
    for k in range(5):
        n, m = (2, 3) if k == 0 else (int(v) for v in rng.integers(1, 7, size=2))
        dY = np.ones((n, m)) if k == 0 else rng.normal(size=(n, m))
        dX, db = values(answer(dY.copy()), 2, "bias_add_backward")
        dX, db = _array(dX, (n, m), "dX"), _array(db, (m,), "db")
        X, b = rng.normal(size=(n, m)), rng.normal(size=m)
        num_X = nb.numerical_gradient(lambda: float(np.sum(dY * (X + b))), X)
        num_b = nb.numerical_gradient(lambda: float(np.sum(dY * (X + b))), b)
        if not np.allclose(dX, num_X, atol=1e-6):
            raise CheckFailed(f"expected dX equal to dY (shape {(n, m)}), got {np.round(dX, 4)}")
        if not np.allclose(db, num_b, atol=1e-6):
            raise CheckFailed(f"for dY of shape {(n, m)} expected db = {np.round(num_b, 4)} "
                              f"(one number per column), got {np.round(db, 4)}")


@question("09.3", points=2, title="sigmoid_backward(z, ds): the sigmoid node",
          section="09-computation-graphs.html#ch09-sigmoid-node",
          hint="Through the four nodes −z, exp, +1, 1/u; it simplifies to ds·σ(z)(1 − σ(z)).")
def _(answer, rng):
    for _ in range(5):
        shape = tuple(int(v) for v in rng.integers(1, 6, size=int(rng.integers(1, 3))))
        z, ds = rng.normal(scale=2.0, size=shape), rng.normal(size=shape)
        got = _array(answer(z.copy(), ds.copy()), shape, "sigmoid_backward(z, ds)")
        layer = nb.Sigmoid()
        layer.forward(z)
        ref = layer.backward(ds)
        if not close(got, ref, rtol=1e-7, atol=1e-10):
            raise CheckFailed(f"for z of shape {shape} expected nb.Sigmoid's backward, "
                              f"largest difference {np.abs(got - ref).max():.3g}")


@question("09.4", points=3, title="logistic_batch_grad(X, y, w, b): the gradient for m examples at once",
          section="09-computation-graphs.html#ch09-logistic-batch",
          hint="Work out one example's slopes first; every example is one more path to w and b, the paths "
               "add, and the loss is a mean. Then replace the loop by one product with X.")
def _(answer, rng):
    for k in range(5):
        m, n = (6, 2) if k == 0 else (int(rng.integers(1, 9)), int(rng.integers(1, 5)))
        X = rng.normal(size=(m, n))
        y = rng.integers(0, 2, size=m).astype(float)
        w, b = rng.normal(size=n), float(rng.normal())
        dw, db = values(answer(X.copy(), y.copy(), w.copy(), b), 2, "logistic_batch_grad (the pair (dw, db))")
        dw = _array(dw, (n,), "dw")
        db = _array(db, (), "db") if np.ndim(db) == 0 else _array(db, (1,), "db").reshape(())
        # nnbook's logistic regression: one Linear unit and a sigmoid, the mean cross-entropy
        net = nb.Sequential(nb.Linear.from_weights(w.reshape(1, n), b), nb.Sigmoid())
        loss = nb.BCELoss()
        loss.forward(net.forward(X), y.reshape(m, 1))
        net.backward(loss.backward())
        ref_w, ref_b = net.layers[0].grads["W"][0], float(net.layers[0].grads["b"][0])
        if not close(dw, ref_w, rtol=1e-7, atol=1e-10):
            mean = " (did you forget to divide by m?)" if m > 1 and close(dw, m * ref_w, rtol=1e-7) else ""
            raise CheckFailed(f"for X of shape {(m, n)} expected dw = {np.round(ref_w, 6).tolist()}{mean}, "
                              f"got {np.round(dw, 6).tolist()}")
        if not close(db, ref_b, rtol=1e-7, atol=1e-10):
            mean = " (did you forget to divide by m?)" if m > 1 and close(db, m * ref_b, rtol=1e-7) else ""
            raise CheckFailed(f"for X of shape {(m, n)} expected db = {ref_b:.6f}{mean}, got {float(db):.6f}")


@question("09.5", points=3, title="logistic_graph(...): logistic regression built with Value",
          section="09-computation-graphs.html#ch09-logistic-graph",
          hint="Make w1, w2, b Values, build z, y_hat = z.sigmoid() and L = −(y·log ŷ + (1 − y)·log(1 − ŷ)), call L.backward().")
def _(answer, rng):
    for k in range(5):
        x1, x2, w1, w2, b = (float(v) for v in rng.normal(size=5))
        y = float(rng.integers(0, 2))
        result = answer(x1, x2, w1, w2, b, y)
        L, params = values(result, 2, "logistic_graph")
        if not isinstance(L, Value):
            raise CheckFailed(f"expected L as an nnbook.autograd.Value, got {type(L).__name__}")
        if not isinstance(params, dict) or set(params) != {"w1", "w2", "b"} or \
                not all(isinstance(v, Value) for v in params.values()):
            raise CheckFailed(f"expected params as a dict of Values with keys 'w1', 'w2', 'b', got {params!r}")
        in_graph = {id(v) for v in topological_order(L)}
        if not all(id(v) in in_graph for v in params.values()):
            raise CheckFailed("expected w1, w2 and b to be nodes of L's graph (build L from them)")
        a = float(nb.sigmoid(w1 * x1 + w2 * x2 + b))
        ref_L = nb.BCELoss().forward(np.array([a]), np.array([y]))
        if not close(L.data, ref_L, rtol=1e-9):
            raise CheckFailed(f"expected L = {ref_L:.6f} for these inputs, got {L.data:.6f}")
        ref = {"w1": x1 * (a - y), "w2": x2 * (a - y), "b": a - y}
        for name, g in ref.items():
            if not close(params[name].grad, g, rtol=1e-9, atol=1e-12):
                raise CheckFailed(f"expected {name}.grad = {g:.6f} (did you call L.backward()?), "
                                  f"got {params[name].grad:.6f}")
