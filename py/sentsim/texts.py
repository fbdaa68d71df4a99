"""Checks on what the user typed, before anything is embedded."""


class InputError(ValueError):
    """A text cannot be compared; `index` says which field it came from."""

    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index = index


def check_texts(texts) -> list[str]:
    """Return the texts as a list of str, or raise InputError for the first bad one."""
    texts = list(texts)
    if len(texts) < 2:
        raise InputError(len(texts), "Enter at least two texts to compare.")
    for index, text in enumerate(texts):
        if not isinstance(text, str):
            raise InputError(index, f"Expected text, got {type(text).__name__}.")
        if not text.strip():
            raise InputError(index, "This field is empty: type a sentence to compare.")
    return texts
