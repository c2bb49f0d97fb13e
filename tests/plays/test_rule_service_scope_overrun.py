from decimal import Decimal

from tests.factories import ScopeRecordFactory

RULE = "service.scope_overrun"
DATA_FIRST = ("Open the review with their performance data, good and bad, then the volume we "
              "delivered against the contract")


def scope(account, period, contracted, delivered, **fields):  # noqa: ANN001, ANN201
    return ScopeRecordFactory(account=account, period=period,
                              contracted_quantity=Decimal(contracted),
                              delivered_quantity=Decimal(delivered), **fields)


def test_delivered_45_percent_over_fires_and_says_data_first(people, findings) -> None:  # noqa: ANN001
    # given
    scope(people.ours, "2026-09", "1000", "1000")
    scope(people.ours, "2026-10", "1000", "1450")
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert (play.subject, play.period) == ("scope:Service desk calls", "2026-10")
    assert play.explanation == (
        "Service desk calls in Oct 2026: we delivered 1,450 against 1,000 contracted, 45% over "
        "the contract."
    )
    assert play.facts["overrun_percent"] == 45
    assert play.facts["delivered_quantity"] == "1450.00"
    assert play.suggested_action.startswith(DATA_FIRST)


def test_exactly_20_percent_over_stays_quiet(people, findings) -> None:  # noqa: ANN001
    scope(people.ours, "2026-10", "1000", "1200")
    assert findings(RULE) == []


def test_only_the_last_period_counts(people, findings) -> None:  # noqa: ANN001
    scope(people.ours, "2026-09", "1000", "2000")
    scope(people.ours, "2026-10", "1000", "1100")
    assert findings(RULE) == []


def test_zero_contracted_or_stale_data_stays_quiet(people, findings) -> None:  # noqa: ANN001
    scope(people.ours, "2026-10", "0", "500")
    scope(people.theirs, "2025-10", "100", "500")
    assert findings(RULE) == []
