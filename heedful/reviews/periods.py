"""The period of a review as people write it: a quarter (2026-Q3), a month (2026-10) or a
range of days (2026-08-01..2026-10-31)."""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from heedful.core.exceptions import InvalidInput
from heedful.lib.months import month_before, months_between, quarter_of
from heedful.lib.words import format_day, format_month

__all__ = ["Period", "month_before", "months_between", "parse_period", "quarter_of"]

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
LONGEST_RANGE_DAYS = 366 * 2
"""A review covers at most two years: past that, its months would not fit a page."""
EXPECTED = "YYYY-Qn (2026-Q3), YYYY-MM (2026-10) or FROM..TO (2026-08-01..2026-10-31)"


@dataclass(frozen=True)
class Period:
    key: str
    """As written, normalised: "2026-Q3", "2026-10", "2026-08-01..2026-10-31"."""
    start: date
    end: date
    """The last day, included."""

    @property
    def months(self) -> list[str]:
        """The months (YYYY-MM) the period touches, oldest first: service metrics and scope
        are monthly, so a range of days takes each month it overlaps."""
        return months_between(self.start, self.end)

    @property
    def words(self) -> str:
        """Q3 2026, Oct 2026, or 1 Aug 2026 to 31 Oct 2026."""
        quarter = QUARTER.match(self.key)
        if quarter:
            return f"Q{quarter[2]} {quarter[1]}"
        if MONTH.match(self.key):
            return format_month(self.start)
        return f"{format_day(self.start)} to {format_day(self.end)}"


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str) -> Period:
    """The period ``text`` names; InvalidInput saying what is wrong and what is expected."""
    text = (text or "").strip().upper()
    quarter = QUARTER.match(text)
    if quarter:
        year, number = int(quarter[1]), int(quarter[2])
        first_month = (number - 1) * 3 + 1
        return Period(
            key=f"{year:04d}-Q{number}", start=date(year, first_month, 1),
            end=_last_day(year, first_month + 2),
        )
    month = MONTH.match(text)
    if month:
        year, number = int(month[1]), int(month[2])
        if not 1 <= number <= 12:
            raise _refused(text, f"month {number} does not exist")
        return Period(key=f"{year:04d}-{number:02d}", start=date(year, number, 1),
                      end=_last_day(year, number))
    span = RANGE.match(text)
    if span:
        try:
            start, end = date.fromisoformat(span[1]), date.fromisoformat(span[2])
        except ValueError as error:
            raise _refused(text, f"{error}") from None
        if end < start:
            raise _refused(text, "the range ends before it starts")
        if (end - start).days > LONGEST_RANGE_DAYS:
            raise _refused(text, "a review covers at most two years")
        return Period(key=f"{start.isoformat()}..{end.isoformat()}", start=start, end=end)
    raise _refused(text, "not a period")


def _refused(text: str, reason: str) -> InvalidInput:
    return InvalidInput(
        f"The period {text!r}: {reason}; expected {EXPECTED}.",
        {"period": [f"{reason.capitalize()}; expected {EXPECTED}."]},
    )
