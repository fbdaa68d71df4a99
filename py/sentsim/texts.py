"""Checks on what the user typed, before anything is embedded."""

import unicodedata

# Characters that show nothing on their own: separators, controls, format
# characters such as the zero-width space (U+200B) and joiner (U+200D), and
# combining marks with no letter to sit on (U+0301, the selector U+FE0F).
INVISIBLE = {"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"}


class InputError(ValueError):
    """A text cannot be compared; `index` says which field it came from."""

    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index = index


def is_blank(text: str) -> bool:
    return all(unicodedata.category(c) in INVISIBLE for c in text)


def check_texts(texts, least: int = 2) -> list[str]:
    """Return the texts as a list of str, or raise InputError for the first bad one."""
    texts = list(texts)
    if len(texts) < least:
        raise InputError(len(texts), f"Enter at least {least} texts.")
    for index, text in enumerate(texts):
        if not isinstance(text, str):
            raise InputError(index, f"Expected text, got {type(text).__name__}.")
        if not text.strip():
            raise InputError(index, "This field is empty: type a sentence to compare.")
        if is_blank(text):
            raise InputError(
                index, "This field shows no visible text: type a sentence to compare."
            )
    return texts
