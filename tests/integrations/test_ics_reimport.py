"""Importing an invitation again after it changed: someone taken off it is taken off the
meeting (unless a person added them, they spoke on the transcript, or the meeting has
started), and a meeting whose attendees' e-mails now name another account moves there
(unless a person chose its account, or gave its action items to that account's contacts).
docs/adr/0029-a-calendar-import-follows-the-invitation.md says why."""

import importlib
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin

from heedful.core import audit
from heedful.lib import clock
from heedful.meetings import services
from heedful.meetings.admin import MeetingAdmin
from heedful.meetings.models import ActionItem, Attendee, Meeting
from heedful.meetings.transcripts import store_transcript
from heedful.plays.models import Play, PlayStatus
from tests.factories import AccountFactory, ContactFactory, OpportunityFactory, UserFactory
from tests.integrations.conftest import run

AS_OF = ("--as-of", "2026-11-22")
RITA = "ATTENDEE;CN=Rita Rep;ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:rita@vendor.example"
ANA = "ATTENDEE;CN=Ana Costa;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:ana@acme.example"
BRUNO = (
    "ATTENDEE;CN=Bruno Guest;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION:mailto:bruno@acme.example"
)
BEA = "ATTENDEE;CN=Bea Berg;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:bea@beta.example"
CARL = "ATTENDEE;CN=Carl Berg;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:carl@beta.example"


@pytest.fixture
def world(db):  # noqa: ANN001, ANN201
    """Acme (Ana), Beta (Bea and Carl), each with a deal open in December, and our Rita."""
    rita = UserFactory(username="rita", full_name="Rita Rep", email="rita@vendor.example")
    acme = AccountFactory(external_id="ACME", name="Acme", website="https://acme.example",
                          owner=rita)
    beta = AccountFactory(external_id="BETA", name="Beta", website="https://beta.example",
                          owner=rita)
    ana = ContactFactory(account=acme, full_name="Ana Costa", email="ana@acme.example")
    ContactFactory(account=beta, full_name="Bea Berg", email="bea@beta.example")
    ContactFactory(account=beta, full_name="Carl Berg", email="carl@beta.example")
    acme_deal = OpportunityFactory(account=acme, created_on=date(2026, 9, 1))
    beta_deal = OpportunityFactory(account=beta, created_on=date(2026, 9, 1))
    return type("World", (), {
        "rita": rita, "acme": acme, "beta": beta, "ana": ana,
        "acme_deal": acme_deal, "beta_deal": beta_deal,
    })


def invitation(tmp_path: Path, *people: str, sequence: int = 0) -> Path:
    """The review of 3 December as Rita's calendar sends it, inviting ``people``."""
    path = tmp_path / f"review-{sequence}.ics"
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Heedful tests//EN", "METHOD:REQUEST",
        "BEGIN:VEVENT", "UID:review@vendor.example", f"SEQUENCE:{sequence}",
        "DTSTAMP:20261101T080000Z", "DTSTART:20261203T090000Z", "DTEND:20261203T100000Z",
        "SUMMARY:Quarterly service review",
        "ORGANIZER;CN=Rita Rep:mailto:rita@vendor.example", *people,
        "END:VEVENT", "END:VCALENDAR",
    ]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def imported(path: Path) -> str:
    result = run("import", "ics", str(path), *AS_OF)
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def who(meeting: Meeting) -> list[str]:
    return sorted(str(attendee) for attendee in meeting.attendees.select_related("user", "contact"))


# -- someone taken off the invitation --------------------------------------------------------


def test_someone_taken_off_the_invitation_is_taken_off_the_meeting(world, tmp_path) -> None:  # noqa: ANN001
    # given
    imported(invitation(tmp_path, RITA, ANA, BRUNO))
    meeting = Meeting.objects.get()
    assert who(meeting) == ["Ana Costa", "Bruno Guest", "rita"]
    # when: Rita takes Bruno off the invitation
    said = imported(invitation(tmp_path, RITA, ANA, sequence=1))
    # then
    assert "0 created, 1 updated" in said
    assert who(meeting) == ["Ana Costa", "rita"]


def test_someone_added_by_hand_stays_though_the_invitation_never_named_them(
    world, tmp_path  # noqa: ANN001
) -> None:
    # given: the interpreter, added on the meeting's page
    imported(invitation(tmp_path, RITA, ANA, BRUNO))
    meeting = Meeting.objects.get()
    services.add_attendee(user=world.rita, meeting=meeting, name="Marco Bianchi",
                          role="interpreter")
    # when
    imported(invitation(tmp_path, RITA, ANA, sequence=1))
    # then: Bruno went, the interpreter stayed
    assert who(meeting) == ["Ana Costa", "Marco Bianchi", "rita"]


def test_someone_who_spoke_on_the_transcript_stays_on_the_meeting(world, tmp_path) -> None:  # noqa: ANN001
    # given: Bruno's words are on the meeting's transcript
    imported(invitation(tmp_path, RITA, ANA, BRUNO))
    meeting = Meeting.objects.get()
    store_transcript(user=None, meeting=meeting, file_name="review.vtt", content=(
        "WEBVTT\n\n00:00:00.000 --> 00:00:05.000\n<v Bruno Guest>I joined after all.\n"
    ))
    # when
    said = imported(invitation(tmp_path, RITA, ANA, sequence=1))
    # then
    assert "0 created, 0 updated, 1 unchanged" in said
    assert len(who(meeting)) == 3


