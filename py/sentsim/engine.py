"""The similarity engine in use: numpy when Pyodide has it, plain Python otherwise."""

try:
    from . import similarity as backend
except ImportError:  # numpy was not shipped with the site (see build.py)
    from . import similarity_pure as backend

NAME = backend.NAME
cosine_matrix = backend.cosine_matrix
cosine_to = backend.cosine_to
rank = backend.rank
mine = backend.mine
communities = backend.communities
stack = backend.stack
take = backend.take


def as_rows(matrix):
    """A matrix as nested lists of floats, whichever engine made it."""
    return matrix.tolist() if hasattr(matrix, "tolist") else matrix


def unit_rows(values, shape):
    """L2-normalised rows from a row-major float32 buffer of `shape`."""
    return backend.normalize(backend.from_flat(values, shape))
