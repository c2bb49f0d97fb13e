"""Helpers for the rule tests: evaluate one rule directly, as of the fixed test day."""

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from heedful.plays.rules import RULES_BY_KEY, Finding


def evaluate(key: str, as_of: date, account_ids: list[int] | None = None,
             **thresholds: float) -> list[Finding]:
    rule = RULES_BY_KEY[key]
    return list(rule.evaluate(as_of=as_of, account_ids=account_ids, thresholds=thresholds))


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


@pytest.fixture
def findings(db, as_of: date) -> Callable[..., list[Finding]]:  # noqa: ANN001
    """``findings("billing.spike")`` → what the rule finds as of 2026-11-22."""

    def run(key: str, account_ids: list[int] | None = None, *, on: date | None = None,
            **thresholds: float) -> list[Finding]:
        return evaluate(key, on or as_of, account_ids, **thresholds)

    return run
