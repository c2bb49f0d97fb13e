"""Focus groups and webinars: invitations by product family and by hand, e-mailed once;
the webinar tool's attendee CSV, all-or-nothing; feedback by theme; the no-show's play."""

from datetime import UTC, date, datetime

import pytest
from django.core import mail

from heedful.core.exceptions import InvalidInput
from heedful.events import services
from heedful.events.models import Event, FeedbackItem, Invitation
from heedful.interactions.models import Interaction
from heedful.lib import clock
from heedful.plays.engine import scan
from heedful.plays.models import Play
from tests.factories import ContactFactory, HoldingFactory, ProductFactory, ProductFamilyFactory

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(clock, "today", lambda: NOW.date())
    return NOW


@pytest.fixture
def focus_group(people, now):  # noqa: ANN001, ANN201
    """A webinar on Voice on 20 Nov; Ours owns a Voice product and has two key contacts
    and one who is not key; Theirs owns nothing."""
    voice = ProductFamilyFactory(name="Voice")
    HoldingFactory(account=people.ours, product=ProductFactory(family=voice))
    ContactFactory(account=people.ours, external_id="CON-ANA", full_name="Ana Ruiz",
                   email="ana@ours.example", is_key=True)
    ContactFactory(account=people.ours, external_id="CON-BEN", full_name="Ben Ode",
                   email="ben@ours.example", is_key=True)
    ContactFactory(account=people.ours, external_id="CON-CAL", full_name="Cal Nye",
                   email="cal@ours.example", is_key=False)
    ContactFactory(account=people.theirs, external_id="CON-DEE", full_name="Dee Fox",
                   email="dee@theirs.example", is_key=True)
    return services.create(user=people.rep, data={
        "topic": "What our voice platform needs", "format": "webinar",
        "starts_at": "2026-11-20T15:00", "ends_at": "2026-11-20T16:00",
        "location": "https://webinar.example/voice", "family": "Voice",
    })


