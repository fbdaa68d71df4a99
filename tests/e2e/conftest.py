"""A served copy of the built site and a Chromium to open it in.

Servers bind port 0 on 127.0.0.1. Every test gets a fresh browser context,
so nothing (HTTP cache, Cache API) carries over from one test to the next.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

import build
from chromium import ARGS, find_system_chromium

# Cold boot (Pyodide, wheels, 23 MB model) takes seconds; a slow CI machine more.
BOOT_TIMEOUT_MS = 180_000
expect.set_options(timeout=30_000)


class Site:
    """A site folder served on an ephemeral port of 127.0.0.1.

    `requests` lists (method, path) of every request the server answered.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.requests = requests = []

        class Recording(build.SiteHandler):
            def log_request(self, code="-", size="-"):
                requests.append((self.command, self.path))

        self.server = build.make_server(folder, handler=Recording)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = self.origin + "/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def built_site() -> Path:
    if not (build.SITE / "manifest.json").exists():
        pytest.fail("site/ is not built: run `python3 build.py` (tests/run.py does)")
    return build.SITE


@pytest.fixture(scope="session")
def site(built_site):
    served = Site(built_site)
    yield served
    served.close()


@pytest.fixture
def site_copy(built_site, tmp_path):
    """A served copy of the site that a test may break; files are hard links."""

    def make(remove=(), replace=None):
        folder = tmp_path / f"site{len(made)}"
        shutil.copytree(built_site, folder, copy_function=os.link)
        for path in remove:
            (folder / path).unlink()
        for path, content in (replace or {}).items():
            (folder / path).unlink()  # a hard link: never write through to site/
            (folder / path).write_bytes(content)
        served = Site(folder)
        made.append(served)
        return served

    made = []
    yield make
    for served in made:
        served.close()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=find_system_chromium(), args=ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    fresh = browser.new_context()
    yield fresh
    fresh.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture(scope="module")
def ready_page(browser, site):
    """One page with the model loaded, shared by tests that only compare."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(site.url)
    expect(page.locator("#compare")).to_be_enabled(timeout=BOOT_TIMEOUT_MS)
    yield page
    context.close()
