"""What the page should compute, computed on CPython with onnxruntime.

Same ONNX file and tokenizer files as the built site, same recipe as
sentence-transformers: mean pooling over the attention mask, then L2 norm.
"""

from functools import cache
from pathlib import Path

import numpy as np
import onnxruntime
from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "site" / "models" / "Xenova" / "all-MiniLM-L6-v2"


class Reference:
    def __init__(self, folder: Path = MODEL):
        # tokenizer.json as built: truncation at 256, padding to the batch's longest.
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(folder / "onnx" / "model_quantized.onnx"), options
        )

    def embed(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array(
                [e.attention_mask for e in encodings], dtype=np.int64
            ),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        (hidden,) = self.session.run(["last_hidden_state"], feed)
        mask = feed["attention_mask"][:, :, None].astype(np.float64)
        pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    def similarity(self, a: str, b: str) -> float:
        first, second = self.embed([a, b])
        return float(first @ second)


@cache
def reference() -> Reference:
    if not MODEL.exists():
        raise FileNotFoundError(
            f"{MODEL} is missing: build the site with `python3 build.py`"
        )
    return Reference()
