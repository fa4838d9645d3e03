"""Tests of nnbook.autograd: every op's gradient against central differences, the backward
pass (twice, long chains, shared nodes), a neuron and an MLP against nnbook's layers, draw()."""

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnbook as nb
from nnbook.autograd import Value, draw, topological_order

EPS = 1e-6
reals = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False)
positives = st.floats(min_value=0.2, max_value=5.0, allow_nan=False)
nonzero = reals.filter(lambda v: abs(v) > 0.2)


def central_difference(f, *xs, eps=EPS):
    """∂f/∂x_i for each argument, with f taking and returning plain floats."""
    grads = []
    for i in range(len(xs)):
        up = list(xs)
        down = list(xs)
        up[i] += eps
        down[i] -= eps
        grads.append((f(*up) - f(*down)) / (2 * eps))
    return grads


def autograd(f, *xs):
    """(value, gradients) of f built with Value."""
    vs = [Value(x) for x in xs]
    out = f(*vs)
    out.backward()
    return out.data, [v.grad for v in vs]


BINARY = {
    "add": (lambda a, b: a + b, reals, reals),
    "sub": (lambda a, b: a - b, reals, reals),
    "mul": (lambda a, b: a * b, reals, reals),
    "div": (lambda a, b: a / b, reals, nonzero),
}
UNARY_VALUE = {
    "neg": (lambda a: -a, lambda a: -a, reals),
    "exp": (lambda a: a.exp(), math.exp, reals),
    "log": (lambda a: a.log(), math.log, positives),
    "tanh": (lambda a: a.tanh(), math.tanh, reals),
    "sigmoid": (lambda a: a.sigmoid(), lambda a: 1 / (1 + math.exp(-a)), reals),
    "relu": (lambda a: a.relu(), lambda a: max(a, 0.0), reals.filter(lambda v: abs(v) > 1e-3)),
    "pow3": (lambda a: a**3, lambda a: a**3, reals),
    "pow_half": (lambda a: a**0.5, lambda a: a**0.5, positives),
    "pow_minus2": (lambda a: a ** -2, lambda a: a ** -2, nonzero),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_binary_ops_match_central_differences(name, data):
    f, sa, sb = BINARY[name]
    a, b = data.draw(sa), data.draw(sb)
    value, grads = autograd(f, a, b)
    assert value == pytest.approx(f(a, b), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(grads, central_difference(f, a, b), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(UNARY_VALUE))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_unary_ops_match_central_differences(name, data):
    f_value, f_float, strategy = UNARY_VALUE[name]
    a = data.draw(strategy)
    value, (grad,) = autograd(f_value, a)
    assert value == pytest.approx(f_float(a), rel=1e-12, abs=1e-12)
    (numeric,) = central_difference(f_float, a)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(a=reals, c=nonzero)
def test_reflected_ops_with_numbers(a, c):
    for f_value, f_float in [
        (lambda v: c + v, lambda x: c + x),
        (lambda v: c - v, lambda x: c - x),
        (lambda v: c * v, lambda x: c * x),
        (lambda v: v * c, lambda x: x * c),
        (lambda v: v / c, lambda x: x / c),
    ]:
        value, (grad,) = autograd(f_value, a)
        assert value == pytest.approx(f_float(a))
        np.testing.assert_allclose(grad, central_difference(f_float, a)[0], rtol=1e-5, atol=1e-6)
    if abs(a) > 0.2:
        value, (grad,) = autograd(lambda v: c / v, a)
        np.testing.assert_allclose(grad, -c / a**2, rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(x=reals, y=reals, z=positives)
def test_composite_expression(x, y, z):
    def f_value(x, y, z):
        return (x * y + z).sigmoid() * (y - x / z) + z.log() * x.tanh() ** 2

    def f_float(x, y, z):
        return 1 / (1 + math.exp(-(x * y + z))) * (y - x / z) + math.log(z) * math.tanh(x) ** 2

    value, grads = autograd(f_value, x, y, z)
    assert value == pytest.approx(f_float(x, y, z), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(grads, central_difference(f_float, x, y, z), rtol=1e-5, atol=1e-6)


def test_a_node_used_twice_sums_its_paths():
    x = Value(3.0)
    y = x * x + x  # dy/dx = 2x + 1
    y.backward()
    assert x.grad == 7.0


def test_backward_twice_gives_the_same_gradients():
    a, b = Value(1.5), Value(-0.7)
    out = (a * b + a.exp()).tanh() * b
    out.backward()
    first = (a.grad, b.grad)
    out.backward()
    assert (a.grad, b.grad) == first
    assert out.grad == 1.0


def test_backward_of_an_inner_node_resets_only_its_graph():
    a = Value(2.0)
    h = a * 3.0
    out = h * h
    out.backward()
    assert a.grad == pytest.approx(2 * 3 * 6.0)  # d(9a²)/da = 18a
    h.backward()  # now d h / d a
    assert a.grad == 3.0


def test_long_chain_has_no_recursion_limit():
    x = Value(0.3, "x")
    y = x
    n = 10_000
    for _ in range(n):
        y = y * 1.0001 + 0.001
    order = topological_order(y)
    assert len(order) == 1 + 4 * n  # x; per step: constant 1.0001, product, constant 0.001, sum
    y.backward()
    np.testing.assert_allclose(x.grad, 1.0001**n, rtol=1e-9)


def test_topological_order_puts_children_first():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    order = topological_order(d)
    index = {id(v): i for i, v in enumerate(order)}
    for node in order:
        for child in node.children:
            assert index[id(child)] < index[id(node)]
    assert order[-1] is d


def test_neuron_matches_nnbook_layers():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(1, 3))
    b = rng.normal(size=1)
    x = rng.normal(size=3)
    y = np.array([0.3])
    model = nb.Sequential(nb.Linear.from_weights(W, b), nb.Sigmoid())
    loss = nb.SquaredErrorLoss()
    loss.forward(model.forward(x), y)
    dx = model.backward(loss.backward())

    wv = [Value(v) for v in W[0]]
    bv = Value(b[0])
    xv = [Value(v) for v in x]
    a = (sum(w * xi for w, xi in zip(wv, xv)) + bv).sigmoid()
    L = (a - y[0]) ** 2
    L.backward()
    np.testing.assert_allclose(L.data, loss.forward(model.forward(x), y), rtol=1e-12)
    np.testing.assert_allclose([w.grad for w in wv], model.layers[0].grads["W"][0], rtol=1e-10)
    np.testing.assert_allclose(bv.grad, model.layers[0].grads["b"][0], rtol=1e-10)
    np.testing.assert_allclose([v.grad for v in xv], dx, rtol=1e-10)


def test_tiny_mlp_matches_nnbook_on_a_batch():
    rng = np.random.default_rng(1)
    model = nb.MLP([3, 4, 2], activation="tanh", output_activation="sigmoid", rng=2)
    X = rng.normal(size=(5, 3))
    Y = rng.uniform(size=(5, 2))
    loss = nb.MSELoss()
    loss.forward(model.forward(X), Y)
    dX = model.backward(loss.backward())

    P, G = model.params, model.grads
    W1 = [[Value(v) for v in row] for row in P["W1"]]
    b1 = [Value(v) for v in P["b1"]]
    W2 = [[Value(v) for v in row] for row in P["W2"]]
    b2 = [Value(v) for v in P["b2"]]
    Xv = [[Value(v) for v in row] for row in X]
    total = Value(0.0)
    for x, y in zip(Xv, Y):
        h = [(sum(w * xi for w, xi in zip(row, x)) + bj).tanh() for row, bj in zip(W1, b1)]
        out = [(sum(w * hi for w, hi in zip(row, h)) + bj).sigmoid() for row, bj in zip(W2, b2)]
        total = total + sum((o - t) ** 2 for o, t in zip(out, y))
    L = total / Y.size  # MSELoss: mean over every entry
    L.backward()
    np.testing.assert_allclose(L.data, loss.forward(model.forward(X), Y), rtol=1e-12)
    np.testing.assert_allclose([[w.grad for w in row] for row in W1], G["W1"], rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose([b.grad for b in b1], G["b1"], rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose([[w.grad for w in row] for row in W2], G["W2"], rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose([b.grad for b in b2], G["b2"], rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose([[v.grad for v in row] for row in Xv], dX, rtol=1e-9, atol=1e-14)


def test_draw_returns_axes_with_one_box_per_value_and_one_circle_per_op():
    import matplotlib.pyplot as plt

    w1, x1, b = Value(0.5, "w1"), Value(2.0, "x1"), Value(-1.0, "b")
    z = w1 * x1 + b
    z.label = "z"
    L = z.sigmoid().log()
    L.backward()
    ax = draw(L)
    nodes = topological_order(L)
    boxes = [p for p in ax.patches if p.get_gid() == "value"]
    circles = [p for p in ax.patches if p.get_gid() == "op"]
    assert len(boxes) == len(nodes)
    assert len(circles) == sum(1 for n in nodes if n.op)
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "w1" in texts and f"grad {w1.grad:.4f}" in texts and "σ" in texts
    plt.close(ax.figure)

    fig, given_ax = plt.subplots()
    assert draw(L, ax=given_ax) is given_ax
    plt.close(fig)


def test_draw_rejects_bad_input():
    with pytest.raises(TypeError, match="expected a Value"):
        draw(1.0)
    x = Value(1.0)
    y = x
    for _ in range(300):
        y = y + 1
    with pytest.raises(ValueError, match="max_nodes"):
        draw(y)


def test_boundary_validation():
    with pytest.raises(TypeError, match="expected a real number"):
        Value("1.0")
    with pytest.raises(TypeError, match="expected a real number"):
        Value(True)
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)
    with pytest.raises(ValueError, match="finite"):
        Value(float("nan"))
    with pytest.raises(TypeError, match="other operand"):
        Value(1.0) + "2"
    with pytest.raises(TypeError, match="other operand"):
        [1] * Value(1.0)
    with pytest.raises(ValueError, match="positive number for log"):
        Value(0.0).log()
    with pytest.raises(ValueError, match="positive number for log"):
        Value(-2.0).log()
    with pytest.raises(ValueError, match="division by zero"):
        Value(1.0) / Value(0.0)
    with pytest.raises(ValueError, match="division by zero"):
        1 / Value(0.0)
    with pytest.raises(ValueError, match="division by zero"):
        Value(0.0) ** -1
    with pytest.raises(ValueError, match="constant number as the exponent"):
        Value(2.0) ** Value(3.0)
    with pytest.raises(TypeError, match="exponent"):
        Value(2.0) ** "3"
    with pytest.raises(ValueError, match="integer exponent"):
        Value(-2.0) ** 0.5
    with pytest.raises(ValueError, match="overflows"):
        Value(800.0).exp()
    with pytest.raises(TypeError, match="expected a Value"):
        topological_order(3.0)


def test_sigmoid_is_stable_for_large_inputs():
    for a in (-800.0, 800.0):
        v = Value(a)
        s = v.sigmoid()
        s.backward()
        assert 0.0 <= s.data <= 1.0 and v.grad == 0.0


def test_matches_torch_autograd():
    import torch

    rng = np.random.default_rng(3)
    for _ in range(5):
        a0, b0 = rng.normal(size=2)
        c0 = rng.uniform(0.5, 2.0)
        a, b, c = Value(a0), Value(b0), Value(c0)
        out = ((a * b - c).tanh() + (a / c).sigmoid() * c.log() + (b.relu() + 1) ** 2 - (-a).exp())
        out.backward()
        ta, tb, tc = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (a0, b0, c0))
        tout = (torch.tanh(ta * tb - tc) + torch.sigmoid(ta / tc) * torch.log(tc)
                + (torch.relu(tb) + 1) ** 2 - torch.exp(-ta))
        tout.backward()
        np.testing.assert_allclose(out.data, tout.item(), rtol=1e-12)
        np.testing.assert_allclose([a.grad, b.grad, c.grad], [ta.grad.item(), tb.grad.item(), tc.grad.item()], rtol=1e-10)


def test_repr_shows_label_data_and_grad():
    v = Value(1.25, "w1")
    assert repr(v) == "Value(w1, data=1.25, grad=0)"
