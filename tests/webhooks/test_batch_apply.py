"""A burst of events is answered at once and applied behind, in batches: the door sends two
statements, the waiting events are applied together with one evaluation of the accounts they
touched, and an event that breaks while applied holds up none of the others."""

import json
from typing import Any

import pytest
from django.test import Client

from heedful.plays import engine
from heedful.support.models import Ticket
from heedful.webhooks import senders, services, tasks
from heedful.webhooks.models import AccountLink, EventStatus, ReceivedEvent
from tests.webhooks.conftest import deliver, payload, raw, zendesk_headers

THEIR_ORGANIZATION = "8447346629999"


def ticket_created(number: int, organization: str) -> bytes:
    document: dict[str, Any] = payload("zendesk_ticket_created.json")
    document["id"] = f"event-{number}"
    document["detail"] = {**document["detail"], "id": str(number), "priority": "NORMAL",
                          "organization_id": organization}
    return raw(document)


@pytest.fixture
def stored_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Events are stored and answered, their application left for the test to start."""
    monkeypatch.setattr(services, "queue_apply", lambda event_id: None)


@pytest.mark.django_db(transaction=True)
def test_a_new_event_costs_the_door_two_statements(
    zendesk, stored_only, django_assert_num_queries  # noqa: ANN001
) -> None:
    # given a signed "ticket created" (no transaction around the request, as in the server)
    body = ticket_created(7001, "8447346622462")
    headers = zendesk_headers(body)
    # when Zendesk delivers it, then the source with its secrets is read and the event
    # inserted: nothing else waits in front of the answer
    with django_assert_num_queries(2):
        response = deliver(Client(), "zendesk", body, headers)
    assert response.status_code == 202
    assert ReceivedEvent.objects.get(key="event-7001").status == EventStatus.RECEIVED


def test_waiting_events_are_applied_together_with_one_evaluation_of_their_accounts(
    zendesk, people, send, stored_only, monkeypatch,  # noqa: ANN001
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    # given five events answered and waiting, on two customers' accounts
    AccountLink.objects.create(source=zendesk, customer_id=THEIR_ORGANIZATION,
                               account=people.theirs)
    for number in range(1, 6):
        body = ticket_created(number, THEIR_ORGANIZATION if number % 2 else "8447346622462")
        assert send("zendesk", body, zendesk_headers(body)).status_code == 202
    scans: list[list[int] | None] = []
    original_scan = engine.scan

    def scan(**options: Any) -> Any:
        scans.append(options.get("account_ids"))
        return original_scan(**options)

    monkeypatch.setattr(engine, "scan", scan)
    first = ReceivedEvent.objects.filter(key="event-1").get()
    # when the task queued for the first of them runs
    with django_capture_on_commit_callbacks(execute=True):
        tasks.apply_event_task.call(first.pk)
    # then all five are applied, each ticket once, and the plays of both accounts are
    # evaluated in one scan
    statuses = set(ReceivedEvent.objects.filter(key__isnull=False).values_list("status",
                                                                                flat=True))
    assert statuses == {EventStatus.APPLIED}
    assert sorted(Ticket.objects.values_list("external_id", flat=True)) == [
        f"ZD-{number}" for number in range(1, 6)
    ]
    assert scans == [sorted([people.ours.pk, people.theirs.pk])]


def test_an_event_that_breaks_while_applied_stays_received_and_the_others_are_applied(
    zendesk, send, stored_only, monkeypatch  # noqa: ANN001
) -> None:
    # given three waiting events, the second of which the reading code cannot handle (a bug)
    for number in range(1, 4):
        body = ticket_created(number, "8447346622462")
        assert send("zendesk", body, zendesk_headers(body)).status_code == 202
    original_read = senders.read

    def read(kind: str, *, event_type: str, payload: dict[str, Any]) -> senders.Reading:
        if payload.get("id") == "event-2":
            raise RuntimeError("a bug")
        return original_read(kind, event_type=event_type, payload=payload)

    monkeypatch.setattr(senders, "read", read)
    first = ReceivedEvent.objects.get(key="event-1")
    # when the batch is applied
    services.apply_batch(event_id=first.pk)
    # then the others are applied and the broken one waits, unchanged, for a resume
    status = dict(ReceivedEvent.objects.filter(key__isnull=False).values_list("key", "status"))
    assert status == {"event-1": EventStatus.APPLIED, "event-2": EventStatus.RECEIVED,
                      "event-3": EventStatus.APPLIED}
    assert sorted(Ticket.objects.values_list("external_id", flat=True)) == ["ZD-1", "ZD-3"]
    assert json.loads(ReceivedEvent.objects.get(key="event-2").body)["id"] == "event-2"


def test_a_batch_started_by_a_later_event_applies_its_events_in_the_order_received(
    zendesk, send, stored_only  # noqa: ANN001
) -> None:
    # given a ticket's creation and its solving, both answered and waiting
    for name in ("zendesk_ticket_created.json", "zendesk_ticket_status_changed_solved.json"):
        body = raw(payload(name))
        assert send("zendesk", body, zendesk_headers(body)).status_code == 202
    solved = ReceivedEvent.objects.filter(key__isnull=False).latest("id")
    # when the task queued for the later one runs first
    services.apply_batch(event_id=solved.pk)
    # then both are applied, the creation first, and the ticket is solved
    assert set(ReceivedEvent.objects.filter(key__isnull=False).values_list(
        "status", flat=True)) == {EventStatus.APPLIED}
    assert Ticket.objects.get(external_id="ZD-5158").status == "resolved"


def test_an_older_event_arriving_late_in_the_same_batch_does_not_undo_a_newer_one(
    zendesk, send, stored_only  # noqa: ANN001
) -> None:
    # given the ticket's creation, its solving and then Zendesk's late retry of the earlier
    # "priority changed", all three answered and waiting (none applied yet)
    for name in ("zendesk_ticket_created.json", "zendesk_ticket_status_changed_solved.json",
                 "zendesk_ticket_priority_changed.json"):
        body = raw(payload(name))
        assert send("zendesk", body, zendesk_headers(body)).status_code == 202
    late = ReceivedEvent.objects.get(key="0b7f5d2e-93a4-4c1b-8f0e-2d5c9a7e4f30")
    # when they are applied together, in one batch
    services.apply_batch(event_id=late.pk)
    # then the ticket stays solved and the late event is kept, marked why
    ticket = Ticket.objects.get(external_id="ZD-5158")
    assert (ticket.status, ticket.resolved_at is not None) == ("resolved", True)
    late.refresh_from_db()
    assert late.status == EventStatus.IGNORED
    assert "Older than event 6a1c0f43" in late.reason
