"""Webhooks out: every play created, changed and closed reaches each subscribed URL as a
Standard Webhook that a receiver written with the ``standardwebhooks`` package verifies as it
is; failed deliveries are retried with backoff and every try is in the delivery log."""

import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import standardwebhooks

from heedful.plays import engine, services
from heedful.plays.models import Play
from heedful.webhooks import outbound
from heedful.webhooks.models import MessageStatus, OutboundMessage
from tests.factories import TicketFactory

AS_OF = date(2026, 11, 22)


class Receiver:
    """Another system's endpoint, written as its developers would with ``standardwebhooks``:
    it verifies every POST with the subscription's secret and keeps what verified. It answers
    with the next of ``statuses`` (then 204)."""

    def __init__(self) -> None:
        self.secret = ""
        self.statuses: list[int] = []
        self.verified: list[dict[str, Any]] = []
        self.message_ids: list[str] = []
        self.refused = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = receiver.statuses.pop(0) if receiver.statuses else 204
                try:
                    payload = standardwebhooks.Webhook(receiver.secret).verify(
                        body, dict(self.headers.items())
                    )
                except standardwebhooks.WebhookVerificationError:
                    receiver.refused += 1
                    status = 401
                else:
                    if status < 300:
                        receiver.verified.append(payload)
                        receiver.message_ids.append(self.headers["webhook-id"])
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/heedful-events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(people) -> Iterator[Receiver]:  # noqa: ANN001
    endpoint = Receiver()
    _, endpoint.secret = outbound.create_subscription(url=endpoint.url, user=people.admin)
    yield endpoint
    endpoint.close()


def test_plays_created_changed_and_closed_reach_the_receiver_verified_and_unchanged(
    people, receiver: Receiver, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # given a severity-1 ticket on our account
    TicketFactory(account=people.ours, external_id="TCK-1", severity=1,
                  opened_at=datetime(2026, 11, 22, 8, 30, tzinfo=UTC))
    # when a scan raises its play, the owner snoozes it, then marks it done
    with django_capture_on_commit_callbacks(execute=True):
        engine.scan(as_of=AS_OF, account_ids=[people.ours.pk])
    play = Play.objects.get(rule="support.ticket_opened")
    with django_capture_on_commit_callbacks(execute=True):
        services.snooze(play=play, user=people.rep, until=AS_OF + timedelta(days=1), today=AS_OF)
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_done(play=play, user=people.rep, outcome="Called them.")
    # then the receiver verified three messages about it with the subscription's secret
    assert receiver.refused == 0
    about = [message for message in receiver.verified if message["data"]["id"] == play.pk]
    assert [message["type"] for message in about] == [
        "play.created", "play.changed", "play.closed",
    ]
    created, changed, closed = (message["data"] for message in about)
    assert created["id"] == play.pk
    assert created["rule"] == "support.ticket_opened"
    assert created["account_external_id"] == "ACC-OURS"
    assert created["owner"] == "rep"
    assert created["urgent"] is True
    assert created["status"] == "open"
    assert changed["status"] == "snoozed" and changed["snoozed_until"] == "2026-11-23"
    assert closed["status"] == "done" and closed["closed_reason"] == "marked done"
    # and the body it verified is the one stored in the delivery log, byte for byte
    log = list(OutboundMessage.objects.order_by("id"))
    assert {message.status for message in log} == {MessageStatus.DELIVERED}
    assert [json.loads(message.body) for message in log] == receiver.verified
    assert [message.message_id for message in log] == receiver.message_ids


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(
    people, receiver: Receiver, django_capture_on_commit_callbacks, settings  # noqa: ANN001
) -> None:
    # given a receiver that answers 503, then 502, then takes the message
    receiver.statuses = [503, 502]
    TicketFactory(account=people.ours, severity=1,
                  opened_at=datetime(2026, 11, 22, 8, 30, tzinfo=UTC))
    waits: list[float] = []
    with django_capture_on_commit_callbacks(execute=False):
        engine.scan(as_of=AS_OF, account_ids=[people.ours.pk])
    play = Play.objects.get(rule="support.ticket_opened")
    with django_capture_on_commit_callbacks(execute=False):
        [message_id] = outbound.publish(created=[play.pk], changed=[], closed=[])
    # when it is delivered (the waits recorded instead of slept)
    result = outbound.deliver(message_id=message_id, sleep=waits.append)
    # then it was tried three times, waiting twice as long each time, and is delivered once
    message = OutboundMessage.objects.get(pk=message_id)
    assert result == MessageStatus.DELIVERED
    assert (message.status, message.attempts) == (MessageStatus.DELIVERED, 3)
    first = settings.HEEDFUL_OUTBOUND_FIRST_BACKOFF_SECONDS
    assert waits == [first, first * 2]
    assert len(receiver.verified) == 1
    # and running the delivery again sends nothing more
    assert outbound.deliver(message_id=message_id, sleep=waits.append) == "delivered"
    assert len(receiver.verified) == 1


def test_a_receiver_that_refuses_the_message_is_not_retried(
    people, receiver: Receiver, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    receiver.statuses = [410]
    TicketFactory(account=people.ours, severity=1,
                  opened_at=datetime(2026, 11, 22, 8, 30, tzinfo=UTC))
    with django_capture_on_commit_callbacks(execute=False):
        engine.scan(as_of=AS_OF, account_ids=[people.ours.pk])
        [message_id] = outbound.publish(
            created=[Play.objects.get(rule="support.ticket_opened").pk], changed=[], closed=[]
        )
    assert outbound.deliver(message_id=message_id, sleep=lambda _: None) == "failed"
    message = OutboundMessage.objects.get(pk=message_id)
    assert (message.attempts, message.last_status_code) == (1, 410)


def test_no_subscription_no_message(people, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    TicketFactory(account=people.ours, severity=1,
                  opened_at=datetime(2026, 11, 22, 8, 30, tzinfo=UTC))
    with django_capture_on_commit_callbacks(execute=True) as queued:
        engine.scan(as_of=AS_OF, account_ids=[people.ours.pk])
    assert Play.objects.exists()
    assert not OutboundMessage.objects.exists()
    assert queued == []


def test_after_the_secret_is_replaced_both_old_and_new_verify_for_a_while(
    people, receiver: Receiver, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    from heedful.webhooks.models import Subscription

    # given the subscription's secret replaced, and a receiver not yet switched to it
    subscription = Subscription.objects.get()
    old_secret = receiver.secret
    new_secret = outbound.replace_secret(subscription=subscription, user=people.admin)
    assert new_secret != old_secret
    TicketFactory(account=people.ours, severity=1,
                  opened_at=datetime(2026, 11, 22, 8, 30, tzinfo=UTC))
    with django_capture_on_commit_callbacks(execute=True):
        engine.scan(as_of=AS_OF, account_ids=[people.ours.pk])
    # then it still verifies the messages with the old secret
    assert receiver.verified and receiver.refused == 0
    # and a receiver switched to the new secret verifies them too
    receiver.secret = new_secret
    play = Play.objects.get(rule="support.ticket_opened")
    with django_capture_on_commit_callbacks(execute=True):
        services.snooze(play=play, user=people.rep, until=AS_OF + timedelta(days=1), today=AS_OF)
    assert receiver.verified[-1]["type"] == "play.changed" and receiver.refused == 0
    # and once the old secret's time is over, it no longer signs
    Subscription.objects.update(previous_secret_until=datetime(2026, 1, 1, tzinfo=UTC))
    receiver.secret = old_secret
    with django_capture_on_commit_callbacks(execute=True):
        services.reopen(play=play, user=people.rep)
    assert receiver.refused == 1
