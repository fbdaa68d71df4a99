"""Token counting, truncation and padding, as sentence-transformers does them."""

from array import array

import pytest
from tokenizers import Tokenizer

import build
from sentsim import tokens

CLS, SEP, PAD = [101], [102], 0
TOKENIZER = build.SITE / "models" / build.MODEL_ID / "tokenizer.json"


def test_a_short_text_keeps_every_piece_between_cls_and_sep():
    assert tokens.fit([7, 8, 9], CLS, SEP, limit=256) == [101, 7, 8, 9, 102]


def test_a_long_text_is_cut_to_the_limit_and_still_ends_with_sep():
    fitted = tokens.fit(list(range(1000, 1600)), CLS, SEP, limit=256)
    assert len(fitted) == 256
    assert fitted[0] == 101 and fitted[-1] == 102
    assert fitted[1:-1] == list(range(1000, 1254))


def test_a_limit_with_no_room_for_text_is_refused():
    with pytest.raises(ValueError, match="no room"):
        tokens.fit([1], CLS, SEP, limit=2)


@pytest.mark.parametrize(
    "count, used, truncated", [(7, 7, False), (256, 256, False), (257, 256, True)]
)
def test_report_says_when_a_text_was_cut(count, used, truncated):
    assert tokens.report(count, 256, specials=2) == {
        "count": count,
        "used": used,
        "truncated": truncated,
        "empty": False,
    }


def test_report_says_when_only_special_tokens_are_left():
    assert tokens.report(2, 256, specials=2)["empty"] is True
    assert tokens.report(3, 256, specials=2)["empty"] is False


def test_a_batch_is_padded_to_its_longest_text_with_a_mask():
    ids, mask, width = tokens.pad_batch([[101, 5, 102], [101, 102]], PAD)
    assert width == 3
    assert ids == array("q", [101, 5, 102, 101, 102, 0])
    assert mask == array("q", [1, 1, 1, 1, 1, 0])


@pytest.mark.parametrize("words", [3, 254, 600])
def test_the_cut_matches_the_rust_tokenizer_truncating_at_256(words):
    tokenizer = Tokenizer.from_file(str(TOKENIZER))
    text = " ".join(f"word{i % 50}" for i in range(words))
    pieces = tokenizer.encode(text, add_special_tokens=False).ids
    reference = tokenizer.encode(text).ids
    assert tokens.fit(pieces, CLS, SEP, limit=256) == reference
