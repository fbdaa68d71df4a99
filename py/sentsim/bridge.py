"""The one module that touches JavaScript: Transformers.js through its bridge.

The worker calls `load` once, then the entry points below for each request.
Values going back to JavaScript all pass through `to_js_object`.
"""

import time
from array import array

import js
from pyodide.ffi import to_js
from transformers_js_py import import_transformers_js

from . import engine, tokens
from .texts import InputError, check_texts

_pipeline = None  # the feature-extraction pipeline, created once by load()
_tensor = None  # Transformers.js's Tensor class
_limit = None  # tokens per text, [CLS] and [SEP] included


def to_js_object(value):
    return to_js(value, dict_converter=js.Object.fromEntries)


async def load(
    transformers_url, wasm_url, models_url, model_id, limit, cache, on_progress
):
    """Create the feature-extraction pipeline from the site's own files.

    `cache` is the JavaScript cache the model files are kept in (storage.js);
    `on_progress` a JavaScript function Transformers.js calls with each
    download event.
    """
    global _pipeline, _tensor, _limit
    transformers = await import_transformers_js(transformers_url)
    # The bridge hands attribute reads back as Python copies, so settings go
    # on the underlying JS object. import_transformers_js() turns local models
    # off, hence these come after it.
    env = transformers.js_obj.env
    env.allowLocalModels = True
    env.allowRemoteModels = False
    env.localModelPath = models_url
    env.backends.onnx.wasm.wasmPaths = wasm_url
    env.useBrowserCache = False
    env.useCustomCache = True
    env.customCache = cache
    options = {"dtype": "q8", "progress_callback": on_progress}
    pipeline = await transformers.pipeline("feature-extraction", model_id, options)
    _pipeline, _tensor, _limit = pipeline._js_obj, transformers.js_obj.Tensor, limit
    return to_js_object({"engine": engine.NAME})


def word_pieces(texts):
    """Each text's token ids without special tokens, untruncated."""
    no_specials = to_js_object({"add_special_tokens": False})
    return [_pipeline.tokenizer.encode(text, no_specials).to_py() for text in texts]


def special_tokens():
    """The ids the tokenizer puts before and after a text ([CLS], [SEP])."""
    wrapped = _pipeline.tokenizer.encode("").to_py()
    return wrapped[:1], wrapped[1:]


def tokenize(texts):
    """Rows of token ids cut to the limit, and each text's full token count."""
    prefix, suffix = special_tokens()
    pieces = word_pieces(texts)
    counts = [len(prefix) + len(p) + len(suffix) for p in pieces]
    return [tokens.fit(p, prefix, suffix, _limit) for p in pieces], counts


def int64_tensor(values: array, dims):
    raw = to_js(values.tobytes())
    data = js.BigInt64Array.new(raw.buffer, raw.byteOffset, len(values))
    return _tensor.new("int64", data, to_js(list(dims)))


async def embed_with_counts(texts):
    """Mean-pooled, L2-normalised embeddings, and each text's token count."""
    if _pipeline is None:
        raise RuntimeError("the model is not loaded yet")
    rows, counts = tokenize(texts)
    ids, mask, width = tokens.pad_batch(rows, _pipeline.tokenizer.pad_token_id)
    dims = (len(rows), width)
    inputs = {
        "input_ids": int64_tensor(ids, dims),
        "attention_mask": int64_tensor(mask, dims),
        "token_type_ids": int64_tensor(array("q", bytes(8 * len(ids))), dims),
    }
    outputs = await _pipeline.model(to_js_object(inputs))
    hidden = outputs.last_hidden_state
    vectors = engine.embeddings(hidden.data.to_py(), tuple(hidden.dims.to_py()), mask)
    return vectors, counts


def token_reports(counts):
    return [tokens.report(count, _limit) for count in counts]


async def embed(js_texts):
    """Embeddings as lists of floats, for tools that score outside the page."""
    vectors, counts = await embed_with_counts(check_texts(js_texts.to_py(), least=1))
    return to_js_object(
        {"embeddings": engine.as_rows(vectors), "tokens": token_reports(counts)}
    )


def count_tokens(js_texts):
    """Token counts as the page shows them beside each field."""
    if _pipeline is None:
        raise RuntimeError("the model is not loaded yet")
    _, counts = tokenize(js_texts.to_py())
    return to_js_object(token_reports(counts))


async def compare(js_texts):
    """Cosine similarity of every pair of texts, and how long it took."""
    started = time.perf_counter()
    try:
        texts = check_texts(js_texts.to_py())
    except InputError as error:
        return to_js_object({"error": str(error), "field": error.index})
    vectors, counts = await embed_with_counts(texts)
    matrix = engine.cosine_matrix(vectors)
    return to_js_object(
        {
            "matrix": matrix,
            "tokens": token_reports(counts),
            "ms": (time.perf_counter() - started) * 1000,
            "engine": engine.NAME,
        }
    )
