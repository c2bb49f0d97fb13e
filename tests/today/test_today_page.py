"""Today: where each role lands, the few plays to do now and the rest by account, a play opened
in place, and acting on it from there (same checks as the play pages)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from heedful.core.versions import version_of
from heedful.plays.models import Play, PlayEvent, PlayStatus
from heedful.today import services
from tests.factories import PASSWORD, AccountFactory, ContactFactory, TicketFactory

TODAY = reverse("today:page")
HTMX = {"HTTP_HX_REQUEST": "true"}


def lines(body: str) -> list[str]:
    """The play ids of Today's lines, top to bottom."""
    return re.findall(r'<li class="today-line[^"]*" id="line-(\d+)"', body)


def section(body: str, title_id: str) -> str:
    match = re.search(rf'aria-labelledby="{title_id}">(.*?)</section>', body, re.DOTALL)
    return match.group(1) if match else ""


@pytest.mark.parametrize(("username", "landing"), [
    ("rep", "today:page"), ("other_rep", "today:page"), ("manager", "plays:team"),
    ("director", "plays:team"), ("executive", "plays:team"), ("admin", "plays:team"),
])
def test_each_role_lands_on_its_page_after_logging_in(
    client, people, username: str, landing: str  # noqa: ANN001
) -> None:
    # when
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    # then
    assert response.status_code == 302
    assert client.get(response["Location"]).url == reverse(landing)
    assert client.get("/").url == reverse(landing)


def test_a_login_with_a_next_page_still_goes_there(client, people) -> None:  # noqa: ANN001
    response = client.post(
        f"{reverse('login')}?next=/accounts/", {"username": "rep", "password": PASSWORD}
    )
    assert response["Location"] == "/accounts/"


def test_now_holds_the_top_plays_and_the_rest_follow_by_account(
    client, people, make_play, monkeypatch  # noqa: ANN001
) -> None:
    # given: four plays on two accounts, and room for two under "Now"
    monkeypatch.setattr(services, "NOW_COUNT", 2)
    acme = AccountFactory(name="Acme Freight", owner=people.rep)
    top = make_play(people.ours, priority=90, title="Bill tripled")
    second = make_play(acme, priority=80, title="Renewal in 40 days")
    third = make_play(people.ours, priority=40, title="Key contact gone cold")
    fourth = make_play(acme, priority=60, title="Site never visited")
    client.force_login(people.rep)
    # when
    body = client.get(TODAY).content.decode()
    # then: the two highest under Now, then Acme (its highest is higher) before Ours
    assert lines(section(body, "today-now-title")) == [str(top.pk), str(second.pk)]
    later = section(body, "today-later-title")
    assert lines(later) == [str(fourth.pk), str(third.pk)]
    assert later.index("Acme Freight") < later.index("Ours Telecom")
    assert re.search(r"<strong>4</strong> open", body)


def test_every_urgent_play_is_under_now_however_many(
    client, people, make_play, monkeypatch  # noqa: ANN001
) -> None:
    monkeypatch.setattr(services, "NOW_COUNT", 1)
    urgent = [make_play(people.ours, urgent=True, priority=95 - n) for n in range(3)]
    make_play(people.ours, priority=99)
    client.force_login(people.rep)
    body = client.get(TODAY).content.decode()
    assert lines(section(body, "today-now-title")) == [str(play.pk) for play in urgent]
    assert re.search(r"<strong>3</strong> urgent", body)


def test_a_line_is_title_account_reason_and_age_and_links_to_the_play_page(
    client, people, make_play  # noqa: ANN001
) -> None:
    # given: a play raised nine days ago (overdue) by the bill spike rule
    play = make_play(people.ours, title="October bill 212% above usual",
                     created_at=timezone.now() - timedelta(days=9))
    client.force_login(people.rep)
    # when
    body = client.get(TODAY).content.decode()
    # then: without JavaScript the line is a link to the play page
    line = re.search(rf'<li class="today-line[^"]*" id="line-{play.pk}".*?</li>', body, re.DOTALL)
    assert line is not None
    text = re.sub(r"<[^>]+>", " ", line.group(0))
    assert f'href="{reverse("plays:detail", args=[play.pk])}"' in line.group(0)
    for words in ("October bill 212% above usual", "Ours Telecom", "Bill spike", "9 days"):
        assert words in text
    assert "overdue" in text
    assert re.search(r"<strong>1</strong> overdue", body)


