"""Training-speed benchmark: nnbook against scikit-learn, a hand-vectorized NumPy loop,
the matrix-product floor, and the seeds' one-sample-at-a-time style.

Every implementation trains the same network (n_in → hidden ReLU → 10 softmax, SGD without
momentum or weight decay) on the same data with the same batch size and epochs, in this one
process; the table reports medians of repeated runs (CPU time of this process) and ratios
measured in the same run.

    python benchmarks/run.py            # full run, writes benchmarks/results.md
    python benchmarks/run.py --quick    # fewer repeats, for a smoke test
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from dataclasses import dataclass

import numpy as np

import nnbook as nb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _measured import measured_on  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# The CPU time of this process: on a shared machine, what other processes run does not count
# (BLAS runs one thread, so CPU time is the work done). Ratios are still taken within one run.
clock = time.process_time
END = "<!-- end of the section that benchmarks/run.py writes -->"


@dataclass
class Problem:
    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    hidden: int
    lr: float
    batch_size: int
    epochs: int


def digits_problem() -> Problem:
    X_train, X_test, y_train, y_test = nb.datasets.digits(test_size=0.25, rng=0)
    return Problem("digits 64→128→10", X_train, y_train, X_test, y_test, 128, 0.1, 32, 30)


def large_problem(n: int = 10_000) -> Problem:
    """784 → 256 → 10 on seeded synthetic data: 10 Gaussian class centres in 784 dimensions."""
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(10, 784))
    y = rng.integers(0, 10, size=n + 2_000)
    X = centres[y] + 3.0 * rng.normal(size=(len(y), 784))
    X /= np.abs(X).max()
    return Problem("synthetic 784→256→10", X[:n], y[:n], X[n:], y[n:], 256, 0.1, 128, 5)


def init_weights(p: Problem, seed: int):
    """The same He-initialized weights for every implementation (W of shape (n_out, n_in))."""
    model = nb.MLP([p.X_train.shape[1], p.hidden, 10], activation="relu", output_activation="identity",
                   init="he", rng=seed)
    return [(model.params[f"W{l}"].copy(), model.params[f"b{l}"].copy()) for l in (1, 2)]


# --- 1. nnbook ---------------------------------------------------------------------------

def run_nnbook(p: Problem, seed: int):
    model = nb.MLP([p.X_train.shape[1], p.hidden, 10], activation="relu", output_activation="identity",
                   init="he", rng=seed)
    t = clock()
    model.fit(p.X_train, p.y_train, loss=nb.SoftmaxCrossEntropyLoss(), optimizer=nb.SGD(p.lr),
              epochs=p.epochs, batch_size=p.batch_size, rng=seed, progress=False)
    elapsed = clock() - t
    return elapsed, float(np.mean(model.predict_classes(p.X_test) == p.y_test))


# --- 2. scikit-learn ---------------------------------------------------------------------

def run_sklearn(p: Problem, seed: int):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(hidden_layer_sizes=(p.hidden,), activation="relu", solver="sgd",
                        learning_rate_init=p.lr, momentum=0.0, nesterovs_momentum=False, alpha=0.0,
                        batch_size=p.batch_size, max_iter=p.epochs, shuffle=True, early_stopping=False,
                        n_iter_no_change=p.epochs + 1, tol=0.0, random_state=seed)
    t = clock()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(p.X_train, p.y_train)
    elapsed = clock() - t
    return elapsed, float(clf.score(p.X_test, p.y_test))


# --- 3. hand-vectorized NumPy --------------------------------------------------------------

def run_hand(p: Problem, seed: int):
    (W1, b1), (W2, b2) = init_weights(p, seed)
    X, y, lr, bs = p.X_train, p.y_train, p.lr, p.batch_size
    n = len(X)
    rng = np.random.default_rng(seed)
    t = clock()
    for _ in range(p.epochs):
        order = rng.permutation(n)
        total = 0.0
        for start in range(0, n, bs):
            idx = order[start:start + bs]
            Xb, yb = X[idx], y[idx]
            m = len(idx)
            Z1 = Xb @ W1.T + b1
            A1 = np.maximum(Z1, 0.0)
            Z2 = A1 @ W2.T + b2
            Z2 -= Z2.max(axis=1, keepdims=True)
            E = np.exp(Z2)
            P = E / E.sum(axis=1, keepdims=True)
            rows = np.arange(m)
            total += -np.log(P[rows, yb]).sum()  # the training loss, as every loop reports it
            P[rows, yb] -= 1.0
            dZ2 = P / m
            dW2 = dZ2.T @ A1
            db2 = dZ2.sum(axis=0)
            dZ1 = (dZ2 @ W2) * (Z1 > 0)
            dW1 = dZ1.T @ Xb
            db1 = dZ1.sum(axis=0)
            W1 -= lr * dW1
            b1 -= lr * db1
            W2 -= lr * dW2
            b2 -= lr * db2
    elapsed = clock() - t
    pred = np.argmax(np.maximum(p.X_test @ W1.T + b1, 0) @ W2.T + b2, axis=1)
    return elapsed, float(np.mean(pred == p.y_test))


# --- 4. the floor: the five matrix products alone ----------------------------------------------

def run_floor(p: Problem, seed: int):
    (W1, _), (W2, _) = init_weights(p, seed)
    X, bs = p.X_train, p.batch_size
    n = len(X)
    dZ2 = np.full((bs, 10), 1e-3)
    t = clock()
    for _ in range(p.epochs):
        for start in range(0, n, bs):
            Xb = X[start:start + bs]
            m = len(Xb)
            Hb = Xb @ W1.T            # forward 1
            _ = Hb @ W2.T             # forward 2
            _ = dZ2[:m].T @ Hb        # backward: dW2
            dA = dZ2[:m] @ W2         # backward: dA1
            _ = dA.T @ Xb             # backward: dW1
    return clock() - t, float("nan")


# --- 5. the seeds' style: column vectors, one sample at a time (seed 000's class) -----------

class SeedStyleNetwork:
    """Seed 000's ``NeuralNetwork`` loop (column vectors, one sample per update), with a ReLU
    hidden layer and a softmax output so that it trains the same network."""

    def __init__(self, weights):
        self.weights = [W.copy() for W, _ in weights]
        self.biases = [b.reshape(-1, 1).copy() for _, b in weights]

    def train_sample(self, x, label, lr):
        z1 = np.dot(self.weights[0], x) + self.biases[0]
        a1 = np.maximum(z1, 0)
        z2 = np.dot(self.weights[1], a1) + self.biases[1]
        e = np.exp(z2 - z2.max())
        dz2 = e / e.sum()
        dz2[label] -= 1.0
        dW2 = np.dot(dz2, a1.T)
        dz1 = np.dot(self.weights[1].T, dz2) * (z1 > 0)
        dW1 = np.dot(dz1, x.T)
        self.weights[1] -= lr * dW2
        self.biases[1] -= lr * dz2
        self.weights[0] -= lr * dW1
        self.biases[0] -= lr * dz1

    def predict(self, X):
        return np.argmax(np.maximum(X @ self.weights[0].T + self.biases[0].T, 0) @ self.weights[1].T
                         + self.biases[1].T, axis=1)


def run_seed_style(p: Problem, seed: int, epochs: int):
    net = SeedStyleNetwork(init_weights(p, seed))
    data = p.X_train.reshape(len(p.X_train), -1, 1)
    lr = p.lr / p.batch_size  # one-sample updates: the same step per sample as the batch mean
    t = clock()
    for _ in range(epochs):
        for x, label in zip(data, p.y_train):
            net.train_sample(x, label, lr)
    return clock() - t, float(np.mean(net.predict(p.X_test) == p.y_test))


# --- measurement -----------------------------------------------------------------------

def training_memory(p: Problem):
    """Peak bytes allocated while ``fit`` runs (tracemalloc sees NumPy's buffers), for 1 and 3 epochs."""
    peaks = {}
    for epochs in (1, 3):
        model = nb.MLP([p.X_train.shape[1], p.hidden, 10], activation="relu", output_activation="identity",
                       init="he", rng=0)
        tracemalloc.start()
        tracemalloc.reset_peak()
        model.fit(p.X_train, p.y_train, loss=nb.SoftmaxCrossEntropyLoss(), optimizer=nb.SGD(p.lr),
                  epochs=epochs, batch_size=p.batch_size, rng=0, progress=False)
        peaks[epochs] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peaks


def digits_peak_rss_mb() -> float:
    """Peak resident memory of a fresh process that loads digits and trains nnbook on it.

    Read from VmHWM in /proc (the high-water mark of this process's own memory): getrusage's
    ru_maxrss would also count the benchmark process the child was forked from.
    """
    code = ("import nnbook as nb\n"
            "Xtr, Xte, ytr, yte = nb.datasets.digits(rng=0)\n"
            "m = nb.MLP([64, 128, 10], activation='relu', output_activation='identity', init='he', rng=0)\n"
            "m.fit(Xtr, ytr, loss=nb.SoftmaxCrossEntropyLoss(), optimizer=nb.SGD(0.1), epochs=30, batch_size=32,"
            " rng=0, progress=False)\n"
            "print([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def machine(threads: int) -> list[tuple[str, object]]:
    """The machine and the software the run measured, as rows of benchmarks/_measured.py's table."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    blas = "unknown"
    try:
        from threadpoolctl import threadpool_info

        info = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        if info:  # NumPy and SciPy each load their own copy
            blas = ", ".join(sorted({f"{i.get('internal_api')} {i.get('version')} ({i.get('prefix')})" for i in info}))
    except Exception:
        pass
    import sklearn

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())  # other processes' share of the cores
    return [("CPU", cpu), ("cores", os.cpu_count()), ("load average over 1, 5 and 15 minutes, at the start", load),
            ("Python", platform.python_version()), ("NumPy", np.__version__), ("BLAS", blas),
            ("BLAS threads, for every implementation", threads), ("scikit-learn", sklearn.__version__),
            ("nnbook", nb.__version__)]


def section(setup, lines, summary, memory, quick: bool = False) -> str:
    """The section of results.md this script writes: fixed sentences, the figures in tables
    (``setup``: rows of :func:`machine`; ``lines``: the first table's rows; ``summary``: (problem,
    ratios..., accuracy gap); ``memory``: MB for fit's peak over 1 and 3 epochs, the training
    data, and a training process's peak resident memory)."""
    peak_1, peak_3, data, rss = memory
    out = [
        "<!-- written by benchmarks/run.py down to the end marker; do not edit by hand -->",
        "Times are this process's CPU time. The run was measured on:",
        "",
        measured_on(setup),
        "",
        *(["Quick mode: 2 runs per implementation and 2,000 samples for the larger shape.", ""] if quick else []),
        "| problem | implementation | median time (s) | vs nnbook | test accuracy |",
        "|---|---|---:|---:|---:|",
        *lines,
        "",
        "| problem | nnbook / scikit-learn | nnbook / hand-vectorized | nnbook / matrix-product floor | accuracy nnbook − scikit-learn (points) |",
        "|---|---:|---:|---:|---:|",
        *[f"| {n} | {a:.2f} | {b:.2f} | {c:.2f} | {d:+.2f} |" for n, a, b, c, d in summary],
        "",
        "Memory on the digits: what `fit` allocates at its peak, for 1 and for 3 epochs (it does not copy "
        "the training data per epoch), the training data's own size, and the peak resident memory of a "
        "whole training process.",
        "",
        "| memory (digits) | MB |",
        "|---|---:|",
        f"| peak allocation during `fit`, 1 epoch | {peak_1:.2f} |",
        f"| peak allocation during `fit`, 3 epochs | {peak_3:.2f} |",
        f"| the training data | {data:.2f} |",
        f"| peak resident memory of a whole digits training process | {rss:.0f} |",
    ]
    return "\n".join(out) + "\n\n" + END + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--quick", action="store_true", help="2 repeats and fewer samples (smoke test)")
    ap.add_argument("--out", default=os.path.join(HERE, "results.md"))
    ap.add_argument("--threads", type=int, default=1,
                    help="BLAS threads for every implementation (default 1: steadier timings on a shared machine)")
    args = ap.parse_args(argv)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(args.threads):
        _run(args)


def _run(args):
    repeats = 2 if args.quick else max(5, args.repeats)
    problems = [digits_problem(), large_problem(2_000 if args.quick else 10_000)]

    lines = []
    summary = []
    for p in problems:
        print(f"\n{p.name}: {len(p.X_train)} training samples, batch {p.batch_size}, {p.epochs} epochs, "
              f"median of {repeats} runs", flush=True)
        impls = [("nnbook", run_nnbook), ("scikit-learn MLPClassifier", run_sklearn),
                 ("hand-vectorized NumPy", run_hand), ("floor: 5 matrix products", run_floor)]
        for _, fn in impls:
            fn(p, seed=99)  # warm-up
        # Interleaved: run r of every implementation back to back, so a change in the machine's
        # load touches all of them alike and the ratios stay fair.
        runs = {label: [] for label, _ in impls}
        for r in range(repeats):
            for label, fn in impls:
                runs[label].append(fn(p, seed=r))
        results = {}
        for label, _ in impls:
            times = [t for t, _ in runs[label]]
            results[label] = (statistics.median(times), statistics.median(a for _, a in runs[label]), times)
            print(f"  {label:<28} {results[label][0]:8.3f} s   acc {results[label][1]:.4f}", flush=True)
        seed_epochs = p.epochs if p.X_train.shape[1] <= 64 else 1
        seed_runs = [run_seed_style(p, r, seed_epochs) for r in range(3)]
        seed_time = statistics.median(t for t, _ in seed_runs) * p.epochs / seed_epochs
        seed_acc = statistics.median(a for _, a in seed_runs)
        note = "" if seed_epochs == p.epochs else f" (1 epoch timed, ×{p.epochs})"
        results["seeds' style: one sample at a time" + note] = (seed_time, seed_acc if seed_epochs == p.epochs else float("nan"), [])
        print(f"  seeds' style{note:<16} {seed_time:8.3f} s", flush=True)

        t_nn = results["nnbook"][0]
        for label, (t, acc, _) in results.items():
            acc_s = "—" if np.isnan(acc) else f"{acc:.4f}"
            lines.append(f"| {p.name} | {label} | {t:.3f} | {t / t_nn:.2f}× | {acc_s} |")
        ratio_sk = t_nn / results["scikit-learn MLPClassifier"][0]
        ratio_hand = t_nn / results["hand-vectorized NumPy"][0]
        ratio_floor = t_nn / results["floor: 5 matrix products"][0]
        acc_gap = 100 * (results["nnbook"][1] - results["scikit-learn MLPClassifier"][1])
        summary.append((p.name, ratio_sk, ratio_hand, ratio_floor, acc_gap))

    peaks = training_memory(problems[0])
    rss = digits_peak_rss_mb()
    x_bytes = problems[0].X_train.nbytes
    memory = (peaks[1] / 1e6, peaks[3] / 1e6, x_bytes / 1e6, rss)
    text = section(machine(args.threads), lines, summary, memory, quick=args.quick)
    try:  # what follows this section in the file (other benchmarks' results, under ## headings) is kept
        with open(args.out) as fh:
            old = fh.read()
    except FileNotFoundError:
        old = ""
    kept = old.partition(END + "\n")[2] if END in old else old[old.index("\n## ") + 1:] if "\n## " in old else ""
    with open(args.out, "w") as fh:
        fh.write(text + kept)
    print("\n" + text)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
