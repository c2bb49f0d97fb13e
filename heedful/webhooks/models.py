"""Webhooks in and out: the systems that send Heedful records (Zendesk, Stripe, anything that
speaks Heedful's own JSON), their signing secrets, which of their customers is which account,
every event received; and the URLs that hear about plays, with every message sent to them."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from heedful.accounts.models import Account
from heedful.plays.models import Play


class SourceKind(models.TextChoices):
    ZENDESK = "zendesk", "Zendesk tickets"
    STRIPE = "stripe", "Stripe invoices"
    HEEDFUL = "heedful", "Heedful JSON (Standard Webhooks)"


class WebhookSource(models.Model):
    """One sender: its address is ``/webhooks/<name>/`` and its kind says how it signs and
    what it sends."""

    name = models.SlugField(
        max_length=50, unique=True,
        help_text="The end of its address: the sender posts to /webhooks/<name>/.",
    )
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="webhook_sources",
        help_text="Records from this source are written as this person (the audit log names "
        "them): an admin or an executive, who sees every account.",
    )
    is_active = models.BooleanField(
        default=True, help_text="Unticked, its address answers 404 and nothing is stored."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "webhook source"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def clean(self) -> None:
        user = getattr(self, "acting_user", None)
        if self.acting_user_id and user is not None and not user.sees_every_account:
            raise ValidationError(
                {"acting_user": "Choose an admin or an executive: a source writes records on "
                 "any account, and a rep sees only their own."}
            )


class SigningSecret(models.Model):
    """A secret the source signs with. Stored as it is (a signature can only be checked with
    the secret itself), never shown after it was added, never logged. After a rotation the
    previous one stays valid until ``retires_at``, so at most two are valid at once."""

    source = models.ForeignKey(WebhookSource, on_delete=models.CASCADE, related_name="secrets")
    secret = models.CharField(max_length=300)
    prefix = models.CharField(max_length=12, help_text="Its first characters, to recognise it.")
    created_at = models.DateTimeField(default=timezone.now)
    retires_at = models.DateTimeField(
        null=True, blank=True, help_text="From this moment on it is refused; empty: current."
    )

    class Meta:
        verbose_name = "signing secret"
        ordering = ["source", "-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    def is_valid(self, now: datetime) -> bool:
        return self.retires_at is None or self.retires_at > now


class AccountLink(models.Model):
    """The sender's id of a customer (a Zendesk organization or requester, a Stripe customer,
    a customer id in Heedful's JSON) and the account it is. Made by an admin, or when an admin
    resolves an event that waited for its account."""

    source = models.ForeignKey(WebhookSource, on_delete=models.CASCADE, related_name="links")
    customer_id = models.CharField(
        max_length=200, help_text="The sender's id, e.g. a Zendesk organization id or cus_…."
    )
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="webhook_links")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "customer of a source"
        ordering = ["source", "customer_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "customer_id"], name="webhook_link_one_account_per_customer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source.name} {self.customer_id} → {self.account}"


class EmailDomain(models.Model):
    """An e-mail domain of one account: an event that names only a person's e-mail address
    (a Stripe invoice's ``customer_email``) is on this account."""

    domain = models.CharField(max_length=200, unique=True, help_text="e.g. example.com")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="email_domains")

    class Meta:
        verbose_name = "e-mail domain"
        ordering = ["domain"]

    def __str__(self) -> str:
        return f"{self.domain} → {self.account}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class EventStatus(models.TextChoices):
    RECEIVED = "received", "Received, being applied"
    APPLIED = "applied", "Applied"
    WAITING = "waiting", "Waiting for an account"
    REJECTED = "rejected", "Rejected: the record was not valid"
    IGNORED = "ignored", "Ignored: a kind of event Heedful does not use"
    REFUSED = "refused", "Refused at the door: signature, time or shape"
    DUPLICATE = "duplicate", "Duplicate of an event received before"


