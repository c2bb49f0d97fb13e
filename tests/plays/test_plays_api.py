"""GET /api/v1/plays, GET and PATCH /api/v1/plays/{id}."""

import itertools
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from heedful.plays.engine import scan
from heedful.plays.models import Play, PlayAction, PlayEvent, PlayStatus
from heedful.plays.services import as_contract
from tests.api.conftest import client_for
from tests.factories import AccountFactory, TicketFactory

API = "/api/v1"
CONTRACT_KEYS = {
    "rule", "account_external_id", "account_name", "owner", "priority", "urgent", "title",
    "explanation", "facts", "suggested_action", "status", "created_at",
}
_serial = itertools.count(1)


def make_play(account, **fields) -> Play:  # noqa: ANN001
    number = next(_serial)
    values = {
        "rule": "billing.spike", "subject": f"invoice:INV-{number}", "owner": account.owner,
        "priority": 50, "title": f"Play {number}", "explanation": "Why, with numbers.",
        "facts": {"amount": "7800.00"}, "suggested_action": "Call.",
    }
    values.update(fields)
    return Play.objects.create(account=account, **values)


def patch(client, play: Play, payload: dict):  # noqa: ANN001, ANN201
    return client.patch(f"{API}/plays/{play.pk}", json.dumps(payload),
                        content_type="application/json")


# -- the shape -----------------------------------------------------------------------------


def test_list_answers_exactly_the_contract_shape_plus_id(people, as_of) -> None:  # noqa: ANN001
    # given: a play raised by a scan
    TicketFactory(account=people.ours, severity=1, subject="Phones down",
                  opened_at=datetime(2026, 11, 21, 8, 30, tzinfo=UTC))
    scan(as_of=as_of, rules=["support.ticket_opened"])
    play = Play.objects.get()
    # when
    response = client_for(people.rep).get(f"{API}/plays")
    # then
    assert response.status_code == 200
    page = response.json()
    assert (page["count"], page["limit"], page["offset"]) == (1, 25, 0)
    item = page["items"][0]
    assert set(item) == CONTRACT_KEYS | {"id"}
    assert item == {"id": play.pk, **json.loads(json.dumps(as_contract(play)))}
    assert item["account_external_id"] == "ACC-OURS" and item["owner"] == "rep"
    assert item["urgent"] is True and item["status"] == "open"


def test_detail_answers_the_same_shape(people) -> None:  # noqa: ANN001
    play = make_play(people.ours)
    response = client_for(people.rep).get(f"{API}/plays/{play.pk}")
    assert response.status_code == 200
    assert set(response.json()) == CONTRACT_KEYS | {"id"}


def test_openapi_describes_the_play_routes(people) -> None:  # noqa: ANN001
    schema = client_for(people.rep).get(f"{API}/openapi.json").json()
    assert {"get"} <= set(schema["paths"]["/api/v1/plays"])
    assert {"get", "patch"} <= set(schema["paths"]["/api/v1/plays/{id}"])


# -- visibility ----------------------------------------------------------------------------


def test_rep_lists_only_plays_on_accounts_they_can_see(people) -> None:  # noqa: ANN001
    mine = make_play(people.ours)
    theirs = make_play(people.theirs)
    rep = client_for(people.rep).get(f"{API}/plays").json()
    executive = client_for(people.executive).get(f"{API}/plays").json()
    assert [item["id"] for item in rep["items"]] == [mine.pk]
    assert {item["id"] for item in executive["items"]} == {mine.pk, theirs.pk}


def test_play_on_an_invisible_account_is_404_to_read_and_to_change(people) -> None:  # noqa: ANN001
    # given
    play = make_play(people.theirs)
    rep = client_for(people.rep)
    # when
    read = rep.get(f"{API}/plays/{play.pk}")
    change = patch(rep, play, {"status": "dismissed", "reason": "Not mine."})
    # then
    assert read.status_code == 404 and change.status_code == 404
    play.refresh_from_db()
    assert play.status == PlayStatus.OPEN
    assert not PlayEvent.objects.exists()


def test_unknown_play_is_404(people) -> None:  # noqa: ANN001
    assert client_for(people.admin).get(f"{API}/plays/999999").status_code == 404


def test_authentication_is_required(client, people) -> None:  # noqa: ANN001
    assert client.get(f"{API}/plays").status_code == 401


# -- filters, ordering, paging -------------------------------------------------------------


