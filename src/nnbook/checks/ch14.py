"""Checks for chapter 14, the digits capstone."""

import os
import tempfile

import numpy as np

import nnbook as nb

from ._answers import close
from ._core import CheckFailed, question, read_answer_file, scratch_directory


def _labels_equal(got, ref, what: str):
    got = np.asarray(got)
    if got.shape != ref.shape:
        raise CheckFailed(f"expected {what} of shape {ref.shape}, got shape {got.shape}")
    if not np.issubdtype(got.dtype, np.integer):
        raise CheckFailed(f"expected integer class labels in {what}, got dtype {got.dtype}")
    if not np.array_equal(got, ref):
        bad = int(np.flatnonzero(got != ref)[0])
        raise CheckFailed(f"{what} differs at position {bad}: expected {ref[bad]}, got {got[bad]}")


@question("14.1", points=1, title="predict_classes from logits",
          section="14-digits.html#ch14-model",
          hint="The predicted class of a row is the index of its largest logit: np.argmax along the classes' axis.")
def _(answer, rng):
    for _ in range(5):
        n, k = int(rng.integers(1, 30)), int(rng.integers(2, 12))
        logits = rng.normal(0, 3, size=(n, k))
        _labels_equal(answer(logits.copy()), np.argmax(logits, axis=1), f"predict_classes of logits {logits.shape}")
    model = nb.MLP([int(rng.integers(2, 6)), 7, 10], output_activation="identity", rng=rng)
    X = rng.normal(size=(25, model.n_in))
    _labels_equal(answer(model.predict(X)), model.predict_classes(X), "predict_classes of a network's logits")


@question("14.2", points=1, title="accuracy",
          section="14-digits.html#ch14-training",
          hint="The fraction of positions where the two label arrays agree: np.mean(y == predicted).")
def _(answer, rng):
    for _ in range(6):
        n, k = int(rng.integers(1, 200)), int(rng.integers(2, 10))
        y_true = rng.integers(0, k, n)
        y_pred = np.where(rng.random(n) < rng.random(), y_true, rng.integers(0, k, n))
        got = answer(y_true.copy(), y_pred.copy())
        ref = float(np.mean(y_true == y_pred))
        try:
            got = float(got)
        except (TypeError, ValueError):
            raise CheckFailed(f"expected a number between 0 and 1, got {got!r}") from None
        if not close(got, ref, rtol=0, atol=1e-12):
            raise CheckFailed(f"expected accuracy {ref} for {n} labels ({int(ref * n)} equal), got {got}")


@question("14.3", points=2, title="confusion_matrix(y, predicted, k)",
          section="14-digits.html#ch14-errors",
          hint="Start from np.zeros((k, k), dtype=int) and add 1 at [true, predicted] for every example.")
def _(answer, rng):
    from sklearn.metrics import confusion_matrix as sk_confusion_matrix

    for _ in range(6):
        n, k = int(rng.integers(1, 150)), int(rng.integers(2, 11))
        y_true = rng.integers(0, k, n)
        y_pred = rng.integers(0, k, n)
        ref = sk_confusion_matrix(y_true, y_pred, labels=np.arange(k))
        got = np.asarray(answer(y_true.copy(), y_pred.copy(), k))
        if got.shape != ref.shape:
            raise CheckFailed(f"expected a ({k}, {k}) matrix for k = {k}, got shape {got.shape}")
        if not np.array_equal(got, ref):
            i, j = np.argwhere(got != ref)[0]
            raise CheckFailed(f"entry [{i}, {j}] (true class {i}, predicted {j}) should be {ref[i, j]}, got {got[i, j]}")
    # a class that never occurs still gets its row and column
    got = np.asarray(answer(np.array([0, 0]), np.array([0, 1]), 4))
    if got.shape != (4, 4):
        raise CheckFailed(f"expected a (4, 4) matrix when k = 4 even if classes 2 and 3 never occur, got shape {got.shape}")


@question("14.4", points=3, title="Train a digits classifier to 95 % test accuracy",
          section="14-digits.html#ch14-training",
          hint="An MLP [64, 128, 10] with ReLU, identity output and He initialisation, SoftmaxCrossEntropyLoss, "
               "SGD(0.1), batch_size=32, about 30 epochs.")
def _(answer, rng):
    X_train, X_test, y_train, y_test = nb.datasets.digits(test_size=0.25, rng=0)
    model = answer(X_train.copy(), y_train.copy())
    if not isinstance(model, nb.Layer) or not hasattr(model, "predict"):
        raise CheckFailed(f"expected the trained nnbook model (an MLP or Sequential), got {type(model).__name__}")
    out = np.asarray(model.predict(X_test))
    if out.shape != (len(y_test), 10):
        raise CheckFailed(f"expected the model to output 10 scores per image, shape {(len(y_test), 10)}, got {out.shape}")
    acc = float(np.mean(out.argmax(axis=1) == y_test))
    if acc < 0.95:
        raise CheckFailed(f"expected a test accuracy of at least 0.95, got {acc:.4f}")


@question("14.5", points=1, title="Save a model and load it back",
          section="14-digits.html#ch14-save-load",
          hint="nb.save(model, path), then return nb.load(path).")
def _(answer, rng):
    sizes = [int(rng.integers(2, 9)), int(rng.integers(2, 9)), int(rng.integers(2, 5))]
    model = nb.MLP(sizes, activation="relu", output_activation="identity", rng=rng)
    X = rng.normal(size=(6, sizes[0]))
    with scratch_directory() as tmp:
        path = os.path.join(tmp, "model.npz")
        loaded = answer(model, path)
        written = read_answer_file(path)  # a regular file only: never through a link, never a FIFO
    if loaded is model:
        raise CheckFailed("expected a new model loaded from the file, got the same object back")
    if not isinstance(loaded, nb.Layer):
        raise CheckFailed(f"expected the loaded nnbook model, got {type(loaded).__name__}")
    with tempfile.TemporaryDirectory(prefix="nnbook-check-") as own:  # the checker's copy, out of the answer's reach
        mine = os.path.join(own, "model.npz")
        with open(mine, "wb") as f:
            f.write(written)
        from_file = nb.load(mine)
    if not np.array_equal(from_file.predict(X), model.predict(X)):
        raise CheckFailed("the file does not hold the model's parameters: nb.load of it predicts differently")
    if not np.array_equal(np.asarray(loaded.predict(X)), model.predict(X)):
        raise CheckFailed("the returned model predicts differently from the saved one")
