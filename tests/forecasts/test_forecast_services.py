"""Submitting forecasts, their history, the manager's adjustments kept apart, the reminder
and accuracy once the period closes."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from heedful.core.exceptions import InvalidInput
from heedful.forecasts import services
from heedful.forecasts.models import ForecastAdjustment, ForecastPeriod, ForecastSubmission
from tests.factories import OpportunityFactory


@pytest.fixture
def period(db) -> ForecastPeriod:  # noqa: ANN001
    return ForecastPeriod.objects.create(
        name="2026-Q4", starts_on=date(2026, 10, 1), ends_on=date(2026, 12, 31),
        due_on=date(2026, 11, 20), reminder_days=3,
    )


def at(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 15, tzinfo=UTC)


def submit(people, period, commit=100, best_case=150, pipeline=300, on=None):  # noqa: ANN001, ANN201
    return services.submit(user=people.rep, period=period, commit=commit, best_case=best_case,
                           pipeline=pipeline, now=on or at(18))


def test_a_resubmission_keeps_the_first_and_marks_itself_latest(people, period) -> None:  # noqa: ANN001
    # given
    first = submit(people, period)
    # when
    second = submit(people, period, commit=120, on=at(19))
    # then
    history = services.history(rep=people.rep, period=period)
    assert [item.pk for item in history] == [second.pk, first.pk]
    assert [item.is_latest for item in history] == [True, False]
    assert history[1].commit == Decimal("100.00")


def test_on_the_due_date_is_on_time_and_the_day_after_is_late(people, period) -> None:  # noqa: ANN001
    assert submit(people, period, on=at(20)).is_late is False
    assert submit(people, period, on=at(21)).is_late is True


def test_a_commit_above_the_best_case_is_refused_and_nothing_written(people, period) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput) as refused:
        submit(people, period, commit=200, best_case=150)
    assert refused.value.errors == {
        "best_case": ["Best case includes commit: make it at least the commit."]}
    assert not ForecastSubmission.objects.exists()


def test_an_amount_that_is_no_number_says_how_to_write_one(people, period) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput) as refused:
        submit(people, period, commit="a lot")
    assert refused.value.errors["commit"] == ["Write an amount such as 125000 or 125000.50."]


def test_the_managers_adjustment_stays_apart_from_the_reps_figure(people, period) -> None:  # noqa: ANN001
    # given
    submit(people, period, commit=100, best_case=150, pipeline=300)
    # when
    services.adjust(user=people.manager, rep=people.rep, period=period, category="commit",
                    change="-40", reason="Northwind slips to January")
    # then
    row = services.roll_up(user=people.manager, period=period).rows[0]
    assert (row.commit, row.adjusted_commit) == (Decimal("100.00"), Decimal("60.00"))
    assert row.adjustments[0].reason == "Northwind slips to January"
    assert ForecastSubmission.objects.get().commit == Decimal("100.00")


def test_only_a_manager_adjusts_and_always_with_a_reason(people, period) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput):
        services.adjust(user=people.rep, rep=people.rep, period=period, category="commit",
                        change="10", reason="I feel lucky")
    with pytest.raises(InvalidInput):
        services.adjust(user=people.other_manager, rep=people.rep, period=period,
                        category="commit", change="10", reason="Not my rep")
    with pytest.raises(InvalidInput) as refused:
        services.adjust(user=people.manager, rep=people.rep, period=period, category="commit",
                        change="10", reason=" ")
    assert "reason" in refused.value.errors
    assert not ForecastAdjustment.objects.exists()


def test_the_roll_up_counts_who_has_not_submitted(people, period) -> None:  # noqa: ANN001
    roll_up = services.roll_up(user=people.director, period=period)
    assert [row.rep.username for row in roll_up.rows] == ["rep"]
    assert roll_up.missing == 1
    submit(people, period, on=at(22))
    roll_up = services.roll_up(user=people.director, period=period)
    assert (roll_up.missing, roll_up.late) == (0, 1)
    assert roll_up.totals["commit"] == Decimal("100.00")


def test_the_reminder_comes_three_days_before_the_due_date(people, period) -> None:  # noqa: ANN001
    assert services.reminder(rep=people.rep, as_of=date(2026, 11, 16)) is None
    reminder = services.reminder(rep=people.rep, as_of=date(2026, 11, 17))
    assert reminder is not None and reminder.days_left == 3
    submit(people, period)
    assert services.reminder(rep=people.rep, as_of=date(2026, 11, 19)) is None


def test_accuracy_once_closed_compares_won_with_commit_and_best_case(people, period) -> None:  # noqa: ANN001
    # given: commit 100, best case 150; 120 won in the quarter, 50 after it
    submit(people, period)
    OpportunityFactory(owner=people.rep, account=people.ours, amount=Decimal("120"),
                       won=True, closed_on=date(2026, 12, 10))
    OpportunityFactory(owner=people.rep, account=people.ours, amount=Decimal("50"),
                       won=True, closed_on=date(2027, 1, 5))
    # when: not closed yet, then closed
    assert services.accuracy(rep_ids=[people.rep.pk], as_of=date(2026, 12, 31)) == []
    [row] = services.accuracy(rep_ids=[people.rep.pk], as_of=date(2027, 1, 10))
    # then
    assert row.won == Decimal("120.00")
    assert (row.against_commit, row.against_best_case) == (Decimal("1.200"), Decimal("0.800"))
