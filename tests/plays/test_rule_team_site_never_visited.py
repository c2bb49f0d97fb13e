from datetime import UTC, date, datetime

from heedful.accounts import ownership
from heedful.accounts.models import TeamMembership
from tests.factories import InteractionFactory

RULE = "team.site_never_visited"


def test_owner_for_two_years_who_never_visited_fires(people, findings) -> None:  # noqa: ANN001
    # given the factory made rep the owner of ours since 2024-01-01
    people.ours.city = "Springfield"
    people.ours.save()
    people.rep.full_name = "Dana Smith"
    people.rep.save()
    # when
    found = [f for f in findings(RULE) if f.account_id == people.ours.pk]
    # then
    assert len(found) == 1
    play = found[0]
    assert (play.subject, play.owner_id) == ("owner:rep", people.rep.pk)
    assert play.explanation == (
        "Dana Smith has owned Ours Telecom for 1,056 days (since 1 Jan 2024) and has never "
        "visited their site."
    )
    assert play.facts["days_as_owner"] == 1056
    assert play.suggested_action.startswith("Arrange a visit to their site in Springfield")


def test_a_visit_by_the_owner_clears_it(people, findings) -> None:  # noqa: ANN001
    InteractionFactory(account=people.ours, user=people.rep, kind="visit",
                       occurred_at=datetime(2025, 6, 1, 10, 0, tzinfo=UTC))
    assert people.ours.pk not in {f.account_id for f in findings(RULE)}


def test_a_visit_by_someone_else_or_a_meeting_does_not(people, findings) -> None:  # noqa: ANN001
    InteractionFactory(account=people.ours, user=people.manager, kind="visit")
    InteractionFactory(account=people.ours, user=people.rep, kind="meeting")
    assert people.ours.pk in {f.account_id for f in findings(RULE)}


def test_owner_for_179_days_stays_quiet_and_180_fires(people, findings) -> None:  # noqa: ANN001
    membership = TeamMembership.objects.get(account=people.ours, role="owner")
    membership.start_date = date(2026, 5, 27)
    membership.save()
    assert people.ours.pk not in {f.account_id for f in findings(RULE)}
    membership.start_date = date(2026, 5, 26)
    membership.save()
    assert people.ours.pk in {f.account_id for f in findings(RULE)}


def test_unknown_start_or_no_owner_stays_quiet(people, findings) -> None:  # noqa: ANN001
    TeamMembership.objects.filter(account=people.ours).update(start_date=None)
    ownership.set_owners({people.theirs.pk: None}, on=date(2024, 1, 1))
    assert findings(RULE) == []
