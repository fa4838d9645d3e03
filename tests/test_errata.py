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


def test_001_cross_entropy_is_not_a_function_of_the_difference():
    loss = nb.BCELoss()
    a = loss.forward(np.array([[0.9]]), np.array([[1.0]]))
    b = loss.forward(np.array([[0.5]]), np.array([[0.6]]))
    assert not np.isclose(a, b)  # same ŷ − y = −0.1, different losses


def test_001_weight_shape_uses_previous_layer_size():
    sizes = [3, 4, 2]
    for n_in, n_out in zip(sizes, sizes[1:]):
        assert nb.Linear(n_in, n_out, rng=0).W.shape == (n_out, n_in)


def test_002_w1_rounds_to_0215_and_cut_factors_give_0214():
    h = nb.sigmoid(np.array([-3.0]))[0]
    o = nb.sigmoid(np.array([2 * h]))[0]
    factors = [-2 * (1 - o), nb.sigmoid_prime(np.array([2 * h]))[0], -2.0 * nb.sigmoid_prime(np.array([-3.0]))[0]]
    exact = float(np.prod(factors))
    assert round(exact, 4) == 0.0215 != 0.0214
    cut = [np.trunc(f * 10.0 ** (2 - np.floor(np.log10(abs(f))))) / 10.0 ** (2 - np.floor(np.log10(abs(f))))
           for f in factors]
    assert round(float(np.prod(cut)), 4) == 0.0214


def test_002_one_sample_mse_is_the_single_square():
    y_pred = 0.524
    mse = nb.MSELoss().forward(np.array([[y_pred]]), np.array([[1.0]]))
    np.testing.assert_allclose(mse, (1 - y_pred) ** 2)
    assert not np.isclose(16 * (1 - y_pred) ** 2, mse)


def test_003_sigmoid_backward_needs_the_upstream_gradient():
    x, dy = 0.5, 0.3
    layer = nb.Sigmoid()
    layer.forward(np.array([[x]]))
    dx_layer = layer.backward(np.array([[dy]]))[0, 0]
    x3 = 1 + np.exp(-x)
    dx_seed_chain = (-1 / x3**2) * np.exp(-x) * -1  # the seed's steps, dy left out
    np.testing.assert_allclose(dy * dx_seed_chain, dx_layer)
    assert not np.isclose(dx_seed_chain, dx_layer)


def test_004_printed_epoch_loss_is_not_the_epoch_mean():
    X, y = nb.datasets.sum_of_inputs(100, rng=0)
    Wh, Wo = W_HIDDEN.copy(), W_OUTPUT.copy()
    losses = []
    for x_s, y_s in zip(X, y):
        z = Wh @ x_s
        a = nb.relu(z)
        out = Wo @ a
        t = np.repeat(y_s, 2)
        losses.append(float(np.mean((out - t) ** 2)))
        d_out = out - t
        d_z = (Wo.T @ d_out) * nb.relu_prime(z)
        Wo -= 0.01 * np.outer(d_out, a)
        Wh -= 0.01 * np.outer(d_z, x_s)
    assert abs(losses[-1] - np.mean(losses)) > 0.5 * np.mean(losses)
