"""Checks for chapter 15, from scratch to frameworks."""

import numpy as np

import nnbook as nb

from ._answers import as_array, choice, close, values
from ._core import CheckFailed, question

W1_START = nb.datasets.SEED004_W_HIDDEN  # the starting weights of chapter 15's 2-4-2 network
W2_START = nb.datasets.SEED004_W_OUTPUT


def _no_bias_step(W1, W2, x, y, lr):
    """Reference: one SGD step with nnbook's layers, biases fixed at zero, ℒ = mean_k (ŷ_k − y_k)²."""
    net = nb.Sequential(nb.Linear.from_weights(W1, 0.0), nb.ReLU(), nb.Linear.from_weights(W2, 0.0))
    loss = nb.MSELoss()
    loss.forward(net.forward(x), y)
    net.backward(loss.backward())
    return W1 - lr * net.grads["W1"], W2 - lr * net.grads["W2"]


class _NoBias(nb.Sequential):
    def parameters(self):
        return [(k, p, g) for k, p, g in super().parameters() if not k.startswith("b")]


def _close(got, ref, name, rtol=1e-9, atol=1e-12):
    if got.shape != ref.shape:
        raise CheckFailed(f"expected {name} of shape {ref.shape}, got shape {got.shape}")
    if not close(got, ref, rtol=rtol, atol=atol):
        i = np.unravel_index(np.argmax(np.abs(got - ref)), ref.shape)
        raise CheckFailed(f"{name}{list(i)}: expected {ref[i]:.6g}, got {got[i]:.6g}")


@question("15.1", points=3, title="One SGD step of the 2-4-2 ReLU network without biases",
          section="15-frameworks.html#ch15-pytorch",
          hint="z1 = W1 @ x, a1 = relu(z1), ŷ = W2 @ a1; dŷ = 2(ŷ − y)/n_out; dW2 = outer(dŷ, a1); "
               "dz1 = (W2.T @ dŷ) * (z1 > 0); dW1 = outer(dz1, x).")
def _(answer, rng):
    cases = [(W1_START, W2_START, np.array([2.0, 3.0]), np.array([5.0, 5.0]), 0.01)]
    for _ in range(5):
        n_in, n_h, n_out = (int(v) for v in rng.integers(1, 6, size=3))
        cases.append((rng.normal(size=(n_h, n_in)), rng.normal(size=(n_out, n_h)), rng.normal(size=n_in),
                      rng.normal(size=n_out), float(rng.uniform(0.001, 0.1))))
    for Wh, Wo, x, y, lr in cases:
        ref_h, ref_o = _no_bias_step(Wh, Wo, x, y, lr)
        got_h, got_o = values(answer(Wh.copy(), Wo.copy(), x.copy(), y.copy(), lr), 2, "step")
        got_h, got_o = as_array(got_h, None, "W1_new"), as_array(got_o, None, "W2_new")
        _close(got_h, ref_h, f"W1_new (n_hidden={Wh.shape[0]}, n_in={Wh.shape[1]}, lr={lr:.4g})")
        _close(got_o, ref_o, f"W2_new (n_out={Wo.shape[0]}, n_hidden={Wo.shape[1]}, lr={lr:.4g})")


@question("15.2", points=1, title="One label per output: what PyTorch's broadcast trains",
          section="15-frameworks.html#ch15-shapes",
          hint="PyTorch broadcasts a (n, 1) label to every output: repeat the column n_out times, shape (n, n_out).")
def _(answer, rng):
    for _ in range(5):
        n, n_out = int(rng.integers(1, 20)), int(rng.integers(1, 5))
        y = rng.normal(size=(n, 1))
        got = np.asarray(answer(y.copy(), n_out), dtype=float)
        ref = np.repeat(y, n_out, axis=1)
        _close(got, ref, f"the targets for n_out = {n_out}")
        out = rng.normal(size=(n, n_out))
        broadcast_loss = float(np.mean((out - y) ** 2))  # what PyTorch's MSELoss computes
        if not np.isclose(nb.MSELoss().forward(out, got), broadcast_loss):
            raise CheckFailed("nnbook's MSELoss on your targets differs from PyTorch's broadcast loss")


@question("15.3", points=2, title="Train the corrected 2 → 4 → 1 network",
          section="15-frameworks.html#ch15-shapes",
          hint="NoBiasSequential(Linear.from_weights(W1, 0.0), ReLU(), Linear.from_weights(W2[:1], 0.0)), "
               "then fit with MSELoss, SGD(0.01), epochs=10, batch_size=1, shuffle=False.")
def _(answer, rng):
    for _ in range(2):
        n = int(rng.integers(20, 60))
        X, y = nb.datasets.sum_of_inputs(n, rng=rng)
        net = _NoBias(nb.Linear.from_weights(W1_START, 0.0), nb.ReLU(),
                      nb.Linear.from_weights(W2_START[:1], 0.0))
        net.fit(X, y, loss=nb.MSELoss(), optimizer=nb.SGD(0.01), epochs=10, batch_size=1, shuffle=False,
                progress=False)
        got_h, got_o = values(answer(X.copy(), y.copy()), 2, "training")
        got_h, got_o = as_array(got_h, None, "W1"), as_array(got_o, None, "W2")
        _close(got_h, net.layers[0].W, f"the trained W1 ({n} samples)", rtol=1e-7, atol=1e-9)
        _close(got_o, net.layers[2].W, f"the trained W2 ({n} samples)", rtol=1e-7, atol=1e-9)


@question("15.4", points=1, title="Why nnbook needs no zero_grad()",
          section="15-frameworks.html#ch15-paddle",
          hint="Compare what PyTorch's backward does to .grad with what an nnbook layer's backward does to grads.")
def _(answer, rng):
    choice(answer, "15.4", "abcd", "dfb6aba142f06bbf0a1cea29",
           "{got!r} is not the reason; think about what happens to the stored gradients on each backward")


@question("15.5", points=1, title="Weight shapes in nnbook, PyTorch and PaddlePaddle",
          section="15-frameworks.html#ch15-paddle",
          hint="nnbook and PyTorch store (n_out, n_in); PaddlePaddle stores (in_features, out_features).")
def _(answer, rng):
    for _ in range(4):
        n_in, n_out = (int(v) for v in rng.integers(1, 50, size=2))
        if n_in == n_out:
            n_out += 1
        got = answer(n_in, n_out)
        if not isinstance(got, dict):
            raise CheckFailed(f"expected a dict with keys 'nnbook', 'pytorch', 'paddle', got {type(got).__name__}")
        ref = {"nnbook": nb.Linear(n_in, n_out, rng=0).W.shape, "pytorch": (n_out, n_in), "paddle": (n_in, n_out)}
        for key, shape in ref.items():
            if key not in got:
                raise CheckFailed(f"expected the key {key!r} in the dict, got keys {sorted(got)}")
            try:
                value = tuple(int(v) for v in got[key])
            except (TypeError, ValueError):
                raise CheckFailed(f"expected a shape tuple for {key!r}, got {got[key]!r}") from None
            if value != shape:
                raise CheckFailed(f"the weight of a {key} Linear({n_in}, {n_out}) has shape {shape}, got {value}")
