from datetime import UTC, date, datetime
from decimal import Decimal

from tests.factories import (
    ContractFactory,
    HoldingFactory,
    InteractionFactory,
    OpportunityFactory,
    ProductFactory,
)

RULE = "contracts.renewal_due"


def test_contract_ending_in_45_days_without_renewal_talk_fires(people, findings) -> None:  # noqa: ANN001
    # given
    ContractFactory(account=people.ours, external_id="CTR-1", name="Managed voice",
                    end_date=date(2027, 1, 6), notice_days=30,
                    recurring_amount=Decimal("2500.00"))
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert (play.subject, play.period) == ("contract:CTR-1", "2027-01-06")
    assert play.explanation == (
        "The Managed voice contract ends on 6 Jan 2027, in 45 days, and there has been no "
        "renewal conversation in the last 90 days and no open renewal opportunity. Its 30-day "
        "notice date is 7 Dec 2026."
    )
    assert play.facts["days_left"] == 45
    assert play.facts["notice_date"] == "2026-12-07"
    assert "$2,500.00 a month" in play.suggested_action


def test_maintenance_ending_fires_once_per_end_date(people, findings) -> None:  # noqa: ANN001
    # given two products whose 24x7 maintenance ends the same day
    for name in ("Voice Gateway", "Call Manager"):
        HoldingFactory(account=people.ours, product=ProductFactory(name=name), quantity=3,
                       maintenance_tier="24x7", maintenance_end=date(2027, 1, 6))
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert play.subject == "maintenance:2027-01-06"
    assert play.explanation.startswith("24x7 maintenance on 3 × ")
    assert "ends on 6 Jan 2027, in 45 days" in play.explanation
    assert len(play.facts["products"]) == 2
    assert "I noticed your maintenance is up" in play.suggested_action


def test_renewal_talk_in_the_window_clears_it(people, findings) -> None:  # noqa: ANN001
    ContractFactory(account=people.ours, end_date=date(2027, 1, 6))
    InteractionFactory(account=people.ours, tags=";renewal;",
                       occurred_at=datetime(2026, 10, 1, 9, 0, tzinfo=UTC))
    assert findings(RULE) == []


def test_renewal_talk_before_the_window_does_not_count(people, findings) -> None:  # noqa: ANN001
    ContractFactory(account=people.ours, end_date=date(2027, 1, 6))
    InteractionFactory(account=people.ours, tags=";renewal;",
                       occurred_at=datetime(2026, 8, 1, 9, 0, tzinfo=UTC))
    assert len(findings(RULE)) == 1


def test_an_open_renewal_opportunity_clears_it(people, findings) -> None:  # noqa: ANN001
    ContractFactory(account=people.ours, end_date=date(2027, 1, 6))
    OpportunityFactory(account=people.ours, name="Voice renewal 2027", owner=people.rep)
    assert findings(RULE) == []


def test_a_closed_renewal_opportunity_does_not(people, findings) -> None:  # noqa: ANN001
    ContractFactory(account=people.ours, end_date=date(2027, 1, 6))
    OpportunityFactory(account=people.ours, name="Voice renewal 2025", owner=people.rep,
                       closed_on=date(2025, 1, 1), won=True)
    assert len(findings(RULE)) == 1


def test_ending_in_91_days_or_already_ended_stays_quiet(people, findings) -> None:  # noqa: ANN001
    ContractFactory(account=people.ours, end_date=date(2027, 2, 21))
    ContractFactory(account=people.ours, end_date=date(2026, 11, 21))
    HoldingFactory(account=people.ours, maintenance_end=date(2027, 2, 21))
    HoldingFactory(account=people.ours, maintenance_end=None)
    assert findings(RULE) == []


def test_ending_in_90_days_fires(people, findings) -> None:  # noqa: ANN001
    ContractFactory(account=people.ours, end_date=date(2027, 2, 20), notice_days=None,
                    recurring_amount=None)
    found = findings(RULE)
    assert len(found) == 1
    assert "notice" not in found[0].explanation
