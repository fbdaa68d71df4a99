"""Cosine similarity in plain Python, for a Pyodide without numpy.

Same functions and results as `similarity`, slower: used only when numpy
could not be shipped with the site.
"""

import math

from .groups import keep_disjoint

NAME = "Python, numpy unavailable"
EPS = 1e-12


def mean_pool(hidden, shape, mask):
    """Average each text's token vectors over its attention mask.

    `hidden` is the model's last_hidden_state as a flat float32 buffer of
    `shape` (texts, tokens, dimensions); `mask` is the flat int64 mask.
    """
    texts, tokens, dims = shape
    flat = memoryview(hidden).cast("B").cast("f")
    pooled = []
    for t in range(texts):
        total = [0.0] * dims
        kept = 0
        for k in range(tokens):
            if mask[t * tokens + k]:
                kept += 1
                start = (t * tokens + k) * dims
                for d, value in enumerate(flat[start : start + dims]):
                    total[d] += value
        pooled.append([value / max(kept, 1e-9) for value in total])
    return pooled


def stack(parts):
    """One matrix from several blocks of rows."""
    return [row for part in parts for row in part]


def normalize(matrix):
    rows = [list(map(float, row)) for row in matrix]
    if len({len(row) for row in rows}) > 1:
        raise ValueError(
            "expected a matrix of embeddings, got rows of different lengths"
        )
    return [
        [x / max(math.sqrt(math.fsum(x * x for x in row)), EPS) for x in row]
        for row in rows
    ]


def cosine(u, v):
    return min(1.0, max(-1.0, math.fsum(a * b for a, b in zip(u, v, strict=True))))


def cosine_matrix(matrix):
    """All pairwise cosine similarities, as a nested list (n x n)."""
    unit = normalize(matrix)
    return [[cosine(u, v) for v in unit] for u in unit]


def cosine_to(query, matrix):
    """Cosine similarity of one vector to each row of a matrix."""
    (unit_query,) = normalize([query])
    return [cosine(unit_query, row) for row in normalize(matrix)]


def rank(scores):
    """(index, score) from the highest score down."""
    return sorted(enumerate(scores), key=lambda pair: -pair[1])


def mine(matrix, threshold, limit):
    """Pairs i < j scoring at least `threshold`, highest first: (pairs, how many)."""
    pairs = [
        (i, j, matrix[i][j])
        for i in range(len(matrix))
        for j in range(i + 1, len(matrix))
        if matrix[i][j] >= threshold
    ]
    pairs.sort(key=lambda pair: -pair[2])
    return pairs[:limit], len(pairs)


def communities(matrix, threshold, min_size):
    """Groups of at least `min_size` texts all close to the group's first text."""
    found = []
    for row in matrix:
        members = [k for k, score in enumerate(row) if score >= threshold]
        if len(members) >= min_size:
            found.append(sorted(members, key=lambda k: -row[k]))
    return keep_disjoint(found, min_size)
