"""The numpy engine and its plain-Python fallback agree, and both are right."""

import math
import random

import numpy as np
import pytest

from sentsim import similarity, similarity_pure

ENGINES = [similarity, similarity_pure]


def random_matrix(rows, cols, seed):
    rng = random.Random(seed)
    return [[rng.gauss(0, 1) for _ in range(cols)] for _ in range(rows)]


@pytest.mark.parametrize("seed", range(5))
def test_numpy_and_plain_python_give_the_same_matrix(seed):
    matrix = random_matrix(7, 384, seed)
    fast = similarity.cosine_matrix(matrix)
    plain = similarity_pure.cosine_matrix(matrix)
    assert np.allclose(fast, plain, rtol=0, atol=1e-12)


@pytest.mark.parametrize("engine", ENGINES)
def test_cosine_matches_its_definition(engine):
    a, b = random_matrix(2, 16, seed=1)
    expected = sum(x * y for x, y in zip(a, b, strict=True)) / (
        math.dist(a, [0] * 16) * math.dist(b, [0] * 16)
    )
    assert engine.cosine_matrix([a, b])[0][1] == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("engine", ENGINES)
def test_same_opposite_and_orthogonal_vectors(engine):
    matrix = engine.cosine_matrix([[1.0, 2.0], [2.0, 4.0], [-1.0, -2.0], [2.0, -1.0]])
    assert matrix[0][1] == pytest.approx(1.0)
    assert matrix[0][2] == pytest.approx(-1.0)
    assert matrix[0][3] == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("engine", ENGINES)
def test_matrix_is_symmetric_with_ones_on_the_diagonal(engine):
    matrix = np.array(engine.cosine_matrix(random_matrix(5, 8, seed=3)))
    assert matrix.shape == (5, 5)
    assert np.allclose(matrix, matrix.T)
    assert np.allclose(np.diag(matrix), 1.0)


@pytest.mark.parametrize("engine", ENGINES)
def test_zero_vector_scores_zero_not_nan(engine):
    matrix = engine.cosine_matrix([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    assert matrix[0][1] == 0.0
    assert matrix[0][0] == 0.0


@pytest.mark.parametrize("engine", ENGINES)
def test_scores_never_leave_minus_one_to_one(engine):
    # Identical unit rows can round to 1 + 1e-16; scores are clipped.
    row = [1 / math.sqrt(3)] * 3
    matrix = engine.cosine_matrix([row, row])
    assert all(-1.0 <= value <= 1.0 for line in matrix for value in line)


def hidden_states(texts, tokens, dims, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((texts, tokens, dims)).astype(np.float32)


def brute_force_mean(states, mask):
    rows = []
    for text, keep in zip(states, mask, strict=True):
        kept = [vector for vector, flag in zip(text, keep, strict=True) if flag]
        rows.append([sum(column) / len(kept) for column in zip(*kept, strict=True)])
    return rows


@pytest.mark.parametrize("engine", ENGINES)
def test_mean_pool_averages_only_unmasked_tokens(engine):
    states = hidden_states(3, 5, 4, seed=0)
    mask = [[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [1, 0, 0, 0, 0]]
    pooled = engine.mean_pool(states.tobytes(), states.shape, sum(mask, []))
    assert np.allclose(pooled, brute_force_mean(states, mask), atol=1e-6)


@pytest.mark.parametrize("engine", ENGINES)
def test_padding_values_do_not_change_the_embedding(engine):
    states = hidden_states(1, 4, 8, seed=1)
    mask = [1, 1, 0, 0]
    changed = states.copy()
    changed[0, 2:] = 1e6
    first = engine.mean_pool(states.tobytes(), states.shape, mask)
    second = engine.mean_pool(changed.tobytes(), changed.shape, mask)
    assert np.array_equal(first, second)


def test_numpy_and_plain_python_pool_alike():
    states = hidden_states(4, 7, 384, seed=2)
    mask = [1] * 7 + [1] * 3 + [0] * 4 + [1] * 1 + [0] * 6 + [1] * 5 + [0] * 2
    fast = similarity.mean_pool(memoryview(states).cast("B"), states.shape, mask)
    plain = similarity_pure.mean_pool(states.tobytes(), states.shape, mask)
    assert np.allclose(fast, plain, rtol=0, atol=1e-9)


def test_plain_python_rejects_ragged_rows():
    with pytest.raises(ValueError, match="different lengths"):
        similarity_pure.cosine_matrix([[1.0, 2.0], [1.0]])


def test_engines_say_which_they_are():
    assert similarity.NAME == f"numpy {np.__version__}"
    assert similarity_pure.NAME == "Python, numpy unavailable"
