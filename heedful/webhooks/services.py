"""Receiving webhooks: check, store once, answer; apply after the commit; the inbox of events
that wait for their account; secrets and their rotation.

``receive`` does only what the answer needs (a signature check, one INSERT keyed by the
sender's event id) and queues ``apply`` with ``transaction.on_commit``: on the embedded
default the ``webhooks`` tasks backend (a thread in the same process, events one after
another) applies it, with ``HEEDFUL_TASKS_BACKEND=database`` a worker does. An event stays
stored until it is applied, so one whose work was lost (a restart) is replayed from the
admin, as is any other.
"""

import functools
import hashlib
import json
import logging
import secrets as random_secrets
from base64 import b64encode
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from heedful.accounts.models import Account, Contact
from heedful.core import audit
from heedful.core.exceptions import InvalidInput, NotAllowed, NotFound
from heedful.core.models import User
from heedful.plays import triggers
from heedful.webhooks import records, senders
from heedful.webhooks.models import (
    AccountLink,
    EmailDomain,
    EventStatus,
    ReceivedEvent,
    SigningSecret,
    SourceKind,
    WebhookSource,
)
from heedful.webhooks.verification import Refused, verify

logger = logging.getLogger(__name__)

INTAKE_TASKS = "webhooks"
"""The tasks backend that applies received events on the embedded default (settings.py)."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


# -- the door ------------------------------------------------------------------------------


def receive(*, source_name: str, body: bytes, headers: Mapping[str, str]) -> Answer:
    """Check a delivery to ``/webhooks/<source_name>/`` and store it once.

    Answers 202 for a new event (applied after the commit), 200 for one already received
    (the same id and body: applied once), 401 for a forged or expired signature, 400 for a
    signed body that is not an event, 409 for an id received before with another body, 404
    for no such active source. Only a new event is stored whole; the rest are logged.

    A sender waits for this answer (and retries when it is slow), so a new event costs two
    statements: one SELECT of the source with its secrets, one INSERT (bench/README.md)."""
    now = timezone.now()
    rows = _source_with_secrets(source_name)
    if not rows:
        return Answer(404, {"detail": f"No webhook source {source_name!r}."})
    source_id, kind = rows[0][0], rows[0][1]
    valid = [
        secret for _, _, secret, retires_at in rows
        if secret is not None and (retires_at is None or _aware(retires_at) > now)
    ]
    digest = _hash(body)
    try:
        verified = verify(kind, body=body, headers=headers, secrets=valid)
    except Refused as refusal:
        ReceivedEvent.objects.create(
            source_id=source_id, status=EventStatus.REFUSED, reason=refusal.reason[:1000],
            event_id=_claimed_id(headers), body_hash=digest,
        )
        return Answer(refusal.status, {"detail": refusal.reason})
    event = _insert_once(ReceivedEvent(
        source_id=source_id, key=verified.event_id, event_id=verified.event_id,
        event_type=verified.event_type, status=EventStatus.RECEIVED,
        body=body.decode("utf-8", errors="replace"), body_hash=digest,
    ))
    if event is None:
        return _repeated(source_id, verified.event_id, verified.event_type, digest)
    transaction.on_commit(partial(queue_apply, event.pk), robust=True)
    return Answer(202, {"status": "accepted", "event_id": verified.event_id})


_NAME = "\x00the source's name\x00"
"""Stands for the name while the door's query is compiled (a value no source is named)."""


@functools.cache
def _source_query(alias: str) -> str:
    """The SQL of the door's read (an active source by name, each of its secrets with when it
    retires), compiled by the ORM from the models once per process and database. Compiling
    and running the queryset each delivery took 0.47 ms of CPU against 0.09 ms for sending
    the same SQL (bench/README.md): a sixth of what the server spends on a delivery."""
    query = (
        WebhookSource.objects.using(alias).filter(name=_NAME, is_active=True).order_by()
        .values_list("pk", "kind", "secrets__secret", "secrets__retires_at").query
    )
    sql, params = query.get_compiler(alias).as_sql()
    if tuple(params) != (_NAME,):  # the name must be the query's one parameter
        raise RuntimeError(f"The webhook door's query changed its parameters: {params!r}")
    return str(sql)


