from datetime import UTC, date, datetime

import pytest

from heedful.accounts.models import TeamMembership
from tests.factories import InteractionFactory, TeamMembershipFactory, UserFactory

RULE = "team.new_owner_unintroduced"


@pytest.fixture
def handed_over(people):  # noqa: ANN001, ANN201
    """Ours passed from Sam to Dana (the rep) on 1 Oct 2026."""
    account = people.ours
    TeamMembership.objects.filter(account=account, role="owner").delete()
    sam = UserFactory(username="sam", full_name="Sam Jones")
    people.rep.full_name = "Dana Smith"
    people.rep.save()
    TeamMembershipFactory(account=account, user=sam, role="owner", start_date=date(2024, 1, 1),
                          end_date=date(2026, 9, 30))
    return TeamMembershipFactory(account=account, user=people.rep, role="owner",
                                 start_date=date(2026, 10, 1))


def test_new_owner_without_a_meeting_fires(people, handed_over, findings) -> None:  # noqa: ANN001
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert (play.subject, play.owner_id) == ("owner:rep", people.rep.pk)
    assert play.explanation == (
        "Dana Smith took over Ours Telecom from Sam Jones on 1 Oct 2026, 52 days ago, and has "
        "not met or visited them yet."
    )
    assert play.facts["previous_owner"] ["name"] == "Sam Jones"
    assert play.facts["days_as_owner"] == 52
    assert "introduction meeting" in play.suggested_action


def test_a_meeting_by_the_new_owner_clears_it(people, handed_over, findings) -> None:  # noqa: ANN001
    InteractionFactory(account=people.ours, user=people.rep, kind="meeting",
                       occurred_at=datetime(2026, 10, 20, 10, 0, tzinfo=UTC))
    assert findings(RULE) == []


def test_an_email_by_the_new_owner_does_not(people, handed_over, findings) -> None:  # noqa: ANN001
    InteractionFactory(account=people.ours, user=people.rep, kind="email",
                       occurred_at=datetime(2026, 10, 20, 10, 0, tzinfo=UTC))
    assert len(findings(RULE)) == 1


def test_owner_changed_13_days_ago_stays_quiet(people, handed_over, findings) -> None:  # noqa: ANN001
    handed_over.start_date = date(2026, 11, 9)
    handed_over.save()
    assert findings(RULE) == []
    handed_over.start_date = date(2026, 11, 8)
    handed_over.save()
    assert len(findings(RULE)) == 1


def test_first_owner_or_unknown_start_stays_quiet(people, handed_over, findings) -> None:  # noqa: ANN001
    # people.theirs has had one owner only
    assert [f.account_id for f in findings(RULE)] == [people.ours.pk]
    handed_over.start_date = None
    handed_over.save()
    assert findings(RULE) == []
