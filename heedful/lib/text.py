"""Text helpers shared by imports, search and pages."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case text without accents, for matching "Zoë" with "zoe"; the stored name keeps
    its accents."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


def split_list(raw: str) -> list[str]:
    """A ``;``-separated CSV list, trimmed, without empties."""
    return [item.strip() for item in (raw or "").split(";") if item.strip()]


def join_list(items: list[str]) -> str:
    return ";".join(items)
