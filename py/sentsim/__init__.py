"""Sentence similarity in the browser: the Python side of the page.

`bridge` alone talks to JavaScript (Pyodide's `js` and `pyodide.ffi`). The
other modules are plain Python that pytest runs on CPython.
"""
