"""The meeting pages: who may open them, what they show, and forms that keep what was typed."""

import re

import pytest
from django.urls import reverse

from heedful.core.versions import version_of
from heedful.meetings import services
from heedful.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def meeting_urls(meeting: Meeting) -> list[tuple[str, str]]:
    """Every meeting address, with the method it answers (an agenda item, an action item and
    a shared link made first, so that their addresses exist)."""
    pk = meeting.pk
    rep = meeting.organizer
    item = services.add_agenda_item(user=rep, meeting=meeting, topic="Roadmap")
    action = services.add_action_item(
        user=rep, meeting=meeting, data={"what": "Send it", "user": "rep", "status": "open"}
    )
    shared_page, _ = services.create_shared_page(user=rep, meeting=meeting)
    return [
        ("post", reverse("meetings:move_agenda_item", args=[pk, item.pk, "up"])),
        ("post", reverse("meetings:remove_agenda_item", args=[pk, item.pk])),
        ("post", reverse("meetings:set_action_status", args=[pk, action.pk])),
        ("post", reverse("meetings:edit_action_item", args=[pk, action.pk])),
        ("post", reverse("meetings:revoke", args=[pk, shared_page.pk])),
        ("post", reverse("meetings:upload_transcript", args=[pk])),
        ("post", reverse("meetings:name_speaker", args=[pk])),
        ("post", reverse("meetings:accept_suggested_action", args=[pk])),
        ("get", reverse("meetings:detail", args=[pk])),
        ("get", reverse("meetings:follow_up", args=[pk])),
        ("post", reverse("meetings:follow_up", args=[pk])),
        ("post", reverse("meetings:edit_details", args=[pk])),
        ("post", reverse("meetings:edit_notes", args=[pk])),
        ("post", reverse("meetings:start_or_end", args=[pk, "start"])),
        ("post", reverse("meetings:start_or_end", args=[pk, "end"])),
        ("post", reverse("meetings:add_attendee", args=[pk])),
        ("post", reverse("meetings:remove_attendee", args=[pk, meeting.attendees.first().pk])),
        ("post", reverse("meetings:add_agenda_item", args=[pk])),
        ("post", reverse("meetings:confirm_agenda", args=[pk])),
        ("post", reverse("meetings:add_action_item", args=[pk])),
        ("post", reverse("meetings:share", args=[pk])),
        ("get", reverse("prep:brief", args=[pk])),
        ("get", reverse("prep:print", args=[pk])),
    ]


def test_another_accounts_rep_gets_404_on_every_meeting_address(client, people, meeting) -> None:  # noqa: ANN001
    # given
    urls = meeting_urls(meeting)
    client.force_login(people.other_rep)
    before = (
        version_of(meeting), meeting.attendees.count(), meeting.agenda_items.count(),
        [version_of(item) for item in meeting.action_items.all()],
        [version_of(page) for page in meeting.shared_pages.all()],
    )
    # when / then
    for method, url in urls:
        response = getattr(client, method)(url, {"topic": "x", "days": "30"})
        assert response.status_code == 404, (method, url)
    for url in (
        reverse("meetings:account", args=["ACC-OURS"]),
        reverse("meetings:new", args=["ACC-OURS"]),
    ):
        assert client.get(url).status_code == 404
    meeting.refresh_from_db()
    assert before == (
        version_of(meeting), meeting.attendees.count(), meeting.agenda_items.count(),
        [version_of(item) for item in meeting.action_items.all()],
        [version_of(page) for page in meeting.shared_pages.all()],
    )
    assert client.get(reverse("meetings:trends", args=["rep"])).status_code == 404


def test_the_reps_manager_may_open_the_meeting(client, people, meeting) -> None:  # noqa: ANN001
    client.force_login(people.manager)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200


def test_the_accounts_meetings_are_listed_newest_first_and_linked_from_the_account_360(
    client, people, meeting, django_assert_max_num_queries  # noqa: ANN001
) -> None:
    from datetime import timedelta

    Meeting.objects.create(
        account=people.ours, title="Kick-off", scheduled_start=meeting.scheduled_start
        - timedelta(days=90), scheduled_end=meeting.scheduled_end - timedelta(days=90),
    )
    client.force_login(people.rep)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("meetings:account", args=["ACC-OURS"])).content.decode()
    assert page.index("Quarterly review") < page.index("Kick-off")
    oldest_first = client.get(
        reverse("meetings:account", args=["ACC-OURS"]), {"sort": "start"}
    ).content.decode()
    assert oldest_first.index("Kick-off") < oldest_first.index("Quarterly review")
    account_360 = client.get(reverse("accounts:detail", args=["ACC-OURS"])).content.decode()
    assert reverse("meetings:account", args=["ACC-OURS"]) in account_360


def test_a_new_meeting_is_created_from_the_form(client, people) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    response = client.post(reverse("meetings:new", args=["ACC-OURS"]), {
        "title": "Renewal options", "scheduled_start": "2026-12-02T10:00",
        "scheduled_end": "2026-12-02T11:00", "customer_value": "A clear choice of cover.",
    })
    meeting = Meeting.objects.get(title="Renewal options")
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.organizer == people.rep


