"""Each erratum's check still shows the mistake: the seed's value and the right one differ as stated."""

import re
from pathlib import Path

import numpy as np
import pytest

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


def test_002_mse_divides_by_the_rows_it_is_given():
    # Seed 002's "n … here 4" is its four-person table; the training set has 16 people.
    X, y = nb.datasets.height_weight()
    assert X.shape[0] == 16
    for rows in (4, 16):
        pred = np.full((rows, 1), 0.5)
        np.testing.assert_allclose(nb.MSELoss().forward(pred, y[:rows].reshape(-1, 1)),
                                   np.sum((y[:rows] - 0.5) ** 2) / rows)


def test_003_dot_product():
    # The seed's sum is one neuron's weighted sum: a Linear layer with one row and no bias.
    neuron = nb.Linear.from_weights(np.array([[1.0, 2.0, 3.0]]), 0.0)
    assert float(neuron.forward(np.array([4.0, 5.0, 8.0]))[0]) == 38 != 32


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
    # f(w) = ½(w1² + 10 w2²) is the half squared error of a Linear layer with weights w on the
    # two rows √a_k e_k and labels 0; nnbook's backward pass and SGD take the steps.
    a = np.array([1.0, 10.0])
    X, y = np.diag(np.sqrt(a)), np.zeros((2, 1))
    for line_search in (True, False):
        layer = nb.Linear.from_weights(np.array([[2.0, 1.0]]), 0.0)
        loss = nb.SquaredErrorLoss(half=True)
        dirs = []
        for _ in range(5):
            loss.forward(layer.forward(X), y)
            layer.backward(loss.backward())
            g = layer.grads["W"][0] * X.shape[0]        # the loss is a mean over the two rows
            np.testing.assert_allclose(g, a * layer.W[0])  # ∇f(w) = A w
            lr = (g @ g) / (g @ (a * g)) if line_search else 0.05
            before = layer.W[0].copy()
            nb.SGD(lr * X.shape[0]).step(layer)       # steps on f = 2 · the mean loss
            layer.b[...] = 0.0                         # f has no bias: keep it at 0
            dirs.append(layer.W[0] - before)
            np.testing.assert_allclose(dirs[-1], -lr * g)
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


def test_001_averaged_gradient_is_dJ_the_mean_of_the_dL():
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((5, 2)), np.array([[1.0], [0.0], [1.0], [1.0], [0.0]])
    net = nb.Sequential(nb.Linear(2, 1, rng=4), nb.Sigmoid())

    def dw1(X_, y_):
        loss = nb.BCELoss()
        loss.forward(net.forward(X_), y_)
        net.backward(loss.backward())
        return float(net.layers[0].grads["W"][0, 0])

    per_example = [dw1(X[i:i + 1], y[i:i + 1]) for i in range(5)]
    a = net.forward(X)
    np.testing.assert_allclose(dw1(X, y), np.mean(X[:, 0] * (a - y)[:, 0]))
    np.testing.assert_allclose(dw1(X, y), np.mean(per_example))
    assert not np.allclose(per_example, dw1(X, y))


def test_001_small_initialization_does_not_reach_the_global_minimum():
    X, y = nb.datasets.xor()
    losses = []
    for init, seed in (("small", 0), ("normal", 0), ("normal", 1)):
        net = nb.MLP([2, 2, 1], activation="sigmoid", output_activation="sigmoid", init=init, rng=seed)
        net.fit(X, y, loss=nb.MSELoss(), optimizer=nb.SGD(2.0), epochs=4000, batch_size=4,
                shuffle=False, progress=False)
        losses.append(float(nb.MSELoss().forward(net.forward(X), y)))
    assert losses[0] > 0.2 and losses[1] > 0.1 > 0.01 > losses[2]


def test_001_logistic_z_needs_w_transposed():
    w, x = np.array([[0.5], [-1.0], [2.0]]), np.array([[1.0], [2.0], [0.5]])
    with pytest.raises(ValueError):
        w @ x
    np.testing.assert_allclose(nb.Linear.from_weights(w.T, 0.1).forward(x.ravel()), (w.T @ x + 0.1).ravel())


