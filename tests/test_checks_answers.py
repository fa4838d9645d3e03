"""The shared answer readers and helpers of ``nnbook.checks._answers``, and the properties every
chapter's checks share: multiple-choice answers are not in the source, instant checks draw
fresh cases, the grader's cases are fixed by its seed."""

from __future__ import annotations

import ast
import inspect
import numbers

import numpy as np
import pytest

from nnbook import grading
from nnbook.checks import _answers, _core, check, get_question, load_all, questions, run_checker
from nnbook.checks._answers import CheckFailed, Parts, as_array, as_scalar, choice, close, is_number, values

load_all()


def test_as_array_reads_every_array_like():
    ref = np.array([[1.0, 2.0], [3.0, 4.0]])
    with pytest.warns(PendingDeprecationWarning):
        matrix = np.matrix(ref)
    for value in (ref, ref.tolist(), tuple(map(tuple, ref.tolist())), matrix, ref.astype(np.float32),
                  ref.astype(int)):
        got = as_array(value, (2, 2), "W")
        assert type(got) is np.ndarray and np.array_equal(got, ref)
        assert got.dtype == (np.float32 if value is not ref and getattr(value, "dtype", None) == np.float32 else float)
    assert as_array(np.array(3.0), (), "z").shape == ()
    assert as_scalar(np.array(2.5), "z", exact=True) == 2.5 and as_scalar([2.5], "z") == 2.5


@pytest.mark.parametrize("shape, want", [((4, 1), (4,)), ((1, 4), (4,)), ((4,), (4, 1))])
def test_a_column_for_a_vector_is_named_as_such(shape, want):
    with pytest.raises(CheckFailed) as info:
        as_array(np.zeros(shape), want, "z")
    assert f"got shape {shape}; return a {len(want)}-D array of shape {want}" in str(info.value)


def test_bad_answers_say_what_came():
    with pytest.raises(CheckFailed, match="got the bool True"):
        as_scalar(True, "the loss")
    with pytest.raises(CheckFailed, match="as one number, got an array of shape"):
        as_scalar([1.0, 2.0], "the loss")
    with pytest.raises(CheckFailed, match="got str 'abc'"):
        as_array("abc", (2,), "z")
    with pytest.raises(CheckFailed, match="expected f to return a pair, got float"):
        values(3.0, 2, "f")
    with pytest.raises(CheckFailed, match="to return 3 values, got tuple of length 2"):
        values((1, 2), 3, "f")
    assert values([1, 2], 2, "f") == (1, 2)


def test_is_number():
    assert is_number(3) and is_number(np.float32(1.5)) and is_number(np.int64(2), numbers.Integral)
    assert not is_number(True) and not is_number(np.bool_(False)) and not is_number("3")
    assert not is_number(2.0, numbers.Integral)


def test_close_judges_a_float32_answer_at_float32_precision(rng):
    X, W = rng.normal(size=(50, 30)), rng.normal(size=(20, 30))
    ref = X @ W.T
    in_float32 = X.astype(np.float32) @ W.T.astype(np.float32)
    assert not np.allclose(in_float32, ref, rtol=1e-10, atol=1e-12)  # a float64 tolerance refuses it
    assert close(in_float32, ref, rtol=1e-10, atol=1e-12)
    assert close(as_array(in_float32, ref.shape, "Z"), ref, rtol=1e-10, atol=1e-12)  # read, it stays float32
    assert close(in_float32.astype(float), ref, rtol=1e-10, atol=1e-12, like=(in_float32,))
    assert not close(in_float32.astype(float), ref, rtol=1e-10, atol=1e-12)  # float64: the check's own tolerance
    assert not close(ref + 1e-6, ref, rtol=1e-10, atol=1e-12)
    assert type(as_scalar(np.float32(0.5), "loss")) is np.float32 and type(as_scalar(0.5, "loss")) is float
    for wrong in (ref * 1.001, ref.T, ref[:, :-1]):
        assert not close(wrong.astype(np.float32), ref, rtol=1e-10, atol=1e-12)
    assert "expected" in _answers.difference(ref + 1e-3, ref)


def test_parts_give_partial_credit():
    q = get_question("10.1")

    def db_wrong(dZ, X, W):
        return dZ @ W, dZ.T @ X, dZ.sum(axis=0) * 2

    result = run_checker(q, db_wrong, np.random.default_rng(0))
    assert (result.status, result.points, result.max_points) == ("failed", 2, 3)
    assert "db" in result.message
    text, page = result.text(), result.html()
    assert text.startswith("PARTLY RIGHT  10.1 ") and "(2 of 3 points)" in text
    assert "PARTLY RIGHT" in page and "(2 of 3 points)" in page
    assert "FAIL" not in text and "FAIL" not in page and "2/3" not in text + page
    parts = Parts({"a": 1, "b": 2})
    with parts.part("a"):
        raise CheckFailed("a is wrong")
    with pytest.raises(CheckFailed, match="a is wrong") as info:
        parts.finish()
    assert info.value.points == 2


def _multiple_choice():
    """(qid, the right letters): every question whose checker calls ``choice``, solved by trying."""
    import itertools

    found = []
    for qid in questions():
        q = get_question(qid)
        if "choice(" not in inspect.getsource(q.checker):
            continue
        letters = "abcdef"
        for k in range(1, 5):
            for combo in itertools.combinations(letters, k):
                if run_checker(q, lambda c="".join(combo): c, np.random.default_rng(0)).status == "passed":
                    found.append((qid, "".join(combo)))
                    break
            else:
                continue
            break
    return found


def test_multiple_choice_answers_are_not_in_the_source():
    found = _multiple_choice()
    assert len(found) == 9, found
    for qid, right in found:
        # The checker's own source: a one-letter answer may well occur elsewhere in the module
        # (a parameter name, say) without saying anything about the question.
        source = inspect.getsource(get_question(qid).checker)
        constants = {n.value.strip().lower() for n in ast.walk(ast.parse(source))
                     if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        assert right not in constants, (qid, right)
        assert _answers.digest(qid, right) in source


def test_one_multiple_choice_reader():
    with pytest.raises(CheckFailed, match="one of the letters 'a', 'b' \\(one letter\\), got 'ab'"):
        choice(lambda: "ab", "99.9", "ab", _answers.digest("99.9", "a"), "no")
    with pytest.raises(CheckFailed, match="^b is not it$"):
        choice(lambda: " B ", "99.9", "ab", _answers.digest("99.9", "a"), "{got} is not it")
    choice(lambda: "a", "99.9", "ab", _answers.digest("99.9", "a"), "no")
    choice(lambda: "c, a", "99.9", "abc", _answers.digest("99.9", "ac"), "no", several=True)


def test_instant_checks_draw_fresh_cases_and_the_grader_fixed_ones():
    seen = []

    def spy(W, b, X):
        seen.append(X.shape + (float(X.ravel()[0]),))
        return X @ W.T + b

    for _ in range(2):
        check("03.2", spy, quiet=True)
    first, second = seen[: len(seen) // 2], seen[len(seen) // 2:]
    assert first != second
    seen.clear()
    for _ in range(2):
        run_checker(get_question("03.2"), spy, grading.question_rng(0, "03.2"))
    assert seen[: len(seen) // 2] == seen[len(seen) // 2:]
    _core.reset()
