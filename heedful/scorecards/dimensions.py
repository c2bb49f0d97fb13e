"""The dimensions of a rep's performance, declared once: label, unit, which way is better and
the standard until a manager sets one. The scorecard, its page, the report command and the
agenda items all read them here."""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from heedful.lib import words


class Unit(StrEnum):
    PERCENT = "percent"
    """A ratio shown as a percent (0.85 → 85%)."""
    TIMES = "times"
    """A ratio shown as "3.0×" (pipeline coverage, question ratio)."""
    COUNT = "count"


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    unit: Unit
    default_standard: Decimal
    explanation: str
    higher_is_better: bool = True

    def meets(self, value: Decimal | None, standard: Decimal) -> bool | None:
        """At the standard meets it; None when there is nothing to measure."""
        if value is None:
            return None
        return value >= standard if self.higher_is_better else value <= standard


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("quota_attainment", "Quota attainment", Unit.PERCENT, Decimal("1.00"),
              "Won in the period against the quota for it."),
    Dimension("pipeline_coverage", "Pipeline coverage", Unit.TIMES, Decimal("3.0"),
              "Open pipeline closing in the next period against its quota."),
    Dimension("new_accounts_won", "New accounts won", Unit.COUNT, Decimal("1"),
              "Accounts whose first won deal closed in the period."),
    Dimension("forecast_timeliness", "Forecasts on time", Unit.PERCENT, Decimal("1.00"),
              "Forecasts due in the period submitted by their due date."),
    Dimension("forecast_accuracy", "Forecast accuracy", Unit.PERCENT, Decimal("0.85"),
              "How close what was won came to the commit, for forecast periods that ended "
              "in the period: 100% is exact."),
    Dimension("record_hygiene", "Records kept up", Unit.PERCENT, Decimal("0.90"),
              "Open opportunities touched in 30 days, with a next step and a close date in "
              "the future."),
    Dimension("expenses_on_time", "Expense reports on time", Unit.PERCENT, Decimal("1.00"),
              "Expense reports due in the period submitted by their due date."),
    Dimension("customer_engagement", "Customers in two-way contact", Unit.PERCENT,
              Decimal("0.80"),
              "Owned accounts with a two-way conversation in the last 90 days; the plays "
              "done, dismissed and left and the site visits are beside it."),
    Dimension("listening", "Questions per statement", Unit.TIMES, Decimal("1.0"),
              "Questions asked per statement made in transcribed meetings (at least one, "
              "better more); the talk share is beside it."),
    Dimension("action_items_on_time", "Action items done on time", Unit.PERCENT,
              Decimal("0.90"),
              "Action items (from meetings and reviews) due in the period, done by their due "
              "date."),
)

DIMENSIONS_BY_KEY = {dimension.key: dimension for dimension in DIMENSIONS}


def formatted(dimension: Dimension, value: Decimal | None) -> str:
    """A figure as pages, the report and agenda items write it."""
    if value is None:
        return "nothing to measure"
    if dimension.unit == Unit.PERCENT:
        return words.format_percent((value * 100).quantize(Decimal("0.1")))
    if dimension.unit == Unit.TIMES:
        return f"{value.quantize(Decimal('0.01'))}×"
    return words.format_number(value)
