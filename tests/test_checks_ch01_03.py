"""Checks of chapters 1–3: each passes the reference solution and fails wrong or hard-coded answers."""

import numpy as np
import pytest

import nnbook as nb
from nnbook.checks import check, get_question, questions

SEEDS = [0, 1, 2, 12345]


# --- reference solutions (written independently of the notebooks) -------------------------

def ref_neuron(w, b, x):
    return float(nb.sigmoid(np.dot(w, x) + b))


def ref_perceptron(w, b, x):
    return 1 if np.dot(w, x) + b > 0 else 0


def ref_vector_add(a, b):
    if len(a) != len(b):
        raise ValueError("lengths differ")
    return [ai + bi for ai, bi in zip(a, b)]


def ref_dot(a, b):
    if len(a) != len(b):
        raise ValueError("lengths differ")
    return sum(ai * bi for ai, bi in zip(a, b))


def ref_angle(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return np.degrees(np.arccos(np.clip(a @ b / np.linalg.norm(a) / np.linalg.norm(b), -1, 1)))


def ref_matvec(W, x):
    if W.shape[1] != len(x):
        raise ValueError("wrong length")
    return np.array([sum(W[i, j] * x[j] for j in range(W.shape[1])) for i in range(W.shape[0])])


W004 = np.array([[1, 2], [2, 3], [1, 1], [3, 1]], dtype=float)

REFERENCE = {
    "01.1": lambda: ref_neuron([0, 1], 4, [2, 3]),
    "01.2": ref_neuron,
    "01.3": ref_perceptron,
    "01.4": lambda: "b",
    "01.5": lambda: ([2.0, 3.0], -1.0),
    # ([1, 1], 0) is right too: (0, 0) gives z = 0, which does not fire
    "02.1": ref_vector_add,
    "02.2": ref_dot,
    "02.3": ref_angle,
    "02.4": lambda: "c",
    "02.5": lambda: ref_dot([1, 2, 3], [4, 5, 8]),
    "03.1": ref_matvec,
    "03.2": lambda W, b, X: X @ W.T + b,
    "03.3": lambda: W004 @ np.array([2.0, 3.0]) + 0.2,
    "03.4": lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1 + b2),
    "03.5": lambda: (10, 4),
}


def test_every_question_has_a_reference_here():
    assert sorted(REFERENCE) == questions("01") + questions("02") + questions("03")


@pytest.mark.parametrize("qid", sorted(REFERENCE))
@pytest.mark.parametrize("seed", SEEDS)
def test_reference_passes(qid, seed, verdict):
    assert verdict.status(qid, REFERENCE[qid], seed) == "passed", verdict.message(qid, REFERENCE[qid], seed)


@pytest.mark.parametrize("qid", sorted(REFERENCE))
def test_stub_is_not_attempted(qid, monkeypatch, verdict):
    monkeypatch.delenv("NNBOOK_STRICT", raising=False)

    def stub(*args):
        raise NotImplementedError

    assert verdict.status(qid, stub) == "not attempted"
    monkeypatch.setenv("NNBOOK_STRICT", "1")
    assert verdict.status(qid, stub) == "failed"


# --- wrong answers ---------------------------------------------------------------------------

WRONG = {
    "01.1": [lambda: 0.999, lambda: 7.0, lambda: ref_neuron([0, 1], 0, [2, 3])],
    "01.2": [
        lambda w, b, x: ref_neuron([0, 1], 4, [2, 3]),           # hard-coded worked example
        lambda w, b, x: float(np.dot(w, x) + b),                  # no activation
        lambda w, b, x: ref_neuron(w, 0.0, x),                    # forgets the bias
        lambda w, b, x: ref_neuron(w, -b, x),                     # subtracts the bias
    ],
    "01.3": [
        lambda w, b, x: 1,
        lambda w, b, x: 1 if np.dot(w, x) + b >= 0 else 0,        # fires at z = 0
        lambda w, b, x: ref_neuron(w, b, x),                      # sigmoid, not a step
    ],
    "01.4": [lambda: "a", lambda: "c", lambda: "d", lambda: "x", lambda: 2],
    "01.5": [lambda: ([1.0, 1.0], -1.5), lambda: ([1.0, 1.0], 0.5), lambda: (1.0, 1.0), lambda: ([1, 1, 1], 0)],
    "02.1": [
        lambda a, b: [5.0, 7.0, 11.0],
        lambda a, b: [ai - bi for ai, bi in zip(a, b)],
        lambda a, b: [ai + bi for ai, bi in zip(a, b)],           # silently truncates unequal lengths
    ],
    "02.2": [
        lambda a, b: 38.0,
        lambda a, b: sum(a) * sum(b),
        lambda a, b: sum(ai * bi for ai, bi in zip(a, b)),        # silently truncates unequal lengths
    ],
    "02.3": [
        lambda a, b: np.arccos(np.dot(a, b) / np.linalg.norm(a) / np.linalg.norm(b)),   # radians
        lambda a, b: np.degrees(np.arccos(np.clip(np.dot(a, b), -1, 1))),              # not normalized
        lambda a, b: 90.0,
    ],
    "02.4": [lambda: "a", lambda: "b", lambda: None],
    "02.5": [lambda: 32, lambda: 38.5, lambda: [38, 0]],
    "03.1": [
        lambda W, x: np.array([8.0, 13.0, 5.0, 9.0]),
        lambda W, x: x @ W if W.shape[0] == len(x) else W @ x,    # never raises for bad shapes
        lambda W, x: W.sum(axis=1) * x.sum(),
        lambda W, x: ref_matvec(W, x) + 0.2,
    ],
    "03.2": [
        lambda W, b, X: X @ W.T,                                  # forgets b
        lambda W, b, X: (W @ X.T + b[:, None]),                   # seed 001's columns: transposed
        lambda W, b, X: X @ W.T + b.sum(),
    ],
    "03.3": [
        lambda: [8.2, 13.2, 5.2],
        lambda: [8.0, 13.0, 5.0, 9.0],
        lambda: [8.2, 13.2, 5.2, 9.3],
        lambda: np.array([2.0, 3.0]) @ W004[:2] + 0.2,
    ],
    "03.4": [
        lambda W1, b1, W2, b2: (W1 @ W2 if W1.shape[1] == W2.shape[0] else W2 @ W1, b2),
        lambda W1, b1, W2, b2: (W2 @ W1, b1.sum() + b2),
        lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1),
        lambda W1, b1, W2, b2: W2 @ W1,
    ],
    "03.5": [lambda: (4, 10), lambda: (10, 2), lambda: "10x4", lambda: (2, 4)],
}


