"""Many sentences: each list mode on a small real set, exports, links, cancel."""

import csv
import io
import json
import urllib.parse

import numpy as np
import pytest
from conftest import BOOT_TIMEOUT_MS
from playwright.sync_api import expect

from reference import reference
from sentsim import similarity

MUSIC = [
    "A man is playing a guitar.",
    "The guitarist is on stage.",
    "A band performs music for the crowd.",
    "Someone plays the piano at a concert.",
]
COOKING = [
    "A woman is slicing onions.",
    "She chops vegetables in the kitchen.",
    "Dinner is cooking on the stove.",
    "A chef prepares a fresh salad.",
]
SENTENCES = [s for pair in zip(MUSIC, COOKING, strict=True) for s in pair]
SOURCE = "A musician plays the guitar on stage."
THRESHOLD = 0.5


@pytest.fixture(scope="module")
def expected_matrix():
    vectors = reference().embed(SENTENCES)
    return similarity.cosine_matrix(vectors)


@pytest.fixture
def lists_page(ready_page):
    """The shared ready page, showing a list mode with the set typed in."""

    def show(mode):
        ready_page.click(f".modes [data-mode={mode}]")
        ready_page.fill("#sentences", "\n".join(SENTENCES))
        # Some of these fields are hidden in some modes, so no typing.
        for field, value in (
            ("#source", SOURCE),
            ("#threshold", THRESHOLD),
            ("#min-size", 2),
        ):
            ready_page.locator(field).evaluate(
                "(node, v) => (node.value = v)", str(value)
            )
        return ready_page

    return show


def run(page):
    page.click("#run")
    expect(page.locator("#run")).to_be_enabled(timeout=60_000)
    expect(page.locator("#list-result")).to_be_visible()


def download(page, button) -> str:
    with page.expect_download() as info:
        page.click(button)
    return open(info.value.path(), encoding="utf-8").read()


def test_rank_puts_the_closest_sentence_first_and_matches_cpython(lists_page):
    page = lists_page("rank")
    run(page)
    vectors = reference().embed([SOURCE, *SENTENCES])
    expected = vectors[1:] @ vectors[0]
    sentences = page.locator(".ranked .sentence").all_inner_texts()
    scores = [
        float(s)
        for s in page.locator(".ranked .score").evaluate_all(
            "nodes => nodes.map((n) => n.dataset.score)"
        )
    ]
    assert sentences[0] in MUSIC
    assert sentences == [SENTENCES[k] for k in np.argsort(-expected, kind="stable")]
    assert np.allclose(scores, np.sort(expected)[::-1], atol=1e-4)


def test_matrix_has_n_by_n_cells_and_the_hovered_value_is_the_exported_one(
    lists_page, expected_matrix
):
    page = lists_page("matrix")
    run(page)
    canvas = page.locator("canvas.heatmap")
    expect(canvas).to_have_attribute("data-rows", "8")
    expect(canvas).to_have_attribute("data-cols", "8")
    page.click(".heatmap-frame + .heatmap-legend + details summary")
    expect(page.locator(".score-table tbody td")).to_have_count(64)
    box = canvas.bounding_box()
    row, col = 2, 5
    canvas.hover(
        position={
            "x": (col + 0.5) * box["width"] / 8,
            "y": (row + 0.5) * box["height"] / 8,
        }
    )
    tooltip = page.locator(".heatmap-tooltip")
    expect(tooltip).to_have_attribute("data-row", str(row))
    expect(tooltip).to_have_attribute("data-col", str(col))
    expect(tooltip).to_contain_text(SENTENCES[row])
    expect(tooltip).to_contain_text(SENTENCES[col])
    shown = tooltip.locator("p").last.inner_text().split()[-1]
    rows = list(csv.reader(io.StringIO(download(page, "#export-csv"))))
    assert rows[0] == ["sentence", *SENTENCES]
    exported = float(rows[1 + row][1 + col])
    assert f"{exported:.4f}" == shown
    assert exported == pytest.approx(expected_matrix[row][col], abs=1e-4)


def test_keyboard_moves_the_heatmap_cell(lists_page):
    page = lists_page("matrix")
    run(page)
    page.focus("canvas.heatmap")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    tooltip = page.locator(".heatmap-tooltip")
    expect(tooltip).to_have_attribute("data-row", "1")
    expect(tooltip).to_have_attribute("data-col", "1")
    expect(tooltip).to_contain_text("1.0000")


def test_duplicates_match_the_cpython_reference_and_export(lists_page, expected_matrix):
    pairs, total = similarity.mine(expected_matrix, THRESHOLD, 5000)
    upper = expected_matrix[np.triu_indices(8, k=1)]
    assert np.abs(upper - THRESHOLD).min() > 1e-3, "a pair too close to call"
    page = lists_page("duplicates")
    run(page)
    rows = page.locator("table.pairs tbody tr")
    expect(rows).to_have_count(total)
    shown = [row.locator("td").all_inner_texts() for row in rows.all()]
    assert [(a, b) for _, a, b in shown] == [
        (SENTENCES[i], SENTENCES[j]) for i, j, _ in pairs
    ]
    exported = list(csv.reader(io.StringIO(download(page, "#export-csv"))))
    assert exported[0] == ["first", "second", "score"]
    assert [(a, b) for a, b, _ in exported[1:]] == [(a, b) for _, a, b in shown]
    assert [f"{float(s):.4f}" for *_, s in exported[1:]] == [s for s, _, _ in shown]


