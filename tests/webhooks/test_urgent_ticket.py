"""The story of the issue: a customer opens an urgent ticket in Zendesk, and the account's owner
hears of it within a second, with no scan, while Zendesk had its answer at once."""

import time
from datetime import date

import pytest
from django.core import mail
from django.test import Client

from heedful.lib import clock
from heedful.plays import engine
from heedful.plays.models import Play
from heedful.webhooks import services
from heedful.webhooks.models import EventStatus, ReceivedEvent
from tests.webhooks.conftest import deliver, payload, raw, zendesk_headers


@pytest.mark.django_db(transaction=True)
def test_an_urgent_zendesk_ticket_makes_an_urgent_play_and_tells_the_owner_within_a_second(
    people, zendesk, settings, monkeypatch  # noqa: ANN001
) -> None:
    # given the embedded default (events applied on their own thread), the day of the ticket,
    # and no scan of the book (a full scan would fail the test)
    settings.HEEDFUL_WEBHOOKS_IN_BACKGROUND = True
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 22))
    scans: list[object] = []
    original_scan = engine.scan

    def scan(**options: object):  # noqa: ANN202
        scans.append(options.get("account_ids"))
        return original_scan(**options)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "scan", scan)
    body = raw(payload("zendesk_ticket_created.json"))
    # when Zendesk delivers "ticket created", priority urgent, for our customer
    started = time.perf_counter()
    response = deliver(Client(), "zendesk", body, zendesk_headers(body))
    answered = time.perf_counter() - started
    assert services.wait_for_intake(timeout=5)
    done = time.perf_counter() - started
    # then Zendesk had its answer before the work, and within a second the play and the
    # owner's e-mail exist; only the customer's account was evaluated
    assert response.status_code == 202
    play = Play.objects.get(rule="support.ticket_opened", account=people.ours)
    assert play.urgent is True
    assert play.subject == "ticket:ZD-5158"
    assert [message.to for message in mail.outbox] == [["rep@vendor.example"]]
    assert "Phones down at the head office" in mail.outbox[0].subject
    assert done < 1.0, f"the owner heard after {done:.2f} s"
    assert answered < done
    assert scans == [[people.ours.pk]]
    assert ReceivedEvent.objects.get(key__isnull=False).status == EventStatus.APPLIED
