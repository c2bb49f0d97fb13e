"""The attention queue, acting on a play in place, and the plays on the Account 360."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from heedful.plays.engine import scan
from heedful.plays.models import Play, PlayAction, PlayEvent, PlayStatus
from tests.factories import AccountFactory, TeamMembershipFactory, TicketFactory, UserFactory

QUEUE = reverse("plays:queue")
_serial = itertools.count(1)


def make_play(account, **fields) -> Play:  # noqa: ANN001
    """An open play on ``account``, owned by its owner unless told."""
    number = next(_serial)
    values = {
        "rule": "billing.spike", "subject": f"invoice:INV-{number}", "owner": account.owner,
        "priority": 50, "urgent": False, "title": f"Play {number} on {account.name}",
        "explanation": "The bill is 212% above the median of the previous three.",
        "facts": {"amount": "7800.00", "previous_median": "2500.00"},
        "suggested_action": "Call before they call you.",
    }
    values.update(fields)
    return Play.objects.create(account=account, **values)


def act_url(play: Play, action: str) -> str:
    return reverse("plays:act", args=[play.pk, action])


def titles(response) -> list[str]:  # noqa: ANN001
    return [play.title for play in response.context["page"]]


def htmx(client: Client, url: str, data: dict) -> object:
    return client.post(url, data, HTTP_HX_REQUEST="true")


# -- who sees what -------------------------------------------------------------------------


def test_login_is_required(client, people) -> None:  # noqa: ANN001
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_rep_sees_their_own_open_plays_by_default(client, people) -> None:  # noqa: ANN001
    # given
    mine = make_play(people.ours, title="Mine")
    make_play(people.ours, title="Done already", status=PlayStatus.DONE)
    make_play(people.ours, title="Snoozed", status=PlayStatus.SNOOZED)
    colleague = UserFactory(username="csm")
    TeamMembershipFactory(account=people.ours, user=colleague)
    make_play(people.ours, title="The colleague's", owner=colleague)
    make_play(people.theirs, title="Another team's")
    client.force_login(people.rep)
    # when
    response = client.get(QUEUE)
    # then
    assert response.status_code == 200
    assert titles(response) == [mine.title]
    body = response.content.decode()
    assert "My attention queue" in body
    assert "Another team" not in body and "Theirs Utilities" not in body


def test_everything_i_can_see_adds_other_owners_plays_on_visible_accounts(client, people) -> None:  # noqa: ANN001
    # given
    colleague = UserFactory(username="csm")
    TeamMembershipFactory(account=people.ours, user=colleague)
    make_play(people.ours, title="Mine")
    make_play(people.ours, title="The colleague's", owner=colleague)
    make_play(people.theirs, title="Another team's")
    client.force_login(people.rep)
    # when
    response = client.get(QUEUE, {"scope": "all"})
    # then
    assert sorted(titles(response)) == ["Mine", "The colleague's"]


@pytest.mark.parametrize("who", ["manager", "director"])
def test_manager_sees_their_reports_plays_but_not_other_teams(client, people, who: str) -> None:  # noqa: ANN001
    # given
    make_play(people.ours, title="The rep's")
    make_play(people.theirs, title="Another team's")
    client.force_login(getattr(people, who))
    # when
    mine = client.get(QUEUE)
    everything = client.get(QUEUE, {"scope": "all"})
    by_owner = client.get(QUEUE, {"owner": people.rep.pk})
    hidden_owner = client.get(QUEUE, {"owner": people.other_rep.pk})
    # then
    assert titles(mine) == []
    assert titles(everything) == ["The rep's"]
    assert titles(by_owner) == ["The rep's"]
    assert "Attention queue of Rep" in by_owner.content.decode()
    assert titles(hidden_owner) == []


def test_executive_sees_every_account_s_plays(client, people) -> None:  # noqa: ANN001
    make_play(people.ours, title="Ours")
    make_play(people.theirs, title="Theirs")
    client.force_login(people.executive)
    assert sorted(titles(client.get(QUEUE, {"scope": "all"}))) == ["Ours", "Theirs"]


# -- order, filters, sorting, paging -------------------------------------------------------


def test_queue_is_urgent_first_then_highest_priority_then_oldest(client, people) -> None:  # noqa: ANN001
    # given
    old = datetime(2026, 10, 1, tzinfo=UTC)
    new = datetime(2026, 11, 1, tzinfo=UTC)
    make_play(people.ours, title="Low", priority=45)
    make_play(people.ours, title="High, newer", priority=80, created_at=new)
    make_play(people.ours, title="High, older", priority=80, created_at=old)
    make_play(people.ours, title="Urgent but lower", priority=60, urgent=True)
    client.force_login(people.rep)
    # when
    response = client.get(QUEUE)
    # then
    assert titles(response) == ["Urgent but lower", "High, older", "High, newer", "Low"]


def test_filter_by_rule_and_account_text(client, people) -> None:  # noqa: ANN001
    # given
    acme = AccountFactory(external_id="ACC-ACME", name="Acme Freight", owner=people.rep)
    make_play(people.ours, title="Spike at Ours")
    make_play(people.ours, title="Ticket at Ours", rule="support.ticket_opened")
    make_play(acme, title="Spike at Acme")
    client.force_login(people.rep)
    # when / then
    assert sorted(titles(client.get(QUEUE, {"rule": "billing.spike"}))) == [
        "Spike at Acme", "Spike at Ours",
    ]
    assert titles(client.get(QUEUE, {"account": "acme"})) == ["Spike at Acme"]
    assert titles(client.get(QUEUE, {"account": "acc-ours", "rule": "billing.spike"})) == [
        "Spike at Ours",
    ]
    # an unknown rule is ignored rather than hiding everything
    assert len(titles(client.get(QUEUE, {"rule": "no.such.rule"}))) == 3


def test_rule_dropdown_uses_readable_names(client, people) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    body = client.get(QUEUE).content.decode()
    assert '<option value="billing.spike">Bill spike</option>' in body
    assert '<option value="health.business_change">Bad business news</option>' in body


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-priority", ["Beta 90", "Alpha 70", "Gamma 10"]),
        ("priority", ["Gamma 10", "Alpha 70", "Beta 90"]),
        ("account", ["Alpha 70", "Beta 90", "Gamma 10"]),
        ("-account", ["Gamma 10", "Beta 90", "Alpha 70"]),
        ("-age", ["Gamma 10", "Beta 90", "Alpha 70"]),
        ("age", ["Alpha 70", "Beta 90", "Gamma 10"]),
        ("rule", ["Beta 90", "Alpha 70", "Gamma 10"]),
    ],
)
def test_queue_sorts_by_priority_account_rule_and_age(
    client, people, sort: str, expected: list[str]  # noqa: ANN001
) -> None:
    # given
    for name, priority, day, rule in [
        ("Alpha", 70, 20, "support.ticket_opened"), ("Beta", 90, 10, "billing.spike"),
        ("Gamma", 10, 1, "team.site_never_visited"),
    ]:
        account = AccountFactory(name=f"{name} Ltd", owner=people.rep)
        make_play(account, title=f"{name} {priority}", priority=priority, rule=rule,
                  created_at=datetime(2026, 11, day, tzinfo=UTC))
    client.force_login(people.rep)
    # when
    response = client.get(QUEUE, {"sort": sort})
    # then
    assert titles(response) == expected
    assert response.context["sort"] == sort


def test_queue_is_paged(client, people, settings) -> None:  # noqa: ANN001
    # given
    settings.HEEDFUL_PAGE_SIZE = 2
    for priority in (50, 60, 70, 80, 90):
        make_play(people.ours, title=f"P{priority}", priority=priority)
    client.force_login(people.rep)
    # when
    first = client.get(QUEUE)
    third = client.get(QUEUE, {"page": 3})
    # then
    assert titles(first) == ["P90", "P80"]
    assert titles(third) == ["P50"]
    assert "page 1 of 3" in first.content.decode()


def test_htmx_filter_answers_only_the_results_fragment(client, people) -> None:  # noqa: ANN001
    make_play(people.ours, title="Mine")
    client.force_login(people.rep)
    response = client.get(QUEUE, {"account": "ours"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="play-list"' in body and "Mine" in body
    assert "HX-Request" in response["Vary"]


def test_each_play_shows_its_explanation_facts_action_account_age_and_urgency(
    client, people  # noqa: ANN001
) -> None:
    # given
    make_play(
        people.ours, title="Severity-1 ticket: Phones down", urgent=True, priority=95,
        created_at=timezone.now() - timedelta(days=3),
        explanation="Severity-1 ticket TCK-1 was opened on 2026-11-21.",
        facts={"severity": 1, "opened_at": "2026-11-21T08:30:00+00:00", "families": ["A", "B"]},
        suggested_action="Call them now.",
    )
    client.force_login(people.rep)
    # when
    body = client.get(QUEUE).content.decode()
    # then
    assert "Severity-1 ticket: Phones down" in body
    assert "Severity-1 ticket TCK-1 was opened on 2026-11-21." in body
    assert "<dt>Severity</dt><dd>1</dd>" in body
    assert (
        '<dt>Families</dt><dd><ul class="fact-list fact-list-inline"><li>A</li><li>B</li></ul>'
    ) in body
    assert "Call them now." in body
    assert 'href="/accounts/ACC-OURS/"' in body
    assert "3 days old" in body
    assert '<span class="badge badge-danger">Urgent</span>' in body


def test_queue_uses_a_constant_number_of_queries(client, people, django_assert_num_queries) -> None:  # noqa: ANN001
    # given
    make_play(people.ours)
    client.force_login(people.rep)
    with CaptureQueriesContext(connection) as one_play:
        assert len(titles(client.get(QUEUE))) == 1
    with CaptureQueriesContext(connection) as one_play_sorted:
        client.get(QUEUE, {"scope": "all", "sort": "account"})
    for _ in range(6):
        make_play(AccountFactory(owner=people.rep), urgent=True)
    for _ in range(3):
        make_play(AccountFactory(owner=people.rep), priority=20)
    # then
    with django_assert_num_queries(len(one_play.captured_queries)):
        response = client.get(QUEUE)
    assert len(titles(response)) == 7
    with django_assert_num_queries(len(one_play_sorted.captured_queries)):
        client.get(QUEUE, {"scope": "all", "sort": "account"})


def test_top_bar_links_to_the_attention_queue_first(client, people) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    body = client.get(reverse("accounts:list")).content.decode()
    nav = body[body.index('<nav class="topnav"'):]
    assert nav.index(">Attention</a>") < nav.index(">Accounts</a>")


# -- acting on a play ----------------------------------------------------------------------


def test_done_in_place_swaps_the_row_and_records_who(client, people) -> None:  # noqa: ANN001
    # given
    play = make_play(people.ours)
    client.force_login(people.rep)
    # when
    response = htmx(client, act_url(play, "done"), {"outcome": "Called Rich; credit agreed.",
                                                      "next": QUEUE})
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith(f'<article class="play play-done" id="play-{play.pk}"')
    assert "Called Rich; credit agreed." in body and "<html" not in body
    play.refresh_from_db()
    assert play.status == PlayStatus.DONE and play.outcome == "Called Rich; credit agreed."
    event = PlayEvent.objects.get(play=play, action=PlayAction.DONE)
    assert event.user == people.rep
    assert event.detail["outcome"] == "Called Rich; credit agreed."


def test_done_without_javascript_redirects_back(client, people) -> None:  # noqa: ANN001
    # given
    play = make_play(people.ours)
    client.force_login(people.rep)
    back = f"{QUEUE}?rule=billing.spike&sort=age"
    # when
    response = client.post(act_url(play, "done"), {"outcome": "Sorted.", "next": back})
    # then
    assert response.status_code == 302
    assert response["Location"] == back
    play.refresh_from_db()
    assert play.status == PlayStatus.DONE


def test_redirect_back_never_leaves_the_site(client, people) -> None:  # noqa: ANN001
    play = make_play(people.ours)
    client.force_login(people.rep)
    response = client.post(act_url(play, "done"), {"outcome": "Sorted.",
                                                  "next": "https://evil.example/"})
    assert response["Location"] == QUEUE


def test_done_needs_an_outcome_shown_next_to_the_field(client, people) -> None:  # noqa: ANN001
    # given
    play = make_play(people.ours)
    client.force_login(people.rep)
    # when
    in_place = htmx(client, act_url(play, "done"), {"outcome": "   "})
    without_javascript = client.post(act_url(play, "done"), {"outcome": ""})
    # then
    assert in_place.status_code == 200
    assert f'id="play-{play.pk}-outcome-error">Say what happened.</p>' in in_place.content.decode()
    assert 'aria-invalid="true"' in in_place.content.decode()
    assert without_javascript.status_code == 422
    assert "Say what happened." in without_javascript.content.decode()
    play.refresh_from_db()
    assert play.status == PlayStatus.OPEN
    assert not PlayEvent.objects.filter(play=play).exists()


def test_snooze_until_a_future_day(client, people) -> None:  # noqa: ANN001
    # given
    play = make_play(people.ours)
    until = timezone.localdate() + timedelta(days=7)
    client.force_login(people.rep)
    # when
    response = htmx(client, act_url(play, "snooze"), {"until": until.isoformat()})
    # then
    assert response.status_code == 200
    assert "Snoozed" in response.content.decode()
    play.refresh_from_db()
    assert play.status == PlayStatus.SNOOZED and play.snoozed_until == until
    event = PlayEvent.objects.get(play=play)
    assert (event.action, event.user) == (PlayAction.SNOOZED, people.rep)


def test_snooze_form_defaults_to_a_week_ahead(client, people) -> None:  # noqa: ANN001
    play = make_play(people.ours)
    client.force_login(people.rep)
    body = client.get(QUEUE).content.decode()
    default = (timezone.localdate() + timedelta(days=7)).isoformat()
    field = body[body.index(f'id="play-{play.pk}-until"'):]
    assert field[: field.index(">")].endswith(f'value="{default}"')


@pytest.mark.parametrize(
    ("until", "message"),
    [
        ("today", "Choose a day after today"),
        ("yesterday", "Choose a day after today"),
        ("not a date", "Enter a date as YYYY-MM-DD."),
        ("", "Choose a day."),
    ],
)
def test_snooze_refuses_a_day_that_is_not_in_the_future(
    client, people, until: str, message: str  # noqa: ANN001
) -> None:
    # given
    play = make_play(people.ours)
    today = timezone.localdate()
    value = {"today": today.isoformat(),
             "yesterday": (today - timedelta(days=1)).isoformat()}.get(until, until)
    client.force_login(people.rep)
    # when
    response = htmx(client, act_url(play, "snooze"), {"until": value})
    # then
    body = response.content.decode()
    assert f'id="play-{play.pk}-until-error">{message}' in body
    play.refresh_from_db()
    assert play.status == PlayStatus.OPEN and play.snoozed_until is None
    assert not PlayEvent.objects.exists()


def test_dismiss_needs_a_reason(client, people) -> None:  # noqa: ANN001
    # given
    play = make_play(people.ours)
    client.force_login(people.rep)
    # when
    refused = htmx(client, act_url(play, "dismiss"), {"reason": ""})
    accepted = htmx(client, act_url(play, "dismiss"), {"reason": "They moved to a new plan."})
    # then
    assert "Say why it is not worth doing." in refused.content.decode()
    assert "They moved to a new plan." in accepted.content.decode()
    play.refresh_from_db()
    assert play.status == PlayStatus.DISMISSED
    assert [(e.action, e.user) for e in PlayEvent.objects.filter(play=play)] == [
        (PlayAction.DISMISSED, people.rep)
    ]


def test_dismissed_play_stays_dismissed_after_a_rescan(client, people, as_of) -> None:  # noqa: ANN001
    # given: a severity-1 ticket raises an urgent play
    TicketFactory(account=people.ours, severity=1, subject="Phones down",
                  opened_at=datetime(2026, 11, 21, 8, 30, tzinfo=UTC))
    scan(as_of=as_of)
    play = Play.objects.get(rule="support.ticket_opened")
    assert play.urgent and play.owner == people.rep
    client.force_login(people.rep)
    # when
    htmx(client, act_url(play, "dismiss"), {"reason": "Already fixed, told them."})
    result = scan(as_of=as_of)
    # then
    assert result.remembered == 1
    tickets = Play.objects.filter(rule="support.ticket_opened")
    assert list(tickets.values_list("status", flat=True)) == [PlayStatus.DISMISSED]
    assert titles(client.get(QUEUE, {"rule": "support.ticket_opened"})) == []


def test_reopen_brings_a_play_back(client, people) -> None:  # noqa: ANN001
    play = make_play(people.ours)
    client.force_login(people.rep)
    htmx(client, act_url(play, "dismiss"), {"reason": "Wrong click."})
    response = htmx(client, act_url(play, "reopen"), {})
    play.refresh_from_db()
    assert play.status == PlayStatus.OPEN
    assert 'name="outcome"' in response.content.decode()
    assert [e.action for e in PlayEvent.objects.filter(play=play)] == [
        PlayAction.DISMISSED, PlayAction.REOPENED,
    ]


def test_acting_twice_says_what_happened_instead_of_failing(client, people) -> None:  # noqa: ANN001
    play = make_play(people.ours)
    client.force_login(people.rep)
    htmx(client, act_url(play, "done"), {"outcome": "Called."})
    response = htmx(client, act_url(play, "dismiss"), {"reason": "Late click."})
    assert response.status_code == 200
    assert "already done" in response.content.decode()
    play.refresh_from_db()
    assert play.status == PlayStatus.DONE


@pytest.mark.parametrize("action", ["done", "snooze", "dismiss", "reopen"])
def test_rep_cannot_act_on_another_teams_play(client, people, action: str) -> None:  # noqa: ANN001
    # given
    play = make_play(people.theirs)
    client.force_login(people.rep)
    data = {"outcome": "x", "reason": "x",
            "until": (timezone.localdate() + timedelta(days=3)).isoformat()}
    # when
    response = client.post(act_url(play, action), data)
    # then
    assert response.status_code == 404
    assert "Theirs Utilities" not in response.content.decode()
    play.refresh_from_db()
    assert play.status == PlayStatus.OPEN
    assert not PlayEvent.objects.exists()
    assert client.get(reverse("plays:detail", args=[play.pk])).status_code == 404


def test_manager_may_act_on_a_reports_play(client, people) -> None:  # noqa: ANN001
    play = make_play(people.ours)
    client.force_login(people.manager)
    response = client.post(act_url(play, "done"), {"outcome": "Handled it myself."})
    assert response.status_code == 302
    assert PlayEvent.objects.get(play=play).user == people.manager


def test_actions_need_post_and_a_known_action(client, people) -> None:  # noqa: ANN001
    play = make_play(people.ours)
    client.force_login(people.rep)
    assert client.get(act_url(play, "done")).status_code == 405
    assert client.post(act_url(play, "explode"), {}).status_code == 404


def test_actions_need_the_csrf_token(people) -> None:  # noqa: ANN001
    play = make_play(people.ours)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.rep)
    response = client.post(act_url(play, "done"), {"outcome": "Called."})
    assert response.status_code == 403
    play.refresh_from_db()
    assert play.status == PlayStatus.OPEN


def test_forms_carry_the_csrf_token(client, people) -> None:  # noqa: ANN001
    make_play(people.ours)
    client.force_login(people.rep)
    body = client.get(QUEUE).content.decode()
    assert body.count('name="csrfmiddlewaretoken"') >= 3


# -- the Account 360 -----------------------------------------------------------------------


def test_account_360_lists_the_account_s_open_plays_first(client, people) -> None:  # noqa: ANN001
    # given
    make_play(people.ours, title="Bill spike on Ours", urgent=True)
    make_play(people.ours, title="Handled", status=PlayStatus.DONE)
    make_play(people.theirs, title="Theirs only")
    client.force_login(people.rep)
    # when
    response = client.get(reverse("accounts:detail", args=["ACC-OURS"]))
    # then
    body = response.content.decode()
    assert body.index('id="plays"') < body.index('id="team"')
    assert "Bill spike on Ours" in body and "Handled" not in body and "Theirs only" not in body
    assert [play.title for play in response.context["overview"].plays] == ["Bill spike on Ours"]


def test_acting_from_the_account_360_returns_to_it(client, people) -> None:  # noqa: ANN001
    # given
    play = make_play(people.ours)
    account_url = reverse("accounts:detail", args=["ACC-OURS"])
    client.force_login(people.rep)
    page = client.get(account_url).content.decode()
    assert f'name="next" value="{account_url}"' in page
    # when
    response = client.post(act_url(play, "snooze"), {
        "until": (timezone.localdate() + timedelta(days=14)).isoformat(), "next": account_url,
    })
    # then
    assert response["Location"] == account_url
    assert "Nothing needs attention on this account" in client.get(account_url).content.decode()


# -- low-priority plays are grouped ----------------------------------------------------------


def test_low_priority_plays_are_grouped_by_rule_not_listed_one_by_one(client, people) -> None:  # noqa: ANN001
    # given one play that matters and three of low priority
    make_play(people.ours, title="Bill tripled", priority=90)
    for number in range(3):
        make_play(people.ours, rule="contacts.gone_cold", subject=f"contacts-{number}",
                  title=f"Cold {number}", priority=35)
    client.force_login(people.rep)
    # when
    response = client.get(QUEUE)
    # then the one is listed, the three are one group that links to them
    assert titles(response) == ["Bill tripled"]
    body = response.content.decode()
    assert "Cold 0" not in body
    assert "Low priority, grouped: 3 plays" in body
    assert "Key contacts gone cold" in body
    assert "1 open play and 3 of low priority, grouped below" in body
    # when the group is opened (the queue of that rule)
    listed = client.get(QUEUE, {"rule": "contacts.gone_cold"})
    # then each is listed
    assert sorted(titles(listed)) == ["Cold 0", "Cold 1", "Cold 2"]


def test_an_urgent_play_is_listed_whatever_its_priority(client, people) -> None:  # noqa: ANN001
    make_play(people.ours, title="Phones down", priority=20, urgent=True)
    client.force_login(people.rep)
    assert titles(client.get(QUEUE)) == ["Phones down"]
