"""Telling other systems about plays: every play created, changed or closed, as Standard
Webhooks, to each active subscription, with retries and a delivery log.

The engine and the play services tell ``heedful.plays.changes`` (registered in
``WebhooksConfig.ready``); ``play_changes_heard`` queues ``publish`` after the commit, which
stores one message per subscription and play (the body exactly as it will be signed) and
queues its delivery. A delivery that fails (a network error, 5xx, 408, 429) is tried again
after ``HEEDFUL_OUTBOUND_FIRST_BACKOFF_SECONDS``, then twice as long each time, up to
``HEEDFUL_OUTBOUND_TRIES`` tries: on a backend that can run a task later (the database
backend) as a task run later, on the embedded default in the delivering thread. Each message
keeps its ``webhook-id`` across retries, so a receiver can drop a message it already has.

The message body (README, "Outbound webhooks")::

    {"type": "play.created" | "play.changed" | "play.closed",
     "timestamp": "<ISO 8601, when Heedful produced the event>",
     "data": {"id": <play id>, <the play as CONTRACTS.md lists it>, "updated_at",
              "snoozed_until", "closed_at", "closed_reason"}}
"""

import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import standardwebhooks
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from heedful.core import audit
from heedful.core.models import User
from heedful.plays import triggers
from heedful.plays.changes import PlayChanges
from heedful.plays.models import Play
from heedful.plays.services import as_contract
from heedful.webhooks.models import (
    MessageStatus,
    OutboundMessage,
    PlayEventType,
    Subscription,
)
from heedful.webhooks.services import new_standard_secret

logger = logging.getLogger(__name__)

OUTBOUND_TASKS = "outbound"
"""The tasks backend that posts messages on the embedded default (settings.py)."""
TIMEOUT_SECONDS = 10.0


def create_subscription(
    *, url: str, user: User | None, event_types: Iterable[str] = (), description: str = ""
) -> tuple[Subscription, str]:
    """A new subscription with a new secret; answers it and the secret, to show once."""
    secret = new_standard_secret()
    subscription = Subscription(
        url=url, secret=secret, event_types=list(event_types), description=description
    )
    subscription.full_clean()
    with transaction.atomic():
        subscription.save()
        audit.record(
            user=user, action="subscription.create", subject=f"play subscription {url}"[:200]
        )
    return subscription, secret


def play_changes_heard(changes: PlayChanges) -> None:
    """Told of every change of plays (``heedful.plays.changes``): queue their publishing once
    the change commits, when anyone subscribes."""
    if not Subscription.objects.filter(is_active=True).exists():
        return
    transaction.on_commit(
        partial(_queue_publish, changes.created, changes.changed, changes.closed), robust=True
    )


def outbound_backend() -> str:
    in_background = (
        settings.TASKS_BACKEND == "immediate" and settings.HEEDFUL_WEBHOOKS_IN_BACKGROUND
    )
    return OUTBOUND_TASKS if in_background else "default"


PUBLISH_CHUNK = 500
"""Plays per publishing task: a full scan that changes a large book is published in parts."""


def _queue_publish(created: list[int], changed: list[int], closed: list[int]) -> None:
    from heedful.webhooks.tasks import publish_play_changes_task

    task = publish_play_changes_task.using(backend=outbound_backend())
    for event_type, play_ids in (("created", created), ("changed", changed), ("closed", closed)):
        for start in range(0, len(play_ids), PUBLISH_CHUNK):
            chunk = play_ids[start:start + PUBLISH_CHUNK]
            parts: dict[str, list[int]] = {"created": [], "changed": [], "closed": []}
            parts[event_type] = chunk
            triggers.queue(
                task, parts["created"], parts["changed"], parts["closed"],
                what=f"publishing {len(chunk)} play event(s)",
            )


def envelope(event_type: str, play: Play, at: datetime) -> dict[str, Any]:
    """The documented body of one play event."""
    return {
        "type": event_type,
        "timestamp": at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "data": {
            "id": play.pk,
            **as_contract(play),
            "updated_at": play.updated_at.isoformat(),
            "snoozed_until": play.snoozed_until.isoformat() if play.snoozed_until else None,
            "closed_at": play.closed_at.isoformat() if play.closed_at else None,
            "closed_reason": play.closed_reason or None,
        },
    }


def publish(*, created: list[int], changed: list[int], closed: list[int]) -> list[int]:
    """Store a message per active subscription that wants it and play, and queue their
    delivery; answers the messages' ids."""
    subscriptions = list(Subscription.objects.filter(is_active=True))
    if not subscriptions:
        return []
    plays = Play.objects.select_related("account", "owner").in_bulk([*created, *changed, *closed])
    now = timezone.now()
    messages: list[OutboundMessage] = []
    for event_type, play_ids in (
        (PlayEventType.CREATED, created), (PlayEventType.CHANGED, changed),
        (PlayEventType.CLOSED, closed),
    ):
        for play_id in play_ids:
            play = plays.get(play_id)
            if play is None:
                continue  # deleted since (its account was)
            body = json.dumps(envelope(event_type, play, now), separators=(",", ":"))
            messages.extend(
                OutboundMessage(
                    subscription=subscription, message_id=f"msg_{uuid.uuid4().hex}",
                    event_type=event_type, play=play, body=body, created_at=now,
                )
                for subscription in subscriptions if subscription.wants(event_type)
            )
    with transaction.atomic():
        stored = OutboundMessage.objects.bulk_create(messages, batch_size=500)
        ids = [message.pk for message in stored]
        if any(message_id is None for message_id in ids):  # a database without RETURNING
            ids = list(
                OutboundMessage.objects.filter(
                    message_id__in=[message.message_id for message in messages]
                ).values_list("pk", flat=True)
            )
        for message_id in ids:
            transaction.on_commit(partial(_queue_delivery, message_id), robust=True)
    return ids


