"""The one module that touches JavaScript: Transformers.js through its bridge.

The worker calls `load` once, then `compare` for each request. Values going
back to JavaScript all pass through `to_js_object`.
"""

import time

import js
from pyodide.ffi import to_js
from transformers_js_py import import_transformers_js

from . import engine
from .texts import InputError, check_texts

_extractor = None


def to_js_object(value):
    return to_js(value, dict_converter=js.Object.fromEntries)


async def load(transformers_url, wasm_url, models_url, model_id, on_progress):
    """Create the feature-extraction pipeline from the site's own files.

    `on_progress` is a JavaScript function; Transformers.js calls it with
    each download event.
    """
    global _extractor
    transformers = await import_transformers_js(transformers_url)
    # The bridge hands attribute reads back as Python copies, so settings go
    # on the underlying JS object. import_transformers_js() turns local models
    # off, hence these come after it.
    env = transformers.js_obj.env
    env.allowLocalModels = True
    env.allowRemoteModels = False
    env.localModelPath = models_url
    env.backends.onnx.wasm.wasmPaths = wasm_url
    options = {"dtype": "q8", "progress_callback": on_progress}
    _extractor = await transformers.pipeline("feature-extraction", model_id, options)
    return to_js_object({"engine": engine.NAME})


async def embed(texts):
    """Mean-pooled, L2-normalised embeddings of the texts, one row each."""
    if _extractor is None:
        raise RuntimeError("the model is not loaded yet")
    tensor = await _extractor(texts, {"pooling": "mean", "normalize": True})
    raw = tensor._js_obj
    return engine.from_flat(raw.data.to_py(), tuple(raw.dims.to_py()))


async def compare(js_texts):
    """Cosine similarity of every pair of texts, and how long it took."""
    started = time.perf_counter()
    try:
        texts = check_texts(js_texts.to_py())
    except InputError as error:
        return to_js_object({"error": str(error), "field": error.index})
    matrix = engine.cosine_matrix(await embed(texts))
    elapsed_ms = (time.perf_counter() - started) * 1000
    return to_js_object({"matrix": matrix, "ms": elapsed_ms, "engine": engine.NAME})
