"""Stripe's own example invoice (stripe/openapi's fixtures3.json, in the shared data beside the
checkout) applied as an invoice, in the event Stripe would wrap it in."""

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from heedful.billing.models import Invoice
from heedful.webhooks.models import EventStatus, ReceivedEvent
from tests.conftest import SHARED_DATA
from tests.webhooks.conftest import raw, stripe_headers

FIXTURES = Path(SHARED_DATA) / "billing_invoices" / "stripe_openapi" / "fixtures3.json"


@pytest.mark.skipif(not os.path.exists(FIXTURES), reason=f"{FIXTURES} is not there")
def test_stripes_example_invoice_is_applied_as_an_invoice(people, stripe_source, send) -> None:  # noqa: ANN001
    # given Stripe's example invoice object (a draft: no number yet), as "invoice.finalized"
    invoice = json.loads(FIXTURES.read_text(encoding="utf-8"))["resources"]["invoice"]
    assert invoice["object"] == "invoice"
    invoice["customer"] = "cus_RkT2aXq9ZbJ4mN"  # the customer our test source links
    event = {"id": "evt_1Pgc76B7WZ01zgkWwyRHS12y", "object": "event",
             "api_version": "2024-06-20", "created": invoice["created"],
             "data": {"object": invoice}, "livemode": False, "pending_webhooks": 1,
             "request": {"id": None, "idempotency_key": None}, "type": "invoice.finalized"}
    body = raw(event)
    # when it is delivered
    response = send("stripe", body, stripe_headers(body))
    # then it is an invoice of the account, under Stripe's id, in dollars
    assert response.status_code == 202
    assert ReceivedEvent.objects.get(key__isnull=False).status == EventStatus.APPLIED
    stored = Invoice.objects.get(invoice_number=invoice["id"])
    assert stored.account == people.ours
    assert (stored.amount, stored.currency) == (Decimal(invoice["total"]) / 100, "USD")
