"""Cosine similarity in plain Python, for a Pyodide without numpy.

Same functions and results as `similarity`, slower: used only when numpy
could not be shipped with the site.
"""

import math

NAME = "Python, numpy unavailable"
EPS = 1e-12


def from_flat(values, shape):
    """Rows of a row-major buffer of float32 (a memoryview, list or array)."""
    rows, cols = shape
    flat = list(values)
    if len(flat) != rows * cols:
        raise ValueError(f"cannot reshape {len(flat)} values into {rows} x {cols}")
    return [flat[i * cols : (i + 1) * cols] for i in range(rows)]


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


def cosine_matrix(matrix):
    """All pairwise cosine similarities, as a nested list (n x n)."""
    unit = normalize(matrix)
    return [
        [
            min(1.0, max(-1.0, math.fsum(a * b for a, b in zip(u, v, strict=True))))
            for v in unit
        ]
        for u in unit
    ]
