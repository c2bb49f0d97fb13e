from datetime import UTC, date, datetime

from tests.factories import AdverseChangeFactory, InteractionFactory

RULE = "contracts.bad_news_first"


def test_price_increase_in_40_days_without_a_call_fires(people, findings) -> None:  # noqa: ANN001
    # given
    AdverseChangeFactory(account=people.ours, kind="price_increase",
                         effective_on=date(2027, 1, 1), recorded_on=date(2026, 11, 1),
                         summary="Maintenance up 18%")
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert play.urgent is False
    assert play.subject == "change:price_increase:2027-01-01"
    assert play.explanation == (
        'A price increase ("Maintenance up 18%") takes effect on 1 Jan 2027, in 40 days; it was '
        "recorded on 1 Nov 2026 and the account owner has not called, met or visited them since."
    )
    assert play.facts["days_left"] == 40
    assert "8x5 instead of 24x7" in play.suggested_action


def test_inside_30_days_it_is_urgent(people, findings) -> None:  # noqa: ANN001
    AdverseChangeFactory(account=people.ours, kind="termination",
                         effective_on=date(2026, 12, 22), recorded_on=date(2026, 11, 20))
    found = findings(RULE)
    assert found[0].urgent is True
    assert found[0].title.startswith("Termination in 30 days")


def test_a_call_by_the_owner_since_it_was_recorded_clears_it(people, findings) -> None:  # noqa: ANN001
    AdverseChangeFactory(account=people.ours, effective_on=date(2027, 1, 1),
                         recorded_on=date(2026, 11, 1))
    InteractionFactory(account=people.ours, user=people.rep, kind="call",
                       occurred_at=datetime(2026, 11, 5, 10, 0, tzinfo=UTC))
    assert findings(RULE) == []


def test_an_email_or_someone_elses_call_does_not_count(people, findings) -> None:  # noqa: ANN001
    AdverseChangeFactory(account=people.ours, effective_on=date(2027, 1, 1),
                         recorded_on=date(2026, 11, 1))
    InteractionFactory(account=people.ours, user=people.rep, kind="email",
                       occurred_at=datetime(2026, 11, 5, 10, 0, tzinfo=UTC))
    InteractionFactory(account=people.ours, user=people.manager, kind="call",
                       occurred_at=datetime(2026, 11, 6, 10, 0, tzinfo=UTC))
    InteractionFactory(account=people.ours, user=people.rep, kind="call",
                       occurred_at=datetime(2026, 10, 30, 10, 0, tzinfo=UTC))
    assert len(findings(RULE)) == 1


def test_change_61_days_out_or_already_past_stays_quiet(people, findings) -> None:  # noqa: ANN001
    AdverseChangeFactory(account=people.ours, effective_on=date(2027, 1, 22),
                         recorded_on=date(2026, 11, 1))
    AdverseChangeFactory(account=people.ours, kind="end_of_support",
                         effective_on=date(2026, 11, 21), recorded_on=date(2026, 10, 1))
    assert findings(RULE) == []


def test_change_recorded_in_the_future_stays_quiet(people, findings) -> None:  # noqa: ANN001
    AdverseChangeFactory(account=people.ours, effective_on=date(2027, 1, 1),
                         recorded_on=date(2026, 12, 1))
    assert findings(RULE) == []