def test_groups_match_the_cpython_reference_and_export_as_json(
    lists_page, expected_matrix
):
    groups = similarity.communities(expected_matrix, THRESHOLD, 2)
    page = lists_page("groups")
    page.check("#export-embeddings")
    run(page)
    sections = page.locator(".group")
    expect(sections).to_have_count(len(groups))
    for section, members in zip(sections.all(), groups, strict=True):
        assert section.locator("li").all_inner_texts() == [
            SENTENCES[k] for k in members
        ]
    document = json.loads(download(page, "#export-json"))
    assert document["model"] == "Xenova/all-MiniLM-L6-v2"
    assert document["sentences"] == SENTENCES
    assert document["result"] == groups
    embeddings = np.array(document["embeddings"])
    assert np.abs(embeddings - reference().embed(SENTENCES)).max() <= 1e-4


def test_a_link_with_sentences_restores_the_view(browser, site):
    fragment = urllib.parse.urlencode(
        [("mode", "duplicates"), ("threshold", "0.5")] + [("s", s) for s in SENTENCES]
    )
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site.url}#{fragment}")
    expect(page.locator("#list-result")).to_be_visible(timeout=BOOT_TIMEOUT_MS)
    expect(page.locator(".modes [data-mode=duplicates]")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(page.locator("#sentences")).to_have_value("\n".join(SENTENCES))
    expect(page.locator("#threshold")).to_have_value("0.5")
    expect(page.locator("table.pairs tbody tr").first).to_be_visible()
    context.close()


def test_running_a_list_puts_it_in_the_url(lists_page):
    page = lists_page("groups")
    run(page)
    fragment = urllib.parse.parse_qs(page.evaluate("location.hash.slice(1)"))
    assert fragment["mode"] == ["groups"]
    assert fragment["s"] == SENTENCES
    assert fragment["min_size"] == ["2"]


def test_cancel_stops_a_run_of_300_sentences(lists_page):
    page = lists_page("matrix")
    page.fill(
        "#sentences",
        "\n".join(f"Sentence number {k} of a long list." for k in range(300)),
    )
    page.click("#run")
    expect(page.locator("#run-text")).to_contain_text("of 300 sentences")
    expect(page.locator("#compare")).to_be_disabled()
    expect(page.locator(".modes [data-mode=rank]")).to_be_disabled()
    page.click("#cancel")
    expect(page.locator("#list-error")).to_contain_text("Cancelled after")
    expect(page.locator("#run")).to_be_enabled()
    expect(page.locator("#list-result")).to_be_hidden()
    done = int(page.locator("#list-error").inner_text().split("after ")[1].split()[0])
    expect(page.locator("#run-text")).to_contain_text(f"Embedded {done} of 300")
    assert done < 300


def test_more_sentences_than_the_limit_are_refused_with_a_message(lists_page):
    page = lists_page("matrix")
    text = "\n".join(f"line {k}" for k in range(1001))
    page.fill("#sentences", text)
    page.click("#run")
    expect(page.locator("#list-error")).to_contain_text("At most 1,000 sentences")
    expect(page.locator("#sentences")).to_have_value(text)
    expect(page.locator("#max-sentences")).to_have_text("1,000")


def test_a_dropped_csv_file_adds_its_text_column(lists_page):
    page = lists_page("matrix")
    page.fill("#sentences", "Already typed.")
    page.set_input_files(
        "#file",
        files=[
            {
                "name": "list.csv",
                "mimeType": "text/csv",
                "buffer": b'id,text\n1,"First, from the file"\n2,Second\n',
            }
        ],
    )
    expect(page.locator("#sentences")).to_have_value(
        "Already typed.\nFirst, from the file\nSecond"
    )


def test_sentences_are_shown_as_text_never_as_html(lists_page):
    page = lists_page("rank")
    page.fill("#sentences", "<img src=x onerror=alert(1)>\n<b>bold</b>")
    run(page)
    expect(page.locator(".ranked .sentence").first).to_contain_text("<")
    assert page.locator("#list-result img, #list-result b").count() == 0


@pytest.mark.parametrize("threshold", ["", "abc"])
def test_an_empty_or_unreadable_threshold_is_refused(lists_page, threshold):
    page = lists_page("duplicates")
    page.locator("#threshold").evaluate("(node, v) => (node.value = v)", threshold)
    page.click("#run")
    expect(page.locator("#list-error")).to_contain_text("threshold is a number")
    expect(page.locator("#list-result")).to_be_hidden()
