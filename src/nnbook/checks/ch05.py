"""Checks for chapter 5, forward propagation."""

import numbers

import numpy as np

import nnbook as nb

from ._answers import close, is_number
from ._core import CheckFailed, question

# The 2→4→2 network of chapter 5: a 4×2 hidden matrix and a 2×4 output matrix, bias 0.2 everywhere.
W_HIDDEN_242 = nb.datasets.SEED004_W_HIDDEN
W_OUTPUT_242 = nb.datasets.SEED004_W_OUTPUT
X_242 = np.array([2.0, 3.0])


def _sequential(layers):
    parts = []
    for W, b in layers:
        parts += [nb.Linear.from_weights(W, b), nb.Sigmoid()]
    return nb.Sequential(*parts)


def _random_layers(rng):
    sizes = [int(n) for n in rng.integers(1, 6, size=int(rng.integers(2, 5)))]
    return [(rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


@question("05.1", points=3, title="A forward pass through a list of layers",
          section="05-forward.html#ch05-batch",
          hint="For each (W, b): A = sigmoid(A @ W.T + b), starting from A = X; a batch is rows.")
def _check_05_1(answer, rng):
    for trial in range(5):
        layers = _random_layers(rng)
        n_in = layers[0][0].shape[1]
        X = rng.normal(size=(int(rng.integers(1, 8)), n_in))
        copies = [(W.copy(), b.copy()) for W, b in layers]
        got = np.asarray(answer(layers, X), dtype=float)
        ref = _sequential(copies).forward(X)
        sizes = [n_in] + [W.shape[0] for W, _ in layers]
        if got.shape != ref.shape:
            raise CheckFailed(f"expected an output of shape {ref.shape} for a batch X of shape {X.shape} through "
                              f"layers of sizes {sizes}, got shape {got.shape}")
        if not close(got, ref, rtol=1e-7, atol=1e-12):
            raise CheckFailed(f"expected the outputs of nb.Sequential for layers of sizes {sizes}; the largest "
                              f"difference is {np.max(np.abs(got - ref)):.3g}")
        if any(not np.array_equal(W, Wc) or not np.array_equal(b, bc) for (W, b), (Wc, bc) in zip(layers, copies)):
            raise CheckFailed("expected the layers' weights and biases to be left unchanged, but they were modified")
    # The 2→4→2 network on its input, as a batch of one row.
    got = np.asarray(answer([(W_HIDDEN_242, np.full(4, 0.2)), (W_OUTPUT_242, np.full(2, 0.2))], X_242[None, :]),
                     dtype=float)
    ref = _sequential([(W_HIDDEN_242, 0.2), (W_OUTPUT_242, 0.2)]).forward(X_242[None, :])
    if got.shape != ref.shape or not np.allclose(got, ref):
        raise CheckFailed(f"expected the chapter's 2→4→2 network to output {ref.round(6).tolist()} for x = [2, 3], got {got!r}")


def _o1_reference(x, w, b):
    net = _sequential([(np.array([w, w]), b), (np.array([w]), b)])
    return float(net.forward(np.asarray(x, dtype=float))[0])


@question("05.2", points=2, title="The output o1 of the 2-2-1 network",
          section="05-forward.html#ch05-two-two-one",
          hint="h1 = h2 = σ(w · x + b); then o1 = σ(w · [h1, h2] + b).")
def _check_05_2(answer, rng):
    cases = [(np.array([2.0, 3.0]), np.array([0.0, 1.0]), 0.0)]
    cases += [(rng.normal(scale=2, size=2), rng.normal(size=2), float(rng.normal())) for _ in range(4)]
    for x, w, b in cases:
        raw = answer(x.copy(), w.copy(), b)
        try:
            got = float(np.asarray(raw, dtype=float).reshape(-1)[0]) if np.size(raw) == 1 else None
        except (TypeError, ValueError):
            got = None
        if got is None:
            raise CheckFailed(f"expected one number o1 for x = {x.round(3).tolist()}, got {raw!r}")
        ref = _o1_reference(x, w, b)
        if not close(got, ref, rtol=1e-9, atol=1e-12):
            raise CheckFailed(f"expected o1 = {ref:.6f} for x = {x.round(3).tolist()}, w = {w.round(3).tolist()}, "
                              f"b = {b:.3f}, got {got:.6f}")


@question("05.3", points=2, title="The outputs ŷ1, ŷ2 of the 2→4→2 network",
          section="05-forward.html#ch05-two-four-two",
          hint="Apply the 2×4 output matrix to the four hidden activations, add 0.2, then the sigmoid.")
def _check_05_3(answer, rng):
    got = np.asarray(answer(), dtype=float)
    ref = _sequential([(W_HIDDEN_242, 0.2), (W_OUTPUT_242, 0.2)]).forward(X_242)
    if got.shape != ref.shape:
        raise CheckFailed(f"expected an array [ŷ1, ŷ2] of shape {ref.shape}, got shape {got.shape}")
    if not np.allclose(got, ref, rtol=1e-6):
        z_out = W_OUTPUT_242 @ nb.sigmoid(W_HIDDEN_242 @ X_242 + 0.2) + 0.2
        if np.allclose(got, z_out, rtol=1e-6):
            raise CheckFailed("expected the outputs after the sigmoid; these look like the pre-activations z")
        raise CheckFailed(f"expected [ŷ1, ŷ2] to 6 significant digits near the network's output, got {got.tolist()}")


@question("05.4", points=1, title="Counting parameters",
          section="05-forward.html#ch05-layers",
          hint="Layer l has a W of shape (n[l], n[l−1]) and a b of shape (n[l],).")
def _check_05_4(answer, rng):
    cases = [[2, 4, 2], [2, 2, 1]]
    cases += [[int(n) for n in rng.integers(1, 30, size=int(rng.integers(2, 6)))] for _ in range(4)]
    for sizes in cases:
        got = answer(list(sizes))
        ref = int(sum(p.size for p in nb.MLP(sizes, rng=0).params.values()))
        if not is_number(got, numbers.Integral) or int(got) != ref:
            raise CheckFailed(f"expected the integer {ref} for layer sizes {sizes}, got {got!r}")
