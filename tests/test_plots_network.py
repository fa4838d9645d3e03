"""draw_network (chapter 5): a diagram drawn from the weights."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import nnbook as nb  # noqa: E402
from nnbook.plots import network as mod  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402

W_HIDDEN = np.array([[1, 2], [2, 3], [1, 1], [3, 1]], dtype=float)
W_OUTPUT = np.array([[1, 1, 1, 1], [1, 0, 0, -1]], dtype=float)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _seed004():
    return nb.Sequential(nb.Linear.from_weights(W_HIDDEN, 0.2), nb.Sigmoid(),
                         nb.Linear.from_weights(W_OUTPUT, 0.2), nb.Sigmoid())


def test_one_edge_per_weight_coloured_by_sign_and_sized_by_magnitude():
    fig, ax = plt.subplots()
    out = nb.plots.draw_network(_seed004(), ax)
    assert out is ax
    lines = ax.get_lines()
    assert len(lines) == W_HIDDEN.size + W_OUTPUT.size
    weights = np.concatenate([W_HIDDEN.ravel(), W_OUTPUT.ravel()])
    n_negative = sum(1 for l in lines if to_rgba(l.get_color())[:3] == to_rgba("tab:red")[:3])
    assert n_negative == int(np.sum(weights < 0))
    widths = sorted(l.get_linewidth() for l in lines)
    assert widths[-1] > widths[0]  # |3| drawn thicker than |0|
    # The thickest edge belongs to the largest |w| (3), the thinnest to 0.
    assert max(widths) == pytest.approx(0.5 + 3.5)
    assert min(widths) == pytest.approx(0.5)


def test_activations_written_in_the_nodes():
    fig, ax = plt.subplots()
    x = np.array([2.0, 3.0])
    nb.plots.draw_network(_seed004(), ax, x=x)
    texts = [t.get_text() for t in ax.texts]
    hidden = nb.sigmoid(W_HIDDEN @ x + 0.2)
    output = nb.sigmoid(W_OUTPUT @ hidden + 0.2)
    for value in list(x) + list(hidden) + list(output):
        assert f"{value:.4f}" in texts


def test_weights_and_biases_as_labels():
    fig, ax = plt.subplots()
    layers = [(np.array([[0.5, -1.5]]), np.array([0.25]))]
    nb.plots.draw_network(layers, ax, show_weights=True, show_biases=True, node_names=[["x1", "x2"], ["o"]])
    texts = [t.get_text() for t in ax.texts]
    assert "0.5" in texts and "-1.5" in texts and "b=0.25" in texts
    assert "x1" in texts and "o" in texts


def test_weights_only_uses_the_given_activation():
    fig, ax = plt.subplots()
    nb.plots.draw_network([W_HIDDEN], ax, x=[2.0, 3.0], activation=nb.relu)
    texts = [t.get_text() for t in ax.texts]
    for value in nb.relu(W_HIDDEN @ np.array([2.0, 3.0])):
        assert f"{value:.4f}" in texts


def test_network_layers_accepts_all_forms():
    model = _seed004()
    for given in (model, model.layers[::2], [W_HIDDEN, W_OUTPUT], [(W_HIDDEN, 0.2), (W_OUTPUT, np.full(2, 0.2))]):
        pairs, _ = mod.network_layers(given)
        assert [W.shape for W, _ in pairs] == [(4, 2), (2, 4)]
    np.testing.assert_allclose(mod.network_layers(model)[0][1][1], [0.2, 0.2])


def test_new_axes_when_none_given():
    ax = nb.plots.draw_network(nb.MLP([3, 5, 2], rng=0))
    assert len(ax.get_lines()) == 3 * 5 + 5 * 2


@pytest.mark.parametrize(
    "given, kwargs, error, match",
    [
        ("weights", {}, TypeError, "expected a Sequential network"),
        ([], {}, TypeError, "expected a Sequential"),
        ([np.ones((3, 2)), np.ones((1, 4))], {}, ValueError, "expected W of layer 1 with 3 columns"),
        ([np.ones(3)], {}, ValueError, r"shape \(n_out, n_in\)"),
        ([(np.ones((2, 2)), np.ones(3))], {}, ValueError, "expected b of layer 0"),
        ([np.ones((2, 2))], {"x": [1.0, 2.0, 3.0]}, ValueError, r"expected x of shape \(2,\)"),
        ([np.ones((2, 2))], {"layer_names": ["a"]}, ValueError, "expected 2 layer names"),
        ([np.ones((2, 2))], {"node_names": [["a"], ["b", "c"]]}, ValueError, "node_names"),
    ],
)
def test_bad_input(given, kwargs, error, match):
    fig, ax = plt.subplots()
    with pytest.raises(error, match=match):
        nb.plots.draw_network(given, ax, **kwargs)


def test_ax_must_be_axes():
    with pytest.raises(TypeError, match="expected ax as a matplotlib Axes"):
        nb.plots.draw_network([np.ones((2, 2))], ax="left")