def test_003_first_step_is_the_derivative_of_h_only():
    layers = [nb.Linear.from_weights([[2.0]], 1.0), nb.Linear.from_weights([[3.0]], -1.0),
              nb.Linear.from_weights([[0.5]], 2.0)]
    x3 = layers[1].forward(layers[0].forward(np.array([[1.5]])))
    layers[2].forward(x3)
    assert layers[2].backward(np.array([[1.0]]))[0, 0] == 0.5
    net = nb.Sequential(*layers)
    net.forward(np.array([[1.5]]))
    assert net.backward(np.array([[1.0]]))[0, 0] == 3.0


def test_004_the_gradient_is_a_vector_whose_length_is_the_largest_rate():
    x = np.array([1.0, 2.0])
    grad = nb.numerical_gradient(lambda: float(x[0] ** 2 + 3 * x[0] * x[1]), x)
    np.testing.assert_allclose(grad, [8.0, 3.0], rtol=1e-7)
    angles = np.linspace(0, 2 * np.pi, 3600, endpoint=False)
    rates = np.column_stack([np.cos(angles), np.sin(angles)]) @ grad
    np.testing.assert_allclose(rates.max(), np.linalg.norm(grad), rtol=1e-5)


def test_004_output_weight_gradient_is_the_outer_product_not_hT():
    h = 2 * (W_HIDDEN @ np.array([2.0, 3.0]))
    layer = nb.Linear.from_weights(W_OUTPUT.copy(), 0.0)
    jac = np.stack([nb.numerical_gradient(lambda i=i: float(layer.forward(h)[i]), layer.params["W"])
                    for i in range(2)])
    assert jac.shape == (2, 2, 4) != h.reshape(1, -1).shape
    dy = W_OUTPUT @ h - np.array([2.0, 3.0])
    layer.forward(h.reshape(1, -1))
    layer.backward(dy.reshape(1, -1))
    np.testing.assert_allclose(layer.grads["W"], np.outer(dy, h))
    np.testing.assert_allclose(layer.grads["W"], np.einsum("i,ijk->jk", dy, jac), rtol=1e-6)


ERRATA = Path(__file__).resolve().parent.parent / "book" / "errata.md"


def _mistakes_and_checked():
    """The page's text before "Checked and right" (the mistakes) and from there on."""
    text = ERRATA.read_text(encoding="utf-8")
    split = text.index("(source-statements-checked)=")
    return text[:split], text[split:]


def test_summary_table_lists_every_entry_without_raw_tex():
    mistakes, checked = _mistakes_and_checked()
    text = mistakes + checked
    rows = [line for line in text.splitlines() if line.startswith("| 00")]
    labels = re.findall(r"^\(errata-([\w-]+)\)=", mistakes, re.M)
    assert sorted(re.findall(r"\{ref\}`errata-([\w-]+)`", "\n".join(rows))) == sorted(labels)
    # what was checked and found right keeps its label (chapters link to it) but is no mistake
    for label in re.findall(r"^\(errata-([\w-]+)\)=", checked, re.M):
        assert f"errata-{label}`" not in "\n".join(rows)
    for row in rows:
        outside_math = re.sub(r"\$[^$]+\$", "", row)
        assert "\\" not in outside_math and "`\\" not in row, f"raw TeX in the summary table: {row}"


@pytest.mark.parametrize("label, quote", [
    ("errata-001-hidden-layer-heading", "从输入层到输出层的公式"),
    ("errata-003-transpose-reverse", "反轉"),
    ("errata-003-bias-shape", "db原先是2x2但原先將它只寫為1x2"),
    ("errata-003-backprop-history", "神經網路之父提出了反向傳播"),
    ("errata-000-squared-vector", r"\mathcal{L}=(\mathbf{x}_2-\mathbf{y})^2"),
    ("errata-000-squared-vector", r"\frac{1}{2}(y_t-y_m)^2"),
    ("errata-002-not-stochastic", "随机梯度下降"),
    ("errata-001-m-examples-x", "b{[l]}"),
    ("errata-002-simple-neuron", "一个简单的神经元长这样"),
    ("errata-004-perpendicular-steps", "与出发点垂直"),
])
def test_entries_quote_the_seed_in_its_own_script(label, quote):
    """Each entry quotes its seed as written, in the seed's own script."""
    mistakes, _ = _mistakes_and_checked()
    entry = mistakes[mistakes.index(f"({label})="):]
    entry = entry[: entry.find("\n(errata-", 1) if "\n(errata-" in entry[1:] else len(entry)]
    assert quote in entry


