"""Cosine similarity with numpy, on the whole embedding matrix at once.

Ranking, mining duplicate pairs and finding groups follow sentence-
transformers' util.semantic_search, paraphrase_mining and community_detection:
a score at the threshold counts as above it, and ties keep the input order.
"""

import numpy as np

from .groups import keep_disjoint

NAME = f"numpy {np.__version__}"
# Rows shorter than this count as zero vectors and score 0 against anything,
# as torch.nn.functional.normalize (used by sentence-transformers) does.
EPS = 1e-12


def from_flat(values, shape):
    """Rows of a row-major float32 buffer (the data of a Transformers.js tensor)."""
    return np.frombuffer(values, dtype=np.float32).reshape(shape).astype(np.float64)


def stack(parts):
    """One matrix from several blocks of rows."""
    return np.vstack(parts)


def take(matrix, rows):
    """The given rows of a matrix, in that order."""
    return np.asarray(matrix)[rows]


def normalize(matrix):
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError(
            f"expected a matrix of embeddings, got {matrix.ndim} dimensions"
        )
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, EPS)


def cosine_matrix(matrix):
    """All pairwise cosine similarities (n x n)."""
    unit = normalize(matrix)
    return np.clip(unit @ unit.T, -1.0, 1.0)


def cosine_to(query, matrix):
    """Cosine similarity of one vector to each row of a matrix."""
    unit = normalize(matrix)
    return np.clip(unit @ normalize([query])[0], -1.0, 1.0)


def rank(scores):
    """(index, score) from the highest score down."""
    scores = np.asarray(scores)
    order = np.argsort(-scores, kind="stable")
    return [(int(k), float(scores[k])) for k in order]


def mine(matrix, threshold, limit):
    """Pairs i < j scoring at least `threshold`, highest first: (pairs, how many).

    At most `limit` pairs are returned; None returns them all.
    """
    matrix = np.asarray(matrix)
    first, second = np.triu_indices(len(matrix), k=1)
    scores = matrix[first, second]
    above = np.flatnonzero(scores >= threshold)
    order = above[np.lexsort((second[above], first[above], -scores[above]))][:limit]
    pairs = [(int(first[k]), int(second[k]), float(scores[k])) for k in order]
    return pairs, len(above)


def communities(matrix, threshold, min_size):
    """Groups of at least `min_size` texts all close to the group's first text."""
    matrix = np.asarray(matrix)
    close = matrix >= threshold
    found = []
    for row in np.flatnonzero(close.sum(axis=1) >= min_size):
        members = np.flatnonzero(close[row])
        order = np.argsort(-matrix[row, members], kind="stable")
        found.append(members[order].tolist())
    return keep_disjoint(found, min_size)
