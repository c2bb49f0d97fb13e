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


def sort_columns(columns: Sequence[tuple[str, ...]], current_sort: str) -> list[Column]:
    """``columns`` as (key, label) pairs, or (key, label, first) where ``first`` is the sort a
    first click asks for (e.g. "-priority", highest first; the key itself by default);
    ``current_sort`` a key, "-" in front for descending."""
    headers = []
    for key, label, *first in columns:
        if current_sort == key:
            headers.append(Column(key, label, f"-{key}", "ascending"))
        elif current_sort == f"-{key}":
            headers.append(Column(key, label, key, "descending"))
        else:
            headers.append(Column(key, label, first[0] if first else key, "none"))
    return headers
