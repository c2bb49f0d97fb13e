"""Plays: explained, prioritised things an account team should do, found by the rules in
``heedful.plays.rules``; their history (``PlayEvent``) and what an admin overrode of the rules'
thresholds (``RuleSetting``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from heedful.accounts.models import Account


class PlayStatus(models.TextChoices):
    OPEN = "open", "Open"
    SNOOZED = "snoozed", "Snoozed"
    DONE = "done", "Done"
    DISMISSED = "dismissed", "Dismissed"


ACTIVE_PLAY_STATUSES = (PlayStatus.OPEN, PlayStatus.SNOOZED)


class ClosedReason(models.TextChoices):
    MARKED_DONE = "marked done", "Marked done"
    DISMISSED = "dismissed", "Dismissed"
    CONDITION_CLEARED = "condition cleared", "Condition cleared"
    RULE_TURNED_OFF = "rule turned off", "Rule turned off"


# A play closed by a person for a rule, subject and period is not raised again for the same
# ones; a play closed by the engine (condition cleared, rule off) comes back if the
# condition does.
CLOSED_BY_A_PERSON = (ClosedReason.MARKED_DONE, ClosedReason.DISMISSED)


class Play(models.Model):
    # A full scan writes hundreds of thousands of plays: every index costs. The foreign keys'
    # own indexes are left out where a composite index in Meta starts with the same column.
    rule = models.CharField(max_length=64, help_text="The rule that raised it, e.g. billing.spike.")
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="plays", db_index=False
    )
    subject = models.CharField(
        max_length=200,
        help_text='What the play is about within the account, e.g. "invoice:INV-1" or "account".',
    )
    period = models.TextField(
        blank=True,
        help_text="Which occurrence of the condition, e.g. a contract's end date; a dismissed "
        "play does not come back for the same rule, subject and period. A play that names "
        "several parts (cold contacts, product families) lists each part's subject and period "
        "here, and a dismissal holds for each.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="plays", help_text="Who should act: the account owner unless the rule says.",
        db_index=False,
    )
    priority = models.PositiveSmallIntegerField(help_text="0 to 100; higher comes first.")
    urgent = models.BooleanField(default=False, help_text="Urgent plays notify the owner at once.")
    title = models.CharField(max_length=300)
    explanation = models.TextField(help_text="Why, with the numbers the rule used.")
    facts = models.JSONField(
        default=dict, blank=True,
        help_text="The numbers and dates behind the explanation (amounts as strings, ISO dates).",
    )
    suggested_action = models.TextField()
    status = models.CharField(
        max_length=10, choices=PlayStatus.choices, default=PlayStatus.OPEN
    )
    snoozed_until = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True, help_text="What happened, when marked done.")
    dismiss_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(
        max_length=30, choices=ClosedReason.choices, blank=True,
    )

    class Meta:
        verbose_name = "play"
        ordering = ["-priority", "created_at"]
        indexes = [
            models.Index(fields=["owner", "status", "priority"]),
            models.Index(fields=["account", "status"]),
            models.Index(fields=["rule", "status"]),
            # A rep's plays done, dismissed and left in a period (the scorecard's customer
            # engagement), counted from the index alone.
            models.Index(
                fields=["owner", "status", "created_at", "closed_at", "closed_reason"],
                name="play_owner_outcomes",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "account", "subject"],
                condition=Q(status__in=["open", "snoozed"]),
                name="play_one_active_per_rule_and_subject",
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=0, priority__lte=100), name="play_priority_0_to_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.subject}: {self.title}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_PLAY_STATUSES


class PlayAction(models.TextChoices):
    CREATED = "created", "Created"  # no longer written (a play's created_at says it); kept
    # for the events of plays raised before that change
    UPDATED = "updated", "Updated"
    AUTO_CLOSED = "auto_closed", "Closed by itself"
    DONE = "done", "Marked done"
    SNOOZED = "snoozed", "Snoozed"
    DISMISSED = "dismissed", "Dismissed"
    REOPENED = "reopened", "Reopened"
    NOTIFIED = "notified", "Notified"


class PlayEvent(models.Model):
    """One change of a play: who (empty for the engine), when, what."""

    play = models.ForeignKey(
        Play, on_delete=models.CASCADE, related_name="events", db_index=False  # see Meta
    )
    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="play_events", help_text="Empty when the engine made the change.",
    )
    action = models.CharField(max_length=20, choices=PlayAction.choices)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "play event"
        ordering = ["play", "at", "id"]
        indexes = [models.Index(fields=["play", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class RuleSetting(models.Model):
    """What an admin overrode of one rule: switched it off, or changed thresholds. Only the
    overrides are stored (a rule nobody changed has no row); everything else follows the
    rule's defaults in the code. ``plays.services.get_rule_settings`` gives the effective
    values."""

    rule = models.CharField(max_length=64, unique=True)
    enabled = models.BooleanField(default=True, help_text="Switched off by an admin when unticked.")
    thresholds = models.JSONField(
        default=dict, blank=True,
        help_text="Only the numbers an admin changed, e.g. {\"change_percent\": 40}; "
        "every other threshold follows the rule's default in the code.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "rule setting"
        ordering = ["rule"]

    def __str__(self) -> str:
        return self.rule

    def clean(self) -> None:
        from heedful.plays.rules import RULES_BY_KEY

        rule = RULES_BY_KEY.get(self.rule)
        if rule is None:
            raise ValidationError({"rule": f"{self.rule!r} is not a rule key."})
        if not isinstance(self.thresholds, dict):
            raise ValidationError({"thresholds": "Expected an object of name: number."})
        errors = []
        for name, value in self.thresholds.items():
            if name not in rule.defaults:
                errors.append(f"{name!r} is not a threshold of {rule.key} "
                              f"(known: {', '.join(sorted(rule.defaults))}).")
            elif isinstance(value, bool) or not isinstance(value, int | float):
                errors.append(f"{name!r} must be a number, not {value!r}.")
            elif value < 0:
                errors.append(f"{name!r} must not be negative.")
        if errors:
            raise ValidationError({"thresholds": errors})


class DigestSent(models.Model):
    """A user's daily digest for one day: claimed by the run that sends it, then marked sent.
    ``heedful digest`` run twice sends once; the claim of a run that died while sending is
    taken over by a later run (``notifications.DIGEST_CLAIM_STALE``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests_sent"
    )
    day = models.DateField()
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty while it is being sent (or if that run died)."
    )
    plays = models.PositiveIntegerField(help_text="How many plays the e-mail listed.")

    class Meta:
        verbose_name = "digest sent"
        verbose_name_plural = "digests sent"
        ordering = ["-day", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_user_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"
