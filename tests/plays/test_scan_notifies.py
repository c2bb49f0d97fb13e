"""`heedful scan` tells the owners of the urgent plays it raises, once, whatever path wrote the
records behind them (an ORM write, the admin, a CSV import)."""

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from heedful.plays.models import Play
from tests.factories import TicketFactory
from tests.plays.test_notifications import Webhook

TODAY = date(2026, 11, 22)


@pytest.fixture
def webhook(settings) -> Iterator[Webhook]:  # noqa: ANN001
    server = Webhook()
    settings.HEEDFUL_CHAT_WEBHOOK_URL = server.url
    yield server
    server.close()


def scan() -> None:
    call_command("scan", "--as-of", TODAY.isoformat(), stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db(transaction=True)
def test_scan_notifies_a_severity_one_ticket_written_without_the_api_once(
    people, webhook: Webhook  # noqa: ANN001
) -> None:
    # given a severity-1 ticket written straight to the database (no trigger ran)
    TicketFactory(
        account=people.ours, external_id="TCK-ORM-1", severity=1, subject="Phones down",
        opened_at=datetime(2026, 11, 22, 7, 0, tzinfo=UTC),
    )
    assert mail.outbox == []
    # when the scan runs
    scan()
    # then the owner gets one e-mail and the chat one message
    play = Play.objects.get(rule="support.ticket_opened", subject="ticket:TCK-ORM-1")
    assert play.urgent is True
    assert [message.to for message in mail.outbox] == [["rep@vendor.example"]]
    assert "Phones down" in mail.outbox[0].subject
    assert webhook.wait_for(1)
    assert "Phones down" in webhook.bodies[0]["text"]
    # when the scan runs again
    scan()
    # then nobody is told twice
    assert len(mail.outbox) == 1
    assert len(webhook.bodies) == 1
    assert sorted(play.events.filter(action="notified").values_list(
        "detail__channel", flat=True)) == ["chat", "email"]


@pytest.mark.django_db(transaction=True)
def test_scan_after_a_csv_import_does_not_notify_what_the_import_notified(
    people, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    # given a severity-1 ticket imported from CSV, whose trigger e-mailed the owner
    from heedful.lib import clock

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    path = tmp_path / "tickets.csv"
    path.write_text(
        "external_id,account_external_id,opened_at,severity,subject,status\n"
        "TCK-CSV-1,ACC-OURS,2026-11-22T07:00:00Z,1,Line dead,open\n",
        encoding="utf-8",
    )
    call_command("import", "tickets", str(path), stdout=StringIO(), stderr=StringIO())
    assert len(mail.outbox) == 1
    # when the scan runs
    scan()
    # then no second e-mail
    assert len(mail.outbox) == 1
    assert Play.objects.get(rule="support.ticket_opened").urgent is True


@pytest.mark.django_db(transaction=True)
def test_scan_notifies_only_the_urgent_plays(people) -> None:  # noqa: ANN001
    # given a severity-3 ticket written straight to the database
    TicketFactory(
        account=people.ours, external_id="TCK-ORM-3", severity=3,
        opened_at=datetime(2026, 11, 22, 7, 0, tzinfo=UTC),
    )
    # when
    scan()
    # then a play, and no e-mail (it goes to the daily digest)
    assert Play.objects.get(rule="support.ticket_opened").urgent is False
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_scan_json_stays_json_when_the_default_backend_prints_the_email(
    people, settings, capsys: pytest.CaptureFixture[str]  # noqa: ANN001
) -> None:
    # given the default e-mail backend of a site with no mail server, and an urgent ticket
    settings.EMAIL_BACKEND = "heedful.lib.console_mail.EmailBackend"
    TicketFactory(
        account=people.ours, external_id="TCK-ORM-2", severity=1, subject="Lines dead",
        opened_at=datetime(2026, 11, 22, 7, 0, tzinfo=UTC),
    )
    # when
    call_command("scan", "--as-of", TODAY.isoformat(), "--json")
    # then standard output is the JSON alone, and the e-mail went to standard error
    printed = capsys.readouterr()
    assert "support.ticket_opened" in [play["rule"] for play in json.loads(printed.out)]
    assert "Urgent: " in printed.err and "Lines dead" in printed.err
