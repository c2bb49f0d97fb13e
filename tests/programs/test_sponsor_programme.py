"""The sponsor programme, a leader's demand to see a customer, customer time by department
and the rule programs.no_exposure, on small hand-made books."""

from datetime import UTC, date, datetime

import pytest

from heedful.core.exceptions import InvalidInput, NotFound
from heedful.meetings.models import Attendee, Meeting
from heedful.plays.engine import scan
from heedful.plays.models import Play
from heedful.programs import services
from tests.factories import InteractionFactory, TeamMembershipFactory, UserFactory

AS_OF = date(2026, 11, 22)


@pytest.fixture
def sales_and_engineering(people):  # noqa: ANN001, ANN201
    people.rep.department = "sales"
    people.rep.save(update_fields=["department"])
    engineer = UserFactory(username="engineer", department="engineering", full_name="Eng Ineer")
    return engineer


def test_programme_lists_pairs_overdue_gaps_and_idle_leaders(people, db) -> None:  # noqa: ANN001
    # given: the executive sponsors Ours (enterprise, every 90 days), last visited 120 days
    # ago; Theirs has no sponsor; a senior product head sponsors nobody
    people.ours.segment = "enterprise"
    people.ours.save()
    people.executive.is_senior = True
    people.executive.save()
    idle = UserFactory(username="ingrid", full_name="Ingrid Holm", is_senior=True)
    TeamMembershipFactory(account=people.ours, user=people.executive, role="executive_sponsor",
                          start_date=date(2025, 1, 1))
    InteractionFactory(account=people.ours, user=people.executive, kind="visit",
                       occurred_at=datetime(2026, 7, 25, 10, tzinfo=UTC),
                       subject="They want failover tested")
    # when
    programme = services.get_programme(viewer=people.executive, as_of=AS_OF)
    # then
    [pair] = programme.pairs
    assert pair.account == people.ours and pair.cadence_days == 90
    assert pair.due_on == date(2026, 10, 23) and pair.is_overdue
    assert programme.overdue_count == 1
    assert programme.sponsors_without_account == [idle]
    assert [(gap.tier, gap.accounts) for gap in programme.unsponsored_by_tier] == [
        (people.theirs.segment, 1)
    ]
    services.attach_heard(programme.pairs)
    assert [said.subject for said in pair.heard] == ["They want failover tested"]


def test_rep_is_not_shown_the_programme_page(people, client) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    assert client.get("/programs/sponsors/").status_code == 404


def test_programme_page_shows_the_sponsor_and_the_gap(people, client) -> None:  # noqa: ANN001
    TeamMembershipFactory(account=people.ours, user=people.executive, role="executive_sponsor",
                          start_date=date(2025, 1, 1))
    client.force_login(people.manager)
    page = client.get("/programs/sponsors/").content.decode()
    assert "Ours Telecom" in page and "never" in page
    assert 'id="figure-unsponsored">0<' in page  # the manager sees only Ours, sponsored


def test_leader_asks_to_join_and_the_owner_gets_a_play_until_a_meeting_is_booked(
    people, db  # noqa: ANN001
) -> None:
    # given
    people.executive.title = "Chief Executive"
    people.executive.save()
    # when
    services.ask_to_join(leader=people.executive, account=people.ours, note="their roadmap")
    scan(as_of=date.today(), rules=["programs.leader_join"])
    # then
    play = Play.objects.get(rule="programs.leader_join", status="open")
    assert play.owner == people.rep and play.account == people.ours
    assert "Chief Executive" in play.explanation and "their roadmap" in play.explanation
    # when the owner books a meeting with the leader
    meeting = Meeting.objects.create(
        account=people.ours, title="Review", scheduled_start=datetime(2027, 1, 5, 10, tzinfo=UTC),
        scheduled_end=datetime(2027, 1, 5, 11, tzinfo=UTC),
    )
    Attendee.objects.create(meeting=meeting, user=people.executive)
    scan(as_of=date.today(), rules=["programs.leader_join"])
    # then
    assert not Play.objects.filter(rule="programs.leader_join", status="open").exists()


def test_a_rep_cannot_demand_to_see_customers(people, db) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput):
        services.ask_to_join(leader=people.rep, account=people.ours)


def test_no_exposure_when_only_sales_met_an_important_account(
    people, sales_and_engineering, db  # noqa: ANN001
) -> None:
    # given: Ours is enterprise, met twice by the (sales) rep in 180 days
    people.ours.segment = "enterprise"
    people.ours.save()
    for moment in (datetime(2026, 11, 3, 10, tzinfo=UTC), datetime(2026, 10, 13, 10, tzinfo=UTC)):
        InteractionFactory(account=people.ours, user=people.rep, kind="meeting",
                           occurred_at=moment)
    # when
    scan(as_of=AS_OF, rules=["programs.no_exposure"])
    # then
    play = Play.objects.get(rule="programs.no_exposure", account=people.ours)
    assert play.owner == people.rep
    assert "180 days" in play.explanation and "Rep" in play.explanation
    assert play.facts["window_days"] == 180