def test_a_rep_sees_no_play_of_an_account_they_may_not_see(client, people, make_play) -> None:  # noqa: ANN001
    # given: a play the rep owns on an account they are no longer on the team of
    hidden = make_play(people.theirs, owner=people.rep, title="Not yours to see")
    client.force_login(people.rep)
    # when
    body = client.get(TODAY).content.decode()
    panel = client.get(reverse("today:panel", args=[hidden.pk]), **HTMX)
    done = client.post(reverse("today:act", args=[hidden.pk, "done"]),
                       {"outcome": "Called."}, **HTMX)
    # then
    assert "Not yours to see" not in body and lines(body) == []
    assert panel.status_code == 404 and done.status_code == 404
    assert Play.objects.get(pk=hidden.pk).status == PlayStatus.OPEN


def test_an_opened_play_says_why_its_facts_and_whom_to_call(client, people, make_play) -> None:  # noqa: ANN001
    # given: a severity-1 ticket reported by a contact who prefers the phone
    dolores = ContactFactory(account=people.ours, full_name="Dolores Nuñez", preferred_name="Lola",
                             phone="+1 617 363 3437", preferred_channel="phone")
    TicketFactory(account=people.ours, external_id="TCK-7", contact=dolores, severity=1)
    play = make_play(people.ours, rule="support.ticket_opened", subject="ticket:TCK-7",
                     urgent=True, title="Severity-1 ticket opened: Phones down",
                     explanation="Severity-1 ticket TCK-7 was opened.",
                     facts={"ticket": "TCK-7", "severity": 1},
                     suggested_action="Call them now.")
    client.force_login(people.rep)
    # when
    response = client.get(reverse("today:panel", args=[play.pk]), **HTMX)
    # then
    body = response.content.decode()
    assert "Severity-1 ticket TCK-7 was opened." in body and "Call them now." in body
    assert "Whom to reach" in body and "Dolores Nuñez" in body and "call them <strong>Lola" in body
    assert '<a href="tel:+1 617 363 3437"' in body
    assert "Prefers phone" in body
    assert f'name="version" value="{version_of(play)}"' in body


