"""``heedful webhooks resume``: what a stopped process had queued is finished, once."""

import json
from io import StringIO

from django.core.management import call_command

from heedful.support.models import Ticket
from heedful.webhooks import services
from heedful.webhooks.models import EventStatus, ReceivedEvent
from tests.webhooks.conftest import payload, raw, zendesk_headers


def test_resume_applies_the_events_a_stopped_process_left_unapplied(
    zendesk, send, monkeypatch  # noqa: ANN001
) -> None:
    # given an event stored and answered, whose queued work was lost (the process stopped)
    monkeypatch.setattr(services, "queue_apply", lambda event_id: None)
    body = raw(payload("zendesk_ticket_created.json"))
    assert send("zendesk", body, zendesk_headers(body)).status_code == 202
    assert ReceivedEvent.objects.get(key__isnull=False).status == EventStatus.RECEIVED
    assert not Ticket.objects.exists()
    # when an operator runs the command, twice
    output = StringIO()
    call_command("webhooks", "resume", "--json", stdout=output)
    call_command("webhooks", "resume", stdout=StringIO())
    # then the event is applied, once
    assert json.loads(output.getvalue()) == {"events": {"applied": 1}, "messages": {}}
    assert Ticket.objects.filter(external_id="ZD-5158").count() == 1
    assert ReceivedEvent.objects.get(key__isnull=False).status == EventStatus.APPLIED
