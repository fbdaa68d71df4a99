"""Reading lists of sentences, their limits, and exporting a run."""

import csv
import io
import json

import pytest

from sentsim import lists

SENTENCES = ["A cat sleeps.", "A dog, barking", 'He said "hi"']


def read_csv(text):
    return list(csv.reader(io.StringIO(text)))


def test_one_sentence_per_visible_line():
    text = "  first \n\n\t\nsecond\r\n\u200b\nthird"
    assert lists.sentences_from_lines(text) == ["first", "second", "third"]


@pytest.mark.parametrize(
    "mode, sentences, source, message",
    [
        ("matrix", ["only one"], "", "at least 2"),
        ("rank", [], "source", "at least one sentence"),
        ("rank", ["a"], "  \u200b ", "source sentence"),
        ("groups", ["s"] * (lists.MAX_SENTENCES + 1), "", "At most 1,000"),
        ("heatmap", ["a", "b"], "", "Unknown mode"),
    ],
)
def test_lists_outside_the_limits_are_refused_with_what_to_change(
    mode, sentences, source, message
):
    with pytest.raises(lists.ListError, match=message):
        lists.check_list(mode, sentences, source)


def test_a_list_at_the_limit_is_accepted():
    lists.check_list("matrix", ["s"] * lists.MAX_SENTENCES)


def test_a_text_file_gives_one_sentence_per_line():
    text = "\ufeffFirst line\n\nSecond line\n"
    assert lists.sentences_from_file("notes.TXT", text) == ["First line", "Second line"]


def test_a_csv_file_gives_its_text_column():
    text = 'id,Text,label\n1,"A cat, asleep",x\n2,"Two\nlines",y\n3,,z\n'
    assert lists.sentences_from_file("data.csv", text) == ["A cat, asleep", "Two lines"]


def test_a_one_column_csv_without_header_is_all_sentences():
    assert lists.sentences_from_file("a.csv", "first\nsecond\n") == ["first", "second"]


def test_a_csv_without_a_text_column_names_its_columns():
    with pytest.raises(lists.ListError, match="its columns: id, label"):
        lists.sentences_from_file("a.csv", "id,label\n1,x\n")


def test_other_files_are_refused():
    with pytest.raises(lists.ListError, match=r"\.txt file"):
        lists.sentences_from_file("photo.png", "")


def run(mode, result, source=None):
    return {
        "mode": mode,
        "source": source,
        "sentences": SENTENCES,
        "options": {"threshold": 0.8},
        "result": result,
    }


def test_ranking_exports_rank_score_and_sentence():
    ranked = [{"index": 2, "score": 0.91}, {"index": 0, "score": 0.1234567}]
    rows = read_csv(lists.export_csv(run("rank", ranked, source="Hi")))
    assert rows == [
        ["rank", "score", "sentence"],
        ["1", "0.910000", 'He said "hi"'],
        ["2", "0.123457", "A cat sleeps."],
    ]


def test_the_matrix_exports_with_sentences_as_headers():
    matrix = [[1.0, 0.5, 0.25], [0.5, 1.0, 0.125], [0.25, 0.125, 1.0]]
    rows = read_csv(lists.export_csv(run("matrix", matrix)))
    assert rows[0] == ["sentence", *SENTENCES]
    assert [row[0] for row in rows[1:]] == SENTENCES
    assert [[float(x) for x in row[1:]] for row in rows[1:]] == matrix


def test_duplicates_export_both_sentences_and_the_score():
    pairs = [{"i": 0, "j": 2, "score": 0.85}]
    rows = read_csv(lists.export_csv(run("duplicates", pairs)))
    assert rows == [
        ["first", "second", "score"],
        [SENTENCES[0], SENTENCES[2], "0.850000"],
    ]


def test_groups_export_one_row_per_member():
    rows = read_csv(lists.export_csv(run("groups", [[2, 0], [1]])))
    assert rows == [
        ["group", "sentence"],
        ["1", SENTENCES[2]],
        ["1", SENTENCES[0]],
        ["2", SENTENCES[1]],
    ]


def test_json_export_has_everything_and_embeddings_only_on_request():
    document = json.loads(lists.export_json(run("groups", [[0, 1]]), "m"))
    assert document["model"] == "m"
    assert document["sentences"] == SENTENCES
    assert document["result"] == [[0, 1]]
    assert "embeddings" not in document
    with_vectors = json.loads(lists.export_json(run("groups", [[0, 1]]), "m", [[0.5]]))
    assert with_vectors["embeddings"] == [[0.5]]


@pytest.mark.parametrize(
    "mode, options, message",
    [
        ("duplicates", {"threshold": None}, "threshold"),
        ("duplicates", {"threshold": 1.5}, "threshold"),
        ("groups", {"threshold": 0.5, "min_size": 0}, "group size"),
        ("groups", {"threshold": 0.5, "min_size": 2.5}, "group size"),
    ],
)
def test_options_out_of_range_are_refused(mode, options, message):
    with pytest.raises(lists.ListError, match=message):
        lists.check_options(mode, options)


def test_options_a_mode_does_not_use_are_not_checked():
    lists.check_options("matrix", {"threshold": None, "min_size": None})
    lists.check_options("duplicates", {"threshold": -1, "min_size": None})


def test_a_semicolon_csv_keeps_commas_inside_sentences():
    text = "text;label\nhello, there;1\nworld;2\n"
    assert lists.sentences_from_file("a.csv", text) == ["hello, there", "world"]


def test_duplicates_keep_every_pair_for_export():
    from sentsim import similarity

    vectors = [[1.0, 0.0], [1.0, 0.1], [1.0, 0.2], [0.9, 0.3]]
    found = lists.run_result(similarity, "duplicates", vectors, {"threshold": -1})
    assert found["total"] == len(found["result"]) == 6


def test_groups_export_lists_the_ungrouped_sentences_last():
    run = {
        "mode": "groups",
        "sentences": SENTENCES,
        "result": [[0, 1]],
        "ungrouped": [2],
    }
    rows = read_csv(lists.export_csv(run))
    assert rows[-1] == ["", SENTENCES[2]]
    assert json.loads(lists.export_json({**run, "options": {}}, "m"))["ungrouped"] == [
        2
    ]
