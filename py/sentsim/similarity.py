"""Cosine similarity with numpy, on the whole embedding matrix at once."""

import numpy as np

NAME = f"numpy {np.__version__}"
# Rows shorter than this count as zero vectors and score 0 against anything,
# as torch.nn.functional.normalize (used by sentence-transformers) does.
EPS = 1e-12


def mean_pool(hidden, shape, mask):
    """Average each text's token vectors over its attention mask.

    `hidden` is the model's last_hidden_state as a flat float32 buffer of
    `shape` (texts, tokens, dimensions); `mask` is the flat int64 mask.
    """
    states = np.frombuffer(hidden, dtype=np.float32).reshape(shape).astype(np.float64)
    weights = np.asarray(mask, dtype=np.float64).reshape(shape[:2] + (1,))
    return (states * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)


def normalize(matrix):
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError(
            f"expected a matrix of embeddings, got {matrix.ndim} dimensions"
        )
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, EPS)


def cosine_matrix(matrix):
    """All pairwise cosine similarities, as a nested list (n x n)."""
    unit = normalize(matrix)
    return np.clip(unit @ unit.T, -1.0, 1.0).tolist()
