"""The page as a user meets it: boot, progress, compare, and failures."""

import json
import re

import pytest
from conftest import BOOT_TIMEOUT_MS
from playwright.sync_api import expect

from reference import reference

MODEL_FILE = "models/Xenova/all-MiniLM-L6-v2/onnx/model_quantized.onnx"
PAIRS = [
    ("That is a happy person", "That is a sad person"),
    ("A man is playing a guitar.", "Someone is playing an instrument."),
    (
        "The cat sits on the mat.",
        "Quantum chromodynamics describes the strong interaction.",
    ),
    ("Where is the train station?", "Wo ist der Bahnhof? Ich muss um 9 Uhr dort sein."),
]


def recorder(element_id: str, name: str) -> str:
    """An init script keeping every text the element shows in window[name]."""
    return f"""
window.{name} = [];
new MutationObserver(() => {{
  const text = document.getElementById("{element_id}")?.textContent;
  if (text && window.{name}.at(-1) !== text) window.{name}.push(text);
}}).observe(document, {{ subtree: true, childList: true, characterData: true }});
"""


def compare(page, first, second) -> float:
    page.fill("#text-a", first)
    page.fill("#text-b", second)
    page.click("#compare")
    expect(page.locator("#result")).to_have_attribute("aria-busy", "false")
    return float(page.locator("#score").get_attribute("data-score"))


