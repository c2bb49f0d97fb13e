from decimal import Decimal

from tests.factories import ServiceMetricFactory

RULE = "service.sla_miss"


def metric(account, period, actual, **fields):  # noqa: ANN001, ANN201
    return ServiceMetricFactory(account=account, period=period, actual=Decimal(actual), **fields)


def test_two_misses_in_the_last_three_months_fire(people, findings) -> None:  # noqa: ANN001
    # given first-call resolution against a target of 90
    metric(people.ours, "2026-08", "91")
    metric(people.ours, "2026-09", "88")
    metric(people.ours, "2026-10", "85")
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert (play.subject, play.period) == ("metric:First-call resolution %", "2026-10")
    assert play.explanation == (
        "First-call resolution % missed its target of 90 in 2 of the last 3 months: 85 in "
        "Oct 2026, 88 in Sep 2026; met in Aug 2026 with 91."
    )
    assert play.facts["misses"] == 2
    assert [p["actual"] for p in play.facts["periods"]] == ["85.0000", "88.0000", "91.0000"]
    assert play.suggested_action.startswith("Open the next review with this metric, good and bad")


def test_one_miss_in_three_stays_quiet(people, findings) -> None:  # noqa: ANN001
    metric(people.ours, "2026-08", "85")
    metric(people.ours, "2026-09", "90")
    metric(people.ours, "2026-10", "95")
    metric(people.ours, "2026-07", "80")
    assert findings(RULE) == []


def test_lower_is_better_metrics(people, findings) -> None:  # noqa: ANN001
    for period, actual in (("2026-09", "4.5"), ("2026-10", "5.5")):
        metric(people.ours, period, actual, metric="Hours to restore", target=Decimal("4"),
               higher_is_better=False)
    found = findings(RULE)
    assert "target of 4 (lower is better) in 2 of the last 2 months" in found[0].explanation


def test_a_single_period_or_stale_data_stays_quiet(people, findings) -> None:  # noqa: ANN001
    metric(people.ours, "2026-10", "10")
    metric(people.theirs, "2025-01", "10")
    metric(people.theirs, "2025-02", "10")
    assert findings(RULE) == []


def test_metrics_are_judged_one_by_one(people, findings) -> None:  # noqa: ANN001
    metric(people.ours, "2026-09", "85", metric="A")
    metric(people.ours, "2026-10", "85", metric="B")
    assert findings(RULE) == []
