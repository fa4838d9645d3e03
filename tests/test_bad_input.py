"""Every bad input gets a ValueError or TypeError that names what was expected and what came.

The data are checked where they enter a model, once, and not again inside the layers: a layer
computes, the model checks. ``Sequential.forward`` checks the type and shape of its input;
``predict`` (and ``model(X)``), ``fit`` and ``gradcheck`` check its values too, once per data set.
"""

import numpy as np
import pytest

import nnbook as nb


@pytest.fixture
def layer():
    return nb.Linear(2, 4, rng=0)


@pytest.fixture
def model(layer):
    return nb.Sequential(layer, nb.Sigmoid())


def test_wrong_width_single_example(layer, model):
    with pytest.raises(ValueError, match=r"expected X with 2 entries \(n_in of this network\), got shape \(3,\)"):
        model.forward(np.zeros(3))
    # a layer alone checks nothing before its product, but says what the product needed
    with pytest.raises(ValueError, match=r"expected X with 2 entries \(n_in of this Linear\), got shape \(3,\)"):
        layer.forward(np.zeros(3))


def test_wrong_width_batch(model):
    with pytest.raises(ValueError, match=r"expected X with 2 columns \(n_in of this network\), got shape \(5, 3\)"):
        model.forward(np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"expected X with 2 columns \(n_in of this network\), got shape \(5, 3\)"):
        model.fit(np.zeros((5, 3)), np.zeros((5, 4)), loss="mse", optimizer=nb.SGD(0.1), epochs=1)


def test_three_d_input(model):
    with pytest.raises(ValueError, match=r"got a 3-D array of shape \(2, 2, 2\)"):
        model.forward(np.zeros((2, 2, 2)))


def test_empty_batch(model):
    with pytest.raises(ValueError, match=r"at least one sample .* shape \(0, 2\)"):
        model.forward(np.zeros((0, 2)))


def test_non_numeric(model):
    with pytest.raises(TypeError, match=r"expected X as a numeric array, got an array of dtype <U1"):
        model.forward(np.array(["a", "b"]))
    with pytest.raises(TypeError, match="numeric"):
        nb.sigmoid("abc")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_infinite_input(model, bad):
    # values are checked once per data set: by predict (and model(X)), fit and gradcheck
    with pytest.raises(ValueError, match=r"expected finite values in X, got 1 NaN or infinite"):
        model.predict(np.array([1.0, bad]))
    with pytest.raises(ValueError, match=r"expected finite values in X, got 1 NaN or infinite"):
        model(np.array([[1.0, bad]]))
    with pytest.raises(ValueError, match=r"expected finite values in X, got 1 NaN or infinite"):
        model.fit(np.array([[1.0, bad]]), np.zeros((1, 4)), loss="mse", optimizer=nb.SGD(0.1), epochs=1)
    with pytest.raises(ValueError, match=r"expected finite values in X, got 1 NaN or infinite"):
        nb.gradcheck(model, "mse", np.array([[1.0, bad]]), np.zeros((1, 4)))


def test_nan_targets():
    with pytest.raises(ValueError, match="finite values in y"):
        nb.MSELoss().forward(np.zeros((2, 1)), np.array([[0.0], [np.nan]]))


def test_label_shape_mismatch_is_not_broadcast():
    # seed 004's PyTorch code compares a (1, 2) output with a (1, 1) label
    with pytest.raises(ValueError, match=r"expected targets y of shape \(1, 2\) .* got shape \(1, 1\)"):
        nb.MSELoss().forward(np.zeros((1, 2)), np.zeros((1, 1)))
    with pytest.raises(ValueError, match="never broadcasts"):
        nb.SquaredErrorLoss().forward(np.zeros((4, 2)), np.zeros(4))


def test_labels_out_of_range():
    with pytest.raises(ValueError, match=r"labels in 0..2 \(3 classes\), got labels in 0..3"):
        nb.SoftmaxCrossEntropyLoss().forward(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match=r"labels in 0..2"):
        nb.SoftmaxCrossEntropyLoss().forward(np.zeros((2, 3)), np.array([-1, 0]))


