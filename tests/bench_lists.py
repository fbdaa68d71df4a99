"""Time to embed a list and draw its heatmap, for lists of several sizes.

    .venv/bin/python tests/bench_lists.py [--sizes 100 500]

Sentences come from the STS Benchmark test split. The time runs from the
click on Run to the drawn result, as the page reports it and as measured
around it (the latter includes moving the matrix to the page and drawing).
"""

import argparse
import sys
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).parent)]
import sts  # noqa: E402
from harness import launch, serving  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500])
    sizes = parser.parse_args().sizes
    pairs = sts.read_pairs("test")
    pool = list(
        dict.fromkeys(text for first, second, _ in pairs for text in (first, second))
    )
    with serving() as url, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(url)
        expect(page.locator("#compare")).to_be_enabled(timeout=300_000)
        page.click(".modes [data-mode=matrix]")
        for size in sizes:
            page.fill("#sentences", "\n".join(pool[:size]))
            started = time.perf_counter()
            page.click("#run")
            expect(page.locator("canvas.heatmap")).to_have_attribute(
                "data-rows", str(size), timeout=600_000
            )
            elapsed = time.perf_counter() - started
            summary = page.inner_text("#list-summary")
            print(f"{size:>5} sentences: {elapsed:6.2f} s to the heatmap", end=" ")
            print(f"({summary})")
        browser.close()


if __name__ == "__main__":
    main()