def test_compare_button_stays_disabled_until_the_model_is_ready(page, site):
    page.goto(site.url)
    button = page.locator("#compare")
    expect(button).to_be_disabled()
    expect(page.locator("#compare-why")).to_contain_text("Waiting for the model")
    expect(button).to_be_enabled(timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#compare-why")).to_be_empty()
    expect(page.locator("#engine")).to_have_text(re.compile(r"numpy|Python"))


def test_boot_stages_are_shown_in_order(page, site):
    page.add_init_script(recorder("stage", "stagesSeen"))
    page.goto(site.url)
    expect(page.locator("#compare")).to_be_enabled(timeout=BOOT_TIMEOUT_MS)
    stages = page.evaluate("window.stagesSeen")
    expected = [
        "Loading the Python runtime…",
        "Installing Python packages…",
        "Loading the model…",
        "Ready: the model is loaded.",
    ]
    assert [s for s in stages if s in expected] == expected


def test_download_progress_shows_bytes_of_total_and_never_nan(page, site):
    page.goto(site.url)
    expect(page.locator("#compare")).to_be_enabled(timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#download-text")).to_have_text(
        re.compile(r"MB of [\d.]+ MB \(100%\)")
    )
    expect(page.locator("#download-files li")).to_have_count(4)
    expect(page.locator("#download-files")).to_contain_text("onnx/model_quantized.onnx")
    assert "NaN" not in page.inner_text("body")


@pytest.mark.parametrize("first, second", PAIRS)
def test_score_matches_onnxruntime_on_cpython(ready_page, first, second):
    score = compare(ready_page, first, second)
    assert score == pytest.approx(reference().similarity(first, second), abs=1e-4)
    expect(ready_page.locator("#score")).to_have_text(f"{score:.4f}")
    expect(ready_page.locator("#timing")).to_have_text(re.compile(r"in \d+ ms"))


def test_ctrl_enter_compares_from_the_text_field(ready_page):
    ready_page.fill("#text-a", "A dog runs in the park.")
    ready_page.fill("#text-b", "A dog runs in the park.")
    ready_page.focus("#text-b")
    ready_page.keyboard.press("Control+Enter")
    expect(ready_page.locator("#score")).to_have_text("1.0000")


def test_empty_field_is_refused_beside_it_and_the_text_is_kept(ready_page):
    compare(ready_page, *PAIRS[0])
    expect(ready_page.locator("#result")).to_be_visible()
    ready_page.fill("#text-a", "Something worth keeping")
    ready_page.fill("#text-b", "   ")
    ready_page.click("#compare")
    expect(ready_page.locator("#text-b-error")).to_contain_text("empty")
    expect(ready_page.locator("#text-a-error")).to_be_empty()
    expect(ready_page.locator("#text-a")).to_have_value("Something worth keeping")
    expect(ready_page.locator("#result")).to_be_hidden()
    expect(ready_page.locator("#compare")).to_be_enabled()


def test_every_request_goes_to_the_pages_own_origin(context, site):
    urls = []
    context.on("request", lambda request: urls.append(request.url))
    page = context.new_page()
    page.goto(site.url)
    expect(page.locator("#compare")).to_be_enabled(timeout=BOOT_TIMEOUT_MS)
    compare(page, *PAIRS[0])
    assert site.url + MODEL_FILE in urls
    assert any(url.endswith(".wasm") for url in urls)
    assert [url for url in urls if not url.startswith(site.url)] == []


def test_a_missing_model_file_is_named_on_the_page(page, site_copy):
    broken = site_copy(remove=[MODEL_FILE])
    page.goto(broken.url)
    expect(page.locator("#failure-message")).to_contain_text(
        MODEL_FILE, timeout=BOOT_TIMEOUT_MS
    )
    expect(page.locator("#failure-hint")).to_contain_text("python3 build.py")
    expect(page.locator("#compare")).to_be_disabled()
    expect(page.locator("#compare-why")).to_contain_text("Unavailable")


def test_a_worker_that_cannot_start_is_reported(page, site_copy):
    broken = site_copy(remove=["static/worker.js"])
    page.goto(broken.url)
    expect(page.locator("#failure-message")).to_contain_text("Python worker stopped")
    expect(page.locator("#failure-hint")).to_contain_text("Reload")
    expect(page.locator("#compare")).to_be_disabled()


def test_a_missing_python_runtime_is_reported_with_what_to_do(page, site_copy):
    broken = site_copy(remove=["vendor/pyodide/pyodide.asm.wasm"])
    page.goto(broken.url)
    expect(page.locator("#failure")).to_be_visible(timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#stage")).to_contain_text("loading the Python runtime")
    expect(page.locator("#failure-hint")).to_contain_text("python3 build.py")


def test_progress_is_indeterminate_when_a_size_is_unknown(page, site_copy, built_site):
    manifest = json.loads((built_site / "manifest.json").read_text())
    for entry in manifest["files"]:
        if entry["path"] == MODEL_FILE:
            entry["size"] = 0  # what the page gets when a size is not known
    unsized = site_copy(replace={"manifest.json": json.dumps(manifest).encode()})
    page.add_init_script(recorder("download-text", "downloadTexts"))
    page.goto(unsized.url)
    expect(page.locator("#compare")).to_be_enabled(timeout=BOOT_TIMEOUT_MS)
    texts = page.evaluate("window.downloadTexts")
    assert any(re.fullmatch(r"[\d.]+ (MB|kB|B) loaded", text) for text in texts), texts
    assert not any("NaN" in text for text in texts)
    expect(page.locator("#download-text")).to_contain_text("(100%)")


def test_a_model_that_cannot_load_is_reported(page, site_copy):
    broken = site_copy(replace={MODEL_FILE: b"<html>Not Found</html>"})
    page.goto(broken.url)
    expect(page.locator("#failure")).to_be_visible(timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#stage")).to_contain_text("loading the model")
    expect(page.locator("#failure-hint")).to_contain_text("python3 build.py")
    expect(page.locator("#compare")).to_be_disabled()


def test_a_long_text_is_marked_truncated_at_256_tokens(ready_page):
    long_text = " ".join(f"sentence{i % 40} about the harbour" for i in range(200))
    score = compare(ready_page, long_text, "A short text.")
    assert -1.0 <= score <= 1.0
    expect(ready_page.locator("#text-a-tokens .badge")).to_have_text(
        "truncated at 256 tokens"
    )
    expect(ready_page.locator("#text-b-tokens")).to_have_text("6 tokens")


def test_token_counts_follow_typing(ready_page):
    ready_page.fill("#text-a", "one two three")
    expect(ready_page.locator("#text-a-tokens")).to_have_text("5 tokens")
    expect(ready_page.locator("#text-a-tokens .badge")).to_have_count(0)


def test_a_pasted_100000_character_text_scores_and_is_marked(ready_page):
    pasted = ("Rain fell on the quiet harbour. " * 3200)[:100_000]
    score = compare(ready_page, pasted, "Rain in the harbour.")
    assert 0.0 < score <= 1.0
    expect(ready_page.locator("#text-a-tokens .badge")).to_be_visible()
    expect(ready_page.locator("#text-a")).to_have_value(pasted)


def test_html_typed_in_a_field_stays_text(ready_page):
    dialogs = []
    ready_page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    markup = "<img src=x onerror=alert(1)>"
    score = compare(ready_page, markup, "<script>alert(1)</script>")
    assert -1.0 <= score <= 1.0
    expect(ready_page.locator("#text-a")).to_have_value(markup)
    assert ready_page.locator("body img, body script").count() == 0
    assert dialogs == []


def test_a_field_of_zero_width_characters_is_refused(ready_page):
    ready_page.fill("#text-a", "A real sentence.")
    ready_page.fill("#text-b", "\u200b\u200d")
    ready_page.click("#compare")
    expect(ready_page.locator("#text-b-error")).to_contain_text("no visible text")


def test_a_model_file_that_differs_from_the_manifest_is_refused(
    page, site_copy, built_site
):
    model = bytearray((built_site / MODEL_FILE).read_bytes())
    model[-4096:] = bytes(4096)  # same size, other bytes
    broken = site_copy(replace={MODEL_FILE: bytes(model)})
    page.goto(broken.url)
    expect(page.locator("#failure-message")).to_contain_text(
        f"{MODEL_FILE} on the site does not match", timeout=BOOT_TIMEOUT_MS
    )
    expect(page.locator("#compare")).to_be_disabled()


def test_a_damaged_python_runtime_is_reported_not_waited_on(page, site_copy):
    broken = site_copy(
        replace={"vendor/pyodide/pyodide.asm.wasm": b"\0asm" + bytes(64)}
    )
    page.goto(broken.url)
    expect(page.locator("#failure-message")).to_contain_text(
        "pyodide.asm.wasm on the site does not match", timeout=BOOT_TIMEOUT_MS
    )


def test_a_page_script_that_cannot_load_is_reported(page, site_copy):
    broken = site_copy(remove=["static/storage.js"])
    page.goto(broken.url)
    expect(page.locator("#stage")).to_contain_text("scripts could not load")
    expect(page.locator("#stage")).to_contain_text("python3 build.py")


def test_a_hard_reload_still_boots(context, site):
    page = context.new_page()
    page.goto(site.url)
    expect(page.locator("#offline")).to_contain_text("Ready for offline use")
    session = context.new_cdp_session(page)
    session.send("Page.reload", {"ignoreCache": True})
    expect(page.locator("#compare")).to_be_enabled(timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#offline")).to_contain_text("bypassed the stored files")
    assert float(compare(page, *PAIRS[0])) == pytest.approx(0.6547, abs=1e-4)


def test_a_field_of_combining_marks_alone_is_refused(ready_page):
    ready_page.fill("#text-a", "A real sentence.")
    ready_page.fill("#text-b", "\u0301\u0301")
    ready_page.click("#compare")
    expect(ready_page.locator("#text-b-error")).to_contain_text("no visible text")
