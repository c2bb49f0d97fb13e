"""Urgent plays notify their owner at once, by e-mail and by the chat webhook, each at most
once; the webhook is retried with backoff, its failure is recorded, its URL never shows."""

import json
import logging
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail

from heedful.lib import clock
from heedful.plays import notifications
from heedful.plays.engine import scan
from heedful.plays.models import Play, PlayEvent
from heedful.plays.triggers import evaluate_accounts
from tests.factories import TicketFactory

TODAY = date(2026, 11, 22)
SECRET_PATH = "/services/T0000/B0000/very-secret-key"


class Webhook:
    """A local chat webhook: answers each POST with the next of ``statuses`` (then 200) and
    keeps the JSON bodies it received, with the time each arrived. Set ``hold`` to make each
    POST wait, before answering, until the test sets that event."""

    def __init__(self) -> None:
        self.hold: threading.Event | None = None
        self.statuses: list[int] = []
        self.bodies: list[dict] = []
        self.received_at: list[float] = []
        self.arrived = threading.Condition()
        webhook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                import time

                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                if webhook.hold is not None:
                    webhook.hold.wait(10)
                status = webhook.statuses.pop(0) if webhook.statuses else 200
                if status == 200:
                    with webhook.arrived:
                        webhook.bodies.append(body)
                        webhook.received_at.append(time.perf_counter())
                        webhook.arrived.notify_all()
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else b"no")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}{SECRET_PATH}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def wait_for(self, count: int, timeout: float = 5.0) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.bodies) >= count, timeout)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook(settings) -> Iterator[Webhook]:  # noqa: ANN001
    """A running local webhook, configured as ``HEEDFUL_CHAT_WEBHOOK_URL``."""
    server = Webhook()
    settings.HEEDFUL_CHAT_WEBHOOK_URL = server.url
    yield server
    server.close()


@pytest.fixture
def dead_webhook_url() -> str:
    """The URL of a port nobody listens on (bound, then closed)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_port
    server.server_close()
    return f"http://127.0.0.1:{port}{SECRET_PATH}"


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retries without the real waits; the waits asked for, in order."""
    waits: list[float] = []
    original = notifications.post_json

    def post_json(url: str, payload: dict, **options: object):  # noqa: ANN202
        return original(url, payload, sleep=waits.append, **options)

    monkeypatch.setattr(notifications, "post_json", post_json)
    return waits


@pytest.fixture
def evaluate(django_capture_on_commit_callbacks, today: date):  # noqa: ANN001, ANN201
    """``evaluate(account_ids)``: what the task does, with its on-commit work run too."""

    def run(account_ids: list[int] | None) -> dict:
        with django_capture_on_commit_callbacks(execute=True):
            return evaluate_accounts(account_ids=account_ids, as_of=today)

    return run


def urgent_ticket(people, external_id: str = "TCK-9") -> None:  # noqa: ANN001
    TicketFactory(account=people.ours, external_id=external_id, severity=1,
                  subject="Phones down", opened_at=datetime(2026, 11, 22, 8, 0, tzinfo=UTC))


def notified(play: Play) -> dict[str, dict]:
    return {event.detail["channel"]: event.detail for event in notifications.notified_events(play)}


def test_urgent_play_emails_its_owner_with_what_why_and_a_link(
    people, evaluate, settings  # noqa: ANN001
) -> None:
    # given
    settings.HEEDFUL_BASE_URL = "https://crm.vendor.example"
    urgent_ticket(people)
    # when
    evaluate([people.ours.pk])
    # then
    play = Play.objects.get(rule="support.ticket_opened")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rep@vendor.example"]
    assert message.subject == "Urgent: Severity-1 ticket opened: Phones down (Ours Telecom)"
    assert play.title in message.body
    assert play.explanation in message.body
    assert play.suggested_action in message.body
    assert "https://crm.vendor.example/accounts/ACC-OURS/" in message.body
    assert notified(play) == {"email": {"channel": "email", "result": "sent", "to": "rep"}}


def test_rescan_does_not_notify_the_same_play_again(people, evaluate, webhook) -> None:  # noqa: ANN001
    # given an urgent play already notified on both channels
    urgent_ticket(people)
    evaluate([people.ours.pk])
    assert webhook.wait_for(1)
    # when the account is evaluated again, and a full scan runs, and the task runs twice
    evaluate([people.ours.pk])
    evaluate(None)
    play = Play.objects.get(rule="support.ticket_opened")
    assert notifications.email_owner(play_id=play.pk) == "already"
    assert notifications.deliver_chat(play_id=play.pk) == "already"
    # then
    assert len(mail.outbox) == 1
    assert len(webhook.bodies) == 1
    assert PlayEvent.objects.filter(play=play, action=notifications.NOTIFIED).count() == 2


def test_play_that_is_not_urgent_notifies_nobody(people, evaluate, webhook) -> None:  # noqa: ANN001
    # given a severity-3 ticket
    TicketFactory(account=people.ours, severity=3,
                  opened_at=datetime(2026, 11, 22, 8, 0, tzinfo=UTC))
    # when
    result = evaluate([people.ours.pk])
    # then
    assert result["urgent_play_ids"] == []
    assert mail.outbox == []
    assert webhook.bodies == []


