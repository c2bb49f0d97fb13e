"""The services a meeting page calls: timing, agenda, action items, follow-up, shared pages."""

from datetime import timedelta

import pytest
from django.core import mail

from heedful.core.exceptions import InvalidInput, NotFound, StaleVersion
from heedful.core.models import AuditEntry
from heedful.core.versions import version_of
from heedful.interactions.models import Interaction
from heedful.lib import clock
from heedful.meetings import services
from heedful.meetings.models import ActionItem, SharedPage

pytestmark = pytest.mark.django_db


def test_notes_are_saved_although_the_meeting_started_since_the_page_was_opened(
    people, meeting  # noqa: ANN001
) -> None:
    seen = services.notes_version(meeting)
    services.start_now(user=people.manager, meeting=meeting)
    services.update_notes(
        user=people.rep, meeting=meeting, changes={"notes": "Rich is late."},
        expected_version=seen,
    )
    meeting.refresh_from_db()
    assert meeting.notes == "Rich is late." and meeting.actual_start is not None


def test_details_from_a_stale_page_are_refused(people, meeting) -> None:  # noqa: ANN001
    seen = version_of(meeting)
    services.update_meeting(
        user=people.rep, meeting=meeting, changes={"title": "QBR"}, expected_version=seen
    )
    with pytest.raises(StaleVersion):
        services.update_meeting(
            user=people.manager, meeting=meeting, changes={"location": "Rome"},
            expected_version=seen,
        )
    meeting.refresh_from_db()
    assert (meeting.title, meeting.location) == ("QBR", "")


def test_start_now_late_records_the_late_start_in_words(people, meeting, monkeypatch) -> None:  # noqa: ANN001
    # given: the clock at 10:12, twelve minutes after the planned start
    monkeypatch.setattr(clock, "now", lambda: meeting.scheduled_start + timedelta(minutes=12))
    # when
    started = services.start_now(user=people.rep, meeting=meeting)
    # then
    assert started.late_start == timedelta(minutes=12)
    assert services.timing_in_words(started) == ["Started 12 minutes late"]
    assert AuditEntry.objects.filter(action="meeting.update").exists()