class ReceivedEvent(models.Model):
    """One delivery to a source's address. An event the sender signed is kept whole (its body
    as received, to replay) under its id, once: ``key`` is the sender's event id, unique per
    source. A delivery that is refused, or that repeats an event, is logged without a key."""

    source = models.ForeignKey(WebhookSource, on_delete=models.CASCADE, related_name="events")
    key = models.CharField(
        max_length=200, null=True, blank=True, editable=False,
        help_text="The sender's event id, for the event itself (empty on refused deliveries "
        "and duplicates).",
    )
    event_id = models.CharField(max_length=200, blank=True, help_text="As the sender named it.")
    event_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=EventStatus.choices)
    reason = models.TextField(blank=True, help_text="Why it was refused, rejected or ignored.")
    body = models.TextField(blank=True, help_text="As received (only for signed events).")
    body_hash = models.CharField(max_length=64, blank=True)
    customer_id = models.CharField(
        max_length=200, blank=True, help_text="The sender's id of the customer, if it has one."
    )
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="webhook_events"
    )
    record = models.CharField(
        max_length=200, blank=True, help_text="The record written, e.g. support ticket ZD-1."
    )
    subject = models.CharField(
        max_length=200, blank=True,
        help_text="The record the event is about, as kind:key (tickets:ZD-1): an event older "
        "than one applied about the same record is not applied over it.",
    )
    occurred_at = models.DateTimeField(
        null=True, blank=True, help_text="When it happened at the sender, if the sender says."
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="duplicates"
    )
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "received event"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "key"], condition=Q(key__isnull=False),
                name="webhook_event_once_per_source",
            )
        ]
        indexes = [
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["source", "customer_id", "status"]),
            models.Index(fields=["source", "subject", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.source.name} {self.event_id or '(no id)'} {self.status}"


class PlayEventType(models.TextChoices):
    CREATED = "play.created", "A play was created"
    CHANGED = "play.changed", "A play changed (updated, snoozed, reopened)"
    CLOSED = "play.closed", "A play was closed (done, dismissed, condition cleared)"


class Subscription(models.Model):
    """A URL that hears about plays of every account (a subscription is an admin's: it is not
    limited to what one person may see), signed as Standard Webhooks with its own secret."""

    url = models.URLField(max_length=500, help_text="Where the events are POSTed.")
    description = models.CharField(max_length=200, blank=True)
    secret = models.CharField(
        max_length=100, editable=False, help_text="whsec_…, shown once when it is created."
    )
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="After the secret was replaced, messages are signed with the previous one "
        "too until then, so that the receiver can switch without refusing any.",
    )
    event_types = models.JSONField(
        default=list, blank=True,
        help_text="Which of play.created, play.changed, play.closed it gets; empty: all three.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "play subscription"
        ordering = ["url"]

    def __str__(self) -> str:
        return self.description or self.url

    def clean(self) -> None:
        known = set(PlayEventType.values)
        if not isinstance(self.event_types, list) or not set(self.event_types) <= known:
            raise ValidationError(
                {"event_types": f"A list of some of: {', '.join(sorted(known))}."}
            )

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types

    def signing_secrets(self, now: datetime) -> list[str]:
        """The secrets messages are signed with now: the current one, and the previous one
        while it is still valid."""
        previous = self.previous_secret_until is not None and self.previous_secret_until > now
        return [self.secret, self.previous_secret] if previous and self.previous_secret else [
            self.secret
        ]


class MessageStatus(models.TextChoices):
    PENDING = "pending", "Being delivered"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed after every try"


class OutboundMessage(models.Model):
    """One event sent to one subscription, and how its delivery went (the delivery log). The
    body is stored exactly as signed; retries send it again under the same ``message_id``."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="messages"
    )
    message_id = models.CharField(max_length=64, unique=True, help_text="Its webhook-id.")
    event_type = models.CharField(max_length=20, choices=PlayEventType.choices)
    play = models.ForeignKey(
        Play, null=True, blank=True, on_delete=models.SET_NULL, related_name="webhook_messages"
    )
    body = models.TextField()
    status = models.CharField(
        max_length=20, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "play message sent"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.message_id} {self.event_type} {self.status}"