def test_non_integer_labels():
    with pytest.raises(TypeError, match="integer class labels"):
        nb.SoftmaxCrossEntropyLoss().forward(np.zeros((2, 3)), np.array([0.5, 1.0]))


def test_bce_probabilities_out_of_range():
    with pytest.raises(ValueError, match=r"probabilities y_pred in \[0, 1\]"):
        nb.BCELoss().forward(np.array([[1.5]]), np.array([[1.0]]))


def test_sizes_too_short_or_non_positive():
    with pytest.raises(ValueError, match=r"at least two entries .* got \[3\]"):
        nb.MLP([3])
    with pytest.raises(ValueError, match="positive integer, got 0"):
        nb.MLP([3, 0, 1])
    with pytest.raises(TypeError, match="positive integer"):
        nb.MLP([3, 2.5, 1])


def test_unknown_activation_or_initializer():
    with pytest.raises(ValueError, match=r"unknown activation 'sigmoidd'; expected one of"):
        nb.MLP([2, 1], activation="sigmoidd")
    with pytest.raises(ValueError, match=r"unknown initializer 'kaiming'; expected one of"):
        nb.Linear(2, 1, init="kaiming")
    with pytest.raises(ValueError, match=r"unknown loss 'hinge'"):
        nb.MLP([2, 1]).fit(np.zeros((2, 2)), np.zeros(2), loss="hinge", optimizer=nb.SGD(0.1), epochs=1)


def test_non_positive_learning_rate_or_epochs():
    with pytest.raises(ValueError, match=r"lr \(learning rate\) as a positive finite number, got 0"):
        nb.SGD(0)
    with pytest.raises(ValueError, match="got -0.1"):
        nb.SGD(-0.1)
    X, y = nb.datasets.xor()
    with pytest.raises(ValueError, match="epochs as a positive integer, got 0"):
        nb.MLP([2, 1]).fit(X, y, loss="mse", optimizer=nb.SGD(0.1), epochs=0)
    with pytest.raises(ValueError, match="batch_size at most n_samples"):
        nb.MLP([2, 1]).fit(X, y, loss="mse", optimizer=nb.SGD(0.1), epochs=1, batch_size=10)


def test_fit_validates_inputs_once_with_clear_messages():
    X, y = nb.datasets.xor()
    model = nb.MLP([2, 3, 1], rng=0)
    with pytest.raises(ValueError, match=r"expected X with 2 columns \(n_in of this network\)"):
        model.fit(np.zeros((4, 3)), y, loss="mse", optimizer=nb.SGD(0.1), epochs=1)
    with pytest.raises(ValueError, match=r"expected targets y of shape \(4, 1\)"):
        model.fit(X, np.zeros((4, 2)), loss="mse", optimizer=nb.SGD(0.1), epochs=1)
    with pytest.raises(TypeError, match="optimizer with a step"):
        model.fit(X, y, loss="mse", optimizer=0.1, epochs=1)


def test_backward_shape_mismatch_and_order(model):
    with pytest.raises(RuntimeError, match="before forward"):
        nb.MLP([2, 2]).backward(np.zeros(2))
    with pytest.raises(RuntimeError, match="before forward"):
        nb.MSELoss().backward()
    model.forward(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"expected dY of shape \(3, 4\) .* got shape \(3, 1\)"):
        model.backward(np.zeros((3, 1)))


def test_from_weights_bias_shape():
    with pytest.raises(ValueError, match=r"expected b as a scalar or of shape \(4,\)"):
        nb.Linear.from_weights(np.ones((4, 2)), np.ones(3))
    with pytest.raises(ValueError, match=r"expected W of shape \(n_out, n_in\), got shape \(4,\)"):
        nb.Linear.from_weights(np.ones(4))


def test_rng_type():
    with pytest.raises(TypeError, match="int seed, a numpy Generator or None"):
        nb.Linear(2, 2, rng="seed")
