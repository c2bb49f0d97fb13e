"""Column headers that sort a list: each links to its sort, or to the other direction when
the list is already sorted by it (the accounts list, the team view)."""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    sort: str
    """The sort value its header link asks for (the other direction when already sorted)."""
    aria_sort: str
    """ascending, descending or none, for the header cell."""


def sort_columns(columns: Sequence[tuple[str, str]], current_sort: str) -> list[Column]:
    """``columns`` as (key, label) pairs; ``current_sort`` a key, "-" in front for descending."""
    headers = []
    for key, label in columns:
        if current_sort == key:
            headers.append(Column(key, label, f"-{key}", "ascending"))
        elif current_sort == f"-{key}":
            headers.append(Column(key, label, key, "descending"))
        else:
            headers.append(Column(key, label, key, "none"))
    return headers
