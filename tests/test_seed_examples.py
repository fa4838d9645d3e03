"""The seeds' worked numbers, reproduced through the public API (scikit-learn's test_fit pattern)."""

import numpy as np

import nnbook as nb

W_HIDDEN = [[1, 2], [2, 3], [1, 1], [3, 1]]  # seed 004, (n_out=4, n_in=2)
W_OUTPUT = [[1, 1, 1, 1], [1, 0, 0, 1]]      # seed 004, (n_out=2, n_in=4)


def test_seed_002_neuron():
    # w = [0, 1], b = 4, x = [2, 3]: z = 0*2 + 1*3 + 4 = 7, y = sigmoid(7) = 0.999
    neuron = nb.Sequential(nb.Linear.from_weights([[0, 1]], 4), nb.Sigmoid())
    y = neuron.forward(np.array([2.0, 3.0]))
    assert y.shape == (1,)
    assert round(float(y[0]), 3) == 0.999
    assert nb.Linear.from_weights([[0, 1]], 4).forward([2, 3])[0] == 7.0


def test_seed_002_two_two_one_network():
    # every neuron w = [0, 1], b = 0: h1 = h2 = sigmoid(3) = 0.9526, o1 = sigmoid(0.9526) = 0.7216
    net = nb.Sequential(
        nb.Linear.from_weights([[0, 1], [0, 1]], 0.0), nb.Sigmoid(),
        nb.Linear.from_weights([[0, 1]], 0.0), nb.Sigmoid(),
    )
    out = net.forward(np.array([2.0, 3.0]))
    assert round(float(net.layers[1].A[0]), 4) == 0.9526
    assert round(float(out[0]), 4) == 0.7216


def test_seed_004_hidden_layer():
    hidden = nb.Linear.from_weights(W_HIDDEN, 0.2)
    z = hidden.forward(np.array([2.0, 3.0]))
    np.testing.assert_allclose(z, [8.2, 13.2, 5.2, 9.2])
    a = nb.sigmoid(z)
    # The seed prints 0.9997, 0.9999, 0.9933, 0.9998; the last two are wrong (see the errata).
    np.testing.assert_allclose(np.round(a, 4), [0.9997, 1.0000, 0.9945, 0.9999])


def test_seed_004_output_layer_y1_y2():
    net = nb.Sequential(nb.Linear.from_weights(W_HIDDEN, 0.2), nb.Sigmoid(),
                        nb.Linear.from_weights(W_OUTPUT, 0.2), nb.Sigmoid())
    y = net.forward(np.array([2.0, 3.0]))
    a = nb.sigmoid(np.array([8.2, 13.2, 5.2, 9.2]))
    z_out = np.array([a.sum() + 0.2, a[0] + a[3] + 0.2])
    np.testing.assert_allclose(y, nb.sigmoid(z_out))
    assert y[0] > y[1] > 0.9


def test_seed_004_backprop_with_f_equals_2x():
    two_x = nb.Elementwise(lambda z: 2 * z, lambda z: np.full_like(z, 2.0), name="2x")
    hidden, output = nb.Linear.from_weights(W_HIDDEN, 0.0), nb.Linear.from_weights(W_OUTPUT, 0.0)
    net = nb.Sequential(hidden, two_x, output)
    x, y_t = np.array([2.0, 3.0]), np.array([2.0, 3.0])
    y_m = net.forward(x)
    np.testing.assert_array_equal(two_x.forward(hidden.forward(x)), [16, 26, 10, 18])
    np.testing.assert_array_equal(y_m, [70, 34])
    loss = nb.SquaredErrorLoss(half=True)
    assert loss.forward(y_m, y_t) == 0.5 * (68**2 + 31**2)
    net.forward(x)
    net.backward(loss.backward())
    h = np.array([16.0, 26.0, 10.0, 18.0])
    grad_y = np.array([68.0, 31.0])
    np.testing.assert_allclose(output.grads["W"], np.outer(grad_y, h))
    grad_h = np.array(W_OUTPUT, dtype=float).T @ grad_y
    # the chain rule includes f'(z) = 2; the seed's code leaves it out
    np.testing.assert_allclose(hidden.grads["W"], np.outer(2 * grad_h, x))
    assert not np.allclose(hidden.grads["W"], np.outer(grad_h, x))
    errors = nb.gradcheck(nb.Sequential(nb.Linear.from_weights(W_HIDDEN, 0.0), two_x,
                                        nb.Linear.from_weights(W_OUTPUT, 0.0)),
                          nb.SquaredErrorLoss(half=True), x, y_t)
    assert max(errors.values()) < 1e-6


def test_seed_002_dL_dw1_is_0_0214():
    # The original post's inputs: x = [-2, -1], all weights 1, all biases 0, y_true = 1, L = (1 - y_pred)^2.
    # Exactly it is 0.02147; the seed's 0.0214 comes from rounded intermediate values.
    net = nb.Sequential(nb.Linear.from_weights(np.ones((2, 2)), 0.0), nb.Sigmoid(),
                        nb.Linear.from_weights(np.ones((1, 2)), 0.0), nb.Sigmoid())
    loss = nb.SquaredErrorLoss()
    loss.forward(net.forward(np.array([[-2.0, -1.0]])), np.array([[1.0]]))
    net.backward(loss.backward())
    dw1 = float(net.layers[0].grads["W"][0, 0])
    assert abs(dw1 - 0.0214) < 1e-4
    assert round(dw1, 5) == 0.02147
