"""The last step of community detection, shared by both similarity engines."""


def keep_disjoint(found: list[list[int]], min_size: int) -> list[list[int]]:
    """Largest groups first; each text stays in the first group that takes it.

    A group keeps only the texts no larger group has taken, and is dropped if
    fewer than `min_size` remain, as sentence-transformers does.
    """
    groups, taken = [], set()
    for members in sorted(found, key=len, reverse=True):
        fresh = [k for k in members if k not in taken]
        if len(fresh) >= min_size:
            groups.append(fresh)
            taken.update(fresh)
    return sorted(groups, key=len, reverse=True)
