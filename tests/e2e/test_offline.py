"""Offline: the second visit comes from the browser, and no network is needed."""

import json
import re

import pytest
from conftest import BOOT_TIMEOUT_MS
from playwright.sync_api import expect

import build

MODEL_FILE = "models/Xenova/all-MiniLM-L6-v2/onnx/model_quantized.onnx"
READY_OFFLINE = re.compile(r"Ready for offline use: [\d.]+ MB stored")

# Lists each stored file of this build whose bytes differ from the manifest.
DAMAGED_STORED_FILES = """async () => {
  const storage = await import(new URL("static/storage.js", location.href));
  const manifest = await (await fetch("manifest.json")).json();
  const app = await caches.open(storage.APP_CACHE_PREFIX + manifest.version);
  const model = await caches.open(
    storage.MODEL_CACHE_PREFIX + manifest.runtime.model_version);
  const damaged = [];
  for (const { path, sha256 } of manifest.files) {
    const cache = path.startsWith(manifest.runtime.models) ? model : app;
    const stored = await cache.match(new URL(path, location.href).href);
    const bytes = stored ? await stored.arrayBuffer() : new ArrayBuffer(0);
    if ((await storage.sha256Hex(bytes)) !== sha256) damaged.push(path);
  }
  return damaged;
}"""

STORE_GARBAGE_AS_MODEL = """async (path) => {
  const storage = await import(new URL("static/storage.js", location.href));
  const manifest = await (await fetch("manifest.json")).json();
  const cache = await caches.open(
    storage.MODEL_CACHE_PREFIX + manifest.runtime.model_version);
  await cache.put(new URL(path, location.href).href,
    new Response("<html><body>502 Bad Gateway</body></html>"));
}"""

OUR_CACHES = """async () =>
  (await caches.keys()).filter((name) => name.startsWith("sentsim-"))"""


def visit(context, site):
    page = context.new_page()
    page.goto(site.url)
    expect(page.locator("#compare")).to_be_enabled(timeout=BOOT_TIMEOUT_MS)
    return page


def first_visit(context, site):
    page = visit(context, site)
    expect(page.locator("#offline")).to_have_text(READY_OFFLINE)
    return page


def happy_sad_score(page) -> str:
    page.fill("#text-a", "That is a happy person")
    page.fill("#text-b", "That is a sad person")
    page.click("#compare")
    expect(page.locator("#result")).to_have_attribute("aria-busy", "false")
    return page.locator("#score").get_attribute("data-score")


@pytest.fixture
def fresh_site(site_copy):
    return site_copy()


def test_the_first_visit_says_when_it_is_ready_for_offline_use(context, fresh_site):
    page = first_visit(context, fresh_site)
    assert page.evaluate(DAMAGED_STORED_FILES) == []


def test_a_second_visit_downloads_nothing_again(context, fresh_site):
    first_visit(context, fresh_site).close()
    fresh_site.requests.clear()
    page = visit(context, fresh_site)
    expect(page.locator("#offline")).to_have_text(READY_OFFLINE)
    # Only the browser's check for a newer service worker reaches the server:
    # sw.js, and the module it imports when that file looks recently changed.
    update_check = {"/sw.js", "/static/storage.js"}
    assert [path for _, path in fresh_site.requests if path not in update_check] == []


def test_with_the_network_off_a_reload_boots_and_scores_the_same(context, fresh_site):
    page = first_visit(context, fresh_site)
    online = happy_sad_score(page)
    assert "#mode=pair" in page.evaluate("location.href")  # reloads with state
    context.set_offline(True)
    page.reload()
    expect(page.locator("#compare")).to_be_enabled(timeout=BOOT_TIMEOUT_MS)
    assert happy_sad_score(page) == online


def test_a_damaged_stored_model_file_is_fetched_again(context, fresh_site):
    page = first_visit(context, fresh_site)
    page.evaluate(STORE_GARBAGE_AS_MODEL, MODEL_FILE)
    page.close()
    page = visit(context, fresh_site)
    expect(page.locator("#notice")).to_contain_text(f"{MODEL_FILE} was damaged")
    expect(page.locator("#offline")).to_have_text(READY_OFFLINE)
    assert page.evaluate(DAMAGED_STORED_FILES) == []
    assert float(happy_sad_score(page)) == pytest.approx(0.6547, abs=1e-4)


def test_a_damaged_model_offline_is_explained_and_clearing_recovers(
    context, fresh_site
):
    page = first_visit(context, fresh_site)
    page.evaluate(STORE_GARBAGE_AS_MODEL, MODEL_FILE)
    context.set_offline(True)
    page.reload()
    expect(page.locator("#failure")).to_be_visible(timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#failure-clear")).to_be_visible()
    page.click("#clear-stored")
    expect(page.locator("#offline")).to_contain_text("Removed")
    context.set_offline(False)
    page.reload()
    expect(page.locator("#compare")).to_be_enabled(timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#offline")).to_have_text(READY_OFFLINE)
    assert page.evaluate(DAMAGED_STORED_FILES) == []


def test_clearing_stored_files_says_what_was_freed_and_the_next_visit_downloads(
    context, fresh_site
):
    page = first_visit(context, fresh_site)
    page.click("#clear-stored")
    expect(page.locator("#offline")).to_have_text(
        re.compile(r"Removed [\d.]+ MB of stored files")
    )
    assert page.evaluate(OUR_CACHES) == []
    page.close()
    fresh_site.requests.clear()
    visit(context, fresh_site)
    assert ("GET", "/" + MODEL_FILE) in fresh_site.requests


def test_when_storage_fails_the_page_still_compares_and_warns(context, fresh_site):
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send(
        "Storage.overrideQuotaForOrigin",
        {"origin": fresh_site.origin, "quotaSize": 4096},
    )
    page.goto(fresh_site.url)
    expect(page.locator("#compare")).to_be_enabled(timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#offline")).to_contain_text("Offline use is unavailable")
    expect(page.locator("#offline")).to_contain_text("QuotaExceededError")
    assert float(happy_sad_score(page)) == pytest.approx(0.6547, abs=1e-4)


def test_two_tabs_on_a_clean_profile_both_get_ready(context, fresh_site):
    first, second = context.new_page(), context.new_page()
    first.goto(fresh_site.url)
    second.goto(fresh_site.url)
    for page in (first, second):
        expect(page.locator("#compare")).to_be_enabled(timeout=BOOT_TIMEOUT_MS)
        expect(page.locator("#offline")).to_have_text(READY_OFFLINE)
    assert first.evaluate(DAMAGED_STORED_FILES) == []


def rebuild_with_a_new_page(folder):
    """What a deploy does: a changed file, then a new version and manifest."""
    runtime = json.loads((folder / "manifest.json").read_text())["runtime"]
    page = (folder / "index.html").read_text()
    for name in ("index.html", "sw.js", "manifest.json"):
        (folder / name).unlink()  # hard links into site/: never write through
    (folder / "index.html").write_text(page.replace("</h1>", " (new build)</h1>"))
    return build.finish_site(folder, runtime)["version"]


def test_a_new_build_is_taken_up_whole_on_the_next_visit(context, fresh_site):
    first_visit(context, fresh_site).close()
    version = rebuild_with_a_new_page(fresh_site.folder)
    page = visit(context, fresh_site)
    expect(page.locator("h1")).to_contain_text("(new build)")
    expect(page.locator("#offline")).to_have_text(READY_OFFLINE)
    app_caches = [name for name in page.evaluate(OUR_CACHES) if "-app-" in name]
    assert app_caches == [f"sentsim-app-{version}"]
    assert page.evaluate(DAMAGED_STORED_FILES) == []
