"""Ranking, duplicate pairs and groups: both engines against brute force."""

import numpy as np
import pytest

from sentsim import similarity, similarity_pure

ENGINES = [similarity, similarity_pure]


def unit_vectors(count, dims=16, seed=0):
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((count, dims))
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def matrix_of(vectors):
    return (vectors @ vectors.T).tolist()


def brute_rank(scores):
    return sorted(range(len(scores)), key=lambda k: (-scores[k], k))


def brute_pairs(matrix, threshold):
    pairs = [
        (i, j, matrix[i][j])
        for i in range(len(matrix))
        for j in range(len(matrix))
        if i < j and matrix[i][j] >= threshold
    ]
    return sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))


def brute_communities(matrix, threshold, min_size):
    """sentence-transformers' community_detection, written out plainly."""
    candidates = []
    for i, row in enumerate(matrix):
        by_score = sorted(range(len(row)), key=lambda k: (-row[k], k))
        if row[by_score[min_size - 1]] >= threshold:
            candidates.append((i, [k for k in by_score if row[k] >= threshold]))
    candidates.sort(key=lambda c: (-len(c[1]), c[0]))
    kept, taken = [], set()
    for _, members in candidates:
        fresh = [k for k in members if k not in taken]
        if len(fresh) >= min_size:
            kept.append(fresh)
            taken.update(fresh)
    return sorted(kept, key=len, reverse=True)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("seed", range(3))
def test_ranking_matches_brute_force(engine, seed):
    vectors = unit_vectors(30, seed=seed)
    scores = engine.cosine_to(vectors[0], vectors[1:])
    assert [k for k, _ in engine.rank(scores)] == brute_rank(list(scores))
    assert np.allclose(scores, vectors[1:] @ vectors[0])


@pytest.mark.parametrize("engine", ENGINES)
def test_ranking_keeps_input_order_for_ties(engine):
    ranked = engine.rank([0.5, 0.9, 0.5, 0.9])
    assert ranked == [(1, 0.9), (3, 0.9), (0, 0.5), (2, 0.5)]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("threshold", [-1.0, 0.0, 0.3])
def test_mined_pairs_match_brute_force(engine, threshold):
    matrix = matrix_of(unit_vectors(25, dims=4, seed=1))
    pairs, total = engine.mine(matrix, threshold, limit=10_000)
    expected = brute_pairs(matrix, threshold)
    assert [(i, j) for i, j, _ in pairs] == [(i, j) for i, j, _ in expected]
    assert np.allclose([s for *_, s in pairs], [s for *_, s in expected])
    assert total == len(expected)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_pair_exactly_at_the_threshold_counts(engine):
    matrix = [[1.0, 0.8, 0.2], [0.8, 1.0, 0.79999], [0.2, 0.79999, 1.0]]
    pairs, total = engine.mine(matrix, 0.8, limit=10)
    assert pairs == [(0, 1, 0.8)] and total == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_mining_returns_at_most_the_limit_but_counts_all(engine):
    matrix = matrix_of(unit_vectors(20, dims=3, seed=2))
    pairs, total = engine.mine(matrix, -1.0, limit=7)
    assert len(pairs) == 7 and total == 190
    assert pairs == engine.mine(matrix, -1.0, limit=1000)[0][:7]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("threshold, min_size", [(0.5, 2), (0.3, 3), (0.0, 5)])
def test_groups_match_community_detection_written_out(engine, threshold, min_size):
    matrix = matrix_of(unit_vectors(40, dims=4, seed=3))
    found = engine.communities(matrix, threshold, min_size)
    assert found == brute_communities(matrix, threshold, min_size)
    assert all(len(group) >= min_size for group in found)
    members = [k for group in found for k in group]
    assert len(members) == len(set(members))


@pytest.mark.parametrize("engine", ENGINES)
def test_two_clear_topics_make_two_groups(engine):
    base = unit_vectors(2, dims=8, seed=4)
    rng = np.random.default_rng(5)
    noisy = np.vstack([base[k % 2] + 0.05 * rng.standard_normal(8) for k in range(8)])
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    groups = engine.communities(matrix_of(noisy), 0.9, 2)
    assert sorted(sorted(g) for g in groups) == [[0, 2, 4, 6], [1, 3, 5, 7]]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_group_needs_min_size_members_at_the_threshold(engine):
    matrix = [[1.0, 0.75, 0.1], [0.75, 1.0, 0.1], [0.1, 0.1, 1.0]]
    assert engine.communities(matrix, 0.75, 2) == [[0, 1]]
    assert engine.communities(matrix, 0.7500001, 2) == []
    assert engine.communities(matrix, 0.75, 3) == []


def test_both_engines_give_the_same_lists():
    vectors = unit_vectors(50, dims=8, seed=6)
    fast, plain = (
        similarity.cosine_matrix(vectors),
        similarity_pure.cosine_matrix(vectors),
    )
    assert np.allclose(fast, plain, atol=1e-12)
    fast_pairs, plain_pairs = (
        similarity.mine(fast, 0.2, 500),
        similarity_pure.mine(plain, 0.2, 500),
    )
    assert [p[:2] for p in fast_pairs[0]] == [p[:2] for p in plain_pairs[0]]
    assert np.allclose([p[2] for p in fast_pairs[0]], [p[2] for p in plain_pairs[0]])
    assert fast_pairs[1] == plain_pairs[1]
    assert similarity.communities(fast, 0.3, 2) == similarity_pure.communities(
        plain, 0.3, 2
    )
