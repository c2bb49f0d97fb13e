"""Months written YYYY-MM (service metrics and scope are monthly) and their quarters."""

import calendar
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


def review_period_ending(month: str) -> str:
    """The review period of the three months up to ``month`` (the months a service play looks
    at): its quarter when ``month`` ends one ("2026-Q3"), else the range of days
    ("2026-08-01..2026-10-31")."""
    if int(month[5:7]) % 3 == 0:
        return quarter_of(month)
    first = month_before(month, 2)
    year, number = int(month[:4]), int(month[5:7])
    last_day = calendar.monthrange(year, number)[1]
    return f"{first}-01..{month}-{last_day:02d}"
