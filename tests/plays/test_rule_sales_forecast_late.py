from datetime import UTC, date, datetime
from decimal import Decimal

from heedful.forecasts import services as forecasts
from tests.plays.sales_records import forecast_period

RULE = "sales.forecast_late"


def test_a_forecast_a_day_past_due_goes_to_the_reps_manager(people, findings) -> None:  # noqa: ANN001
    # given: due the day before the test day (22 Nov 2026), nothing submitted
    people.rep.full_name = "Rex Top"
    people.rep.save()
    forecast_period(due_on=date(2026, 11, 21))
    # when
    found = findings(RULE, [people.ours.pk])
    # then
    assert len(found) == 1
    play = found[0]
    assert (play.owner_id, play.account_id) == (people.manager.pk, people.ours.pk)
    assert play.title == "Rex Top's Q4 2026 forecast is 1 day late"
    assert "due on 21 Nov 2026" in play.explanation
    assert play.facts["days_late"] == 1


def test_on_the_due_date_itself_nothing_is_late(people, findings) -> None:  # noqa: ANN001
    forecast_period(due_on=date(2026, 11, 22))
    assert findings(RULE, [people.ours.pk]) == []


def test_the_threshold_moves_the_line(people, findings) -> None:  # noqa: ANN001
    forecast_period(due_on=date(2026, 11, 19))  # 3 days late
    assert len(findings(RULE, [people.ours.pk], days_late=3)) == 1
    assert findings(RULE, [people.ours.pk], days_late=4) == []


def test_a_submitted_forecast_even_late_raises_no_play(people, findings) -> None:  # noqa: ANN001
    period = forecast_period(due_on=date(2026, 11, 10))
    forecasts.submit(user=people.rep, period=period, commit=Decimal(100), best_case=Decimal(200),
                     pipeline=Decimal(300), now=datetime(2026, 11, 20, 9, tzinfo=UTC))
    assert findings(RULE, [people.ours.pk]) == []


def test_each_late_rep_is_one_play_for_their_own_manager(people, findings) -> None:  # noqa: ANN001
    forecast_period(due_on=date(2026, 11, 21))
    owners = {play.subject: play.owner_id for play in findings(RULE)}
    assert owners == {"forecast:rep": people.manager.pk,
                      "forecast:other_rep": people.other_manager.pk}


def test_someone_who_joined_after_the_due_date_owes_no_forecast(people, findings) -> None:  # noqa: ANN001
    people.rep.start_date = date(2026, 11, 2)
    people.rep.save()
    forecast_period(due_on=date(2026, 11, 1))
    assert findings(RULE, [people.ours.pk]) == []
