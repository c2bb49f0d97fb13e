"""Visits the customer can verify: a field or site visit announced to the customer's contact
ahead of time, with a short code and an unguessable link where the customer checks who is
coming, and says afterwards whether it happened as announced.

"Isn't the fact I'm in a truck enough for you?" No: the visitor's name, role and face, the
work order and the window, and a number of ours to call that is not the visitor's.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models

from heedful.accounts.models import Account, Channel, Contact
from heedful.lib.validators import RecordCheck, ValidatedModel, dates_in_order

ANNOUNCE_AHEAD_HOURS = 24
"""A visit announced less than this long before its window starts is flagged as late."""
ANSWER_DAYS_AFTER = 14
"""How long after its window the customer may still say whether the visit happened."""
WRONG_CODES_ALLOWED = 10
"""After this many wrong codes the link refuses every code (as it refuses a wrong one)."""


class HappenedAsAnnounced(models.TextChoices):
    YES = "yes", "Yes, as announced"
    NO = "no", "No, something was different"


def _window_length(visit: "Visit") -> str | None:
    if visit.window_start and visit.window_end and (
        visit.window_end - visit.window_start > timedelta(hours=12)
    ):
        return "A visit's window is at most 12 hours: the customer needs to know when."
    return None


class Visit(ValidatedModel):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="visits")
    contact = models.ForeignKey(
        Contact, on_delete=models.RESTRICT, related_name="visits_announced",
        help_text="The customer's person the visit is announced to.",
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits",
        help_text="Who goes.",
    )
    visitor_role = models.CharField(
        max_length=200, help_text="What the customer is told the visitor does, e.g. Field "
        "engineer.",
    )
    photo = models.BinaryField(blank=True, default=b"", editable=False)
    photo_type = models.CharField(max_length=20, blank=True, editable=False)
    work_order = models.CharField(
        max_length=100, help_text="The work order the visitor carries, e.g. WO-2291."
    )
    purpose = models.CharField(max_length=500, help_text="Why we come, in the customer's words.")
    window_start = models.DateTimeField("arrives from")
    window_end = models.DateTimeField("arrives by")
    our_phone = models.CharField(
        max_length=50, help_text="A number of ours the customer can call to check: never the "
        "visitor's own.",
    )
    internal_notes = models.TextField(blank=True, help_text="For us; never shown to the customer.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    wrong_codes = models.PositiveIntegerField(default=0, editable=False)
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    announced_by = models.CharField(
        max_length=20, choices=Channel.choices, blank=True, editable=False,
        help_text="The channel the announcement went by: the contact's preferred one.",
    )
    happened = models.CharField(
        max_length=5, choices=HappenedAsAnnounced.choices, blank=True, editable=False,
        help_text="What the customer answered after the visit.",
    )
    customer_comment = models.TextField(blank=True, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    checks_across_fields = (
        dates_in_order("window_start", "window_end"),
        RecordCheck(field="window_end", reads=("window_start", "window_end"),
                    test=_window_length),
    )

    class Meta:
        verbose_name = "verifiable visit"
        ordering = ["-window_start"]
        indexes = [models.Index(fields=["account", "window_start"])]

    def __str__(self) -> str:
        return f"{self.work_order} at {self.account}"

    def announce_by(self) -> datetime:
        """The latest moment the announcement is in time."""
        return self.window_start - timedelta(hours=ANNOUNCE_AHEAD_HOURS)

    def is_announced_in_time(self) -> bool:
        return self.announced_at is not None and self.announced_at <= self.announce_by()

    def is_flagged(self, now: datetime) -> bool:
        """Not announced in time: announced late, or not yet announced past the deadline."""
        if self.announced_at is None:
            return now > self.announce_by()
        return not self.is_announced_in_time()

    def shows_visitor(self, now: datetime) -> bool:
        """The visitor's details are shown from the announcement until the window ends."""
        return self.announced_at is not None and now < self.window_end

    def takes_answer(self, now: datetime) -> bool:
        """After the window starts, for ``ANSWER_DAYS_AFTER`` days past its end, the customer
        may say whether it happened as announced (once)."""
        return (
            self.announced_at is not None and self.window_start <= now
            and now < self.window_end + timedelta(days=ANSWER_DAYS_AFTER)
        )

    def is_open(self, now: datetime) -> bool:
        return self.shows_visitor(now) or self.takes_answer(now)