def _queue_delivery(message_id: int, run_after: datetime | None = None) -> None:
    from heedful.webhooks.tasks import deliver_message_task

    task = deliver_message_task.using(backend=outbound_backend())
    if run_after is not None:
        task = task.using(run_after=run_after)
    triggers.queue(task, message_id, what=f"delivering play message {message_id}")


def signed_headers(message: OutboundMessage, at: datetime) -> dict[str, str]:
    """Standard Webhooks headers; while a replaced secret is still valid the message carries
    a signature by each (space-separated, as the specification allows)."""
    signatures = [
        standardwebhooks.Webhook(secret).sign(
            msg_id=message.message_id, timestamp=at, data=message.body
        )
        for secret in message.subscription.signing_secrets(timezone.now())
    ]
    return {
        "Content-Type": "application/json",
        "User-Agent": "Heedful",
        "webhook-id": message.message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(signatures),
    }


def replace_secret(*, subscription: Subscription, user: User | None) -> str:
    """Give the subscription a new secret; the old one keeps signing too for
    ``HEEDFUL_WEBHOOK_ROTATION_HOURS``. Answers the new secret, to show once."""
    now = timezone.now()
    secret = new_standard_secret()
    with transaction.atomic():
        locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
        locked.previous_secret = locked.secret
        locked.previous_secret_until = now + timedelta(
            hours=settings.HEEDFUL_WEBHOOK_ROTATION_HOURS
        )
        locked.secret = secret
        locked.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
        audit.record(
            user=user, action="subscription.secret",
            subject=f"play subscription {locked.url}"[:200],
        )
    return secret


def _post(message: OutboundMessage) -> tuple[bool, int | None, str, bool]:
    """One try: delivered, the HTTP status, what went wrong, and whether to try again."""
    url = message.subscription.url
    if urlsplit(url).scheme not in ("http", "https"):
        return False, None, "not an http(s) URL", False
    request = urllib.request.Request(
        url, data=message.body.encode("utf-8"), method="POST",
        headers=signed_headers(message, datetime.now(UTC)),
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            response.read(1024)
            return True, response.status, "", False
    except urllib.error.HTTPError as error:
        retry = error.code >= 500 or error.code in (408, 429)
        return False, error.code, f"HTTP {error.code}", retry
    except Exception as error:
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        return False, None, f"{type(error).__name__}: {reason}"[:300], True


def deliver(*, message_id: int, sleep: Any = time.sleep) -> str:
    """Deliver one message, retrying with exponential backoff; answers ``delivered``,
    ``failed``, ``retrying`` (queued to run later) or the status it already had. Safe to run
    twice: only a pending message is sent."""
    message = OutboundMessage.objects.select_related("subscription").filter(pk=message_id).first()
    if message is None or message.status != MessageStatus.PENDING:
        return message.status if message is not None else "missing"
    from django_tasks import task_backends

    tries = settings.HEEDFUL_OUTBOUND_TRIES
    first_wait = float(settings.HEEDFUL_OUTBOUND_FIRST_BACKOFF_SECONDS)
    while True:
        delivered, status_code, error, worth_retrying = _post(message)
        message.attempts += 1
        OutboundMessage.objects.filter(pk=message.pk).update(
            attempts=F("attempts") + 1, last_status_code=status_code, last_error=error,
        )
        if delivered:
            OutboundMessage.objects.filter(pk=message.pk).update(
                status=MessageStatus.DELIVERED, delivered_at=timezone.now()
            )
            return MessageStatus.DELIVERED
        if not worth_retrying or message.attempts >= tries:
            OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED)
            logger.warning(
                "Play message %s to subscription %s failed after %d tries: %s",
                message.message_id, message.subscription_id, message.attempts, error,
            )
            return MessageStatus.FAILED
        wait = first_wait * 2 ** (message.attempts - 1)
        if task_backends[outbound_backend()].supports_defer:
            _queue_delivery(message.pk, run_after=timezone.now() + timedelta(seconds=wait))
            return "retrying"
        sleep(wait)


def deliver_pending() -> dict[str, int]:
    """Deliver every message still pending (its queued work lost with a stopped process);
    how many ended in each status."""
    outcome: dict[str, int] = {}
    pending = OutboundMessage.objects.filter(status=MessageStatus.PENDING).order_by("id")
    for message_id in list(pending.values_list("pk", flat=True)):
        status = deliver(message_id=message_id)
        outcome[status] = outcome.get(status, 0) + 1
    return outcome