def test_no_exposure_is_quiet_once_an_engineer_met_them(
    people, sales_and_engineering, db  # noqa: ANN001
) -> None:
    people.ours.segment = "enterprise"
    people.ours.save()
    InteractionFactory(account=people.ours, user=people.rep, kind="meeting",
                       occurred_at=datetime(2026, 11, 2, 10, tzinfo=UTC))
    InteractionFactory(account=people.ours, user=sales_and_engineering, kind="call",
                       occurred_at=datetime(2026, 10, 2, 10, tzinfo=UTC))
    scan(as_of=AS_OF, rules=["programs.no_exposure"])
    assert not Play.objects.filter(rule="programs.no_exposure").exists()


def test_no_exposure_leaves_accounts_that_are_not_important(
    people, sales_and_engineering, db  # noqa: ANN001
) -> None:
    people.ours.segment = "smb"
    people.ours.save()
    InteractionFactory(account=people.ours, user=people.rep, kind="meeting",
                       occurred_at=datetime(2026, 11, 2, 10, tzinfo=UTC))
    scan(as_of=AS_OF, rules=["programs.no_exposure"])
    assert not Play.objects.filter(rule="programs.no_exposure").exists()


def test_customer_time_counts_each_person_face_to_face_and_remote(
    people, sales_and_engineering, db  # noqa: ANN001
) -> None:
    # given: in 2026-Q4 the rep called Ours and visited Theirs; the engineer attended a
    # meeting at Ours by video link
    engineer = sales_and_engineering
    InteractionFactory(account=people.ours, user=people.rep, kind="call",
                       occurred_at=datetime(2026, 10, 5, 10, tzinfo=UTC))
    InteractionFactory(account=people.theirs, user=people.rep, kind="visit",
                       occurred_at=datetime(2026, 11, 5, 10, tzinfo=UTC))
    InteractionFactory(account=people.ours, user=people.rep, kind="email",
                       occurred_at=datetime(2026, 11, 6, 10, tzinfo=UTC))
    meeting = Meeting.objects.create(
        account=people.ours, title="Design review", location="https://video.example/abc",
        scheduled_start=datetime(2026, 11, 9, 10, tzinfo=UTC),
        scheduled_end=datetime(2026, 11, 9, 11, tzinfo=UTC),
    )
    Attendee.objects.create(meeting=meeting, user=engineer)
    # when
    shown = services.get_customer_time(viewer=people.executive, quarter="2026-Q4")
    # then
    by_name = {row.person.username: row for row in shown.people}
    assert (by_name["rep"].customers, by_name["rep"].face_to_face, by_name["rep"].remote) == (
        2, 1, 1)
    assert (by_name["engineer"].customers, by_name["engineer"].remote) == (1, 1)
    departments = {row.department: row for row in shown.departments}
    assert departments["sales"].customers == 2 and departments["engineering"].people == 1
    only_sales = list(services.accounts_meeting_only_sales(viewer=people.executive))
    assert only_sales == [people.theirs]


def test_customer_time_refuses_a_quarter_it_cannot_read(people, db) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput):
        services.get_customer_time(viewer=people.executive, quarter="2026-Q5")


def test_praise_is_shared_on_the_team_page_only_with_the_customers_agreement(
    people, client  # noqa: ANN001
) -> None:
    # given: Ours praised the rep, who reports to the manager
    praise = InteractionFactory(account=people.ours, user=people.rep, kind="email",
                                tags=";praise;", subject="Thanks for the quick fix")
    # when the manager shares it without the customer's agreement
    with pytest.raises(InvalidInput) as refusal:
        services.share_praise(manager=people.manager, interaction_id=praise.pk,
                              customer_words="Best support ever", customer_agreed=False)
    # then nothing is shared
    assert "customer_agreed" in refusal.value.errors
    assert not services.shared_praise().exists()
    # when another team's manager tries, the praise is not theirs to share
    with pytest.raises(NotFound):
        services.share_praise(manager=people.other_manager, interaction_id=praise.pk,
                              customer_words="Best support ever", customer_agreed=True)
    # when the manager shares it with the agreement, everyone reads it on the team page
    services.share_praise(manager=people.manager, interaction_id=praise.pk,
                          customer_words="Best support ever", customer_agreed=True)
    client.force_login(people.other_rep)
    page = client.get("/programs/praise/").content.decode()
    assert "Best support ever" in page and "Rep" in page
    assert list(services.praise_to_share(manager=people.manager)) == []
