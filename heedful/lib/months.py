"""Months written YYYY-MM (service metrics and scope are monthly) and their quarters."""

from datetime import date


def months_between(start: date, end: date) -> list[str]:
    """Every month from ``start``'s to ``end``'s, both included, oldest first."""
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return [f"{index // 12:04d}-{index % 12 + 1:02d}" for index in range(first, last + 1)]


def month_before(month: str, count: int) -> str:
    """The YYYY-MM month ``count`` months before ``month``."""
    year, number = int(month[:4]), int(month[5:7])
    index = year * 12 + number - 1 - count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def quarter_of(month: str) -> str:
    """The quarter (2026-Q4) holding the month ``month`` (2026-11)."""
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"
