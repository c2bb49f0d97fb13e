"""What each sender's event means for Heedful: the record to write, in the API's own fields, and
who the customer is (``Reading``). Reading never writes; ``services.apply`` writes the record
through the kind's services, with the same validation as the API and the CSV import.

- Zendesk event webhooks (``zen:event-type:ticket.*``, Zendesk's 2022-11-06 event shape): the
  ``detail`` object is the ticket as it is now, so every ticket event (created, status or
  priority changed, …) writes the ticket ``ZD-<id>``: priority urgent, high, normal, low is
  severity 1 to 4; new and open are open, pending and on-hold pending, solved resolved,
  closed closed. The customer: its organization, else its requester.
- Stripe events ``invoice.finalized`` and ``invoice.paid`` write the invoice (its number, or
  its id while it has none; ``total`` from minor units); ``invoice.voided`` deletes it (it
  was never owed). The customer: ``metadata.heedful_account`` (an account's external id),
  else the Stripe customer, else its ``customer_email``.
- Heedful's own JSON, ``{"type": "<kind>.upsert", "data": {…}}`` with ``<kind>`` a path of
  the REST API (``orders``, ``tickets``, ``invoices``, ``contacts``, …) and ``data`` that
  endpoint's body: creates the record, or changes the fields given if it exists. A shipment
  is an order's ``shipped_on`` and ``delivered_on``. The customer: ``account_external_id``.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from heedful.webhooks.models import SourceKind


class Unreadable(Exception):  # noqa: N818 - the event is refused with this reason
    """A signed event whose content cannot be read as a record (a field missing, a wrong
    type)."""


@dataclass(frozen=True)
class Write:
    kind: str
    """The REST API's path of the record kind, e.g. ``tickets``."""
    key: str
    """The record's natural key (external id, invoice number), for an update or delete."""
    data: dict[str, Any]
    """The API's create body; ``account_external_id`` is filled in once the account is known."""
    delete: bool = False


@dataclass(frozen=True)
class Reading:
    write: Write | None
    """None: nothing to write (``ignored`` says why)."""
    ignored: str = ""
    named_account: str = ""
    """An account's external id the payload names itself."""
    customer_ids: list[str] = field(default_factory=list)
    """The sender's ids of the customer, most specific first (``AccountLink``)."""
    emails: list[str] = field(default_factory=list)
    occurred_at: datetime | None = None
    """When it happened at the sender (Zendesk's ``time``, Stripe's ``created``, Heedful's
    ``timestamp``): an older event does not overwrite what a newer one applied."""


def moment(value: Any) -> datetime | None:
    """A sender's time: Unix seconds, or ISO 8601 (``Z``, any number of fractional digits)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC)
    if isinstance(value, str) and value.strip():
        text = value.strip().replace("Z", "+00:00")
        whole, dot, rest = text.partition(".")
        if dot:  # nanoseconds (Zendesk) are more digits than Python reads
            digits = "".join(character for character in rest if character.isdigit())
            text = f"{whole}.{digits[:6]}{rest[len(digits):]}"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def read(kind: str, *, event_type: str, payload: Mapping[str, Any]) -> Reading:
    if kind == SourceKind.ZENDESK:
        return read_zendesk(event_type, payload)
    if kind == SourceKind.STRIPE:
        return read_stripe(event_type, payload)
    return read_heedful(event_type, payload)


def _object(payload: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = payload.get(name)
    if not isinstance(value, Mapping):
        raise Unreadable(f"The event has no {name!r} object.")
    return value


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


# -- Zendesk ------------------------------------------------------------------------------

ZENDESK_TICKET_EVENT = "zen:event-type:ticket."
ZENDESK_SEVERITY = {"urgent": 1, "high": 2, "normal": 3, "low": 4}
ZENDESK_STATUS = {
    "new": "open", "open": "open", "pending": "pending", "hold": "pending",
    "on-hold": "pending", "solved": "resolved", "closed": "closed",
}
ZENDESK_GONE = ("soft_deleted", "permanently_deleted", "marked_as_spam", "merged")
"""Ticket events that do not describe a ticket to keep: left as they are, and logged."""


def zendesk_ticket_id(ticket_id: str) -> str:
    return f"ZD-{ticket_id}"


def read_zendesk(event_type: str, payload: Mapping[str, Any]) -> Reading:
    if not event_type.startswith(ZENDESK_TICKET_EVENT):
        return Reading(write=None, ignored=f"{event_type or 'an event without a type'} is not "
                       "a ticket event.")
    what = event_type.removeprefix(ZENDESK_TICKET_EVENT)
    if what in ZENDESK_GONE:
        return Reading(write=None, ignored=f"ticket.{what}: the ticket is left as it was.")
    detail = _object(payload, "detail")
    ticket_id = _text(detail.get("id"))
    if not ticket_id:
        raise Unreadable("The ticket in 'detail' has no 'id'.")
    current = payload.get("event", {}).get("current") if isinstance(
        payload.get("event"), Mapping
    ) else None
    status = _text(current if what == "status_changed" and current else detail.get("status"))
    priority = _text(
        current if what == "priority_changed" and current else detail.get("priority")
    )
    mapped_status = ZENDESK_STATUS.get(status.lower())
    if mapped_status is None:
        raise Unreadable(f"Unknown ticket status {status!r}.")
    created_at = _text(detail.get("created_at"))
    if not created_at:
        raise Unreadable("The ticket in 'detail' has no 'created_at'.")
    resolved = mapped_status in ("resolved", "closed")
    data = {
        "external_id": zendesk_ticket_id(ticket_id),
        "opened_at": created_at,
        "severity": ZENDESK_SEVERITY.get(priority.lower(), ZENDESK_SEVERITY["normal"]),
        "subject": _text(detail.get("subject"))[:500],
        "status": mapped_status,
        "resolved_at": (
            _text(detail.get("updated_at")) or _text(payload.get("time")) if resolved else None
        ),
    }
    customers = [
        _text(detail.get(name)) for name in ("organization_id", "requester_id")
        if _text(detail.get(name)) not in ("", "0")
    ]
    return Reading(
        write=Write(kind="tickets", key=zendesk_ticket_id(ticket_id), data=data),
        customer_ids=customers, occurred_at=moment(payload.get("time")),
    )


# -- Stripe -------------------------------------------------------------------------------

STRIPE_INVOICE_WRITES = ("invoice.finalized", "invoice.paid")
STRIPE_INVOICE_DELETES = ("invoice.voided",)
# Stripe's amounts are in the currency's smallest unit; these have none, or thousandths
# (Stripe's documented lists).
STRIPE_ZERO_DECIMAL = frozenset(
    "BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split()
)
STRIPE_THREE_DECIMAL = frozenset("BHD JOD KWD OMR TND".split())
STRIPE_ACCOUNT_METADATA = "heedful_account"
"""The invoice's (or its customer's) metadata key that names the account's external id."""