@pytest.mark.parametrize("qid, k", [(q, k) for q, answers in WRONG.items() for k in range(len(answers))])
def test_wrong_answer_fails(qid, k, verdict):
    answer = WRONG[qid][k]
    assert all(verdict.status(qid, answer, seed) == "failed" for seed in SEEDS), f"{qid} wrong answer #{k} passed"


def test_failure_messages_say_what_was_expected(verdict):
    msg = verdict.message("01.1", lambda: 0.999)
    assert "expected" in msg and "0.999" in msg
    msg = verdict.message("02.2", lambda a, b: sum(ai * bi for ai, bi in zip(a, b)))
    assert "ValueError" in msg
    msg = verdict.message("03.2", lambda W, b, X: X @ W.T)
    assert "largest difference" in msg
    msg = verdict.message("03.5", lambda: (4, 10))
    assert "(4, 10)" in msg


def test_learner_exception_is_reported_not_raised():
    def broken(a, b):
        return a[10 ** 6]

    result = check("02.2", broken, seed=0, quiet=True)
    assert result.status == "failed" and "IndexError" in result.message


def test_fresh_inputs_differ_between_seeds():
    seen = []
    def spy(W, b, X):
        seen.append(X.copy())
        return X @ W.T + b
    check("03.2", spy, seed=0, quiet=True)
    check("03.2", spy, seed=1, quiet=True)
    assert len(seen) == 12
    assert not any(a.shape == b.shape and np.allclose(a, b) for a, b in zip(seen[:6], seen[6:]))


def test_any_working_or_unit_passes(verdict):
    for w, b in (([1.0, 1.0], 0.0), ([0.5, 2.0], -0.25), ([3.0, 3.0], -1.0)):
        assert verdict.status("01.5", lambda w=w, b=b: (w, b)) == "passed"


@pytest.mark.parametrize("qid, no_error", [
    ("02.1", lambda a, b: [x + y for x, y in zip(a, b)]),
    ("02.2", lambda a, b: sum(x * y for x, y in zip(a, b))),
    ("03.1", lambda W, x: np.array([sum(W[i, j] * x[j] for j in range(min(W.shape[1], len(x))))
                                     for i in range(W.shape[0])])),
])
def test_a_missing_value_error_gets_its_own_hint_not_the_loop_hint(qid, no_error, verdict):
    result = verdict.result(qid, no_error)
    text, page = result.text(), result.html()
    assert result.status == "failed" and "returned normally instead of raising ValueError" in text
    assert get_question(qid).hint not in text and get_question(qid).hint not in page  # the loop is right
    assert "hint: before the loop" in text and "raise ValueError" in text.split("hint:")[1]


def test_03_3_does_not_depend_on_matvec():
    """03.3 is computed with @, so a wrong 03.1 does not carry over; its check never calls matvec."""
    import json
    from pathlib import Path

    nb_json = json.loads((Path(__file__).resolve().parent.parent / "solutions" / "03-matrices.ipynb").read_text())
    cell = next("".join(c["source"]) for c in nb_json["cells"] if "def answer_03_3" in "".join(c["source"]))
    assert "matvec" not in cell and "@" in cell


def test_03_1_says_honestly_that_values_are_compared():
    assert "cannot tell loops from @" in get_question("03.1").hint
