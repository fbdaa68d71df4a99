"""Serving the built site and starting Chromium, for the scripts in tests/."""

import threading
from contextlib import contextmanager

import build
from chromium import ARGS, find_system_chromium


@contextmanager
def serving(site=build.SITE, handler=None):
    """The site served on a free port of 127.0.0.1; yields its URL."""
    server = build.make_server(site, handler=handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def launch(playwright):
    """The system Chromium when there is one, else Playwright's own."""
    return playwright.chromium.launch(executable_path=find_system_chromium(), args=ARGS)


def launch_profile(playwright, folder):
    """Chromium with a profile on disk, as a user has one."""
    return playwright.chromium.launch_persistent_context(
        folder, executable_path=find_system_chromium(), args=ARGS
    )
