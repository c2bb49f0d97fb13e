"""Webhook admin: admins only; secrets shown once and never again; the log; resolving a
waiting event by choosing its account; replaying stored events."""

import re

import pytest
from django.test import Client

from heedful.support.models import Ticket
from heedful.webhooks.models import (
    AccountLink,
    EventStatus,
    ReceivedEvent,
    SigningSecret,
    Subscription,
    WebhookSource,
)
from tests.webhooks.conftest import ZENDESK_SECRET, payload, raw, zendesk_headers

PAGES = [
    "/admin/webhooks/webhooksource/", "/admin/webhooks/receivedevent/",
    "/admin/webhooks/subscription/", "/admin/webhooks/outboundmessage/",
    "/admin/webhooks/accountlink/", "/admin/webhooks/emaildomain/",
]


def logged_in(user) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("page", PAGES)
def test_a_rep_is_refused_the_webhook_admin(people, page: str) -> None:  # noqa: ANN001
    assert logged_in(people.rep).get(page).status_code == 403
    assert logged_in(people.manager).get(page).status_code == 403
    assert logged_in(people.admin).get(page).status_code == 200


def test_a_generated_secret_is_shown_once_and_never_again(people) -> None:  # noqa: ANN001
    admin = logged_in(people.admin)
    # when an admin adds a source of Heedful JSON and has a secret made
    response = admin.post("/admin/webhooks/webhooksource/add/", {
        "name": "warehouse", "kind": "heedful", "acting_user": people.admin.pk,
        "is_active": "on", "new_secret": "", "generate_secret": "on",
        "secrets-TOTAL_FORMS": "0", "secrets-INITIAL_FORMS": "0",
    }, follow=True)
    # then the page after saving shows it, once
    assert response.status_code == 200
    secret = SigningSecret.objects.get(source__name="warehouse").secret
    assert secret.startswith("whsec_")
    assert secret in response.content.decode()
    # and the source's page never shows it again
    source = WebhookSource.objects.get(name="warehouse")
    again = admin.get(f"/admin/webhooks/webhooksource/{source.pk}/change/").content.decode()
    assert secret not in again
    assert secret[:8] in again  # its prefix, to recognise it


def test_a_pasted_secret_replaces_the_current_one_which_stays_valid_for_a_while(
    people, zendesk  # noqa: ANN001
) -> None:
    admin = logged_in(people.admin)
    response = admin.post(f"/admin/webhooks/webhooksource/{zendesk.pk}/change/", {
        "name": "zendesk", "kind": "zendesk", "acting_user": people.admin.pk,
        "is_active": "on", "new_secret": "zendesks-new-secret",
        "secrets-TOTAL_FORMS": "1", "secrets-INITIAL_FORMS": "1",
        "secrets-0-id": zendesk.secrets.get().pk, "secrets-0-source": zendesk.pk,
    }, follow=True)
    assert response.status_code == 200
    assert "zendesks-new-secret" not in response.content.decode()
    secrets = list(zendesk.secrets.order_by("created_at"))
    assert [item.secret for item in secrets] == [ZENDESK_SECRET, "zendesks-new-secret"]
    assert secrets[0].retires_at is not None and secrets[1].retires_at is None


def test_an_admin_resolves_a_waiting_event_by_choosing_its_account(
    people, make_source, send  # noqa: ANN001
) -> None:
    make_source("zendesk", ZENDESK_SECRET)
    body = raw(payload("zendesk_ticket_created.json"))
    send("zendesk", body, zendesk_headers(body))
    event = ReceivedEvent.objects.get(status=EventStatus.WAITING)
    admin = logged_in(people.admin)
    page = admin.get(f"/admin/webhooks/receivedevent/{event.pk}/change/").content.decode()
    assert 'name="account"' in page
    response = admin.post(f"/admin/webhooks/receivedevent/{event.pk}/change/",
                          {"account": people.ours.pk}, follow=True)
    assert response.status_code == 200
    assert "1 of 1 waiting event(s) applied" in response.content.decode()
    assert Ticket.objects.get(external_id="ZD-5158").account == people.ours
    assert AccountLink.objects.get(customer_id="8447346622462").account == people.ours


def test_an_admin_replays_events_from_the_log(people, zendesk, send) -> None:  # noqa: ANN001
    body = raw(payload("zendesk_ticket_created.json"))
    send("zendesk", body, zendesk_headers(body))
    Ticket.objects.all().delete()
    event = ReceivedEvent.objects.get(key__isnull=False)
    response = logged_in(people.admin).post("/admin/webhooks/receivedevent/", {
        "action": "replay_events", "_selected_action": [event.pk],
    }, follow=True)
    assert "Replayed: 1 applied" in response.content.decode()
    assert Ticket.objects.filter(external_id="ZD-5158").exists()


def test_a_subscriptions_secret_is_shown_once(people) -> None:  # noqa: ANN001
    admin = logged_in(people.admin)
    response = admin.post("/admin/webhooks/subscription/add/", {
        "url": "https://hooks.example.com/heedful", "description": "Ops board",
        "event_types": ["play.created", "play.closed"], "is_active": "on",
    }, follow=True)
    subscription = Subscription.objects.get()
    assert subscription.event_types == ["play.created", "play.closed"]
    assert subscription.secret in response.content.decode()
    again = admin.get(f"/admin/webhooks/subscription/{subscription.pk}/change/")
    assert subscription.secret not in again.content.decode()
    assert re.search(r"whsec_", again.content.decode()) is None
