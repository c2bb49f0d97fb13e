"""The rules for the touched accounts run right after a write commits: through the API, the
CSV import, with no scan in between; a failure there never fails the write."""

import json
import logging
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from heedful.core.models import ApiToken, User
from heedful.lib import clock
from heedful.plays import engine, notifications, triggers
from heedful.plays.models import Play, PlayStatus
from heedful.plays.rules import rules_affected_by
from heedful.support.models import Ticket
from tests.factories import AccountFactory, DisputeFactory, InvoiceFactory, TicketFactory
from tests.plays.test_notifications import Webhook

TODAY = date(2026, 11, 22)
API = "/api/v1"


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def webhook(settings) -> Iterator[Webhook]:  # noqa: ANN001
    server = Webhook()
    settings.HEEDFUL_CHAT_WEBHOOK_URL = server.url
    yield server
    server.close()


@pytest.fixture
def patient_chat(monkeypatch: pytest.MonkeyPatch) -> None:
    """The chat post waits up to 10 s for an answer (2 s by default), so a test that holds the
    webhook back for a moment sees one attempt, however slow the machine."""
    original = notifications.post_json

    def post_json(url: str, payload: dict, **options: object):  # noqa: ANN202
        return original(url, payload, **{**options, "timeout": 10.0})

    monkeypatch.setattr(notifications, "post_json", post_json)


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[list[int] | None]:
    """The ``account_ids`` of every scan the triggers run."""
    seen: list[list[int] | None] = []
    original = engine.scan

    def recording_scan(**kwargs: object):  # noqa: ANN202
        seen.append(kwargs.get("account_ids"))  # type: ignore[arg-type]
        return original(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "scan", recording_scan)
    return seen


def api_client(user: User) -> Client:
    _, raw = ApiToken.issue(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client: Client, path: str, payload: dict):  # noqa: ANN201
    return client.post(API + path, json.dumps(payload), content_type="application/json")


def phones_down(**overrides: object) -> dict:
    return {"external_id": "TCK-API-1", "account_external_id": "ACC-OURS",
            "opened_at": "2026-11-22T08:30:00Z", "severity": 1, "subject": "Phones down",
            "status": "open", **overrides}


@pytest.mark.django_db(transaction=True)
def test_severity_one_ticket_through_the_api_makes_an_urgent_play_an_email_and_a_chat(
    people, today: date, webhook: Webhook  # noqa: ANN001
) -> None:
    # given no play yet, and no scan will run
    assert not Play.objects.exists()
    # when a severity-1 ticket is created through the API
    response = post(api_client(people.rep), "/tickets", phones_down())
    # then the write succeeded and, by the time it answered, everything happened
    assert response.status_code == 201
    play = Play.objects.get(rule="support.ticket_opened", account=people.ours)
    assert play.urgent is True
    assert play.status == PlayStatus.OPEN
    assert play.owner == people.rep
    assert play.subject == "ticket:TCK-API-1"
    assert [message.to for message in mail.outbox] == [["rep@vendor.example"]]
    assert "Phones down" in mail.outbox[0].subject
    assert play.explanation in mail.outbox[0].body
    assert webhook.wait_for(1)
    assert "Phones down" in webhook.bodies[0]["text"]
    assert {event.detail["channel"]: event.detail["result"]
            for event in play.events.filter(action="notified")} == {
        "email": "sent", "chat": "delivered",
    }


@pytest.mark.django_db(transaction=True)
def test_a_webhook_that_hangs_never_holds_up_the_api_write(
    people, today: date, webhook: Webhook, settings, patient_chat  # noqa: ANN001
) -> None:
    # given the embedded default (immediate tasks, chat on the thread-pool tasks backend) and a
    # webhook that does not answer until the test lets it
    settings.HEEDFUL_CHAT_IN_BACKGROUND = True
    webhook.hold = threading.Event()
    try:
        # when
        response = post(api_client(people.rep), "/tickets", phones_down())
        # then the write has answered, its play and e-mail exist, the chat is still pending
        assert response.status_code == 201
        play = Play.objects.get(rule="support.ticket_opened")
        assert len(mail.outbox) == 1
        assert webhook.bodies == []
    finally:
        webhook.hold.set()
    assert triggers.wait_for_background_work(timeout=10)
    assert "Phones down" in webhook.bodies[0]["text"]
    chat = play.events.get(action="notified", detail__channel="chat").detail
    assert (chat["result"], chat["attempts"]) == ("delivered", 1)


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_urgent_plays_is_posted_in_turn_on_the_background_tasks_backend(
    people, webhook: Webhook, settings  # noqa: ANN001
) -> None:
    # given twenty urgent plays committed at once (a big import)
    settings.HEEDFUL_CHAT_IN_BACKGROUND = True
    plays = [
        Play.objects.create(
            rule="support.ticket_opened", account=people.ours, subject=f"ticket:T-{number}",
            owner=people.rep, priority=95, urgent=True, title=f"Ticket {number}",
            explanation="Severity 1.", suggested_action="Call.",
        )
        for number in range(20)
    ]
    # when
    for play in plays:
        triggers.queue_chat(play.pk)
    # then every one is posted and recorded, by the background backend's single thread
    assert triggers.wait_for_background_work(timeout=30)
    assert len(webhook.bodies) == 20
    names = [thread.name for thread in threading.enumerate()]
    assert sum(name.startswith("tasks-background") for name in names) == 1
    assert "heedful-chat" not in names
    for play in plays:
        assert play.events.get(action="notified", detail__channel="chat").detail["result"] == (
            "delivered")


