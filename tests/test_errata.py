"""Each erratum's check still shows the mistake: the seed's value and the right one differ as stated."""

import numpy as np

import nnbook as nb

W_HIDDEN = np.array([[1.0, 2.0], [2.0, 3.0], [1.0, 1.0], [3.0, 1.0]])
W_OUTPUT = np.array([[1.0, 1.0, 1.0, 1.0], [1.0, 0.0, 0.0, 1.0]])


def test_000_loss_gradient_is_twice_the_code():
    loss = nb.SquaredErrorLoss(half=False)
    loss.forward(np.array([[0.8]]), np.array([[0.0]]))
    np.testing.assert_allclose(loss.backward(), 2 * np.array([[0.8]]))


def test_001_sigmoid_range_is_open():
    s = nb.sigmoid(np.array([-30.0, -5.0, 5.0, 30.0]))
    assert np.all(s > 0) and np.all(1 - nb.sigmoid(np.array([5.0])) > 0)


def test_001_bracket_changes_the_cost():
    a, y = 0.8, 1.0
    right = nb.BCELoss().forward(np.array([[a]]), np.array([[y]]))
    as_written = -(y * np.log(a) + (1 - y * np.log(1 - a)))
    assert right > 0 > as_written


def test_002_w1_gradient_needs_its_inputs():
    net = nb.Sequential(nb.Linear.from_weights(np.ones((2, 2)), 0.0), nb.Sigmoid(),
                        nb.Linear.from_weights(np.ones((1, 2)), 0.0), nb.Sigmoid())
    loss = nb.MSELoss()
    loss.forward(net.forward(np.array([[-2.0, -1.0]])), np.array([[1.0]]))
    net.backward(loss.backward())
    g = net.layers[0].grads["W"][0, 0]
    assert np.floor(g * 1e4) / 1e4 == 0.0214  # the seed's number, cut to four places


def test_002_has_16_samples():
    X, y = nb.datasets.height_weight()
    assert X.shape[0] == 16 != 4


def test_003_dot_product():
    assert float(np.array([1.0, 2.0, 3.0]) @ np.array([4.0, 5.0, 8.0])) == 38 != 32


def test_003_softmax_dx2_is_one_over_the_sum():
    x = np.array([0.3, 2.9, 4.0])
    t = np.array([0.0, 0.0, 1.0])
    e = np.exp(x)
    dx_right = (1 / e.sum() - t / e) * e
    dx_seed = (e.sum() - t / e) * e
    np.testing.assert_allclose(dx_right, nb.softmax(x) - t, atol=1e-12)
    assert not np.allclose(dx_seed, nb.softmax(x) - t)


def test_004_sigmoid_values():
    s = nb.sigmoid(np.array([5.2, 9.2]))
    assert round(float(s[0]), 4) == 0.9945 != 0.9933
    assert round(float(s[1]), 4) == 0.9999 != 0.9998


def test_004_hidden_gradient_misses_the_factor_two():
    x, y_t = np.array([[2.0, 3.0]]), np.array([[2.0, 3.0]])
    net = nb.Sequential(nb.Linear.from_weights(W_HIDDEN, 0.0),
                        nb.Elementwise(lambda z: 2 * z, lambda z: 2 * np.ones_like(z), name="2x"),
                        nb.Linear.from_weights(W_OUTPUT, 0.0))
    loss = nb.SquaredErrorLoss(half=True)
    loss.forward(net.forward(x), y_t)
    net.backward(loss.backward())
    h = 2 * (W_HIDDEN @ x[0])
    grad_h = W_OUTPUT.T @ (W_OUTPUT @ h - y_t[0])
    seed_code = np.outer(grad_h, x[0])
    np.testing.assert_allclose(net.layers[0].grads["W"], 2 * seed_code)


def test_004_layer_shapes_and_paddle_orientation():
    assert W_HIDDEN.shape == nb.Linear(2, 4, rng=0).W.shape
    assert W_OUTPUT.shape == nb.Linear(4, 2, rng=0).W.shape
    X = np.array([[2.0, 3.0]])
    np.testing.assert_allclose(X @ W_HIDDEN.T, nb.Linear.from_weights(W_HIDDEN, 0.0).forward(X))


def test_004_perpendicular_only_with_line_search():
    A = np.diag([1.0, 10.0])
    for line_search in (True, False):
        w, dirs = np.array([2.0, 1.0]), []
        for _ in range(5):
            g = A @ w
            lr = (g @ g) / (g @ A @ g) if line_search else 0.05
            dirs.append(-lr * g)
            w = w - lr * g
        cos = [d0 @ d1 / np.linalg.norm(d0) / np.linalg.norm(d1) for d0, d1 in zip(dirs, dirs[1:])]
        assert (max(map(abs, cos)) < 1e-10) == line_search
