"""Token handling as sentence-transformers does it for this model.

Texts are cut to `limit` tokens counting [CLS] and [SEP]: the first
`limit - 2` word pieces, then [SEP] again at the end. (Transformers.js 3.x
truncates after adding [SEP], which drops it; hence the cut is made here.)
A batch is padded to its longest text.
"""

from array import array


def fit(
    pieces: list[int], prefix: list[int], suffix: list[int], limit: int
) -> list[int]:
    """Special tokens around the word pieces, cut so the whole fits in `limit`."""
    room = limit - len(prefix) - len(suffix)
    if room < 1:
        raise ValueError(f"a limit of {limit} tokens leaves no room for text")
    return prefix + pieces[:room] + suffix


def report(count: int, limit: int, specials: int) -> dict:
    """What the page shows for a text of `count` tokens, `specials` of them
    special ([CLS], [SEP]): "empty" when the model reads nothing else."""
    return {
        "count": count,
        "used": min(count, limit),
        "truncated": count > limit,
        "empty": count <= specials,
    }


def pad_batch(rows: list[list[int]], pad_id: int) -> tuple[array, array, int]:
    """Row-major int64 ids and attention mask, padded to the longest row."""
    width = max(len(row) for row in rows)
    ids, mask = array("q"), array("q")
    for row in rows:
        padding = width - len(row)
        ids.extend(row + [pad_id] * padding)
        mask.extend([1] * len(row) + [0] * padding)
    return ids, mask, width
