"""The similarity engine in use: numpy when Pyodide has it, plain Python otherwise."""

try:
    from . import similarity as backend
except ImportError:  # numpy was not shipped with the site (see build.py)
    from . import similarity_pure as backend

NAME = backend.NAME
from_flat = backend.from_flat
cosine_matrix = backend.cosine_matrix
