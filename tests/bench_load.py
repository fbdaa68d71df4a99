"""Time from opening the page to an enabled Compare button, and bytes downloaded.

    .venv/bin/python tests/bench_load.py [--runs 3]

First: a fresh browser profile on disk (the service worker stores the app
while the page boots from it). Second: the same profile again. Offline: the
same profile with the network switched off. Bytes are counted by the server
as it sends file bodies.
"""

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).parent)]
import build  # noqa: E402
from harness import launch_profile, serving  # noqa: E402

SENT = Counter()


class CountingHandler(build.SiteHandler):
    def copyfile(self, source, outputfile):
        start = source.tell()
        super().copyfile(source, outputfile)
        SENT[self.path] += source.tell() - start


def time_to_ready(context, url):
    SENT.clear()
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    expect(page.locator("#compare")).to_be_enabled(timeout=300_000)
    elapsed = time.perf_counter() - started
    page.close()
    return elapsed, sum(SENT.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    results = {"first": [], "second": [], "offline": []}
    with serving(handler=CountingHandler) as url, sync_playwright() as playwright:
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as profile:
                context = launch_profile(playwright, profile)
                results["first"].append(time_to_ready(context, url))
                results["second"].append(time_to_ready(context, url))
                context.set_offline(True)
                results["offline"].append(time_to_ready(context, url))
                context.close()
    for label, runs_of_visit in results.items():
        seconds = statistics.median(r[0] for r in runs_of_visit)
        sent = statistics.median(r[1] for r in runs_of_visit)
        print(f"{label:<7} ready in {seconds:5.2f} s (median of {runs}),", end=" ")
        print(f"{sent / 1e6:6.2f} MB downloaded")


if __name__ == "__main__":
    main()
