"""nnbook against PyTorch's autograd (micrograd's pattern): forward values and every gradient of
random MLPs, and seed 004's framework training. PyTorch is a requirement of the book (chapter 15
runs it), so these tests run everywhere the book builds."""

import warnings

import numpy as np
import pytest
import torch

import nnbook as nb

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]


def _torch_activation(layer):
    """The PyTorch function of an nnbook activation layer (its slope read from the layer)."""
    if isinstance(layer, nb.LeakyReLU):
        return lambda z: torch.nn.functional.leaky_relu(z, layer.alpha)
    return {nb.Sigmoid: torch.sigmoid, nb.Tanh: torch.tanh, nb.ReLU: torch.relu,
            nb.Identity: lambda z: z}[type(layer)]


def _torch_mlp(model):
    """The model's parameters as float64 leaf tensors, and a forward function."""
    params = []
    for l in range(1, len(model.sizes)):
        W, b = model.params[f"W{l}"], model.params[f"b{l}"]
        params.append((torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)))
    acts = [_torch_activation(layer) for layer in model.layers if not isinstance(layer, nb.Linear)]
    assert len(acts) == len(params)

    def forward(X):
        for (W, b), f in zip(params, acts):
            X = f(X @ W.T + b)
        return X

    return params, forward


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mlp_forward_and_gradients_match_torch(activation, seed):
    rng = np.random.default_rng(seed)
    depth = int(rng.integers(1, 4))
    sizes = [int(s) for s in rng.integers(1, 7, size=depth + 1)]
    out_act = str(rng.choice(["identity", activation]))
    model = nb.MLP(sizes, activation=activation, output_activation=out_act, init="normal", rng=rng)
    n = int(rng.integers(1, 9))
    X = rng.standard_normal((n, sizes[0]))
    Y = rng.standard_normal((n, sizes[-1]))

    loss = nb.MSELoss()
    out = model.forward(X)
    value = loss.forward(out, Y)
    dX = model.backward(loss.backward())

    params, forward = _torch_mlp(model)
    Xt = torch.tensor(X, requires_grad=True)
    out_t = forward(Xt)
    value_t = torch.nn.functional.mse_loss(out_t, torch.tensor(Y))
    value_t.backward()

    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=1e-12, atol=1e-12)
    assert value == pytest.approx(value_t.item(), rel=1e-12)
    for l, (W, b) in enumerate(params, start=1):
        np.testing.assert_allclose(model.grads[f"W{l}"], W.grad.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(model.grads[f"b{l}"], b.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_softmax_cross_entropy_gradients_match_torch(seed):
    rng = np.random.default_rng(seed)
    n_in, n_classes, n = int(rng.integers(2, 6)), int(rng.integers(2, 6)), int(rng.integers(1, 10))
    model = nb.MLP([n_in, 5, n_classes], activation="tanh", output_activation="identity", rng=rng)
    X = rng.standard_normal((n, n_in))
    y = rng.integers(0, n_classes, n)
    loss = nb.SoftmaxCrossEntropyLoss()
    value = loss.forward(model.forward(X), y)
    model.backward(loss.backward())

    params, forward = _torch_mlp(model)
    value_t = torch.nn.functional.cross_entropy(forward(torch.tensor(X)), torch.tensor(y))
    value_t.backward()
    assert value == pytest.approx(value_t.item(), rel=1e-12)
    for l, (W, b) in enumerate(params, start=1):
        np.testing.assert_allclose(model.grads[f"W{l}"], W.grad.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(model.grads[f"b{l}"], b.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_sgd_step_matches_torch_optim():
    rng = np.random.default_rng(7)
    model = nb.MLP([3, 4, 2], activation="sigmoid", output_activation="identity", rng=rng)
    X, Y = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    params, forward = _torch_mlp(model)
    opt = torch.optim.SGD([p for pair in params for p in pair], lr=0.1, momentum=0.9)
    sgd = nb.SGD(0.1, momentum=0.9)
    loss = nb.MSELoss()
    for _ in range(3):
        loss.forward(model.forward(X), Y)
        model.backward(loss.backward())
        sgd.step(model)
        opt.zero_grad()
        torch.nn.functional.mse_loss(forward(torch.tensor(X)), torch.tensor(Y)).backward()
        opt.step()
    for l, (W, b) in enumerate(params, start=1):
        np.testing.assert_allclose(model.params[f"W{l}"], W.detach().numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(model.params[f"b{l}"], b.detach().numpy(), rtol=1e-10, atol=1e-12)


class _NoBias(nb.Sequential):
    def parameters(self):
        return [(k, p, g) for k, p, g in super().parameters() if not k.startswith("b")]


W_HIDDEN = np.array([[1, 2], [2, 3], [1, 1], [3, 1]], dtype=float)
W_OUTPUT = np.array([[1, 1, 1, 1], [1, 0, 0, 1]], dtype=float)


@pytest.mark.parametrize("dtype, rtol, atol", [(torch.float32, 1e-4, 1e-5), (torch.float64, 1e-10, 1e-12)])
def test_seed004_training_matches_torch(dtype, rtol, atol):
    """Seed 004's PyTorch listing (label broadcast to both outputs) against nnbook with the label repeated."""
    X, y = nb.datasets.sum_of_inputs(100, rng=0)
    net = _NoBias(nb.Linear.from_weights(W_HIDDEN, 0.0), nb.ReLU(), nb.Linear.from_weights(W_OUTPUT, 0.0))
    net.fit(X, np.repeat(y, 2, axis=1), loss=nb.MSELoss(), optimizer=nb.SGD(0.01), epochs=10, batch_size=1,
            shuffle=False, progress=False)
    np.testing.assert_array_equal(net.layers[0].b, 0.0)
    np.testing.assert_array_equal(net.layers[2].b, 0.0)

    hidden = torch.nn.Linear(2, 4, bias=False).to(dtype)
    output = torch.nn.Linear(4, 2, bias=False).to(dtype)
    with torch.no_grad():
        hidden.weight.copy_(torch.tensor(W_HIDDEN))
        output.weight.copy_(torch.tensor(W_OUTPUT))
    model = torch.nn.Sequential(hidden, torch.nn.ReLU(), output)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    Xt, yt = torch.tensor(X, dtype=dtype), torch.tensor(y, dtype=dtype)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(10):
            for i in range(len(Xt)):
                loss = torch.nn.MSELoss()(model(Xt[i].unsqueeze(0)), yt[i].unsqueeze(0))
                opt.zero_grad()
                loss.backward()
                opt.step()
    assert any("target size" in str(w.message) for w in caught)  # PyTorch broadcasts, and says so
    np.testing.assert_allclose(hidden.weight.detach().numpy(), net.layers[0].W, rtol=rtol, atol=atol)
    np.testing.assert_allclose(output.weight.detach().numpy(), net.layers[2].W, rtol=rtol, atol=atol)


def test_nnbook_refuses_the_broadcast_torch_accepts():
    out = np.array([[3.0, 5.0]])
    label = np.array([[4.0]])
    with pytest.raises(ValueError, match="never broadcasts"):
        nb.MSELoss().forward(out, label)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch_value = torch.nn.MSELoss()(torch.tensor(out), torch.tensor(label)).item()
    assert nb.MSELoss().forward(out, np.repeat(label, 2, axis=1)) == pytest.approx(torch_value)
