"""The one module that touches JavaScript: Transformers.js through its bridge.

The worker calls `load` once, then the entry points below for each request.
Values going back to JavaScript all pass through `to_js_object`.
"""

import time
from array import array
from dataclasses import dataclass

import js
from pyodide.ffi import to_js
from transformers_js_py import import_transformers_js

from . import engine, lists, tokens
from .texts import InputError, check_texts

BATCH = 32  # texts per model call when embedding a list


@dataclass(frozen=True)
class Model:
    """What load() sets up once and every request uses."""

    pipeline: object  # the feature-extraction pipeline (JS)
    tensor: object  # Transformers.js's Tensor class
    mean_pooling: object  # Transformers.js's mean_pooling(last_hidden_state, mask)
    model_id: str
    limit: int  # tokens per text, [CLS] and [SEP] included
    prefix: list  # the ids the tokenizer puts before a text ([CLS])
    suffix: list  # and after it ([SEP])


_model = None
_last_run = None  # the last list run, kept for export


def model() -> Model:
    if _model is None:
        raise RuntimeError("the model is not loaded yet")
    return _model


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
    global _model
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
    pipeline = (
        await transformers.pipeline("feature-extraction", model_id, options)
    )._js_obj
    wrapped = pipeline.tokenizer.encode("").to_py()  # [CLS], [SEP]
    _model = Model(
        pipeline=pipeline,
        tensor=transformers.js_obj.Tensor,
        mean_pooling=transformers.js_obj.mean_pooling,
        model_id=model_id,
        limit=limit,
        prefix=wrapped[:1],
        suffix=wrapped[1:],
    )
    return to_js_object({"engine": engine.NAME, "max_sentences": lists.MAX_SENTENCES})


def tokenize(texts):
    """Rows of token ids cut to the limit, and each text's full token count."""
    m = model()
    no_specials = to_js_object({"add_special_tokens": False})
    pieces = [m.pipeline.tokenizer.encode(text, no_specials).to_py() for text in texts]
    counts = [len(m.prefix) + len(p) + len(m.suffix) for p in pieces]
    return [tokens.fit(p, m.prefix, m.suffix, m.limit) for p in pieces], counts


def int64_tensor(values: array, dims):
    raw = to_js(values.tobytes())
    data = js.BigInt64Array.new(raw.buffer, raw.byteOffset, len(values))
    return model().tensor.new("int64", data, to_js(list(dims)))


async def embed_with_counts(texts):
    """Mean-pooled, L2-normalised embeddings, and each text's token count."""
    m = model()
    rows, counts = tokenize(texts)
    ids, mask, width = tokens.pad_batch(rows, m.pipeline.tokenizer.pad_token_id)
    dims = (len(rows), width)
    inputs = {
        "input_ids": int64_tensor(ids, dims),
        "attention_mask": int64_tensor(mask, dims),
        "token_type_ids": int64_tensor(array("q", bytes(8 * len(ids))), dims),
    }
    outputs = await m.pipeline.model(to_js_object(inputs))
    # Pooling runs in JavaScript: a plain-Python loop over every token
    # vector took as long as the model itself.
    pooled = m.mean_pooling(outputs.last_hidden_state, inputs["attention_mask"])
    return engine.unit_rows(pooled.data.to_py(), tuple(pooled.dims.to_py())), counts


def token_reports(counts):
    m = model()
    specials = len(m.prefix) + len(m.suffix)
    return [tokens.report(count, m.limit, specials) for count in counts]


async def embed(js_texts):
    """Embeddings as lists of floats, for tools that score outside the page."""
    vectors, counts = await embed_with_counts(check_texts(js_texts.to_py(), least=1))
    return to_js_object(
        {"embeddings": engine.as_rows(vectors), "tokens": token_reports(counts)}
    )


def count_tokens(js_texts):
    """Token counts as the page shows them beside each field."""
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
    reports = token_reports(counts)
    for index, report in enumerate(reports):
        if report["empty"]:
            message = "The model reads nothing in this field: type a sentence."
            return to_js_object({"error": message, "field": index})
    matrix = engine.as_rows(engine.cosine_matrix(vectors))
    return to_js_object(
        {
            "matrix": matrix,
            "tokens": reports,
            "ms": (time.perf_counter() - started) * 1000,
            "engine": engine.NAME,
        }
    )


class Cancelled(Exception):
    pass


async def embed_list(texts, on_progress, is_cancelled):
    """Embed a list in batches, reporting texts done; stop when cancelled.

    Texts of like length are batched together, so little of each batch is
    padding; the rows come back in the order of `texts`.
    """
    order = sorted(range(len(texts)), key=lambda k: len(texts[k]))
    parts = []
    for start in range(0, len(texts), BATCH):
        if is_cancelled():
            raise Cancelled
        batch = [texts[k] for k in order[start : start + BATCH]]
        vectors, _ = await embed_with_counts(batch)
        parts.append(vectors)
        on_progress(min(start + BATCH, len(texts)), len(texts))
    return engine.take(engine.stack(parts), inverse(order))


def inverse(order):
    """The permutation that undoes `order`."""
    undo = [0] * len(order)
    for position, k in enumerate(order):
        undo[k] = position
    return undo


async def analyze(js_request, on_progress, is_cancelled):
    """Run a list mode: rank, matrix, duplicates or groups."""
    global _last_run
    started = time.perf_counter()
    request = js_request.to_py()
    mode, source = request["mode"], request.get("source", "")
    sentences = lists.sentences_from_lines(request["text"])
    try:
        lists.check_list(mode, sentences, source)
        lists.check_options(mode, request["options"])
    except lists.ListError as error:
        return to_js_object({"error": str(error)})
    texts = [source, *sentences] if mode == "rank" else sentences
    try:
        vectors = await embed_list(texts, on_progress, is_cancelled)
    except Cancelled:
        return to_js_object({"cancelled": True})
    if is_cancelled():  # pressed as the last batch finished
        return to_js_object({"cancelled": True})
    found = lists.run_result(engine, mode, vectors, request["options"])
    _last_run = {
        "mode": mode,
        "source": source if mode == "rank" else None,
        "sentences": sentences,
        "options": request["options"],
        "vectors": vectors,
        **found,
    }
    reply = {"mode": mode, "sentences": sentences, **found}
    if mode == "duplicates":  # all of them are kept for export
        reply["result"] = found["result"][: lists.MAX_PAIRS]
    reply["ms"] = (time.perf_counter() - started) * 1000
    reply["engine"] = engine.NAME
    return to_js_object(reply)


def export(kind, with_embeddings=False):
    """The last list run as a file: {"name", "type", "text"}."""
    if _last_run is None:
        raise RuntimeError("Run a list first, then export it.")
    if kind == "csv":
        name, kind_type = f"{_last_run['mode']}.csv", "text/csv"
        text = lists.export_csv(_last_run)
    else:
        name, kind_type = f"{_last_run['mode']}.json", "application/json"
        vectors = engine.as_rows(_last_run["vectors"]) if with_embeddings else None
        text = lists.export_json(_last_run, model().model_id, vectors)
    return to_js_object({"name": name, "type": kind_type, "text": text})


def read_file(name, text):
    """Sentences from a dropped file, or an error the page shows."""
    try:
        return to_js_object({"sentences": lists.sentences_from_file(name, text)})
    except lists.ListError as error:
        return to_js_object({"error": str(error)})
