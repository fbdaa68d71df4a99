"""Cosine similarity in plain Python, for a Pyodide without numpy.

Same functions and results as `similarity`, slower: used only when numpy
could not be shipped with the site.
"""

import math
import operator

from .groups import keep_disjoint

NAME = "Python, numpy unavailable"
EPS = 1e-12


def from_flat(values, shape):
    """Rows of a row-major float32 buffer (the data of a Transformers.js tensor)."""
    rows, cols = shape
    flat = memoryview(values).cast("B").cast("f")
    if len(flat) != rows * cols:
        raise ValueError(f"cannot read {len(flat)} values as {rows} x {cols}")
    return [flat[k * cols : (k + 1) * cols].tolist() for k in range(rows)]


def stack(parts):
    """One matrix from several blocks of rows."""
    return [row for part in parts for row in part]


def take(matrix, rows):
    """The given rows of a matrix, in that order."""
    return [matrix[k] for k in rows]


def normalize(matrix):
    rows = [list(map(float, row)) for row in matrix]
    if len({len(row) for row in rows}) > 1:
        raise ValueError(
            "expected a matrix of embeddings, got rows of different lengths"
        )
    unit = []
    for row in rows:
        norm = max(math.sqrt(math.fsum(x * x for x in row)), EPS)
        unit.append([x / norm for x in row])
    return unit


def _fsum_of_products(u, v):
    return math.fsum(map(operator.mul, u, v))


# math.sumprod (Python 3.12+, so in Pyodide) runs in C; older CPython, which
# runs the unit tests, sums the products itself. Rows have one length here:
# normalize() refuses ragged ones.
_sumprod = getattr(math, "sumprod", _fsum_of_products)


def cosine(u, v):
    return min(1.0, max(-1.0, _sumprod(u, v)))


def cosine_matrix(matrix):
    """All pairwise cosine similarities, as a nested list (n x n).

    Each pair is computed once and mirrored: in Pyodide the dot products are
    most of the time this fallback takes.
    """
    unit = normalize(matrix)
    scores = [[0.0] * len(unit) for _ in unit]
    for i, u in enumerate(unit):
        row = [cosine(u, v) for v in unit[i:]]
        scores[i][i:] = row
        for offset, value in enumerate(row):
            scores[i + offset][i] = value
    return scores


def cosine_to(query, matrix):
    """Cosine similarity of one vector to each row of a matrix."""
    (unit_query,), rows = normalize([query]), normalize(matrix)
    if rows and len(rows[0]) != len(unit_query):
        raise ValueError("the query and the rows have different lengths")
    return [cosine(unit_query, row) for row in rows]


def rank(scores):
    """(index, score) from the highest score down."""
    return sorted(enumerate(scores), key=lambda pair: -pair[1])


def mine(matrix, threshold, limit):
    """Pairs i < j scoring at least `threshold`, highest first: (pairs, how many).

    At most `limit` pairs are returned; None returns them all.
    """
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
