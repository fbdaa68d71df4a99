"""The STS Benchmark scored through the page, next to onnxruntime on CPython.

    .venv/bin/python tests/sts.py --split test            # all 1,379 pairs
    .venv/bin/python tests/sts.py --split dev --sample 200

Prints Spearman's rank correlation x 100 between cosine similarity and the
gold scores, for the browser and for CPython on the same ONNX file, and the
largest difference between their per-pair scores. Exits non-zero when that
difference exceeds 1e-4. The data is ../shared/data/stsbenchmark/ (next to
the repository), or the folder named by the STSBENCHMARK environment variable.
"""

import argparse
import csv
import os
import sys
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
DATA = Path(
    os.environ.get("STSBENCHMARK", ROOT.parent / "shared" / "data" / "stsbenchmark")
)
TOLERANCE = 1e-4


def read_pairs(split: str, sample: int = 0) -> list[tuple[str, str, float]]:
    """(first, second, gold) for each pair; an even spread of `sample` pairs if set."""
    with (DATA / f"sts-{split}.csv").open(encoding="utf-8") as f:
        rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        pairs = [(row[5], row[6], float(row[4])) for row in rows]
    if sample and sample < len(pairs):
        pairs = [pairs[i] for i in np.linspace(0, len(pairs) - 1, sample, dtype=int)]
    return pairs


def pair_scores(embed, pairs) -> np.ndarray:
    """Cosine of each pair, embedding every distinct sentence once."""
    sentences = sorted({text for first, second, _ in pairs for text in (first, second)})
    vectors = embed(sentences)
    row = {text: i for i, text in enumerate(sentences)}
    first = vectors[[row[p[0]] for p in pairs]]
    second = vectors[[row[p[1]] for p in pairs]]
    return np.sum(first * second, axis=1)


def spearman_x100(scores, pairs) -> float:
    return 100 * spearmanr(scores, [gold for *_, gold in pairs]).statistic


def evaluate(page, pairs) -> dict:
    import probe
    from reference import reference

    browser = pair_scores(lambda texts: probe.embed(page, texts)[0], pairs)
    cpython = pair_scores(reference().embed, pairs)
    return {
        "pairs": len(pairs),
        "browser": spearman_x100(browser, pairs),
        "cpython": spearman_x100(cpython, pairs),
        "max_difference": float(np.max(np.abs(browser - cpython))),
    }


def main() -> int:
    from playwright.sync_api import sync_playwright

    from harness import launch, serving

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["test", "dev"], default="test")
    parser.add_argument("--sample", type=int, default=0, help="pairs to score (0: all)")
    args = parser.parse_args()
    pairs = read_pairs(args.split, args.sample)
    with serving() as url, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(url)
        result = evaluate(page, pairs)
        browser.close()
    print(f"STS Benchmark {args.split}, {result['pairs']} pairs, Spearman x 100:")
    print(f"  browser (page's Python, Transformers.js): {result['browser']:.2f}")
    print(f"  CPython onnxruntime, same ONNX file:      {result['cpython']:.2f}")
    print(f"  largest per-pair difference:              {result['max_difference']:.2e}")
    return 0 if result["max_difference"] <= TOLERANCE else 1


if __name__ == "__main__":
    sys.exit(main())
