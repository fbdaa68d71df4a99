"""What the user typed is checked before anything is embedded."""

import pytest

from sentsim.texts import InputError, check_texts


def test_two_texts_pass_unchanged():
    assert check_texts(("a cat", "  a dog\n")) == ["a cat", "  a dog\n"]


@pytest.mark.parametrize("blank", ["", "   ", "\t\n", "\u3000"])
def test_blank_second_field_is_refused_and_named(blank):
    with pytest.raises(InputError, match="empty") as caught:
        check_texts(["fine", blank])
    assert caught.value.index == 1


def test_first_blank_field_is_the_one_reported():
    with pytest.raises(InputError) as caught:
        check_texts(["", ""])
    assert caught.value.index == 0


@pytest.mark.parametrize(
    "invisible", ["\u200b", "\u200b\u200d\ufeff", " \u200b\n", "\u0301\u0301", "\ufe0f"]
)
def test_text_of_only_invisible_characters_is_refused(invisible):
    with pytest.raises(InputError, match="no visible text"):
        check_texts(["fine", invisible])


def test_zero_width_characters_inside_words_are_kept():
    text = "zero\u200bwidth jo\u200dined"
    assert check_texts(["fine", text]) == ["fine", text]


def test_fewer_than_two_texts_is_refused():
    with pytest.raises(InputError, match="at least 2"):
        check_texts(["alone"])


def test_non_text_is_refused_with_its_type():
    with pytest.raises(InputError, match="int"):
        check_texts(["text", 3])