def test_the_doubtful_entries_are_no_longer_mistakes():
    mistakes, checked = _mistakes_and_checked()
    for label in ("errata-000-xor-listing", "errata-003-sigmoid-upstream"):
        assert f"({label})=" in checked and f"({label})=" not in mistakes


def test_000_xor_class_learns_xor_from_seeded_starts():
    # seed 000's network [2, 4, 4, 1], sigmoid, lr 1, 1000 epochs, one sample at a time
    X, y = nb.datasets.xor()
    for seed in (0, 1):
        net = nb.MLP([2, 4, 4, 1], activation="sigmoid", output_activation="sigmoid", init="normal", rng=seed)
        net.fit(X, y, loss=nb.SquaredErrorLoss(half=True), optimizer=nb.SGD(1.0), epochs=1000, batch_size=1,
                shuffle=False, progress=False)
        assert np.max(np.abs(net.forward(X) - y)) < 0.5


def test_003_sigmoid_steps_with_dy_one_are_the_derivative():
    x = 0.5
    x3 = 1 + np.exp(-x)
    steps = (-1 / x3**2) * np.exp(-x) * -1  # the seed's four steps, y the last node: dy = 1
    np.testing.assert_allclose(steps, nb.sigmoid_prime(np.array([x]))[0])


def test_003_bias_gradient_of_a_two_by_three_batch():
    layer = nb.Linear.from_weights(np.eye(3), np.zeros(3))
    layer.forward(np.zeros((2, 3)))
    layer.backward(np.ones((2, 3)))
    assert layer.grads["b"].tolist() == [2.0, 2.0, 2.0]


def test_003_the_transpose_not_the_reverse():
    rng = np.random.default_rng(5)
    X, W, dX1 = rng.standard_normal((2, 3)), rng.standard_normal((3, 4)), rng.standard_normal((2, 4))
    dW = nb.numerical_gradient(lambda: float(np.sum(dX1 * (X @ W))), W)
    np.testing.assert_allclose(X.T @ dX1, dW, rtol=1e-6, atol=1e-9)
    assert X[::-1, ::-1].shape != X.T.shape


def test_000_squared_length_has_seed_004s_gradient():
    y_m, y_t = np.array([70.0, 34.0]), np.array([2.0, 3.0])
    assert (0.5 * (y_t - y_m) ** 2).shape == (2,)  # squaring the vector leaves a vector
    loss = nb.SquaredErrorLoss(half=True)
    loss.forward(y_m.reshape(1, -1), y_t.reshape(1, -1))
    np.testing.assert_allclose(loss.backward()[0], y_m - y_t)


def test_004_every_step_is_perpendicular_to_its_contour_line():
    a = np.array([1.0, 10.0])
    v = np.array([2.0, 1.0])
    for _ in range(5):
        g = a * v
        tangent = np.array([-g[1], g[0]])
        step = -0.05 * g
        assert abs(step @ tangent) < 1e-12 * np.linalg.norm(step) * np.linalg.norm(tangent) + 1e-15
        v = v + step


def test_code_fences_pair_up_and_every_glued_key_is_computed():
    """A stray fence swallows the entries after it; a glued key must come from a code cell."""
    text = ERRATA.read_text(encoding="utf-8")
    fences = [line for line in text.splitlines() if line.startswith("```")]
    assert fences[0::2] == ["```{code-cell} ipython3"] * len(fences[0::2]), "a fence that opens no code cell"
    assert fences[1::2] == ["```"] * len(fences[1::2]) and len(fences) % 2 == 0
    computed = set(re.findall(r'glue\(\s*"(\w+)"', text))
    prefixes = re.findall(r'glue\(\s*f"(\w+)\{', text)  # glue(f"e002_w1_f{k_}", ...)
    used = set(re.findall(r"\{glue(?::\w+)?\}`(\w+)", text))
    missing = [key for key in used - computed if not any(key.startswith(p) for p in prefixes)]
    assert not missing, missing