def test_a_panel_opened_without_htmx_goes_to_the_play_page(client, people, make_play) -> None:  # noqa: ANN001
    play = make_play(people.ours)
    client.force_login(people.rep)
    response = client.get(reverse("today:panel", args=[play.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("plays:detail", args=[play.pk])


def test_done_from_today_answers_the_list_without_the_play_and_new_counts(
    client, people, make_play  # noqa: ANN001
) -> None:
    # given
    first = make_play(people.ours, priority=90, title="First")
    second = make_play(people.ours, priority=80, title="Second")
    client.force_login(people.rep)
    # when
    response = client.post(
        reverse("today:act", args=[first.pk, "done"]),
        {"outcome": "Called Lola; credit note agreed.", "version": version_of(first),
         "owner": people.rep.pk},
        **HTMX,
    )
    # then: htmx swaps the whole list, which no longer holds the play
    assert response["HX-Retarget"] == "#today-body"
    body = response.content.decode()
    assert lines(body) == [str(second.pk)]
    assert re.search(r"<strong>1</strong> open", body)
    assert "Marked done: First." in body and "Undo" in body
    first.refresh_from_db()
    assert (first.status, first.outcome) == (PlayStatus.DONE, "Called Lola; credit note agreed.")
    assert PlayEvent.objects.filter(play=first, user=people.rep, action="done").exists()


def test_undo_brings_the_play_back(client, people, make_play) -> None:  # noqa: ANN001
    play = make_play(people.ours, title="First")
    client.force_login(people.rep)
    client.post(reverse("today:act", args=[play.pk, "dismiss"]), {"reason": "Known."}, **HTMX)
    body = client.post(reverse("today:act", args=[play.pk, "reopen"]), **HTMX).content.decode()
    assert lines(body) == [str(play.pk)]
    assert Play.objects.get(pk=play.pk).status == PlayStatus.OPEN


def test_an_action_on_a_play_changed_since_writes_nothing_and_says_so(
    client, people, make_play  # noqa: ANN001
) -> None:
    # given: the rep opened the play, then someone snoozed it
    play = make_play(people.ours)
    seen = version_of(play)
    Play.objects.filter(pk=play.pk).update(
        status=PlayStatus.SNOOZED, snoozed_until=timezone.localdate() + timedelta(days=3)
    )
    client.force_login(people.rep)
    # when
    response = client.post(reverse("today:act", args=[play.pk, "done"]),
                           {"outcome": "Called.", "version": seen}, **HTMX)
    # then: the opened play is answered again, with why nothing was saved
    assert "HX-Retarget" not in response
    body = response.content.decode()
    assert "This play changed since you opened it: it is now snoozed until" in body
    play.refresh_from_db()
    assert (play.status, play.outcome) == (PlayStatus.SNOOZED, "")


def test_an_empty_outcome_is_refused_next_to_its_field(client, people, make_play) -> None:  # noqa: ANN001
    play = make_play(people.ours)
    client.force_login(people.rep)
    response = client.post(reverse("today:act", args=[play.pk, "done"]), {"outcome": " "}, **HTMX)
    body = response.content.decode()
    assert "Say what happened." in body and 'aria-invalid="true"' in body
    assert Play.objects.get(pk=play.pk).status == PlayStatus.OPEN


def test_without_javascript_an_action_goes_back_to_today(client, people, make_play) -> None:  # noqa: ANN001
    play = make_play(people.ours)
    client.force_login(people.rep)
    response = client.post(reverse("today:act", args=[play.pk, "snooze"]),
                           {"until": (timezone.localdate() + timedelta(days=7)).isoformat()})
    assert response.status_code == 302 and response["Location"] == TODAY
    assert Play.objects.get(pk=play.pk).status == PlayStatus.SNOOZED


def test_an_action_needs_the_csrf_token(people, make_play) -> None:  # noqa: ANN001
    play = make_play(people.ours)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.rep)
    response = browser.post(reverse("today:act", args=[play.pk, "done"]), {"outcome": "x"})
    assert response.status_code == 403
    assert Play.objects.get(pk=play.pk).status == PlayStatus.OPEN


def test_a_manager_opens_a_reports_today_and_a_rep_cannot_open_anothers(
    client, people, make_play  # noqa: ANN001
) -> None:
    # given
    make_play(people.ours, title="The rep's play")
    make_play(people.theirs, title="The other rep's play")
    # when
    client.force_login(people.manager)
    managers_look = client.get(TODAY, {"owner": people.rep.pk})
    client.force_login(people.rep)
    reps_look = client.get(TODAY, {"owner": people.other_rep.pk})
    # then
    body = managers_look.content.decode()
    assert "Today of" in body and "The rep&#x27;s play" in body
    assert "The other rep" not in body
    assert reps_look.status_code == 404


def test_today_reads_a_constant_number_of_queries_however_many_plays(
    client, people, make_play, django_assert_num_queries  # noqa: ANN001
) -> None:
    # given
    make_play(people.ours)
    client.force_login(people.rep)
    with CaptureQueriesContext(connection) as one_play:
        client.get(TODAY)
    for index in range(60):
        account = AccountFactory(owner=people.rep)
        make_play(account, urgent=index % 7 == 0, priority=index % 100)
    # then
    with django_assert_num_queries(len(one_play.captured_queries)):
        body = client.get(TODAY).content.decode()
    assert "more in the attention queue" in body


def test_nothing_to_do_says_so(client, people) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    assert "Nothing needs you right now." in client.get(TODAY).content.decode()


def test_a_manager_acting_on_a_reports_today_gets_that_today_back(
    client, people, make_play  # noqa: ANN001
) -> None:
    # given
    first = make_play(people.ours, priority=90, title="First")
    second = make_play(people.ours, priority=80, title="Second")
    client.force_login(people.manager)
    panel = client.get(reverse("today:panel", args=[first.pk]), **HTMX).content.decode()
    owner = re.search(r'name="owner" value="(\d*)"', panel)
    # when
    response = client.post(
        reverse("today:act", args=[first.pk, "dismiss"]),
        {"reason": "The rep is on leave; covered by me.", "owner": owner.group(1) if owner else ""},
        **HTMX,
    )
    # then: the rep's Today, without the play, the dismissal recorded as the manager's
    body = response.content.decode()
    assert lines(body) == [str(second.pk)]
    assert PlayEvent.objects.get(play=first, action="dismissed").user == people.manager