def test_nobody_is_taken_off_a_meeting_that_has_started(world, tmp_path) -> None:  # noqa: ANN001
    # given
    imported(invitation(tmp_path, RITA, ANA, BRUNO))
    meeting = Meeting.objects.get()
    Meeting.objects.filter(pk=meeting.pk).update(
        actual_start=datetime(2026, 12, 3, 9, 5, tzinfo=UTC)
    )
    # when: the organizer tidies the invitation afterwards
    imported(invitation(tmp_path, RITA, ANA, sequence=1))
    # then: who was there is history
    assert len(who(meeting)) == 3


def test_meetings_imported_before_are_marked_from_the_audit_log(world) -> None:  # noqa: ANN001
    # given: a meeting imported by an earlier version (no marks), one person added on its
    # page (the log says so), and its account changed by a person
    meeting = Meeting.objects.create(
        account=world.acme, title="Old review", calendar_key="old@vendor.example",
        scheduled_start=datetime(2026, 12, 3, 9, tzinfo=UTC),
        scheduled_end=datetime(2026, 12, 3, 10, tzinfo=UTC),
    )
    invited = Attendee.objects.create(meeting=meeting, contact=world.ana)
    by_hand = Attendee.objects.create(meeting=meeting, name="Marco Bianchi")
    audit.record(user=world.rita, action="attendee.create", subject=audit.subject_of(by_hand))
    audit.record(user=world.rita, action="meeting.update", subject=audit.subject_of(meeting),
                 detail={"fields": ["account", "title"]})
    migration = importlib.import_module(
        "heedful.meetings.migrations.0003_calendar_owns_invitees_and_account"
    )
    # when
    migration.mark_what_the_calendar_wrote(apps, None)
    # then
    invited.refresh_from_db()
    by_hand.refresh_from_db()
    meeting.refresh_from_db()
    assert (invited.from_invitation, by_hand.from_invitation) == (True, False)
    assert meeting.account_set_by_hand


# -- attendees who now name another account --------------------------------------------------


def test_a_meeting_moves_to_the_account_its_attendees_now_name_and_its_play_with_it(
    world, tmp_path, monkeypatch, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # given: the review was linked to Acme by Ana's address; it states no value, so it has
    # its play on Acme four days before
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 29))
    with django_capture_on_commit_callbacks(execute=True):
        imported(invitation(tmp_path, RITA, ANA))
    meeting = Meeting.objects.get()
    assert list(meeting.opportunities.all()) == [world.acme_deal]
    assert open_value_plays() == [("Acme", f"meeting:{meeting.pk}")]
    # when: the invitation now goes to Beta's people instead
    with django_capture_on_commit_callbacks(execute=True):
        said = imported(invitation(tmp_path, RITA, BEA, CARL, sequence=1))
    # then: the meeting is Beta's, with Beta's deal, and so is its play, without a scan
    meeting.refresh_from_db()
    assert "0 created, 1 updated" in said
    assert meeting.account == world.beta
    assert list(meeting.opportunities.all()) == [world.beta_deal]
    assert open_value_plays() == [("Beta", f"meeting:{meeting.pk}")]


def open_value_plays() -> list[tuple[str, str]]:
    return list(
        Play.objects.filter(rule="meetings.no_value_statement", status=PlayStatus.OPEN)
        .values_list("account__name", "subject")
    )


def test_a_meeting_whose_account_a_person_chose_stays_there_with_a_warning(
    world, tmp_path  # noqa: ANN001
) -> None:
    # given: a person moved the review to Beta on its page (Ana's address still says Acme)
    imported(invitation(tmp_path, RITA, ANA))
    meeting = Meeting.objects.get()
    services.update(user=world.rita, id=meeting.pk,
                    changes={"account": "BETA", "opportunities": []})
    meeting.refresh_from_db()
    assert meeting.account_set_by_hand
    # when: the calendar sends the invitation again, a little changed
    said = imported(invitation(tmp_path, RITA, ANA, BRUNO, sequence=1))
    # then
    meeting.refresh_from_db()
    assert meeting.account == world.beta
    assert (
        '"Quarterly service review" stays with Beta (a person set its account by hand), '
        "though its attendees' e-mails now name Acme" in said
    )


def test_a_meeting_whose_action_items_are_that_accounts_contacts_stays_with_a_warning(
    world, tmp_path  # noqa: ANN001
) -> None:
    # given: Ana owns one of the review's action items
    imported(invitation(tmp_path, RITA, ANA))
    meeting = Meeting.objects.get()
    ActionItem.objects.create(meeting=meeting, what="Send the usage report", contact=world.ana)
    # when
    said = imported(invitation(tmp_path, RITA, BEA, CARL, sequence=1))
    # then
    meeting.refresh_from_db()
    assert meeting.account == world.acme
    assert "its action items are owned by that account's contacts" in said


def test_an_invitation_whose_people_name_no_account_now_leaves_the_meeting_where_it_is(
    world, tmp_path  # noqa: ANN001
) -> None:
    # given
    imported(invitation(tmp_path, RITA, ANA))
    # when: only people of no known account are invited now
    imported(invitation(
        tmp_path, RITA, "ATTENDEE;CN=Zed:mailto:zed@nowhere.example", sequence=1
    ))
    # then
    assert Meeting.objects.get().account == world.acme


def test_a_meeting_moved_in_the_admin_is_pinned_as_on_its_page(world, tmp_path, rf) -> None:  # noqa: ANN001
    # given
    imported(invitation(tmp_path, RITA, ANA))
    meeting = Meeting.objects.get()
    # when: an admin changes its account (and its deals) in Django's admin
    meeting.account = world.beta
    meeting.opportunities.clear()
    MeetingAdmin(Meeting, admin.site).save_model(
        rf.post("/"), meeting, SimpleNamespace(changed_data=["account"]), True
    )
    imported(invitation(tmp_path, RITA, ANA, sequence=1))
    # then
    assert Meeting.objects.get().account == world.beta
