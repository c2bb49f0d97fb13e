"""Senders as they really sign: Zendesk's HMAC of timestamp and body, Stripe's
``Stripe-Signature``, Standard Webhooks; sources of each kind for the named people."""

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import standardwebhooks
from django.test import Client

from heedful.webhooks.models import AccountLink, SigningSecret, WebhookSource

PAYLOADS = Path(__file__).parent / "payloads"
ZENDESK_SECRET = "dGhpcyBpcyBhIFplbmRlc2sgc2lnbmluZyBzZWNyZXQ"
STRIPE_SECRET = "whsec_test_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH"
STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
ZENDESK_ORGANIZATION = "8447346622462"
STRIPE_CUSTOMER = "cus_RkT2aXq9ZbJ4mN"


@pytest.fixture(autouse=True)
def intake_in_the_request(settings) -> None:  # noqa: ANN001
    """Received events are applied right after the request's commit, in the test's thread, so
    that a test sees the outcome (the background thread is tested on its own)."""
    settings.HEEDFUL_WEBHOOKS_IN_BACKGROUND = False
    settings.HEEDFUL_OUTBOUND_FIRST_BACKOFF_SECONDS = 0.01


def payload(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def raw(document: dict[str, Any]) -> bytes:
    return json.dumps(document, indent=2).encode()


def zendesk_headers(body: bytes, *, secret: str = ZENDESK_SECRET,
                    at: datetime | None = None) -> dict[str, str]:
    stamp = (at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = hmac.new(secret.encode(), stamp.encode() + body, hashlib.sha256).digest()
    return {
        "X-Zendesk-Webhook-Id": "01GK8E6BKWMJZD2T8Y5AXJQMG5",
        "X-Zendesk-Webhook-Signature": base64.b64encode(digest).decode(),
        "X-Zendesk-Webhook-Signature-Timestamp": stamp,
    }


def stripe_headers(body: bytes, *, secrets: tuple[str, ...] = (STRIPE_SECRET,),
                   at: int | None = None) -> dict[str, str]:
    """As Stripe signs: ``t=<unix>,v1=<hex HMAC of "t.body">``, one ``v1`` per secret (two
    while Stripe rolls an endpoint's secret)."""
    stamp = int(time.time()) if at is None else at
    signed = f"{stamp}.".encode() + body
    parts = [f"t={stamp}"] + [
        "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest() for secret in secrets
    ]
    return {"Stripe-Signature": ",".join(parts)}


def standard_headers(body: bytes, *, message_id: str = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
                     secret: str = STANDARD_SECRET, at: datetime | None = None) -> dict[str, str]:
    moment = at or datetime.now(UTC)
    signature = standardwebhooks.Webhook(secret).sign(message_id, moment, body.decode())
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": signature,
    }


def deliver(client: Client, name: str, body: bytes, headers: dict[str, str]):  # noqa: ANN201
    return client.post(
        f"/webhooks/{name}/", body, content_type="application/json", headers=headers
    )


@pytest.fixture
def make_source(people) -> Callable[..., WebhookSource]:  # noqa: ANN001
    def make(kind: str, secret: str, name: str | None = None) -> WebhookSource:
        source = WebhookSource.objects.create(
            name=name or kind, kind=kind, acting_user=people.admin
        )
        SigningSecret.objects.create(source=source, secret=secret, prefix=secret[:8])
        return source

    return make


@pytest.fixture
def zendesk(make_source, people) -> WebhookSource:  # noqa: ANN001
    source = make_source("zendesk", ZENDESK_SECRET)
    AccountLink.objects.create(
        source=source, customer_id=ZENDESK_ORGANIZATION, account=people.ours
    )
    return source


@pytest.fixture
def stripe_source(make_source, people) -> WebhookSource:  # noqa: ANN001
    source = make_source("stripe", STRIPE_SECRET)
    AccountLink.objects.create(source=source, customer_id=STRIPE_CUSTOMER, account=people.ours)
    return source


@pytest.fixture
def heedful_source(make_source) -> WebhookSource:  # noqa: ANN001
    return make_source("heedful", STANDARD_SECRET, name="warehouse")


@pytest.fixture
def send(client: Client, django_capture_on_commit_callbacks) -> Callable[..., Any]:  # noqa: ANN001
    """Deliver, and run what the delivery queued after its commit (the test's own
    transaction never commits)."""

    def send_one(name: str, body: bytes, headers: dict[str, str]):  # noqa: ANN202
        with django_capture_on_commit_callbacks(execute=True):
            return deliver(client, name, body, headers)

    return send_one