def test_chat_message_is_slack_json_with_title_explanation_action_and_link(
    people, evaluate, webhook  # noqa: ANN001
) -> None:
    # given
    urgent_ticket(people)
    # when
    evaluate([people.ours.pk])
    # then
    assert webhook.wait_for(1)
    play = Play.objects.get(rule="support.ticket_opened")
    [body] = webhook.bodies
    assert set(body) == {"text"}
    assert body["text"].startswith("*Urgent: Severity-1 ticket opened: Phones down* (Ours Telecom)")
    assert "TCK-9" in body["text"]
    assert play.suggested_action in body["text"]
    assert "<http://127.0.0.1:8000/accounts/ACC-OURS/|Open the account>" in body["text"]
    assert notified(play)["chat"] == {"channel": "chat", "result": "delivered", "attempts": 1}


def test_webhook_is_retried_with_backoff_until_it_answers(
    people, evaluate, webhook, quick_retries  # noqa: ANN001
) -> None:
    # given the chat service fails twice
    webhook.statuses = [500, 503]
    urgent_ticket(people)
    # when
    evaluate([people.ours.pk])
    # then it was delivered on the third try, after waiting 0.5 s and 1 s
    assert webhook.wait_for(1)
    assert quick_retries == [0.5, 1.0]
    play = Play.objects.get(rule="support.ticket_opened")
    assert notified(play)["chat"] == {"channel": "chat", "result": "delivered", "attempts": 3}


def test_webhook_that_keeps_failing_is_given_up_and_recorded(
    people, evaluate, webhook, quick_retries, caplog  # noqa: ANN001
) -> None:
    # given the chat service is broken
    webhook.statuses = [500, 500, 500, 500]
    urgent_ticket(people)
    # when
    with caplog.at_level(logging.WARNING):
        evaluate([people.ours.pk])
    # then three tries, the failure recorded, the e-mail still sent
    play = Play.objects.get(rule="support.ticket_opened")
    assert notified(play)["chat"] == {
        "channel": "chat", "result": "failed", "attempts": 3,
        "errors": ["HTTP 500", "HTTP 500", "HTTP 500"],
    }
    assert webhook.statuses == [500]
    assert len(mail.outbox) == 1
    assert f"Urgent play {play.pk}: chat webhook not delivered after 3 tries" in caplog.text
    assert "very-secret-key" not in caplog.text


def test_webhook_refusing_the_message_is_not_retried(
    people, evaluate, webhook, quick_retries  # noqa: ANN001
) -> None:
    # given the hook was deleted on the chat side (Slack answers 404 no_service)
    webhook.statuses = [404]
    urgent_ticket(people)
    # when
    evaluate([people.ours.pk])
    # then
    play = Play.objects.get(rule="support.ticket_opened")
    assert notified(play)["chat"]["attempts"] == 1
    assert notified(play)["chat"]["errors"] == ["HTTP 404"]
    assert quick_retries == []


def test_webhook_down_is_recorded_without_its_url(
    people, evaluate, settings, dead_webhook_url: str, quick_retries, caplog  # noqa: ANN001
) -> None:
    # given nothing listens at the webhook's address
    settings.HEEDFUL_CHAT_WEBHOOK_URL = dead_webhook_url
    urgent_ticket(people)
    # when
    with caplog.at_level(logging.DEBUG):
        evaluate([people.ours.pk])
    # then
    play = Play.objects.get(rule="support.ticket_opened")
    chat = notified(play)["chat"]
    assert chat["result"] == "failed"
    assert chat["attempts"] == 3
    assert "refused" in chat["errors"][0].lower()
    assert "very-secret-key" not in json.dumps(chat)
    assert "very-secret-key" not in caplog.text
    assert dead_webhook_url not in caplog.text


def test_owner_without_an_email_address_is_skipped_and_recorded(
    people, evaluate  # noqa: ANN001
) -> None:
    # given
    people.rep.email = ""
    people.rep.save(update_fields=["email"])
    urgent_ticket(people)
    # when
    evaluate([people.ours.pk])
    # then
    play = Play.objects.get(rule="support.ticket_opened")
    assert mail.outbox == []
    assert notified(play)["email"] == {
        "channel": "email", "result": "skipped", "reason": "the owner has no e-mail address",
    }


def test_failing_mail_server_is_recorded_and_does_not_stop_the_chat(
    people, evaluate, webhook, settings  # noqa: ANN001
) -> None:
    # given an e-mail backend that cannot connect
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1
    urgent_ticket(people)
    # when
    evaluate([people.ours.pk])
    # then
    play = Play.objects.get(rule="support.ticket_opened")
    assert notified(play)["email"]["result"] == "failed"
    assert webhook.wait_for(1)


def test_play_closed_before_the_chat_task_runs_is_not_posted(
    people, today: date, webhook  # noqa: ANN001
) -> None:
    # given an urgent play that someone dismissed at once
    urgent_ticket(people)
    scan(as_of=today, account_ids=[people.ours.pk])
    play = Play.objects.get(rule="support.ticket_opened")
    Play.objects.filter(pk=play.pk).update(status="dismissed")
    # when the queued task runs late
    outcome = notifications.deliver_chat(play_id=play.pk)
    # then
    assert outcome == "already"
    assert webhook.bodies == []


def test_no_webhook_configured_means_no_chat_and_no_record(people, evaluate, settings) -> None:  # noqa: ANN001
    # given
    settings.HEEDFUL_CHAT_WEBHOOK_URL = ""
    urgent_ticket(people)
    # when
    evaluate([people.ours.pk])
    # then
    play = Play.objects.get(rule="support.ticket_opened")
    assert set(notified(play)) == {"email"}
    assert notifications.deliver_chat(play_id=play.pk) == "off"
