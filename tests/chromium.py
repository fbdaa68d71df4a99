"""Which Chromium the browser tests drive, and how to start it here.

A system Chromium is preferred (no download needed); without one, the tests
fall back to Playwright's own build, which `tests/run.py` installs.
"""

import os
import shutil
from pathlib import Path

CANDIDATES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

# Headless and quiet: no background calls home, which a closed network refuses.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_system_chromium() -> str | None:
    """The path of a Chromium installed on this machine, or None."""
    chosen = os.environ.get("CHROMIUM")
    if chosen:
        return chosen
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    default = Path("/usr/bin/chromium")
    return str(default) if default.exists() else None
