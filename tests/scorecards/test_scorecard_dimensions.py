"""Each scorecard dimension measured from the records, and judged against the manager's
standard: at the standard it meets it, just under it is below (and says so with its numbers).
As of 22 Nov 2026, for 2026-Q4."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from heedful.coaching.models import FollowUp, Review
from heedful.expenses.models import ExpenseReport
from heedful.forecasts import periods
from heedful.forecasts import services as forecasts
from heedful.forecasts.models import ForecastPeriod
from heedful.sales.models import Quota
from heedful.scorecards import services
from tests.factories import AccountFactory, InteractionFactory, OpportunityFactory
from tests.plays.meeting_records import action_item, meeting, spoke

AS_OF = date(2026, 11, 22)
QUARTER = periods.parse("2026-Q4")


def _month(name: str, due_on: date) -> ForecastPeriod:
    period = periods.parse(name)
    return ForecastPeriod.objects.create(name=name, starts_on=period.starts_on,
                                         ends_on=period.ends_on, due_on=due_on)


def _submit(people, period: ForecastPeriod, on: date, commit: int = 100) -> None:  # noqa: ANN001
    forecasts.submit(user=people.rep, period=period, commit=commit, best_case=commit * 2,
                     pipeline=commit * 3, now=datetime(on.year, on.month, on.day, 12,
                                                       tzinfo=UTC))


def _quota(people, start: date, end: date, amount: int) -> None:  # noqa: ANN001
    Quota.objects.create(user=people.rep, period_start=start, period_end=end,
                         amount=Decimal(amount), currency="USD")


def quota_attainment(people) -> Decimal:  # noqa: ANN001
    _quota(people, date(2026, 10, 1), date(2026, 12, 31), 100000)
    OpportunityFactory(owner=people.rep, account=people.ours, amount=Decimal(80000), won=True,
                       closed_on=date(2026, 11, 10))
    OpportunityFactory(owner=people.rep, account=people.ours, amount=Decimal(5000), won=True,
                       closed_on=date(2026, 9, 30))  # last quarter
    return Decimal("0.8")


def pipeline_coverage(people) -> Decimal:  # noqa: ANN001
    _quota(people, date(2027, 1, 1), date(2027, 3, 31), 100000)
    OpportunityFactory(owner=people.rep, account=people.ours, amount=Decimal(250000),
                       close_date=date(2027, 2, 15))
    OpportunityFactory(owner=people.rep, account=people.ours, amount=Decimal(70000),
                       close_date=date(2026, 12, 15))  # closes this quarter: not counted
    return Decimal("2.5")


def record_hygiene(people) -> Decimal:  # noqa: ANN001
    kept = AccountFactory(owner=people.rep, external_id="ACC-KEPT")
    OpportunityFactory(owner=people.rep, account=kept, close_date=date(2026, 12, 20),
                       next_step="Send the revised quote")
    InteractionFactory(account=kept, occurred_at=datetime(2026, 11, 1, 10, tzinfo=UTC))
    # touched long ago: not kept up, whatever its next step
    OpportunityFactory(owner=people.rep, account=people.ours, close_date=date(2026, 12, 20),
                       next_step="Call the CFO")
    return Decimal("0.5")


def new_accounts_won(people) -> Decimal:  # noqa: ANN001
    OpportunityFactory(owner=people.rep, account=AccountFactory(external_id="ACC-NEW"),
                       won=True, closed_on=date(2026, 11, 2))
    # a second deal won with a customer already won before: not new
    OpportunityFactory(owner=people.rep, account=people.ours, won=True,
                       closed_on=date(2026, 6, 1))
    OpportunityFactory(owner=people.rep, account=people.ours, won=True,
                       closed_on=date(2026, 11, 3))
    return Decimal(1)


def forecast_timeliness(people) -> Decimal:  # noqa: ANN001
    _submit(people, _month("2026-10", date(2026, 10, 5)), date(2026, 10, 5))  # on the day
    _submit(people, _month("2026-11", date(2026, 11, 5)), date(2026, 11, 6))  # a day late
    _month("2026-12", date(2026, 12, 5))  # not due yet
    return Decimal("0.5")


def forecast_accuracy(people) -> Decimal:  # noqa: ANN001
    _submit(people, _month("2026-10", date(2026, 10, 5)), date(2026, 10, 1), commit=100)
    OpportunityFactory(owner=people.rep, account=people.ours, amount=Decimal(80), won=True,
                       closed_on=date(2026, 10, 20))
    return Decimal("0.8")


def expenses_on_time(people) -> Decimal:  # noqa: ANN001
    ExpenseReport.objects.create(rep=people.rep, period="2026-09", due_on=date(2026, 10, 15),
                                 submitted_on=date(2026, 10, 15))
    ExpenseReport.objects.create(rep=people.rep, period="2026-10", due_on=date(2026, 11, 15),
                                 submitted_on=None)
    return Decimal("0.5")


def customer_engagement(people) -> Decimal:  # noqa: ANN001
    AccountFactory(owner=people.rep, external_id="ACC-QUIET")
    InteractionFactory(account=people.ours, direction="two_way",
                       occurred_at=datetime(2026, 9, 1, 10, tzinfo=UTC))
    return Decimal("0.5")


def listening(people) -> Decimal:  # noqa: ANN001
    held = meeting(people.ours, on=date(2026, 11, 2))
    spoke(held, people.rep, questions=3, statements=4)
    return Decimal("0.75")


def action_items_on_time(people) -> Decimal:  # noqa: ANN001
    held = meeting(people.ours, on=date(2026, 11, 2))
    action_item(held, user=people.rep, due_on=date(2026, 11, 10), status="done",
                done_at=datetime(2026, 11, 10, 16, tzinfo=UTC))
    review = Review.objects.create(kind="pipeline", held_on=date(2026, 11, 5),
                                   manager=people.manager, rep=people.rep, subject="Q4")
    FollowUp.objects.create(review=review, what="Update close dates", owner=people.rep,
                            due_on=date(2026, 11, 12), done_on=date(2026, 11, 13))
    return Decimal("0.5")


CASES: dict[str, tuple[Callable[..., Decimal], Decimal]] = {
    # dimension: (the records, the smallest step below the standard)
    "quota_attainment": (quota_attainment, Decimal("0.0001")),
    "pipeline_coverage": (pipeline_coverage, Decimal("0.0001")),
    "record_hygiene": (record_hygiene, Decimal("0.0001")),
    "new_accounts_won": (new_accounts_won, Decimal(1)),
    "forecast_timeliness": (forecast_timeliness, Decimal("0.0001")),
    "forecast_accuracy": (forecast_accuracy, Decimal("0.0001")),
    "expenses_on_time": (expenses_on_time, Decimal("0.0001")),
    "customer_engagement": (customer_engagement, Decimal("0.0001")),
    "listening": (listening, Decimal("0.0001")),
    "action_items_on_time": (action_items_on_time, Decimal("0.0001")),
}


def _score(people, key: str):  # noqa: ANN001, ANN202
    card = services.scorecards(reps=[people.rep], period=QUARTER, as_of=AS_OF)[0]
    return card.score(key)


@pytest.mark.parametrize("key", list(CASES))
def test_at_the_standard_meets_it_and_just_under_is_below(people, key: str) -> None:  # noqa: ANN001
    # given: the records that make the figure, and a standard set at exactly that figure
    build, step = CASES[key]
    figure = build(people)
    services.set_standard(user=people.manager, dimension=key, value=figure)
    # when
    at_standard = _score(people, key)
    # then
    assert at_standard.value == figure
    assert at_standard.meets is True
    # and when the standard is one step higher, the same figure is just under it
    services.set_standard(user=people.manager, dimension=key, value=figure + step)
    just_under = _score(people, key)
    assert just_under.is_below
    assert just_under.detail  # the numbers behind it


def test_the_numbers_behind_a_below_standard_figure_are_in_words(people) -> None:  # noqa: ANN001
    expenses_on_time(people)
    score = _score(people, "expenses_on_time")
    assert score.detail == (
        "1 of 2 expense reports on time; 0 late, 1 not in yet; 0 over budget.")
    assert (score.shown_value, score.shown_standard) == ("50%", "100%")


def test_with_nothing_to_measure_a_dimension_is_neither_met_nor_below(people) -> None:  # noqa: ANN001
    score = _score(people, "listening")
    assert (score.value, score.meets, score.is_below) == (None, None, False)
    assert score.detail == "No transcribed meeting in the period."


def test_every_dimension_is_tested_at_and_just_under_its_standard() -> None:
    assert set(CASES) == set(services.MEASURERS)


def test_without_a_quota_attainment_is_not_measured(people) -> None:  # noqa: ANN001
    score = _score(people, "quota_attainment")
    assert (score.value, score.detail) == (None, "No quota set for the period.")


def test_another_managers_standard_does_not_hold_for_my_rep(people) -> None:  # noqa: ANN001
    services.set_standard(user=people.other_manager, dimension="listening", value="2")
    services.set_standard(user=people.admin, dimension="listening", value="1.5")
    assert _score(people, "listening").standard == Decimal("1.5")  # the company's
    services.set_standard(user=people.manager, dimension="listening", value="0.5")
    assert _score(people, "listening").standard == Decimal("0.5")


def test_a_standard_that_is_no_number_is_refused(people) -> None:  # noqa: ANN001
    with pytest.raises(services.InvalidInput):
        services.set_standard(user=people.manager, dimension="listening", value="lots")
