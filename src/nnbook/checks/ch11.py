"""Checks for chapter 11, training a network."""

import numpy as np

import nnbook as nb

from ._answers import choice, close
from ._core import CheckFailed, question


def _random_model(rng):
    """A random MLP with random sizes, activation and weights (a fresh twin can be rebuilt from its integer seed)."""
    n_in = int(rng.integers(2, 6))
    sizes = [n_in] + [int(rng.integers(2, 6)) for _ in range(int(rng.integers(1, 3)))] + [int(rng.integers(1, 4))]
    activation = str(rng.choice(["sigmoid", "tanh", "relu"]))
    seed = int(rng.integers(2**31 - 1))
    return sizes, activation, seed


def _build(sizes, activation, seed):
    return nb.MLP(sizes, activation=activation, output_activation="identity", init="xavier", rng=seed)


@question("11.1", points=2, title="One SGD training step",
          section="11-training.html#ch11-loop",
          hint="Forward, loss.forward, model.backward(loss.backward()), then w ← w − η · grad (η = lr) for every parameter.")
def _(answer, rng):
    for trial in range(3):
        sizes, activation, seed = _random_model(rng)
        n = int(rng.integers(3, 9))
        X = rng.normal(size=(n, sizes[0]))
        Y = rng.normal(size=(n, sizes[-1]))
        lr = float(rng.uniform(0.05, 0.5))
        mine, ref = _build(sizes, activation, seed), _build(sizes, activation, seed)
        got = answer(mine, X, Y, nb.MSELoss(), lr)
        loss = nb.MSELoss()
        expected_loss = loss.forward(ref.forward(X), Y)
        ref.backward(loss.backward())
        nb.SGD(lr).step(ref)
        if got is None or not np.isfinite(np.asarray(got, dtype=float)).all() or not np.isclose(float(got), expected_loss, rtol=1e-8):
            raise CheckFailed(f"expected the loss before the update, {expected_loss:.6g}, for MLP{sizes}, got {got!r}")
        for name in ref.params:
            if not np.allclose(mine.params[name], ref.params[name], rtol=1e-8, atol=1e-12):
                diff = np.abs(mine.params[name] - ref.params[name]).max()
                raise CheckFailed(f"parameter {name!r} of MLP{sizes} after your step differs from one SGD step "
                                  f"with lr={lr:.3g} by up to {diff:.3g}")


@question("11.2", points=2, title="A mini-batch iterator",
          section="11-training.html#ch11-batches",
          hint="Draw one permutation of range(n) with rng.permutation, then slice it in steps of batch_size.")