def test_end_now_past_the_planned_end_is_an_overrun(people, meeting, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(clock, "now", lambda: meeting.scheduled_start)
    services.start_now(user=people.rep, meeting=meeting)
    monkeypatch.setattr(clock, "now", lambda: meeting.scheduled_end + timedelta(minutes=75))
    ended = services.end_now(user=people.rep, meeting=meeting)
    assert ended.status == "held"
    assert services.timing_in_words(ended) == ["Started on time", "Ran 1 hour 15 minutes over"]


def test_starting_twice_is_refused_and_keeps_the_first_start(people, meeting) -> None:  # noqa: ANN001
    first = services.start_now(user=people.rep, meeting=meeting).actual_start
    with pytest.raises(InvalidInput, match="started already"):
        services.start_now(user=people.rep, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.actual_start == first


def test_notes_from_a_stale_page_are_refused_and_the_other_persons_notes_stay(
    people, meeting  # noqa: ANN001
) -> None:
    # given: two people opened the page at the same version
    seen = services.notes_version(meeting)
    services.update_notes(
        user=people.rep, meeting=meeting, changes={"notes": "Rich wants the usage report."},
        expected_version=seen,
    )
    # when: the second saves from the page they opened before
    with pytest.raises(StaleVersion):
        services.update_notes(
            user=people.manager, meeting=meeting, changes={"notes": "Budget is frozen."},
            expected_version=seen,
        )
    # then
    meeting.refresh_from_db()
    assert meeting.notes == "Rich wants the usage report."


def test_confirming_the_agenda_puts_the_customers_topics_first(people, meeting) -> None:  # noqa: ANN001
    services.add_agenda_item(user=people.rep, meeting=meeting, topic="Roadmap 2027")
    services.add_agenda_item(user=people.rep, meeting=meeting, topic="Renewal options")
    services.confirm_agenda(
        user=people.rep, meeting=meeting, customer_topics=["Outage on 3 Nov", "  "]
    )
    agenda = services.get_agenda(meeting=meeting)
    assert [(item.topic, item.raised_by) for item in agenda] == [
        ("Outage on 3 Nov", "customer"), ("Roadmap 2027", "us"), ("Renewal options", "us"),
    ]
    assert all(item.confirmed_with_customer for item in agenda)


def test_moving_an_agenda_item_up_swaps_it_with_the_one_above(people, meeting) -> None:  # noqa: ANN001
    first = services.add_agenda_item(user=people.rep, meeting=meeting, topic="A")
    second = services.add_agenda_item(user=people.rep, meeting=meeting, topic="B")
    services.move_agenda_item(user=people.rep, meeting=meeting, item_id=second.pk, direction="up")
    assert [item.topic for item in services.get_agenda(meeting=meeting)] == ["B", "A"]
    services.move_agenda_item(user=people.rep, meeting=meeting, item_id=first.pk, direction="up")
    assert [item.topic for item in services.get_agenda(meeting=meeting)] == ["A", "B"]


def test_an_action_item_owned_by_another_accounts_contact_is_not_saved(people, meeting) -> None:  # noqa: ANN001
    from tests.factories import ContactFactory

    stranger = ContactFactory(account=people.theirs, external_id="CON-STRANGER")
    with pytest.raises((InvalidInput, NotFound)):
        services.add_action_item(
            user=people.rep, meeting=meeting,
            data={"what": "Send the plan", "contact": stranger.external_id, "status": "open"},
        )
    assert not ActionItem.objects.exists()


def test_an_action_item_owned_by_a_contact_of_another_account_names_that_contact(
    people, meeting  # noqa: ANN001
) -> None:
    from tests.factories import AccountFactory, ContactFactory

    # given a contact the rep can see, on another of the rep's accounts
    elsewhere = ContactFactory(account=AccountFactory(owner=people.rep), external_id="CON-ELSE")
    # when
    with pytest.raises(InvalidInput) as refused:
        services.add_action_item(
            user=people.rep, meeting=meeting,
            data={"what": "Send the plan", "contact": elsewhere.external_id, "status": "open"},
        )
    # then
    assert refused.value.errors["contact"] == ["Contact CON-ELSE is on another account."]
    assert not ActionItem.objects.exists()


def test_a_meeting_linked_to_deals_of_another_account_names_those_deals(
    people, meeting  # noqa: ANN001
) -> None:
    from tests.factories import AccountFactory, OpportunityFactory

    # given two deals of another of the rep's accounts and one of the meeting's
    elsewhere = AccountFactory(owner=people.rep)
    OpportunityFactory(account=elsewhere, external_id="OPP-B")
    OpportunityFactory(account=elsewhere, external_id="OPP-A")
    OpportunityFactory(account=people.ours, external_id="OPP-OURS")
    # when
    with pytest.raises(InvalidInput) as refused:
        services.update_meeting(
            user=people.rep, meeting=meeting,
            changes={"opportunities": ["OPP-OURS", "OPP-B", "OPP-A"]}, expected_version=None,
        )
    # then
    assert refused.value.errors["opportunities"] == [
        "Opportunities OPP-A, OPP-B are on another account."]
    assert not meeting.opportunities.exists()


def test_an_action_item_marked_done_gets_its_done_time(people, meeting, now) -> None:  # noqa: ANN001
    item = services.add_action_item(
        user=people.rep, meeting=meeting,
        data={"what": "Send the quote", "user": "rep", "due_on": "2026-11-27", "status": "open"},
    )
    done = services.update_action_item(
        user=people.rep, meeting=meeting, item_id=item.pk, changes={"status": "done"},
        expected_version=version_of(item),
    )
    assert done.done_at == now


def test_the_follow_up_is_e_mailed_to_rich_and_is_a_call_for_giulia(
    people, meeting, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # given
    meeting.playback_summary = "You need the outage report before the board meets."
    meeting.save()
    services.add_action_item(
        user=people.rep, meeting=meeting,
        data={"what": "Send the outage report", "user": "rep", "due_on": "2026-11-27",
              "status": "open"},
    )
    # when: the e-mail leaves once the write commits
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_follow_up(user=people.rep, meeting=meeting)
    # then
    assert [c.full_name for c in sent.emailed] == ["Richard Hale"]
    assert [c.full_name for c in sent.to_call] == ["Giulia Rossi"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rich@ours.example"]
    assert message.reply_to == ["rep@vendor.example"]
    assert message.body.startswith("Dear Rich,")
    assert "Rep: Send the outage report (by 27 Nov 2026)" in message.body
    assert "You need the outage report" in message.body
    meeting.refresh_from_db()
    assert meeting.follow_up_sent_at is not None
    assert Interaction.objects.filter(kind="email", contacts=meeting.rich).exists()


def test_the_follow_up_is_sent_once(
    people, meeting, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.send_follow_up(user=people.rep, meeting=meeting)
    with pytest.raises(InvalidInput, match="sent already"):
        services.send_follow_up(user=people.rep, meeting=meeting)
    assert len(mail.outbox) == 1


def test_a_shared_page_stores_only_the_hash_of_its_token(people, meeting) -> None:  # noqa: ANN001
    page, token = services.create_shared_page(user=people.rep, meeting=meeting, days=14)
    assert len(token) >= 43  # 32 random bytes
    assert page.token_hash == SharedPage.hash(token) != token
    assert services.get_open_shared_page(token=token) == page


def test_a_revoked_or_expired_shared_page_is_not_found(people, meeting, monkeypatch) -> None:  # noqa: ANN001
    revoked, revoked_token = services.create_shared_page(user=people.rep, meeting=meeting)
    services.revoke_shared_page(user=people.rep, meeting=meeting, page_id=revoked.pk)
    expiring, expiring_token = services.create_shared_page(user=people.rep, meeting=meeting, days=7)
    monkeypatch.setattr(clock, "now", lambda: expiring.expires_at)
    for token in (revoked_token, expiring_token, "not-a-token"):
        with pytest.raises(NotFound):
            services.get_open_shared_page(token=token)


def test_the_customer_cannot_mark_our_action_item_done(people, meeting) -> None:  # noqa: ANN001
    ours = services.add_action_item(
        user=people.rep, meeting=meeting,
        data={"what": "Send the quote", "user": "rep", "status": "open"},
    )
    page, _ = services.create_shared_page(user=people.rep, meeting=meeting)
    with pytest.raises(NotFound):
        services.customer_marks_done(page=page, item_id=ours.pk, comment="done!")
    ours.refresh_from_db()
    assert ours.status == "open" and ours.customer_comment == ""


def test_the_customers_done_is_recorded_for_the_team(people, meeting) -> None:  # noqa: ANN001
    theirs = services.add_action_item(
        user=people.rep, meeting=meeting,
        data={"what": "Send the usage export", "contact": "CON-RICH", "status": "open"},
    )
    page, _ = services.create_shared_page(user=people.rep, meeting=meeting)
    services.customer_marks_done(page=page, item_id=theirs.pk, comment="Sent to Anna.")
    theirs.refresh_from_db()
    assert (theirs.status, theirs.customer_comment) == ("done", "Sent to Anna.")
    assert AuditEntry.objects.filter(action="actionitem.done_by_customer").exists()
    note = Interaction.objects.get(kind="note")
    assert "Richard Hale marked done on the shared page: Send the usage export" in note.subject
    assert list(note.contacts.all()) == [meeting.rich]