def test_invitations_by_product_family_go_to_key_contacts_once(
    people, focus_group, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # when
    added = services.invite(user=people.executive, event=focus_group, family="Voice")
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_invitations(user=people.executive, event=focus_group)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.send_invitations(user=people.executive, event=focus_group)
    # then
    assert added == 2 and sent == 2 and again == 0
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ana@ours.example", "ben@ours.example"]
    assert "What our voice platform needs" in mail.outbox[0].subject
    assert Interaction.objects.filter(account=people.ours, kind="email",
                                      subject__startswith="Invitation to").count() == 2


def test_invitation_by_hand_adds_a_named_contact(people, focus_group) -> None:  # noqa: ANN001
    added = services.invite(user=people.executive, event=focus_group, contact_ids=["CON-CAL"])
    assert added == 1
    assert list(focus_group.invitations.values_list("contact__external_id", flat=True)) == [
        "CON-CAL"]


def test_a_rep_cannot_invite_another_teams_customer(people, focus_group) -> None:  # noqa: ANN001
    added = services.invite(user=people.rep, event=focus_group, contact_ids=["CON-DEE"])
    assert added == 0


def test_attendee_csv_with_a_bad_row_writes_nothing_and_names_each_problem(
    people, focus_group, write_csv  # noqa: ANN001
) -> None:
    # given
    services.invite(user=people.rep, event=focus_group, family="Voice")
    path = write_csv("zoom-attendees.csv", """
        Email,Attended,Time in Session (minutes)
        ana@ours.example,Yes,55
        ben@ours.example,maybe,10
        zed@nowhere.example,No,
    """)
    # when
    with pytest.raises(InvalidInput) as refusal:
        services.import_attendance(user=people.rep, event=focus_group, path=path)
    # then
    assert refusal.value.errors["file"] == [
        "zoom-attendees.csv:3: attended: expected yes or no, not “maybe”",
        "zoom-attendees.csv:4: email: zed@nowhere.example was not invited to this event",
    ]
    assert set(Invitation.objects.values_list("status", flat=True)) == {"invited"}
    assert not Interaction.objects.filter(subject__startswith="Attended").exists()
    focus_group.refresh_from_db()
    assert focus_group.attendance_recorded_at is None


def test_attendee_csv_marks_who_came_once_and_logs_the_interaction(
    people, focus_group, write_csv  # noqa: ANN001
) -> None:
    services.invite(user=people.rep, event=focus_group, family="Voice")
    path = write_csv("attendees.csv", """
        email,attended,minutes
        ana@ours.example,yes,55
        BEN@ours.example,no,
    """)
    result = services.import_attendance(user=people.rep, event=focus_group, path=path)
    services.import_attendance(user=people.rep, event=focus_group, path=path)
    assert (result.attended, result.registered_not_attended) == (1, 1)
    statuses = dict(focus_group.invitations.values_list("contact__external_id", "status"))
    assert statuses == {"CON-ANA": "attended", "CON-BEN": "registered"}
    attended = Interaction.objects.filter(subject__startswith="Attended")
    assert attended.count() == 1 and attended[0].kind == "meeting"


def test_attendee_csv_without_the_attended_column_is_refused(
    people, focus_group, write_csv  # noqa: ANN001
) -> None:
    path = write_csv("attendees.csv", "email\nana@ours.example")
    with pytest.raises(InvalidInput) as refusal:
        services.import_attendance(user=people.rep, event=focus_group, path=path)
    assert refusal.value.errors["file"] == ["attendees.csv:1: attended: required column missing"]


def test_a_registered_guest_who_did_not_come_gets_a_follow_up_play(
    people, focus_group, write_csv  # noqa: ANN001
) -> None:
    # given
    services.invite(user=people.rep, event=focus_group, family="Voice")
    path = write_csv("attendees.csv", "email,attended\nana@ours.example,yes\nben@ours.example,no")
    services.import_attendance(user=people.rep, event=focus_group, path=path)
    # when
    scan(as_of=date(2026, 11, 23), rules=["programs.event_no_show"])
    # then
    play = Play.objects.get(rule="programs.event_no_show", status="open")
    assert play.owner == people.rep and play.facts["contact"]["name"] == "Ben Ode"
    assert "registered for “What our voice platform needs”" in play.explanation
    # when someone calls Ben, the play closes itself
    call = Interaction.objects.create(account=people.ours, kind="call", user=people.rep,
                                      occurred_at=datetime(2026, 11, 23, 8, tzinfo=UTC))
    call.contacts.add(focus_group.invitations.get(contact__external_id="CON-BEN").contact)
    scan(as_of=date(2026, 11, 23), rules=["programs.event_no_show"])
    assert not Play.objects.filter(rule="programs.event_no_show", status="open").exists()


def test_no_show_waits_until_attendance_is_recorded(people, focus_group) -> None:  # noqa: ANN001
    services.invite(user=people.rep, event=focus_group, family="Voice")
    Invitation.objects.update(status="registered")
    scan(as_of=date(2026, 11, 23), rules=["programs.event_no_show"])
    assert not Play.objects.filter(rule="programs.event_no_show").exists()


def test_feedback_reads_by_theme_and_family_and_reaches_the_timeline(
    people, focus_group, client  # noqa: ANN001
) -> None:
    # given
    for theme, family, said in (("problem", "Voice", "Calls drop on failover"),
                                ("needs", "Voice", "Searchable recordings"),
                                ("needs", "", "One bill for all sites")):
        services.add_feedback(user=people.rep, event=focus_group, data={
            "account": "ACC-OURS", "contact": "CON-ANA", "family": family, "theme": theme,
            "said": said,
        })
    # when
    needs = services.get_feedback(user=people.rep, theme="needs")
    counts = services.feedback_counts(user=people.rep)
    client.force_login(people.manager)
    page = client.get("/events/feedback/?theme=needs").content.decode()
    # then
    assert [item.said for item in needs] == ["One bill for all sites", "Searchable recordings"]
    assert ("needs", "What it needs to do", 2) in counts.by_theme
    assert ("Voice", 2) in counts.by_family
    assert "Searchable recordings" in page and "Calls drop on failover" not in page
    assert Interaction.objects.filter(account=people.ours, kind="note",
                                      tags__contains=";feedback;").count() == 3


def test_feedback_on_an_account_the_user_cannot_see_is_refused(
    people, focus_group  # noqa: ANN001
) -> None:
    with pytest.raises(InvalidInput):
        services.add_feedback(user=people.rep, event=focus_group, data={
            "account": "ACC-THEIRS", "theme": "problem", "said": "Too slow"})
    assert not FeedbackItem.objects.exists()


def test_event_with_its_end_before_its_start_is_refused(people, now) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput) as refusal:
        services.create(user=people.rep, data={
            "topic": "Backwards", "format": "webinar", "starts_at": "2026-11-20T15:00",
            "ends_at": "2026-11-20T14:00"})
    assert "ends_at" in refusal.value.errors
    assert not Event.objects.exists()
