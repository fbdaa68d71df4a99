"""Cosine similarity in plain Python, for a Pyodide without numpy.

Same functions and results as `similarity`, slower: used only when numpy
could not be shipped with the site.
"""

import math

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
