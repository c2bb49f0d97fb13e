"""Is a delivery really from its sender, and recent? Each sender's own scheme, on the raw body.

- Zendesk: ``X-Zendesk-Webhook-Signature`` is base64(HMAC-SHA256(secret, timestamp + body))
  with the timestamp of ``X-Zendesk-Webhook-Signature-Timestamp``.
- Stripe: ``Stripe-Signature`` (``t=…,v1=…``, several ``v1`` while Stripe rolls its secret),
  checked by the ``stripe`` package itself.
- Heedful's own JSON: Standard Webhooks (``webhook-id``, ``webhook-timestamp``,
  ``webhook-signature``), checked by the ``standardwebhooks`` package.

Every scheme is checked against each valid secret of the source (two during a rotation) and
refuses a timestamp more than ``TOLERANCE_SECONDS`` from now (the replay window; within it
a replay is caught by the event's id). Nothing here logs a secret or a signature.
"""

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import standardwebhooks
import stripe

from heedful.lib import clock
from heedful.webhooks.models import SourceKind

TOLERANCE_SECONDS = 300
"""The replay window: Stripe's default tolerance, and Standard Webhooks' fixed one."""


class Refused(Exception):  # noqa: N818 - a refusal, answered with ``status``
    """The delivery is not accepted: ``status`` 401 (not signed by the sender, or outside the
    replay window) or 400 (signed, but not an event Heedful can read)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Verified:
    """A delivery whose signature and time were checked: the sender's event id and type, and
    the parsed body."""

    event_id: str
    event_type: str
    payload: dict[str, Any]


def verify(
    kind: str, *, body: bytes, headers: Mapping[str, str], secrets: Sequence[str]
) -> Verified:
    """Check a delivery to a source of ``kind`` against its valid ``secrets``; ``Refused``
    when it does not hold."""
    if not secrets:
        raise Refused(401, "This source has no valid signing secret: add one in the admin.")
    lowered = {name.lower(): value for name, value in headers.items()}
    if kind == SourceKind.ZENDESK:
        return _zendesk(body, lowered, secrets)
    if kind == SourceKind.STRIPE:
        return _stripe(body, lowered, secrets)
    if kind == SourceKind.HEEDFUL:
        return _standard(body, lowered, secrets)
    raise Refused(400, f"Unknown kind of source {kind!r}.")


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Refused(400, f"The body is not JSON: {error}.") from None
    if not isinstance(payload, dict):
        raise Refused(400, "The body is not a JSON object.")
    return payload


def _required_text(payload: Mapping[str, Any], name: str) -> str:
    value = payload.get(name)
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise Refused(400, f"The event has no {name!r}.")
    return str(value).strip()[:200]


# -- Zendesk ------------------------------------------------------------------------------


def zendesk_signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _zendesk_moment(raw: str) -> datetime:
    """Zendesk's timestamp header: ISO 8601 (``2024-04-17T17:18:10Z``); Unix seconds too."""
    try:
        if raw.isdigit():
            return datetime.fromtimestamp(int(raw), tz=UTC)
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        raise Refused(401, "The signature's timestamp is not a time.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _zendesk(body: bytes, headers: Mapping[str, str], secrets: Sequence[str]) -> Verified:
    signature = headers.get("x-zendesk-webhook-signature", "")
    timestamp = headers.get("x-zendesk-webhook-signature-timestamp", "")
    if not signature or not timestamp:
        raise Refused(
            401, "Missing X-Zendesk-Webhook-Signature or X-Zendesk-Webhook-Signature-Timestamp."
        )
    if not any(
        hmac.compare_digest(zendesk_signature(secret, timestamp, body), signature)
        for secret in secrets
    ):
        raise Refused(401, "The signature does not match this source's secret.")
    age = abs((clock.now() - _zendesk_moment(timestamp)).total_seconds())
    if age > TOLERANCE_SECONDS:
        raise Refused(401, f"The signature's timestamp is {age:.0f} s away from now "
                      f"(more than {TOLERANCE_SECONDS} s): a replay, or a clock far off.")
    payload = _json_object(body)
    # An event webhook carries its id; a trigger's webhook does not, but Zendesk names each
    # invocation in a header.
    event_id = payload.get("id") or headers.get("x-zendesk-webhook-invocation-id")
    payload_type = payload.get("type")
    if not event_id:
        raise Refused(400, "The event has no 'id' (nor an X-Zendesk-Webhook-Invocation-Id).")
    return Verified(
        event_id=str(event_id)[:200],
        event_type=str(payload_type)[:100] if payload_type else "",
        payload=payload,
    )


# -- Stripe -------------------------------------------------------------------------------


def _stripe(body: bytes, headers: Mapping[str, str], secrets: Sequence[str]) -> Verified:
    header = headers.get("stripe-signature", "")
    if not header:
        raise Refused(401, "Missing Stripe-Signature.")
    problem = ""
    for secret in secrets:
        try:
            stripe.WebhookSignature.verify_header(
                body.decode("utf-8", errors="replace"), header, secret,
                tolerance=TOLERANCE_SECONDS,
            )
        except stripe.SignatureVerificationError as error:
            problem = str(error.user_message or error)
            continue
        break
    else:
        raise Refused(401, f"Stripe signature refused: {problem}")
    payload = _json_object(body)
    return Verified(
        event_id=_required_text(payload, "id"),
        event_type=_required_text(payload, "type"),
        payload=payload,
    )


# -- Standard Webhooks (Heedful's own JSON) -----------------------------------------------


def _standard(body: bytes, headers: Mapping[str, str], secrets: Sequence[str]) -> Verified:
    problem = ""
    for secret in secrets:
        try:
            standardwebhooks.Webhook(secret).verify(body, dict(headers), json_parse=False)
        except standardwebhooks.WebhookVerificationError as error:
            problem = str(error)
            continue
        except (ValueError, UnicodeDecodeError):
            raise Refused(400, "The signature headers or the body are malformed.") from None
        break
    else:
        raise Refused(401, f"Standard Webhooks signature refused: {problem}.")
    payload = _json_object(body)
    return Verified(
        event_id=headers["webhook-id"][:200],
        event_type=_required_text(payload, "type"),
        payload=payload,
    )