@pytest.mark.django_db(transaction=True)
def test_webhook_down_the_api_write_still_succeeds_and_the_failure_is_recorded(
    people, today: date, settings, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    # given the webhook's address refuses connections, and no waiting between tries
    gone = Webhook()
    gone.close()
    settings.HEEDFUL_CHAT_WEBHOOK_URL = gone.url
    monkeypatch.setattr(notifications, "CHAT_FIRST_BACKOFF_SECONDS", 0.0)
    # when
    response = post(api_client(people.rep), "/tickets", phones_down())
    # then
    assert response.status_code == 201
    assert Ticket.objects.filter(external_id="TCK-API-1").exists()
    play = Play.objects.get(rule="support.ticket_opened")
    chat = play.events.get(action="notified", detail__channel="chat").detail
    assert chat["result"] == "failed"
    assert chat["attempts"] == 3
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_evaluation_failing_after_the_commit_is_logged_and_the_write_stands(
    people, today: date, monkeypatch: pytest.MonkeyPatch, caplog  # noqa: ANN001
) -> None:
    # given the engine breaks
    def broken_scan(**kwargs: object) -> None:
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(engine, "scan", broken_scan)
    # when
    with caplog.at_level(logging.ERROR):
        response = post(api_client(people.rep), "/tickets", phones_down())
    # then
    assert response.status_code == 201
    assert Ticket.objects.filter(external_id="TCK-API-1").exists()
    assert "Background work failed: evaluating 1 account(s) as of 2026-11-22" in caplog.text
    assert "the engine broke" in caplog.text
    assert not Play.objects.exists()


def test_write_that_fails_validation_evaluates_nothing(
    people, today: date, scans, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(api_client(people.rep), "/tickets", phones_down(severity=9))
    # then
    assert response.status_code == 422
    assert callbacks == []
    assert scans == []


def test_ticket_update_evaluates_its_account_and_closes_the_play_when_resolved(
    people, today: date, scans, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # given an urgent play raised by the API
    client = api_client(people.rep)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, "/tickets", phones_down())
    assert Play.objects.get(rule="support.ticket_opened").status == PlayStatus.OPEN
    # when the ticket is resolved through the API
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            API + "/tickets/TCK-API-1",
            json.dumps({"status": "resolved", "resolved_at": "2026-11-22T11:00:00Z"}),
            content_type="application/json",
        )
    # then its play closed by itself, and only that account was scanned each time
    assert response.status_code == 200
    play = Play.objects.get(rule="support.ticket_opened")
    assert play.status == PlayStatus.DONE
    assert play.closed_reason == "condition cleared"
    assert scans == [[people.ours.pk], [people.ours.pk]]


def test_moving_a_record_to_another_account_evaluates_both(
    people, today: date, scans, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # given a ticket of ours (the admin may see both accounts)
    TicketFactory(account=people.ours, external_id="TCK-MOVE", severity=1,
                  opened_at=datetime(2026, 11, 22, 8, 0, tzinfo=UTC))
    # when it is moved to theirs
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(people.admin).patch(
            API + "/tickets/TCK-MOVE", json.dumps({"account_external_id": "ACC-THEIRS"}),
            content_type="application/json",
        )
    # then
    assert response.status_code == 200
    assert scans == [sorted([people.ours.pk, people.theirs.pk])]
    assert Play.objects.get(rule="support.ticket_opened").account == people.theirs


def test_import_of_a_tickets_file_evaluates_the_accounts_it_names(
    people, today: date, scans, tmp_path: Path, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # given a file with a severity-1 ticket of ours and nothing of theirs
    path = tmp_path / "tickets.csv"
    path.write_text(
        "external_id,account_external_id,opened_at,severity,subject,status\n"
        "TCK-CSV-1,ACC-OURS,2026-11-22T07:00:00Z,1,Line dead,open\n"
        "TCK-CSV-2,ACC-OURS,2026-11-22T07:05:00Z,3,Slow portal,open\n",
        encoding="utf-8",
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import", "tickets", str(path), stdout=StringIO(), stderr=StringIO())
    # then
    assert scans == [[people.ours.pk]]
    plays = Play.objects.filter(rule="support.ticket_opened").order_by("subject")
    assert [(play.subject, play.urgent) for play in plays] == [
        ("ticket:TCK-CSV-1", True), ("ticket:TCK-CSV-2", False),
    ]
    assert len(mail.outbox) == 1
    assert "Line dead" in mail.outbox[0].subject


def test_reimporting_an_unchanged_file_evaluates_nothing(
    people, today: date, scans, tmp_path: Path, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # given
    path = tmp_path / "tickets.csv"
    path.write_text(
        "external_id,account_external_id,opened_at,severity,status\n"
        "TCK-CSV-1,ACC-OURS,2026-11-22T07:00:00Z,1,open\n",
        encoding="utf-8",
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import", "tickets", str(path), stdout=StringIO(), stderr=StringIO())
    # when the same file comes again, and a dry run of it
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import", "tickets", str(path), stdout=StringIO(), stderr=StringIO())
        call_command("import", "tickets", str(path), "--dry-run",
                     stdout=StringIO(), stderr=StringIO())
    # then only the first import evaluated
    assert scans == [[people.ours.pk]]
    assert len(mail.outbox) == 1


def test_import_all_evaluates_the_accounts_of_every_changed_file(
    people, today: date, scans, tmp_path: Path, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # given an accounts file naming a new account, and a tickets file for theirs
    (tmp_path / "accounts.csv").write_text(
        "external_id,name,owner_username\nACC-NEW,New Networks,rep\n", encoding="utf-8"
    )
    (tmp_path / "tickets.csv").write_text(
        "external_id,account_external_id,opened_at,severity,status\n"
        "TCK-T-1,ACC-THEIRS,2026-11-22T07:00:00Z,1,open\n",
        encoding="utf-8",
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_all", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    # then
    new = people.ours.__class__.objects.get(external_id="ACC-NEW")
    assert scans == [sorted([new.pk, people.theirs.pk])]
    assert Play.objects.get(rule="support.ticket_opened").owner == people.other_rep


def test_import_of_users_evaluates_every_account(
    people, today: date, scans, tmp_path: Path, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # given a new manager for the rep: any account's plays may change owner
    path = tmp_path / "users.csv"
    path.write_text(
        "username,full_name,email,role,manager_username\n"
        "rep,Rep,rep@vendor.example,rep,director\n",
        encoding="utf-8",
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import", "users", str(path), stdout=StringIO(), stderr=StringIO())
    # then
    assert scans == [None]


def test_many_touched_accounts_become_one_full_scan(
    db, today: date, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # given a low limit
    monkeypatch.setattr(triggers, "FULL_SCAN_ABOVE_ACCOUNTS", 2)
    queued: list[tuple] = []
    monkeypatch.setattr(triggers, "_queue_evaluation", lambda *args: queued.append(args))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        triggers.accounts_changed(account_ids=[3, 1, 2])
        triggers.accounts_changed(account_ids=[2, 1, None, 2])
        triggers.accounts_changed(account_ids=[])
    # then
    assert queued == [(None, "2026-11-22"), ([1, 2], "2026-11-22")]


def test_a_dispute_belongs_to_its_invoices_account(db) -> None:  # noqa: ANN001
    # given
    account = AccountFactory()
    dispute = DisputeFactory(invoice=InvoiceFactory(account=account))
    # then
    assert triggers.account_ids_of(dispute) == {account.pk}
    assert triggers.account_ids_of(account) == {account.pk}


def test_nothing_runs_before_the_commit(
    people, today: date, scans, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # when a write is made but its transaction has not committed
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(api_client(people.rep), "/tickets", phones_down())
    # then the evaluation waits for the commit
    assert response.status_code == 201
    assert len(callbacks) == 1
    assert scans == []
    assert not Play.objects.exists()


def test_writes_gathered_together_queue_one_evaluation_of_all_they_touched(
    db, today: date, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # given evaluations recorded instead of run
    queued: list[tuple] = []
    monkeypatch.setattr(triggers, "_queue_evaluation", lambda *args: queued.append(args))
    # when three writes (two kinds, three accounts) are gathered, a nested gathering with them
    with django_capture_on_commit_callbacks(execute=True):
        with triggers.gathered():
            triggers.accounts_changed(account_ids=[3, 1], kinds=["ticket"])
            with triggers.gathered():
                triggers.accounts_changed(account_ids=[2, None], kinds=["ticket"])
            triggers.accounts_changed(account_ids=[1], kinds=["invoice"])
            # then nothing is queued before the end of the gathering
            assert queued == []
    # then one evaluation of the three accounts with the rules of both kinds
    rules = sorted(rules_affected_by(["ticket", "invoice"]) or [])
    assert [(ids, day, sorted(names)) for ids, day, names in queued] == [
        ([1, 2, 3], "2026-11-22", rules)
    ]