def stripe_amount(minor_units: Any, currency: str) -> Decimal:
    if isinstance(minor_units, bool) or not isinstance(minor_units, int):
        raise Unreadable(f"The invoice's total {minor_units!r} is not a whole number.")
    places = 0 if currency in STRIPE_ZERO_DECIMAL else 3 if currency in STRIPE_THREE_DECIMAL else 2
    return Decimal(minor_units).scaleb(-places)


def _stripe_day(value: Any, name: str) -> date:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Unreadable(f"The invoice's {name} {value!r} is not a Unix time.")
    return datetime.fromtimestamp(value, tz=UTC).date()


def read_stripe(event_type: str, payload: Mapping[str, Any]) -> Reading:
    if event_type not in (*STRIPE_INVOICE_WRITES, *STRIPE_INVOICE_DELETES):
        return Reading(write=None, ignored=f"{event_type} is not an invoice event Heedful uses "
                       "(finalized, paid, voided).")
    invoice = _object(_object(payload, "data"), "object")
    if invoice.get("object") != "invoice":
        raise Unreadable("The event's data.object is not an invoice.")
    number = _text(invoice.get("number")) or _text(invoice.get("id"))
    if not number:
        raise Unreadable("The invoice has neither a number nor an id.")
    metadata = invoice.get("metadata") if isinstance(invoice.get("metadata"), Mapping) else {}
    assert isinstance(metadata, Mapping)
    customer = invoice.get("customer")
    customer_id = _text(customer.get("id") if isinstance(customer, Mapping) else customer)
    named = _text(metadata.get(STRIPE_ACCOUNT_METADATA))
    customers = [customer_id] if customer_id else []
    emails = [_text(invoice.get("customer_email"))] if invoice.get("customer_email") else []
    if event_type in STRIPE_INVOICE_DELETES:
        return Reading(
            write=Write(kind="invoices", key=number, data={}, delete=True),
            named_account=named, customer_ids=customers, emails=emails,
            occurred_at=moment(payload.get("created")),
        )
    currency = _text(invoice.get("currency")).upper()
    transitions = invoice.get("status_transitions")
    finalized = transitions.get("finalized_at") if isinstance(transitions, Mapping) else None
    issued = finalized or invoice.get("effective_at") or invoice.get("created")
    data = {
        "invoice_number": number,
        "period_start": _stripe_day(invoice.get("period_start"), "period_start").isoformat(),
        "period_end": _stripe_day(invoice.get("period_end"), "period_end").isoformat(),
        "issued_on": _stripe_day(issued, "finalized_at").isoformat() if issued else None,
        "amount": str(stripe_amount(invoice.get("total"), currency)),
        "currency": currency,
    }
    return Reading(
        write=Write(kind="invoices", key=number, data=data),
        named_account=named, customer_ids=customers, emails=emails,
        occurred_at=moment(payload.get("created")),
    )


# -- Heedful's own JSON -------------------------------------------------------------------

HEEDFUL_VERB = ".upsert"


def read_heedful(event_type: str, payload: Mapping[str, Any]) -> Reading:
    from heedful.webhooks.records import resources

    kind = event_type.removesuffix(HEEDFUL_VERB)
    if not event_type.endswith(HEEDFUL_VERB) or kind not in resources():
        known = ", ".join(f"{path}{HEEDFUL_VERB}" for path in sorted(resources()))
        raise Unreadable(f"Unknown type {event_type!r}; known: {known}.")
    data = payload.get("data")
    if not isinstance(data, Mapping):
        raise Unreadable("The event has no 'data' object.")
    resource = resources()[kind]
    key = _text(data.get(resource.key))
    named = _text(data.get("account_external_id"))
    return Reading(
        write=Write(kind=kind, key=key, data=dict(data)),
        named_account=named,
        customer_ids=[named] if named else [],
        occurred_at=moment(payload.get("timestamp")),
    )
