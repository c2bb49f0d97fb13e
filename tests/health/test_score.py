"""The health score: its components add up to it, a weight an admin changes takes effect at the
next scan, a component with nothing to measure gives its weight to the others, and the owner's
sentiment goes stale."""

from datetime import UTC, date, datetime

import pytest

from heedful.health import services
from heedful.health.models import HealthScore, ScoreSetting
from heedful.plays.engine import scan
from tests.factories import (
    ContactFactory,
    InteractionFactory,
    ServiceMetricFactory,
    TicketFactory,
)


def points_of(snapshot: HealthScore) -> dict[str, int]:
    return {key: part[0] for key, part in snapshot.components.items()}


def lines_of(explained: services.Explanation | None) -> dict[str, services.ComponentLine]:
    assert explained is not None
    return {line.key: line for line in explained.components}


def test_every_component_adds_up_to_the_score(people, as_of) -> None:  # noqa: ANN001
    # given: a customer with a severity-1 ticket, a missed SLA month and one of two key contacts
    # spoken with
    TicketFactory(account=people.ours, severity=1, status="open")
    ServiceMetricFactory(account=people.ours, period="2026-10", target=90, actual=85)
    ServiceMetricFactory(account=people.ours, period="2026-11", target=90, actual=95)
    spoken, _ = ContactFactory(account=people.ours, is_key=True), ContactFactory(
        account=people.ours, is_key=True)
    InteractionFactory(account=people.ours, occurred_at=datetime(2026, 11, 15, 10, tzinfo=UTC),
                       kind="call").contacts.add(spoken)
    # when
    services.compute_scores(as_of=as_of)
    # then
    snapshot = HealthScore.objects.get(account=people.ours, on=as_of)
    assert sum(points_of(snapshot).values()) == snapshot.score
    explained = services.explain(people.ours, as_of)
    assert explained is not None
    assert sum(line.points for line in explained.components) == explained.score == snapshot.score
    lines = {line.key: line for line in explained.components}
    assert lines["severe_tickets"].points == 0
    assert lines["severe_tickets"].words == (
        "1 severity-1 and 0 severity-2 tickets open (no point with one severity-1 or two "
        "severity-2)."
    )
    assert lines["sla"].words == "1 of 2 metric-months met their target in the last 3 months."
    assert lines["key_contacts"].words == "1 of 2 key contacts spoken with in the last 90 days."
    assert lines["contact_recency"].words.startswith("Last two-way conversation on 15 Nov 2026")


def test_changing_a_weight_changes_the_score_the_next_scan_computes(people, as_of) -> None:  # noqa: ANN001
    # given: an open severity-1 ticket costs its component every point
    TicketFactory(account=people.ours, severity=1, status="open")
    scan(as_of=as_of)
    before = HealthScore.objects.get(account=people.ours, on=as_of)
    # when: an admin makes open severe tickets weigh far more, and the next scan runs
    services.update_score_settings(values={"weight_severe_tickets": 60}, user=people.admin)
    assert before.score == HealthScore.objects.get(account=people.ours, on=as_of).score
    scan(as_of=as_of)
    # then
    after = HealthScore.objects.get(account=people.ours, on=as_of)
    assert after.score < before.score
    assert after.components["severe_tickets"][2] == 60
    assert sum(points_of(after).values()) == after.score
    assert ScoreSetting.objects.get(name="weight_severe_tickets").value == 60


def test_a_component_with_nothing_to_measure_gives_its_weight_to_the_others(people, as_of) -> None:  # noqa: ANN001
    # given: no SLA metric and no sentiment, and nothing else wrong but no key contact
    InteractionFactory(account=people.ours, occurred_at=datetime(2026, 11, 20, 10, tzinfo=UTC))
    # when
    services.compute_scores(as_of=as_of)
    # then
    explained = services.explain(people.ours, as_of)
    assert explained is not None
    lines = {line.key: line for line in explained.components}
    assert not lines["sla"].is_measured and lines["sla"].points == 0
    assert lines["sla"].words == "No SLA metric recorded in the last 3 months."
    assert lines["key_contacts"].is_measured and lines["key_contacts"].points == 0
    measured = [line for line in explained.components if line.is_measured]
    assert sum(line.most for line in measured) == 100
    assert explained.score == 100 - lines["key_contacts"].most


def test_the_owners_sentiment_counts_until_it_goes_stale(people, as_of) -> None:  # noqa: ANN001
    # given: the owner said they are worried 61 days before the day scored (stale after 60)
    services.set_owner_sentiment(
        user=people.rep, account=people.ours, sentiment="negative", note="Budget cuts",
        on=date(2026, 9, 22),
    )
    # when
    services.compute_scores(as_of=date(2026, 11, 20))
    services.compute_scores(as_of=as_of)
    # then: counted 59 days on, not 61
    counted = lines_of(services.explain(people.ours, date(2026, 11, 20)))
    stale = lines_of(services.explain(people.ours, as_of))
    assert counted["owner_sentiment"].is_measured and counted["owner_sentiment"].points == 0
    assert not stale["owner_sentiment"].is_measured
    assert stale["owner_sentiment"].words == (
        "The owner said “Worried” on 22 Sep 2026, 61 days ago: stale, not counted."
    )


def test_only_the_owner_or_an_admin_says_how_they_feel(people, as_of) -> None:  # noqa: ANN001
    from heedful.core.exceptions import NotFound
    from heedful.health.models import OwnerSentimentEntry

    with pytest.raises(NotFound):
        services.set_owner_sentiment(user=people.other_rep, account=people.ours,
                                     sentiment="positive", note="", on=as_of)
    assert not OwnerSentimentEntry.objects.exists()


def test_scores_of_past_days_stay_as_computed(people, as_of) -> None:  # noqa: ANN001
    # given: a score computed a week ago, before the ticket
    services.compute_scores(as_of=date(2026, 11, 15))
    TicketFactory(account=people.ours, severity=1, status="open",
                  opened_at=datetime(2026, 11, 20, 9, tzinfo=UTC))
    # when
    services.compute_scores(as_of=as_of)
    # then
    history = services.score_history(people.ours, date(2026, 11, 1), as_of)
    assert [snapshot.on for snapshot in history] == [date(2026, 11, 15), as_of]
    assert history[0].score > history[1].score
    assert services.explain(people.ours, date(2026, 11, 16)).on == date(2026, 11, 15)  # type: ignore[union-attr]
    assert services.explain(people.ours, date(2026, 11, 14)) is None


def test_no_score_for_prospects_or_former_customers(people, as_of) -> None:  # noqa: ANN001
    people.theirs.status = "former"
    people.theirs.save()
    services.compute_scores(as_of=as_of)
    assert not HealthScore.objects.filter(account=people.theirs).exists()
    assert HealthScore.objects.filter(account=people.ours).exists()


def test_weights_that_are_all_zero_are_refused_and_nothing_changes(people) -> None:  # noqa: ANN001
    from heedful.core.exceptions import InvalidInput
    from heedful.health.components import COMPONENTS, weight_setting

    with pytest.raises(InvalidInput):
        services.update_score_settings(
            values={weight_setting(component.key): 0 for component in COMPONENTS},
            user=people.admin,
        )
    assert not ScoreSetting.objects.exists()
