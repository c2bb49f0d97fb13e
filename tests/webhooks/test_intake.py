"""Webhooks in: each sender verified as it really signs, stored once by its event id, applied
through the kinds' services; forged, replayed, expired and malformed deliveries change nothing.

Answers (README, "Webhooks"): 202 a new event, 200 a duplicate (same id and body: applied
once), 401 a forged or expired signature, 400 a signed body that is not an event, 409 an id
seen before with another body, 404 no such source."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from heedful.billing.models import Invoice
from heedful.core.models import ApiToken, AuditEntry
from heedful.orders.models import Order
from heedful.support.models import Ticket
from heedful.webhooks.models import AccountLink, EventStatus, ReceivedEvent
from tests.factories import ContactFactory
from tests.webhooks.conftest import (
    STANDARD_SECRET,
    STRIPE_SECRET,
    ZENDESK_SECRET,
    payload,
    raw,
    standard_headers,
    stripe_headers,
    zendesk_headers,
)


def counts() -> tuple[int, int, int, int]:
    return (
        Ticket.objects.count(), Invoice.objects.count(), Order.objects.count(),
        AuditEntry.objects.count(),
    )


def test_zendesk_ticket_created_is_written_on_the_linked_account(people, zendesk, send) -> None:  # noqa: ANN001
    # given Zendesk's "ticket created" event for an organization linked to our account
    body = raw(payload("zendesk_ticket_created.json"))
    # when Zendesk delivers it
    response = send("zendesk", body, zendesk_headers(body))
    # then it is accepted, and the ticket is on the account as the API would have written it
    assert response.status_code == 202
    ticket = Ticket.objects.get(external_id="ZD-5158")
    assert ticket.account == people.ours
    assert (ticket.severity, ticket.status) == (1, "open")
    assert ticket.subject == "Phones down at the head office"
    assert ticket.opened_at == datetime(2026, 11, 22, 8, 30, tzinfo=UTC)
    event = ReceivedEvent.objects.get(key="cbe4028c-7239-495d-b020-f22348516046")
    assert event.status == EventStatus.APPLIED
    assert event.record == "support ticket ZD-5158"
    assert AuditEntry.objects.filter(action="ticket.create", user=people.admin).count() == 1


def test_zendesk_priority_and_status_changes_update_the_same_ticket(people, zendesk, send) -> None:  # noqa: ANN001
    for name in ("zendesk_ticket_created.json", "zendesk_ticket_priority_changed.json",
                 "zendesk_ticket_status_changed_solved.json"):
        body = raw(payload(name))
        assert send("zendesk", body, zendesk_headers(body)).status_code == 202
    ticket = Ticket.objects.get(external_id="ZD-5158")
    assert (ticket.severity, ticket.status) == (2, "resolved")
    assert ticket.resolved_at == datetime(2026, 11, 22, 11, 5, 42, tzinfo=UTC)
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize("kind", ["zendesk", "stripe", "heedful"])
def test_a_forged_signature_is_refused_with_401_and_changes_nothing(
    kind: str, zendesk, stripe_source, heedful_source, send  # noqa: ANN001
) -> None:
    # given a body signed with a secret that is not the source's
    body, headers, name = _signed(kind, secret_for={"zendesk": "not-the-secret",
                                                    "stripe": "whsec_forged",
                                                    "heedful": "whsec_Zm9yZ2VkIHNlY3JldCE="})
    before = counts()
    # when it is delivered
    response = send(name, body, headers)
    # then it is refused and nothing was written; the refusal is in the log, with why
    assert response.status_code == 401
    assert counts() == before
    refused = ReceivedEvent.objects.get(source__name=name)
    assert refused.status == EventStatus.REFUSED
    assert refused.key is None and refused.body == ""
    assert "signature" in refused.reason.lower()


@pytest.mark.parametrize("kind", ["zendesk", "stripe", "heedful"])
def test_an_expired_timestamp_is_refused_with_401_and_changes_nothing(
    kind: str, zendesk, stripe_source, heedful_source, send  # noqa: ANN001
) -> None:
    # given a genuine signature made ten minutes ago (a replay outside the 300 s window)
    body, headers, name = _signed(kind, age=timedelta(minutes=10))
    before = counts()
    response = send(name, body, headers)
    assert response.status_code == 401
    assert counts() == before
    assert not ReceivedEvent.objects.exclude(status=EventStatus.REFUSED).exists()


@pytest.mark.parametrize("kind", ["zendesk", "stripe", "heedful"])
def test_a_signed_body_that_is_not_an_event_is_refused_with_400(
    kind: str, zendesk, stripe_source, heedful_source, send  # noqa: ANN001
) -> None:
    body, headers, name = _signed(kind, body=b'{"hello": ')
    before = counts()
    response = send(name, body, headers)
    assert response.status_code == 400
    assert counts() == before


@pytest.mark.parametrize("kind", ["zendesk", "stripe", "heedful"])
def test_the_same_event_twice_is_applied_once_and_answered_200(
    kind: str, zendesk, stripe_source, heedful_source, send  # noqa: ANN001
) -> None:
    # given an event delivered once
    body, headers, name = _signed(kind)
    assert send(name, body, headers).status_code == 202
    after_first = counts()
    # when the sender delivers it again (a retry, or a replay within the window)
    body, headers, name = _signed(kind)
    response = send(name, body, headers)
    # then it is acknowledged as a duplicate and nothing more is written
    assert response.status_code == 200
    assert response.json()["status"] == "duplicate"
    assert counts() == after_first
    stored = ReceivedEvent.objects.get(source__name=name, key__isnull=False)
    assert stored.status == EventStatus.APPLIED
    assert stored.duplicates.get().status == EventStatus.DUPLICATE


def test_an_event_id_reused_with_another_body_is_refused_with_409(zendesk, send) -> None:  # noqa: ANN001
    body = raw(payload("zendesk_ticket_created.json"))
    assert send("zendesk", body, zendesk_headers(body)).status_code == 202
    changed = payload("zendesk_ticket_created.json")
    changed["detail"]["subject"] = "Something else"
    other = raw(changed)
    before = counts()
    response = send("zendesk", other, zendesk_headers(other))
    assert response.status_code == 409
    assert counts() == before
    assert Ticket.objects.get(external_id="ZD-5158").subject == "Phones down at the head office"


def test_an_unknown_source_is_404(db, send) -> None:  # noqa: ANN001
    response = send("nobody", b"{}", {})
    assert response.status_code == 404


def test_during_a_rotation_both_secrets_are_valid_and_the_oldest_stops(
    people, zendesk, send, settings  # noqa: ANN001
) -> None:
    from heedful.webhooks import services

    # given a second secret added (Zendesk's secret was reset), and a third after it
    services.add_secret(source=zendesk, secret="the-new-zendesk-secret", user=people.admin)
    created = payload("zendesk_ticket_created.json")
    body = raw(created)
    # then the old and the new secret both sign, during the rotation
    assert send("zendesk", body, zendesk_headers(body, secret=ZENDESK_SECRET)).status_code == 202
    created["id"] = "second-event"
    body = raw(created)
    assert send("zendesk", body, zendesk_headers(
        body, secret="the-new-zendesk-secret")).status_code == 202
    # when yet another secret is added, the first one stops at once: two valid at most
    services.add_secret(source=zendesk, secret="the-newest-zendesk-secret", user=people.admin)
    created["id"] = "third-event"
    body = raw(created)
    assert send("zendesk", body, zendesk_headers(body, secret=ZENDESK_SECRET)).status_code == 401
    assert send("zendesk", body, zendesk_headers(
        body, secret="the-new-zendesk-secret")).status_code == 202
    # and no secret is in the audit log
    assert "zendesk-secret" not in str(list(AuditEntry.objects.values_list("detail", flat=True)))


def test_stripe_signs_with_two_secrets_while_it_rolls_its_own(stripe_source, send) -> None:  # noqa: ANN001
    body = raw(payload("stripe_invoice_finalized.json"))
    headers = stripe_headers(body, secrets=("whsec_the_next_one_at_stripe", STRIPE_SECRET))
    assert send("stripe", body, headers).status_code == 202
    assert Invoice.objects.filter(invoice_number="7FE1103-0042").exists()


def test_stripe_invoice_finalized_paid_and_voided(people, stripe_source, send) -> None:  # noqa: ANN001
    body = raw(payload("stripe_invoice_finalized.json"))
    assert send("stripe", body, stripe_headers(body)).status_code == 202
    invoice = Invoice.objects.get(invoice_number="7FE1103-0042")
    assert invoice.account == people.ours
    assert (invoice.amount, invoice.currency) == (Decimal("2499.00"), "USD")
    assert str(invoice.period_start) == "2026-11-01"
    assert str(invoice.period_end) == "2026-12-01"
    assert str(invoice.issued_on) == "2026-11-01"
    body = raw(payload("stripe_invoice_paid.json"))
    assert send("stripe", body, stripe_headers(body)).status_code == 202
    assert Invoice.objects.filter(invoice_number="7FE1103-0042").count() == 1
    body = raw(payload("stripe_invoice_voided.json"))
    assert send("stripe", body, stripe_headers(body)).status_code == 202
    assert not Invoice.objects.filter(invoice_number="7FE1103-0042").exists()
    assert AuditEntry.objects.filter(action="invoice.delete").count() == 1


def test_a_stripe_invoice_finds_its_account_by_the_customers_email(
    people, make_source, send  # noqa: ANN001
) -> None:
    # given no link for the Stripe customer, but a contact with the invoice's e-mail address
    make_source("stripe", STRIPE_SECRET)
    ContactFactory(account=people.theirs, email="accounts.payable@ours-telecom.example")
    body = raw(payload("stripe_invoice_finalized.json"))
    assert send("stripe", body, stripe_headers(body)).status_code == 202
    assert Invoice.objects.get(invoice_number="7FE1103-0042").account == people.theirs


def test_an_event_for_an_unknown_customer_waits_until_an_admin_chooses_its_account(
    people, make_source, send  # noqa: ANN001
) -> None:
    from heedful.webhooks import services

    # given a Zendesk source that knows none of the customer's ids
    make_source("zendesk", ZENDESK_SECRET)
    body = raw(payload("zendesk_ticket_created.json"))
    # when its event arrives, it is accepted, kept and waits: nothing dropped, nothing written
    assert send("zendesk", body, zendesk_headers(body)).status_code == 202
    event = ReceivedEvent.objects.get(key__isnull=False)
    assert event.status == EventStatus.WAITING
    assert event.customer_id == "8447346622462"
    assert "choose one" in event.reason
    assert not Ticket.objects.exists()
    # when an admin chooses the account
    services.resolve(event=event, account=people.theirs, user=people.admin)
    # then the event is applied there, and the customer's next event goes there by itself
    event.refresh_from_db()
    assert event.status == EventStatus.APPLIED
    assert Ticket.objects.get(external_id="ZD-5158").account == people.theirs
    assert AccountLink.objects.get(customer_id="8447346622462").account == people.theirs
    body = raw(payload("zendesk_ticket_status_changed_solved.json"))
    assert send("zendesk", body, zendesk_headers(body)).status_code == 202
    assert Ticket.objects.get(external_id="ZD-5158").status == "resolved"


def test_an_admin_replays_a_stored_event(people, zendesk, send) -> None:  # noqa: ANN001
    from heedful.webhooks import services

    # given an applied event whose ticket someone then deleted by mistake
    body = raw(payload("zendesk_ticket_created.json"))
    send("zendesk", body, zendesk_headers(body))
    Ticket.objects.all().delete()
    event = ReceivedEvent.objects.get(key__isnull=False)
    # when the admin replays it, the ticket is back, once
    replayed = services.replay(event=event, user=people.admin)
    assert replayed.status == EventStatus.APPLIED
    assert Ticket.objects.filter(external_id="ZD-5158").count() == 1


def test_heedful_json_orders_and_their_shipment(people, heedful_source, send) -> None:  # noqa: ANN001
    order = {"type": "orders.upsert", "data": {
        "external_id": "ORD-77", "account_external_id": "ACC-OURS", "ordered_on": "2026-11-18",
        "amount": "1200.00", "currency": "EUR", "description": "Handsets"}}
    body = raw(order)
    assert send("warehouse", body, standard_headers(body, message_id="msg_1")).status_code == 202
    shipment = {"type": "orders.upsert", "data": {
        "external_id": "ORD-77", "account_external_id": "ACC-OURS", "shipped_on": "2026-11-21"}}
    body = raw(shipment)
    assert send("warehouse", body, standard_headers(body, message_id="msg_2")).status_code == 202
    stored = Order.objects.get(external_id="ORD-77")
    assert stored.account == people.ours
    assert str(stored.shipped_on) == "2026-11-21"
    assert (stored.amount, stored.currency) == (Decimal("1200.00"), "EUR")


def test_heedful_json_refused_as_the_api_refuses_it(
    people, heedful_source, send, client  # noqa: ANN001
) -> None:
    # given an order shipped before it was ordered, which the API refuses
    data = {"external_id": "ORD-78", "account_external_id": "ACC-OURS",
            "ordered_on": "2026-11-18", "shipped_on": "2026-11-10"}
    _, token = ApiToken.issue(user=people.admin, name="tests")
    api = client.post("/api/v1/orders", data, content_type="application/json",
                      headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 422
    body = raw({"type": "orders.upsert", "data": data})
    # when it arrives by webhook
    assert send("warehouse", body, standard_headers(body)).status_code == 202
    # then it is rejected with the API's own reason, and nothing is written
    event = ReceivedEvent.objects.get(key__isnull=False)
    assert event.status == EventStatus.REJECTED
    assert not Order.objects.exists()
    [reason] = api.json()["errors"]["shipped_on"]
    assert f"shipped_on: {reason}" in event.reason


def _signed(kind: str, *, body: bytes | None = None, age: timedelta = timedelta(0),
            secret_for: dict[str, str] | None = None) -> tuple[bytes, dict[str, str], str]:
    secret = (secret_for or {}).get(kind)
    at = datetime.now(UTC) - age
    if kind == "zendesk":
        content = body or raw(payload("zendesk_ticket_created.json"))
        return content, zendesk_headers(content, secret=secret or ZENDESK_SECRET, at=at), kind
    if kind == "stripe":
        content = body or raw(payload("stripe_invoice_finalized.json"))
        return content, stripe_headers(
            content, secrets=(secret or STRIPE_SECRET,), at=int(at.timestamp())
        ), kind
    content = body or raw({"type": "tickets.upsert", "data": {
        "external_id": "TCK-WH-1", "account_external_id": "ACC-OURS",
        "opened_at": "2026-11-22T08:30:00Z", "severity": 3, "status": "open"}})
    return content, standard_headers(content, secret=secret or STANDARD_SECRET, at=at), "warehouse"


def test_an_invoice_finds_its_account_by_the_e_mail_domain_an_admin_set(
    people, make_source, send  # noqa: ANN001
) -> None:
    from heedful.webhooks.models import EmailDomain

    make_source("stripe", STRIPE_SECRET)
    EmailDomain.objects.create(domain="@Ours-Telecom.example", account=people.ours)
    body = raw(payload("stripe_invoice_finalized.json"))
    assert send("stripe", body, stripe_headers(body)).status_code == 202
    assert Invoice.objects.get(invoice_number="7FE1103-0042").account == people.ours


def test_a_stripe_event_heedful_does_not_use_is_kept_as_ignored(stripe_source, send) -> None:  # noqa: ANN001
    event = payload("stripe_invoice_finalized.json")
    event["type"] = "invoice.upcoming"
    event["id"] = "evt_upcoming"
    body = raw(event)
    before = counts()
    assert send("stripe", body, stripe_headers(body)).status_code == 202
    assert counts() == before
    stored = ReceivedEvent.objects.get(key="evt_upcoming")
    assert stored.status == EventStatus.IGNORED
    assert "invoice.upcoming" in stored.reason


def test_heedful_json_for_an_unknown_account_waits_and_goes_where_the_admin_says(
    people, heedful_source, send  # noqa: ANN001
) -> None:
    from heedful.webhooks import services

    # given an order naming a customer id that is no account of ours
    body = raw({"type": "orders.upsert", "data": {
        "external_id": "ORD-90", "account_external_id": "WMS-CUST-12",
        "ordered_on": "2026-11-18"}})
    assert send("warehouse", body, standard_headers(body)).status_code == 202
    event = ReceivedEvent.objects.get(key__isnull=False)
    assert event.status == EventStatus.WAITING
    assert not Order.objects.exists()
    # when the admin says it is our account, the order is written there
    services.resolve(event=event, account=people.ours, user=people.admin)
    assert Order.objects.get(external_id="ORD-90").account == people.ours
    # and the warehouse's next order for that customer goes there by itself
    body = raw({"type": "orders.upsert", "data": {
        "external_id": "ORD-91", "account_external_id": "WMS-CUST-12",
        "ordered_on": "2026-11-19"}})
    assert send("warehouse", body, standard_headers(body, message_id="msg_next")).status_code == 202
    assert Order.objects.get(external_id="ORD-91").account == people.ours


def test_an_older_zendesk_event_arriving_late_does_not_undo_a_newer_one(zendesk, send) -> None:  # noqa: ANN001
    # given the ticket created and then solved
    for name in ("zendesk_ticket_created.json", "zendesk_ticket_status_changed_solved.json"):
        body = raw(payload(name))
        send("zendesk", body, zendesk_headers(body))
    # when Zendesk's retry of the earlier "priority changed" (open, high) arrives last
    body = raw(payload("zendesk_ticket_priority_changed.json"))
    assert send("zendesk", body, zendesk_headers(body)).status_code == 202
    # then the ticket stays solved, and the late event is kept, marked why
    ticket = Ticket.objects.get(external_id="ZD-5158")
    assert (ticket.status, ticket.resolved_at is not None) == ("resolved", True)
    late = ReceivedEvent.objects.get(key="0b7f5d2e-93a4-4c1b-8f0e-2d5c9a7e4f30")
    assert late.status == EventStatus.IGNORED
    assert "Older than event 6a1c0f43" in late.reason


def test_a_late_paid_event_does_not_bring_back_a_voided_invoice(stripe_source, send) -> None:  # noqa: ANN001
    for name in ("stripe_invoice_finalized.json", "stripe_invoice_voided.json",
                 "stripe_invoice_paid.json"):
        body = raw(payload(name))
        assert send("stripe", body, stripe_headers(body)).status_code == 202
    assert not Invoice.objects.filter(invoice_number="7FE1103-0042").exists()


def test_a_ticket_created_meanwhile_by_a_parallel_worker_is_updated_not_refused(
    people, zendesk, send, monkeypatch  # noqa: ANN001
) -> None:
    from heedful.webhooks import records
    from tests.factories import TicketFactory

    # given the ticket created by another worker just after this one looked for it
    TicketFactory(account=people.ours, external_id="ZD-5158", severity=4, status="open")
    looked = []
    original = records._existing

    def existing(resource, *, user, key):  # noqa: ANN001, ANN202
        looked.append(key)
        return None if len(looked) == 1 else original(resource, user=user, key=key)

    monkeypatch.setattr(records, "_existing", existing)
    body = raw(payload("zendesk_ticket_created.json"))
    # when the event is applied, its create is refused for the taken id, and it updates
    assert send("zendesk", body, zendesk_headers(body)).status_code == 202
    assert ReceivedEvent.objects.get(key__isnull=False).status == EventStatus.APPLIED
    assert Ticket.objects.get(external_id="ZD-5158").severity == 1
