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


@pytest.mark.parametrize("engine", ENGINES)
def test_from_flat_reads_row_major_float32(engine):
    flat = np.arange(6, dtype=np.float32)
    for buffer in (flat.tobytes(), memoryview(flat)):
        rows = engine.from_flat(buffer, (2, 3))
        assert np.array_equal(np.asarray(rows), [[0, 1, 2], [3, 4, 5]])


@pytest.mark.parametrize("engine", ENGINES)
def test_from_flat_rejects_a_wrong_shape(engine):
    with pytest.raises(ValueError):
        engine.from_flat(np.zeros(3, dtype=np.float32).tobytes(), (2, 2))


def test_plain_python_rejects_ragged_rows():
    with pytest.raises(ValueError, match="different lengths"):
        similarity_pure.cosine_matrix([[1.0, 2.0], [1.0]])


def test_engines_say_which_they_are():
    assert similarity.NAME == f"numpy {np.__version__}"
    assert similarity_pure.NAME == "Python, numpy unavailable"
