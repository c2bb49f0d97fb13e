"""health.score_drop: the score fell by more than the admin's points below its highest of the
last days; the scan computes today's score before the rule reads it."""

from datetime import UTC, date, datetime, timedelta

from heedful.health import services as health_services
from heedful.health.models import HealthScore
from heedful.plays import services as plays_services
from heedful.plays.engine import scan
from heedful.plays.models import Play
from tests.factories import TicketFactory

RULE = "health.score_drop"


def healthy_last_week(account, as_of: date) -> None:  # noqa: ANN001
    health_services.compute_scores(as_of=as_of - timedelta(days=7), account_ids=[account.pk])


def test_a_fall_of_more_than_the_threshold_raises_a_play_that_says_what_fell(people, as_of) -> None:  # noqa: ANN001
    # given: a week ago all was well; since, a severity-1 ticket opened
    healthy_last_week(people.ours, as_of)
    TicketFactory(account=people.ours, severity=1, status="open",
                  opened_at=datetime(2026, 11, 20, 9, tzinfo=UTC))
    # when: the scan computes today's score, then runs the rules
    scan(as_of=as_of, rules=[RULE])
    # then
    today = HealthScore.objects.get(account=people.ours, on=as_of)
    before = HealthScore.objects.get(account=people.ours, on=as_of - timedelta(days=7))
    play = Play.objects.get(rule=RULE, account=people.ours)
    drop = before.score - today.score
    assert drop > 15
    assert play.title == f"Health score of Ours Telecom fell {drop} points to {today.score}"
    assert play.explanation.startswith(
        f"The health score of Ours Telecom is {today.score} today, {drop} points below its "
        f"{before.score} of 15 Nov 2026 (a fall of more than 15 in 30 days raises a play). "
        "Most lost: open severe tickets ("
    )
    assert play.facts["losses"][0]["component"] == "Open severe tickets"
    assert play.facts["peak_on"] == "2026-11-15"
    assert play.owner == people.rep
    assert not Play.objects.filter(rule=RULE, account=people.theirs).exists()


def test_a_fall_within_the_admins_threshold_stays_quiet(people, as_of) -> None:  # noqa: ANN001
    # given: the admin flags only falls of more than 40 points
    healthy_last_week(people.ours, as_of)
    TicketFactory(account=people.ours, severity=1, status="open")
    plays_services.update_rule_setting(rule=RULE, thresholds={"drop_points": 40})
    # when
    scan(as_of=as_of, rules=[RULE])
    # then
    assert not Play.objects.filter(rule=RULE).exists()


def test_a_switched_off_rule_still_computes_the_score(people, as_of) -> None:  # noqa: ANN001
    plays_services.update_rule_setting(rule=RULE, enabled=False)
    scan(as_of=as_of, rules=[RULE])
    assert HealthScore.objects.filter(account=people.ours, on=as_of).exists()
    assert not Play.objects.filter(rule=RULE).exists()


def test_the_play_closes_itself_once_the_score_recovers(people, as_of) -> None:  # noqa: ANN001
    # given: a play raised by the fall
    healthy_last_week(people.ours, as_of)
    ticket = TicketFactory(account=people.ours, severity=1, status="open")
    scan(as_of=as_of, rules=[RULE])
    assert Play.objects.get(rule=RULE).status == "open"
    # when: the ticket is resolved and the next scan computes the score again
    ticket.status, ticket.resolved_at = "resolved", datetime(2026, 11, 21, 9, tzinfo=UTC)
    ticket.save()
    scan(as_of=as_of, rules=[RULE])
    # then
    assert Play.objects.get(rule=RULE).status != "open"
    last_week = HealthScore.objects.get(account=people.ours, on=as_of - timedelta(days=7))
    assert health_services.explain(people.ours, as_of).score == last_week.score  # type: ignore[union-attr]