def test_a_new_meeting_ending_before_it_starts_is_refused_with_the_input_kept(
    client, people  # noqa: ANN001
) -> None:
    client.force_login(people.rep)
    response = client.post(reverse("meetings:new", args=["ACC-OURS"]), {
        "title": "Backwards", "scheduled_start": "2026-12-02T11:00",
        "scheduled_end": "2026-12-02T10:00",
    })
    assert response.status_code == 422
    assert 'value="Backwards"' in response.content.decode()
    assert not Meeting.objects.filter(title="Backwards").exists()


def test_the_meeting_page_shows_names_to_use_and_a_missing_value(client, people, meeting) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "<strong>Rich</strong>" in page and "(Richard Hale)" in page
    assert "say “JOO-lee-ah”" in page
    assert "Interpreter" in page and "Marco Bianchi" in page
    assert "Not stated. If we cannot say what the customer gains" in page


def test_notes_saved_from_a_stale_page_keep_the_typed_text(client, people, meeting) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    url = reverse("meetings:edit_notes", args=[meeting.pk])
    seen = services.notes_version(meeting)
    client.post(url, {"version": seen, "notes": "First", "playback_summary": ""})
    response = client.post(url, {"version": seen, "notes": "Second", "playback_summary": ""})
    assert response.status_code == 409
    assert "Someone saved the notes since you opened the page" in response.content.decode()
    assert ">Second</textarea>" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.notes == "First"


def test_a_shared_link_is_shown_once(client, people, meeting) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    response = client.post(reverse("meetings:share", args=[meeting.pk]), {"days": "14"})
    link = re.search(r'value="(http[^"]+/shared/meetings/[^"]+/)"', response.content.decode())
    assert link is not None
    token = link.group(1).rstrip("/").rsplit("/", 1)[1]
    again = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert token not in again
    assert "open until" in again


def test_the_customers_page_shows_the_agreed_items_and_the_team_without_login(
    client, people, meeting  # noqa: ANN001
) -> None:
    # given
    meeting.notes = "INTERNAL: budget is frozen"
    meeting.save()
    people.rep.manager.email = "manager@vendor.example"
    people.rep.manager.save()
    services.add_action_item(user=people.rep, meeting=meeting, data={
        "what": "Send the outage report", "user": "rep", "due_on": "2026-11-27", "status": "open"})
    theirs = services.add_action_item(user=people.rep, meeting=meeting, data={
        "what": "Send the usage export", "contact": "CON-RICH", "status": "open"})
    _, token = services.create_shared_page(user=people.rep, meeting=meeting)
    url = reverse("shared_meeting", args=[token])
    # when
    response = client.get(url)
    page = response.content.decode()
    # then
    assert response.status_code == 200
    assert "Send the outage report" in page and "27 Nov 2026" in page
    assert "Send the usage export" in page
    assert "Account owner" in page and "Rep" in page
    assert "Manager" in page and "manager@vendor.example" in page
    assert "INTERNAL" not in page and "budget" not in page
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    # and the customer marks theirs done
    done = client.post(
        reverse("shared_meeting_done", args=[token, theirs.pk]), {"comment": "Sent."}
    )
    assert done.status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == "done"


def test_the_customer_cannot_post_done_on_our_item(client, people, meeting) -> None:  # noqa: ANN001
    ours = services.add_action_item(user=people.rep, meeting=meeting, data={
        "what": "Send the quote", "user": "rep", "status": "open"})
    _, token = services.create_shared_page(user=people.rep, meeting=meeting)
    response = client.post(reverse("shared_meeting_done", args=[token, ours.pk]), {"comment": "x"})
    assert response.status_code == 404
    ours.refresh_from_db()
    assert ours.status == "open"


def test_a_revoked_link_shows_nothing_of_the_meeting(client, people, meeting) -> None:  # noqa: ANN001
    services.add_action_item(user=people.rep, meeting=meeting, data={
        "what": "Send the quote", "user": "rep", "status": "open"})
    page, token = services.create_shared_page(user=people.rep, meeting=meeting)
    services.revoke_shared_page(user=people.rep, meeting=meeting, page_id=page.pk)
    response = client.get(reverse("shared_meeting", args=[token]))
    body = response.content.decode()
    assert response.status_code == 404
    assert "Send the quote" not in body and "Quarterly review" not in body
    assert "Ours Telecom" not in body
    unknown = client.get(reverse("shared_meeting", args=["x" * 43]))
    assert unknown.status_code == 404 and unknown.content == response.content


def test_an_action_item_changed_from_a_stale_page_is_refused(client, people, meeting) -> None:  # noqa: ANN001
    item = services.add_action_item(user=people.rep, meeting=meeting, data={
        "what": "Send the quote", "user": "rep", "status": "open"})
    seen = version_of(item)
    client.force_login(people.rep)
    url = reverse("meetings:edit_action_item", args=[meeting.pk, item.pk])
    first = client.post(url, {"version": seen, "what": "Send the revised quote",
                              "owner": "contact:CON-RICH", "due_on": "2026-12-04"})
    second = client.post(url, {"version": seen, "what": "Send the old quote",
                               "owner": "user:rep", "due_on": ""})
    item.refresh_from_db()
    assert first.status_code == 302 and second.status_code == 409
    assert (item.what, item.contact, item.user, str(item.due_on)) == (
        "Send the revised quote", meeting.rich, None, "2026-12-04"
    )
