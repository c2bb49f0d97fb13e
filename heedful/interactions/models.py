"""The timeline of what passed between us and the customer: e-mails, calls, meetings, visits,
notes and chats, with who took part and free tags (renewal, roadmap, praise, a family name)."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q

from heedful.accounts.models import Account, Contact
from heedful.lib.text import split_list
from heedful.lib.validators import ValidatedModel


class InteractionKind(models.TextChoices):
    EMAIL = "email", "E-mail"
    CALL = "call", "Call"
    MEETING = "meeting", "Meeting"
    VISIT = "visit", "Site visit"
    NOTE = "note", "Note"
    CHAT = "chat", "Chat"


class Direction(models.TextChoices):
    INBOUND = "inbound", "Inbound"
    OUTBOUND = "outbound", "Outbound"
    TWO_WAY = "two_way", "Two-way"


TWO_WAY_CONVERSATION = Q(direction=Direction.TWO_WAY) | Q(
    direction="", kind__in=(InteractionKind.CALL, InteractionKind.MEETING, InteractionKind.VISIT)
)
"""A conversation, not a broadcast: marked two-way, or a call, meeting or visit with no
direction recorded. What "last contact" means on every page."""


def normalize_tags(tags: list[str]) -> str:
    """Tags are stored lower-case between semicolons (";renewal;roadmap;") so that a rule can
    ask for one tag with a plain indexed-free ``contains`` in one query on both databases."""
    cleaned = sorted({tag.strip().lower() for tag in tags if tag.strip()})
    return f";{';'.join(cleaned)};" if cleaned else ""


class Interaction(ValidatedModel):
    # The foreign keys' own indexes are left out: the composite indexes in Meta start with them.
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="interactions", db_index=False
    )
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=InteractionKind.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="interactions", help_text="Who on our side took part.", db_index=False,
    )
    contacts = models.ManyToManyField(Contact, blank=True, related_name="interactions")
    subject = models.CharField(max_length=500, blank=True)
    tags = models.CharField(max_length=500, blank=True)
    natural_key = models.CharField(
        max_length=64, unique=True, editable=False,
        help_text="A hash of account, time, kind, user and subject: re-imports update, not add.",
    )

    class Meta:
        verbose_name = "interaction"
        ordering = ["-occurred_at"]
        indexes = [
            # An account's timeline with what the rules ask of each entry (kind, direction, who,
            # tags), so their "has anyone talked to them since..." reads no table rows.
            models.Index(
                fields=["account", "occurred_at", "kind", "direction", "user", "tags"],
                name="interaction_account_timeline",
            ),
            # A person's entries by time, with the kind: the scorecard counts a rep's visits
            # from the index alone.
            models.Index(fields=["user", "occurred_at", "kind"], name="interaction_user_time_kind"),
            # Every account's entries in a window of days (the scorecard's touched in 30 days,
            # two-way in 90, site visits in the quarter) as one range read over all accounts,
            # with the columns those ask, instead of one timeline lookup per account.
            models.Index(
                fields=["occurred_at", "account", "kind", "direction", "user"],
                name="interaction_time_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}: {self.subject}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.natural_key = self.compute_natural_key(
            account_external_id=self.account.external_id,
            occurred_at_iso=self.occurred_at.isoformat(),
            kind=self.kind,
            username=self.user.username if self.user else "",
            subject=self.subject,
        )
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @staticmethod
    def compute_natural_key(
        *, account_external_id: str, occurred_at_iso: str, kind: str, username: str, subject: str
    ) -> str:
        raw = "\x1f".join([account_external_id, occurred_at_iso, kind, username, subject])
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def tag_list(self) -> list[str]:
        return split_list(self.tags)