def _source_with_secrets(name: str) -> list[tuple[Any, ...]]:
    """(source id, kind, secret, retires at) for each secret of the active source ``name``
    (one row with no secret when it has none); no row when there is no such source."""
    alias = router.db_for_read(WebhookSource)
    with connections[alias].cursor() as cursor:
        cursor.execute(_source_query(alias), [name])
        return list(cursor.fetchall())


def _aware(moment: datetime | str) -> datetime:
    """A time as the ORM would have read it: SQLite gives a naive UTC time (or its text)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _insert_once(event: ReceivedEvent) -> ReceivedEvent | None:
    """INSERT ``event``; None when its key was taken (the unique constraint holds it). Outside
    a transaction the one statement is atomic by itself, so it is sent alone: no BEGIN,
    SAVEPOINT, RELEASE and COMMIT around it. Inside one (a test, a caller's atomic block) a
    savepoint keeps that transaction usable after a refused INSERT."""
    inside = transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic() if inside else nullcontext():
            event.save(force_insert=True)
    except IntegrityError:
        return None
    return event


def _hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _claimed_id(headers: Mapping[str, str]) -> str:
    lowered = {name.lower(): value for name, value in headers.items()}
    claimed = lowered.get("webhook-id") or lowered.get("x-zendesk-webhook-invocation-id") or ""
    return claimed[:200]


def _repeated(source_id: int, event_id: str, event_type: str, digest: str) -> Answer:
    original = ReceivedEvent.objects.get(source_id=source_id, key=event_id)
    if original.body_hash != digest:
        reason = "This event id was received before with another body; nothing was changed."
        ReceivedEvent.objects.create(
            source_id=source_id, event_id=event_id, event_type=event_type,
            status=EventStatus.REFUSED, reason=reason, body_hash=digest, duplicate_of=original,
        )
        return Answer(409, {"detail": reason})
    ReceivedEvent.objects.create(
        source_id=source_id, event_id=event_id, event_type=event_type,
        status=EventStatus.DUPLICATE, body_hash=digest, duplicate_of=original,
    )
    return Answer(200, {"status": "duplicate", "event_id": event_id})


def intake_backend() -> str:
    """Where received events are applied: the ``webhooks`` thread of this process with the
    immediate backend (so the sender's answer never waits for the work), else the workers."""
    in_background = (
        settings.TASKS_BACKEND == "immediate" and settings.HEEDFUL_WEBHOOKS_IN_BACKGROUND
    )
    return INTAKE_TASKS if in_background else "default"


def queue_apply(event_id: int) -> None:
    from heedful.webhooks.tasks import apply_event_task

    triggers.queue(
        apply_event_task.using(backend=intake_backend()), event_id,
        what=f"applying webhook event {event_id}",
    )


def wait_for_intake(timeout: float | None = None) -> bool:
    """Wait until the events queued in this process are applied (or ``timeout`` passes)."""
    from django_tasks import task_backends

    if INTAKE_TASKS not in settings.TASKS:
        return True
    wait = getattr(task_backends[INTAKE_TASKS], "wait", None)
    return True if wait is None else bool(wait(timeout))


# -- applying ------------------------------------------------------------------------------


def apply(*, event_id: int) -> str:
    """Apply a received event: write its record through the kind's services, or put it in the
    inbox when its account is not known. Safe to run twice: only a ``received`` event is
    applied. Answers the event's status afterwards."""
    with transaction.atomic():
        event = (
            ReceivedEvent.objects.select_for_update(of=("self",))
            .select_related("source__acting_user").filter(pk=event_id).first()
        )
        if event is None:
            return "missing"
        if event.status == EventStatus.RECEIVED:
            _apply_locked(event)
        return event.status


APPLY_BATCH = 50
"""At most this many received events are applied in one transaction, with one evaluation of
the plays of the accounts they touched (a burst costs one scan per batch, not one per event)."""


def apply_batch(*, event_id: int) -> str:
    """Apply ``event_id`` and with it up to ``APPLY_BATCH - 1`` other received events, oldest
    first, in one transaction; the plays of the accounts they touched are evaluated once,
    after the commit. Events another process is applying are left to it (skipped while they
    are locked, on PostgreSQL). Each event is applied in a savepoint of its own: one that
    fails unexpectedly stays received (logged, for ``heedful webhooks resume``) and the rest
    are applied. Safe to run twice. Answers the status of ``event_id`` afterwards ("received"
    while another process applies it; "missing" when there is no such event).

    During a burst most of these tasks find their event applied already by an earlier batch,
    so the events to apply are chosen (and locked) by id first, in two light reads: a task
    with nothing left to do costs those two, not two reads of whole events with their source
    and its user (bench/README.md)."""
    with transaction.atomic(), triggers.gathered():
        locking = ReceivedEvent.objects.select_for_update(skip_locked=True).order_by()
        own = locking.filter(pk=event_id).values_list("status", flat=True).first()
        ids = [event_id] if own == EventStatus.RECEIVED else []
        ids += locking.filter(status=EventStatus.RECEIVED).exclude(pk=event_id).order_by(
            "received_at", "id"
        ).values_list("pk", flat=True)[: APPLY_BATCH - len(ids)]
        batch = list(
            ReceivedEvent.objects.filter(pk__in=ids).select_related("source__acting_user")
            .order_by("received_at", "id")  # in the order received, as one at a time would be
        ) if ids else []
        known = _AppliedSubjects.of(batch)
        for event in batch:
            try:
                with transaction.atomic():
                    _apply_locked(event, applied=known)
            except Exception:
                logger.exception("Webhook event %s could not be applied", event.pk)
    if own is not None:
        return next((event.status for event in batch if event.pk == event_id), own)
    # locked by another process (applying it), or no such event
    stored = ReceivedEvent.objects.filter(pk=event_id).values_list("status", flat=True).first()
    return stored or "missing"


def apply_pending() -> dict[str, int]:
    """Apply every event still ``received`` (its queued work lost with a stopped process), in
    the order received; how many ended in each status."""
    outcome: dict[str, int] = {}
    pending = ReceivedEvent.objects.filter(status=EventStatus.RECEIVED).order_by(
        "received_at", "id"
    )
    for event_id in list(pending.values_list("pk", flat=True)):
        status = apply(event_id=event_id)
        outcome[status] = outcome.get(status, 0) + 1
    return outcome


@dataclass
class _AppliedSubjects:
    """Which of a batch's records (source, subject) have an applied event: read once for the
    batch, then kept as its events are applied. A record with none has no newer event applied
    over which an older one could land, so its events skip ``_newer_applied``'s read (one
    query an event in a burst of new tickets, bench/README.md); the others ask it as before.
    (An event about the same record that another worker applies and commits while this batch
    runs is not seen, as it was not before between the read and this batch's commit.)"""

    readings: dict[int, senders.Reading | Exception]
    subjects: set[tuple[int, str]]

    @classmethod
    def of(cls, batch: list[ReceivedEvent]) -> "_AppliedSubjects":
        readings: dict[int, senders.Reading | Exception] = {}
        for event in batch:
            try:
                readings[event.pk] = _read(event)
            except Exception:  # noqa: BLE001 - read again when applied, in its savepoint,
                pass  # where what breaks is logged and the event stays received
        wanted = {
            _subject(reading.write) for reading in readings.values()
            if not isinstance(reading, Exception) and reading.write is not None
        } - {""}
        subjects = set(
            ReceivedEvent.objects.filter(
                source_id__in={event.source_id for event in batch}, subject__in=wanted,
                status=EventStatus.APPLIED,
            ).values_list("source_id", "subject").order_by().distinct()
        ) if wanted else set()
        return cls(readings=readings, subjects=subjects)

    def may_have_newer(self, event: ReceivedEvent) -> bool:
        return event.pk not in self.readings or (event.source_id, event.subject) in self.subjects


_UNREADABLE = (json.JSONDecodeError, senders.Unreadable, AttributeError, TypeError)


def _read(event: ReceivedEvent) -> senders.Reading | Exception:
    try:
        payload = json.loads(event.body)
        return senders.read(event.source.kind, event_type=event.event_type, payload=payload)
    except _UNREADABLE as error:
        return error


def _subject(write: senders.Write) -> str:
    return f"{write.kind}:{write.key}"[:200] if write.key else ""


def _apply_locked(
    event: ReceivedEvent, account: Account | None = None, *,
    applied: _AppliedSubjects | None = None,
) -> None:
    """Apply ``event`` (locked, in a transaction) on ``account``, or the account its content
    leads to; record the outcome on the event. ``applied``: what its batch read already."""
    source = event.source
    user = source.acting_user
    reading = applied.readings.get(event.pk) if applied is not None else None
    if reading is None:
        reading = _read(event)
    if isinstance(reading, Exception):
        _finish(event, EventStatus.REJECTED, f"The event cannot be read: {reading}")
        return
    event.customer_id = (reading.customer_ids or [""])[0][:200]
    write = reading.write
    if write is None:
        _finish(event, EventStatus.IGNORED, reading.ignored)
        return
    event.subject = _subject(write)
    event.occurred_at = reading.occurred_at
    newer = (
        _newer_applied(event) if applied is None or applied.may_have_newer(event) else None
    )
    if newer is not None:
        _finish(event, EventStatus.IGNORED, f"Older than event {newer.event_id}, applied already "
                f"about the same record ({event.subject}): not applied over it.")
        return
    resource = records.resources()[write.kind]
    needs_account = (
        not write.delete and "account_external_id" in resource.create_schema.model_fields
    )
    if needs_account:
        account = account or find_account(source=source, reading=reading, user=user)
        if account is None:
            event.account = None
            _finish(event, EventStatus.WAITING, _no_account(reading))
            return
        write = replace(write, data={**write.data, "account_external_id": account.external_id})
        event.account = account
    try:
        with transaction.atomic():  # a refused record writes nothing
            record = records.upsert(write, user=user)
    except (InvalidInput, NotAllowed, NotFound) as error:
        _finish(event, EventStatus.REJECTED, _reasons(error))
        return
    if record is not None:
        event.record = audit.subject_of(record)
        event.account = event.account or getattr(record, "account", None)
    else:
        event.record = f"{write.kind} {write.key} (deleted)"[:200]
    _finish(event, EventStatus.APPLIED, "")
    if applied is not None and event.subject:
        applied.subjects.add((event.source_id, event.subject))


def _newer_applied(event: ReceivedEvent) -> ReceivedEvent | None:
    """An applied event of the same source about the same record that happened later: senders
    do not promise order (a retry of an old event may arrive after a new one)."""
    if not event.subject or event.occurred_at is None:
        return None
    return (
        ReceivedEvent.objects.filter(
            source_id=event.source_id, subject=event.subject, status=EventStatus.APPLIED,
            occurred_at__gt=event.occurred_at,
        ).exclude(pk=event.pk).order_by("-occurred_at").first()
    )


def _finish(event: ReceivedEvent, status: str, reason: str) -> None:
    event.status = status
    event.reason = reason[:2000]
    event.applied_at = timezone.now() if status == EventStatus.APPLIED else None
    event.save(update_fields=[
        "status", "reason", "applied_at", "customer_id", "account", "record", "subject",
        "occurred_at",
    ])


def _reasons(error: Exception) -> str:
    errors = getattr(error, "errors", None) or {}
    detail = "; ".join(f"{name}: {' '.join(reasons)}" for name, reasons in errors.items())
    return f"{error} {detail}".strip() if detail and detail not in str(error) else str(error)


def _no_account(reading: senders.Reading) -> str:
    named = [f"account {reading.named_account}"] if reading.named_account else []
    customers = [f"customer {customer}" for customer in reading.customer_ids]
    emails = [f"e-mail {email}" for email in reading.emails]
    said = ", ".join([*named, *customers, *emails]) or "nothing that names a customer"
    return f"No account is known for {said}: choose one for this event in the admin."


def find_account(
    *, source: WebhookSource, reading: senders.Reading, user: User
) -> Account | None:
    """The account an event is on: the one the payload names, the one its customer is linked
    to, the one its record is on already, the one whose contact has the e-mail address, or
    the one that owns the address's domain; None when none of these says."""
    if reading.named_account:
        named = Account.objects.filter(external_id=reading.named_account).first()
        if named is not None:
            return named
    if reading.customer_ids:
        links = {
            link.customer_id: link.account
            for link in AccountLink.objects.filter(
                source=source, customer_id__in=reading.customer_ids
            ).select_related("account")
        }
        for customer_id in reading.customer_ids:
            if customer_id in links:
                return links[customer_id]
    write = reading.write
    if write is not None and write.key:
        resource = records.resources()[write.kind]
        holding = resource.get_all(user=user).filter(**{resource.key: write.key}).first()
        account = getattr(holding, "account", None)
        if isinstance(account, Account):
            return account
    for email in reading.emails:
        by_contact = set(
            Contact.objects.filter(email__iexact=email).values_list("account_id", flat=True)
        )
        if len(by_contact) == 1:
            return Account.objects.get(pk=by_contact.pop())
        domain = email.rpartition("@")[2].strip().lower()
        by_domain = EmailDomain.objects.filter(domain=domain).select_related("account").first()
        if by_domain is not None:
            return by_domain.account
    return None


# -- what an admin does --------------------------------------------------------------------


def resolve(*, event: ReceivedEvent, account: Account, user: User) -> list[ReceivedEvent]:
    """Put a waiting event on ``account`` and apply it. Its customer is linked to the account
    from now on, so the other events of that customer that wait are applied with it, and later
    ones go there by themselves. Answers the events applied (or rejected)."""
    with transaction.atomic():
        if event.customer_id:
            AccountLink.objects.update_or_create(
                source=event.source, customer_id=event.customer_id,
                defaults={"account": account},
            )
            waiting = ReceivedEvent.objects.filter(
                source=event.source, customer_id=event.customer_id, status=EventStatus.WAITING
            )
        else:
            waiting = ReceivedEvent.objects.filter(pk=event.pk, status=EventStatus.WAITING)
        done = list(
            waiting.select_for_update(of=("self",))
            .select_related("source__acting_user").order_by("received_at", "id")
        )
        for item in done:
            _apply_locked(item, account=account)
        audit.record(
            user=user, action="webhookevent.resolve",
            subject=f"webhook event {event.source.name} {event.event_id}"[:200],
            detail={"account": account.external_id, "customer_id": event.customer_id,
                    "events": [item.pk for item in done]},
        )
    return done


def replay(*, event: ReceivedEvent, user: User) -> ReceivedEvent:
    """Apply a stored event again, now (after a fix to a record or a link). Its record is
    written as an upsert, so applying twice changes nothing more than once."""
    if event.key is None:
        raise InvalidInput(
            "Only a stored event can be replayed; refused deliveries and duplicates keep no "
            "body.", {"event": ["not stored"]},
        )
    with transaction.atomic():
        locked = (
            ReceivedEvent.objects.select_for_update(of=("self",))
            .select_related("source__acting_user").get(pk=event.pk)
        )
        _apply_locked(locked)
        audit.record(
            user=user, action="webhookevent.replay",
            subject=f"webhook event {locked.source.name} {locked.event_id}"[:200],
            detail={"status": locked.status},
        )
    return locked


def new_standard_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + b64encode(random_secrets.token_bytes(32)).decode()


def add_secret(
    *, source: WebhookSource, secret: str = "", user: User | None
) -> tuple[SigningSecret, str]:
    """Start signing with a new secret: the sender's own (Zendesk and Stripe make theirs), or
    for Heedful's JSON a new one when none is given. The current secret stays valid for
    ``HEEDFUL_WEBHOOK_ROTATION_HOURS`` (so the sender can switch without losing events), any
    older one stops at once: at most two are valid. Answers the secret, and its raw value to
    show once."""
    raw = secret.strip()
    if not raw:
        if source.kind != SourceKind.HEEDFUL:
            raise InvalidInput(
                f"Paste the signing secret {source.get_kind_display()} shows for this webhook.",
                {"secret": ["This field is required."]},
            )
        raw = new_standard_secret()
    now = timezone.now()
    grace = timedelta(hours=settings.HEEDFUL_WEBHOOK_ROTATION_HOURS)
    with transaction.atomic():
        for current in source.secrets.select_for_update().all():
            if not current.is_valid(now):
                continue
            current.retires_at = now + grace if current.retires_at is None else now
            current.save(update_fields=["retires_at"])
        added = SigningSecret.objects.create(
            source=source, secret=raw, prefix=raw[:8], created_at=now
        )
        audit.record(
            user=user, action="webhooksource.secret",
            subject=f"webhook source {source.name}", detail={"prefix": added.prefix},
        )
    return added, raw
