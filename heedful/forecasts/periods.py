"""Periods as people write them: "2026-Q4" (a quarter) or "2026-11" (a month)."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from heedful.core.exceptions import InvalidInput

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Period:
    name: str
    starts_on: date
    ends_on: date
    """The last day of the period (inclusive)."""

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def _month_end(year: int, month: int) -> date:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def parse(name: str) -> Period:
    """The period ``name`` names; InvalidInput saying the two spellings otherwise."""
    text = name.strip().upper()
    quarter = QUARTER.match(text)
    if quarter:
        year, number = int(quarter.group(1)), int(quarter.group(2))
        first_month = 3 * (number - 1) + 1
        return Period(text, date(year, first_month, 1), _month_end(year, first_month + 2))
    month = MONTH.match(text)
    if month:
        year, number = int(month.group(1)), int(month.group(2))
        return Period(text, date(year, number, 1), _month_end(year, number))
    raise InvalidInput(
        f"“{name}” is not a period: write a quarter as 2026-Q4 or a month as 2026-11.",
        {"period": ["Write a quarter as 2026-Q4 or a month as 2026-11."]},
    )


def quarter_of(day: date) -> Period:
    return parse(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def previous(period: Period) -> Period:
    """The period of the same length just before ``period``."""
    day_before = period.starts_on - timedelta(days=1)
    if "Q" in period.name:
        return quarter_of(day_before)
    return parse(f"{day_before.year}-{day_before.month:02d}")