def _(answer, rng):
    for trial in range(4):
        n = int(rng.integers(7, 60))
        k = int(rng.integers(1, n + 1))
        X = rng.normal(size=(n, 3))
        y = rng.normal(size=n)
        batches = list(answer(X, y, k, np.random.default_rng(int(rng.integers(2**31 - 1)))))
        if not batches:
            raise CheckFailed("expected at least one (X_batch, y_batch) pair, got none")
        sizes = []
        rows, targets = [], []
        for b in batches:
            if not (isinstance(b, tuple) and len(b) == 2):
                raise CheckFailed(f"expected every item to be a pair (X_batch, y_batch), got {type(b).__name__}")
            Xb, yb = np.asarray(b[0]), np.asarray(b[1])
            if Xb.ndim != 2 or Xb.shape[1] != 3 or yb.shape != (Xb.shape[0],):
                raise CheckFailed(f"expected X_batch of shape (m, 3) and y_batch of shape (m,), got {Xb.shape} and {yb.shape}")
            sizes.append(Xb.shape[0])
            rows.append(Xb)
            targets.append(yb)
        expected_sizes = [k] * (n // k) + ([n % k] if n % k else [])
        if sizes != expected_sizes:
            raise CheckFailed(f"expected batches of sizes {expected_sizes} for n={n}, batch_size={k}, got {sizes}")
        Xall, yall = np.concatenate(rows), np.concatenate(targets)
        index = {tuple(r): i for i, r in enumerate(X)}
        order = [index.get(tuple(r), -1) for r in Xall]
        if sorted(order) != list(range(n)):
            raise CheckFailed(f"expected every one of the {n} samples exactly once per epoch, got rows "
                              f"missing or repeated")
        if not np.array_equal(yall, y[order]):
            raise CheckFailed("expected each y_batch to hold the targets of the rows of its X_batch, in the same order")
        if n >= 20 and order == list(range(n)):
            raise CheckFailed("expected the samples in a random order (shuffled with rng), got the original order")
    X = np.arange(40.0).reshape(20, 2)
    first = [np.asarray(b[0]).copy() for b in answer(X, np.arange(20.0), 5, np.random.default_rng(1))]
    second = [np.asarray(b[0]).copy() for b in answer(X, np.arange(20.0), 5, np.random.default_rng(1))]
    if not all(np.array_equal(a, b) for a, b in zip(first, second)):
        raise CheckFailed("expected the same order for the same rng seed (use the rng argument, not np.random)")


@question("11.3", points=2, title="The XOR network of chapter 11",
          section="11-training.html#ch11-xor",
          hint="nb.MLP([2, 4, 4, 1], activation='sigmoid', output_activation='sigmoid', init='normal', rng=k), SquaredErrorLoss(half=True), "
               "SGD(1.0), 1000 epochs, batch_size=1, shuffle=False; try another rng value if one stalls.")
def _(answer, rng):
    X, y = nb.datasets.xor()
    model = answer()
    if not hasattr(model, "predict"):
        raise CheckFailed(f"expected a trained nnbook model, got {type(model).__name__}")
    out = np.asarray(model.predict(X), dtype=float).reshape(-1)
    if out.shape != (4,):
        raise CheckFailed(f"expected one output for each of the 4 XOR inputs, got shape {out.shape}")
    wrong = [tuple(int(v) for v in X[i]) for i in range(4) if (out[i] > 0.5) != (y[i, 0] > 0.5)]
    if wrong:
        raise CheckFailed(f"expected all four outputs on the right side of 0.5, got {np.round(out, 3)}; "
                          f"wrong for the inputs {wrong}")
    # A network that does not look at its input would fail on a shuffled copy of XOR.
    order = rng.permutation(4)
    while np.array_equal(y[order, 0], y[:, 0]):
        order = rng.permutation(4)
    Xs = X[order] + rng.normal(scale=1e-3, size=(4, 2))
    out2 = np.asarray(model.predict(Xs), dtype=float).reshape(-1)
    if out2.shape != (4,) or not np.all((out2 > 0.5) == (y[order, 0] > 0.5)):
        raise CheckFailed("expected the network to depend on its input, but its answers do not follow reordered inputs")


@question("11.4", points=2, title="Standardize with the training statistics",
          section="11-training.html#ch11-scaling",
          hint="mean = X_train.mean(axis=0), std = X_train.std(axis=0); apply (X − mean) / std to both.")
def _(answer, rng):
    for trial in range(3):
        n, d = int(rng.integers(5, 30)), int(rng.integers(1, 5))
        X_train = rng.normal(loc=rng.uniform(-100, 100, d), scale=rng.uniform(0.5, 20, d), size=(n, d))
        X_new = rng.normal(size=(int(rng.integers(1, 5)), d)) * 10
        got = answer(X_train, X_new)
        if not (isinstance(got, tuple) and len(got) == 2):
            raise CheckFailed(f"expected a pair (X_train_standardized, X_new_standardized), got {type(got).__name__}")
        mean, std = X_train.mean(axis=0), X_train.std(axis=0)
        for name, g, ref in (("X_train", got[0], (X_train - mean) / std), ("X_new", got[1], (X_new - mean) / std)):
            g = np.asarray(g, dtype=float)
            if g.shape != ref.shape or not close(g, ref, rtol=1e-7, atol=1e-10):
                raise CheckFailed(f"expected the standardized {name} of shape {ref.shape} (with the training "
                                  f"mean and standard deviation), got {np.round(g, 4)!r}")


@question("11.5", points=1, title="Parameters or hyperparameters?",
          section="11-training.html#ch11-hyperparameters",
          hint="A hyperparameter is chosen before training; training never changes it.")
def _(answer, rng):
    choice(answer, "11.5", "abcdef", "3c40de8d5867c28b193e38a0",
           "expected the hyperparameters among a–f, got {got!r}", several=True)
