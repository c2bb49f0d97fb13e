from datetime import UTC, date, datetime

import pytest

from tests.factories import InteractionFactory, TeamMembershipFactory

RULE = "team.exec_visit_due"


@pytest.fixture
def sponsor(people):  # noqa: ANN001, ANN201
    people.executive.full_name = "Pat Lee"
    people.executive.save()
    return TeamMembershipFactory(account=people.ours, user=people.executive,
                                 role="executive_sponsor", start_date=date(2025, 1, 1))


def test_sponsor_not_seen_in_nine_months_fires_for_the_sponsor(people, sponsor,
                                                               findings) -> None:  # noqa: ANN001
    # given
    InteractionFactory(account=people.ours, user=people.executive, kind="meeting",
                       occurred_at=datetime(2026, 2, 25, 10, 0, tzinfo=UTC))
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert play.owner_id == people.executive.pk
    assert (play.subject, play.period) == ("sponsor:executive", "2026-02-25")
    assert play.explanation == (
        "Pat Lee, the executive sponsor, has not met or visited Ours Telecom in 270 days (last "
        "on 25 Feb 2026); the rule asks for one every 180 days."
    )
    assert play.facts["days_since_meeting"] == 270


def test_a_visit_180_days_ago_keeps_it_quiet(people, sponsor, findings) -> None:  # noqa: ANN001
    InteractionFactory(account=people.ours, user=people.executive, kind="visit",
                       occurred_at=datetime(2026, 5, 26, 0, 0, tzinfo=UTC))
    assert findings(RULE) == []


def test_a_call_or_the_reps_meeting_does_not_count(people, sponsor, findings) -> None:  # noqa: ANN001
    InteractionFactory(account=people.ours, user=people.executive, kind="call")
    InteractionFactory(account=people.ours, user=people.rep, kind="meeting")
    found = findings(RULE)
    assert found[0].period == "never"
    assert "since becoming sponsor on 1 Jan 2025" in found[0].explanation


def test_new_sponsor_or_unknown_start_or_former_sponsor_stays_quiet(people, sponsor,
                                                                    findings) -> None:  # noqa: ANN001
    sponsor.start_date = date(2026, 6, 1)
    sponsor.save()
    assert findings(RULE) == []
    sponsor.start_date = None
    sponsor.save()
    assert findings(RULE) == []
    sponsor.start_date, sponsor.end_date = date(2024, 1, 1), date(2026, 1, 1)
    sponsor.save()
    assert findings(RULE) == []
