"""fit copies no training data per epoch beyond the batch in use (measured with tracemalloc)."""

import tracemalloc

import numpy as np

import nnbook as nb


def _peak_during_fit(X, y, epochs):
    model = nb.MLP([X.shape[1], 16, 3], activation="relu", output_activation="identity", rng=0)
    tracemalloc.start()
    tracemalloc.reset_peak()
    model.fit(X, y, loss=nb.SoftmaxCrossEntropyLoss(), optimizer=nb.SGD(0.05), epochs=epochs,
              batch_size=32, rng=0, progress=False)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_fit_does_not_copy_the_data_per_epoch():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5000, 100))  # 4 MB
    y = rng.integers(0, 3, size=5000)
    one, four = _peak_during_fit(X, y, 1), _peak_during_fit(X, y, 4)
    assert one < X.nbytes / 2, f"peak {one} bytes: looks like a copy of X ({X.nbytes} bytes)"
    assert four < one * 1.2 + 50_000, f"peak grew from {one} to {four} bytes with more epochs"