def test_filters_by_rule_account_owner_status_and_urgency(people) -> None:  # noqa: ANN001
    # given
    acme = AccountFactory(external_id="ACC-ACME", owner=people.rep)
    spike = make_play(people.ours, urgent=True)
    ticket = make_play(people.ours, rule="support.ticket_opened")
    other = make_play(acme)
    done = make_play(acme, status=PlayStatus.DONE)
    executive = client_for(people.executive)

    def ids(**params: str) -> set[int]:
        response = executive.get(f"{API}/plays", params)
        assert response.status_code == 200, response.json()
        return {item["id"] for item in response.json()["items"]}

    # then
    assert ids() == {spike.pk, ticket.pk, other.pk}
    assert ids(rule="support.ticket_opened") == {ticket.pk}
    assert ids(account_external_id="ACC-ACME") == {other.pk}
    assert ids(owner="rep") == {spike.pk, ticket.pk, other.pk}
    assert ids(owner="other_rep") == set()
    assert ids(status="done") == {done.pk}
    assert ids(status="all") == {spike.pk, ticket.pk, other.pk, done.pk}
    assert ids(urgent="true") == {spike.pk}
    assert ids(urgent="false") == {ticket.pk, other.pk}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"rule": "no.such.rule"}, "rule"),
        ({"status": "closed"}, "status"),
        ({"ordering": "explanation"}, "ordering"),
        ({"limit": "0"}, "limit"),
        ({"urgent": "maybe"}, "urgent"),
    ],
)
def test_bad_list_parameters_are_422_naming_the_field(people, params: dict, field: str) -> None:  # noqa: ANN001
    response = client_for(people.rep).get(f"{API}/plays", params)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_default_order_is_urgent_then_priority_then_oldest_and_ordering_is_whitelisted(
    people  # noqa: ANN001
) -> None:
    # given
    low = make_play(people.ours, priority=20)
    high = make_play(people.ours, priority=80, created_at=timezone.now() - timedelta(days=1))
    high_newer = make_play(people.ours, priority=80)
    urgent = make_play(people.ours, priority=40, urgent=True)
    client = client_for(people.rep)

    def order(**params: str) -> list[int]:
        return [item["id"] for item in client.get(f"{API}/plays", params).json()["items"]]

    # then
    assert order() == [urgent.pk, high.pk, high_newer.pk, low.pk]
    assert order(ordering="priority") == [low.pk, urgent.pk, high.pk, high_newer.pk]
    assert order(ordering="-created_at")[0] == urgent.pk
    assert order(limit="2", offset="1") == [high.pk, high_newer.pk]


def test_list_uses_a_constant_number_of_queries(people, django_assert_num_queries) -> None:  # noqa: ANN001
    make_play(people.ours)
    client = client_for(people.rep)
    with CaptureQueriesContext(connection) as one_play:
        assert client.get(f"{API}/plays").json()["count"] == 1
    for _ in range(5):
        make_play(AccountFactory(owner=people.rep))
    with django_assert_num_queries(len(one_play.captured_queries)):
        assert client.get(f"{API}/plays").json()["count"] == 6


# -- PATCH: what a person does with a play -------------------------------------------------


def test_patch_done_records_the_outcome_and_who(people) -> None:  # noqa: ANN001
    play = make_play(people.ours)
    response = patch(client_for(people.rep), play, {"status": "done", "outcome": "Credit agreed."})
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    assert set(response.json()) == CONTRACT_KEYS | {"id"}
    play.refresh_from_db()
    assert play.outcome == "Credit agreed."
    event = PlayEvent.objects.get(play=play)
    assert (event.action, event.user) == (PlayAction.DONE, people.rep)


def test_patch_snoozed_until_a_future_day(people) -> None:  # noqa: ANN001
    play = make_play(people.ours)
    until = timezone.localdate() + timedelta(days=10)
    response = patch(client_for(people.rep), play,
                     {"status": "snoozed", "snoozed_until": until.isoformat()})
    assert response.status_code == 200 and response.json()["status"] == "snoozed"
    play.refresh_from_db()
    assert play.snoozed_until == until


def test_patch_dismissed_then_reopened(people) -> None:  # noqa: ANN001
    play = make_play(people.ours)
    client = client_for(people.rep)
    assert patch(client, play, {"status": "dismissed", "reason": "Not relevant."}).json()[
        "status"] == "dismissed"
    assert patch(client, play, {"status": "open"}).json()["status"] == "open"
    assert [event.action for event in PlayEvent.objects.filter(play=play)] == [
        PlayAction.DISMISSED, PlayAction.REOPENED,
    ]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "done"}, "outcome"),
        ({"status": "done", "outcome": "  "}, "outcome"),
        ({"status": "dismissed"}, "reason"),
        ({"status": "snoozed"}, "snoozed_until"),
        ({"status": "snoozed", "snoozed_until": "yesterday"}, "snoozed_until"),
        ({"status": "snoozed", "snoozed_until": "PAST"}, "snoozed_until"),
        ({"status": "closed"}, "status"),
        ({}, "status"),
        ({"status": "open"}, "status"),
    ],
)
def test_bad_patch_is_422_naming_the_field_and_changes_nothing(
    people, payload: dict, field: str  # noqa: ANN001
) -> None:
    # given
    play = make_play(people.ours)
    if payload.get("snoozed_until") == "PAST":
        payload = {**payload, "snoozed_until": timezone.localdate().isoformat()}
    # when
    response = patch(client_for(people.rep), play, payload)
    # then
    assert response.status_code == 422, response.json()
    assert field in response.json()["errors"]
    play.refresh_from_db()
    assert play.status == PlayStatus.OPEN
    assert not PlayEvent.objects.exists()


def test_patch_on_a_closed_play_is_422(people) -> None:  # noqa: ANN001
    play = make_play(people.ours)
    client = client_for(people.rep)
    patch(client, play, {"status": "done", "outcome": "Called."})
    response = patch(client, play, {"status": "dismissed", "reason": "Too late."})
    assert response.status_code == 422
    assert "status" in response.json()["errors"]
    assert "already done" in response.json()["detail"]


def test_session_patch_needs_the_csrf_token(people) -> None:  # noqa: ANN001
    play = make_play(people.ours)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.rep)
    response = patch(client, play, {"status": "done", "outcome": "Called."})
    assert response.status_code == 403
    play.refresh_from_db()
    assert play.status == PlayStatus.OPEN
