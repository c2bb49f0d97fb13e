"""Customer accounts, their people (contacts), our team on each account, and business news."""

from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from heedful.core.models import reporting_line_problem
from heedful.lib.phones import phone_key
from heedful.lib.text import fold, split_list
from heedful.lib.validators import (
    ValidatedModel,
    dates_in_order,
    on_another_account,
    validate_record_id,
)


class AccountStatus(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    CUSTOMER = "customer", "Customer"
    FORMER = "former", "Former customer"


class Account(ValidatedModel):
    external_id = models.CharField(
        max_length=64, unique=True, validators=[validate_record_id],
        help_text="The id in your CRM.",
    )
    name = models.CharField(max_length=200, db_index=True)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    industry = models.CharField(max_length=100, blank=True, db_index=True)
    segment = models.CharField(max_length=50, blank=True, help_text="e.g. enterprise, mid-market")
    status = models.CharField(
        max_length=20, choices=AccountStatus.choices, default=AccountStatus.CUSTOMER
    )
    # A cache of the owner period running today (team memberships with role owner), written
    # only by heedful.accounts.ownership.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="owned_accounts",
        help_text="The account owner today. Changing it hands the account over from today: the "
        "previous owner's period on the account team ends the day before.",
    )
    phone = models.CharField(max_length=50, blank=True)
    phone_digits = models.CharField(max_length=30, blank=True, db_index=True, editable=False)
    website = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    aliases = models.TextField(
        blank=True, help_text="Other names the customer goes by, separated by ';'."
    )
    aliases_folded = models.TextField(blank=True, default="", db_default="", editable=False)

    class Meta:
        verbose_name = "account"
        ordering = ["name"]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.refresh_derived_fields()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def refresh_derived_fields(self) -> None:
        self.name_folded = fold(self.name)
        self.aliases_folded = fold(self.aliases)
        self.phone_digits = phone_key(self.phone)

    @property
    def alias_list(self) -> list[str]:
        return split_list(self.aliases)


class TeamRole(models.TextChoices):
    OWNER = "owner", "Account owner"
    CSM = "csm", "Customer success manager"
    SE = "se", "Solutions engineer"
    EXECUTIVE_SPONSOR = "executive_sponsor", "Executive sponsor"
    SUPPORT_LEAD = "support_lead", "Support lead"


class TeamMembershipQuerySet(models.QuerySet["TeamMembership"]):
    def active(self, on: date) -> "TeamMembershipQuerySet":
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class TeamMembership(ValidatedModel):
    """Who is on our side of an account, in which role, and when. Ended rows are kept as the
    history of who owned the account when."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    role = models.CharField(max_length=30, choices=TeamRole.choices)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True, help_text="Empty while still on the team.")

    objects = TeamMembershipQuerySet.as_manager()

    checks_across_fields = (dates_in_order("start_date", "end_date"),)

    class Meta:
        verbose_name = "account team membership"
        ordering = ["account", "role", "start_date"]
        indexes = [
            models.Index(fields=["user", "end_date"]),
            models.Index(fields=["account", "role"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "user", "role", "start_date"], name="team_membership_unique"
            ),
            # One running owner per account; the dated owner rows are the ownership history.
            models.UniqueConstraint(
                fields=["account"], condition=Q(role="owner", end_date__isnull=True),
                name="one_running_owner_per_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} on {self.account}"

    def validate_constraints(self, exclude: object = None) -> None:
        """An owner period is merged into the history by ``heedful.accounts.ownership``
        (which ends the previous owner's period and joins a person's overlapping ones): the
        constraints on owner rows hold after it, not before."""
        if self.role != TeamRole.OWNER:
            super().validate_constraints(exclude)  # type: ignore[arg-type]

    def is_active(self, on: date) -> bool:
        started = self.start_date is None or self.start_date <= on
        return started and (self.end_date is None or self.end_date >= on)


class ContactRoleType(models.TextChoices):
    BUSINESS = "business", "Business"
    TECHNICAL = "technical", "Technical"
    EXECUTIVE = "executive", "Executive"
    PROCUREMENT = "procurement", "Procurement"


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video"
    CHAT = "chat", "Chat"


class Contact(ValidatedModel):
    external_id = models.CharField(max_length=64, unique=True, validators=[validate_record_id])
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contacts")
    full_name = models.CharField(max_length=200)
    full_name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    preferred_name = models.CharField(
        max_length=100, blank=True, help_text="What they like to be called, e.g. Rich."
    )
    pronunciation = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True, db_index=True)
    phone = models.CharField(max_length=50, blank=True)
    phone_digits = models.CharField(max_length=30, blank=True, db_index=True, editable=False)
    role_type = models.CharField(
        max_length=20, choices=ContactRoleType.choices, default=ContactRoleType.BUSINESS
    )
    is_key = models.BooleanField(default=False, help_text="A key contact for the relationship.")
    preferred_channel = models.CharField(
        max_length=20, choices=Channel.choices, blank=True,
        help_text="How they want to be reached. An e-mail person is not to be phoned.",
    )
    language = models.CharField(max_length=50, blank=True)
    likes = models.TextField(blank=True, help_text="Separated by ';'.")
    dislikes = models.TextField(blank=True, help_text="Separated by ';'.")
    do_not_contact = models.BooleanField(default=False)
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports",
        help_text="The contact this person reports to, at the same customer: the customer's "
        "org chart.",
    )

    class Meta:
        verbose_name = "contact"
        ordering = ["account", "full_name"]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        """The manager works at the same customer, and reporting lines never go round in a
        circle (the CSV import runs the same rule over a whole file: ``contact_line_problem``)."""
        super().clean()
        if self.reports_to_id is None or self.reports_to is None:
            return
        manager = self.reports_to

        def manager_of(external_id: str) -> str | None:
            return (
                Contact.objects.filter(external_id=external_id)
                .values_list("reports_to__external_id", flat=True)
                .first()
            )

        problem = contact_line_problem(
            external_id=self.external_id, account_id=self.account_id,
            manager_external_id=manager.external_id, manager_account_id=manager.account_id,
            manager_of=manager_of,
        )
        if problem:
            raise ValidationError({"reports_to": problem})

    def save(self, *args: object, **kwargs: object) -> None:
        self.refresh_derived_fields()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def refresh_derived_fields(self) -> None:
        self.full_name_folded = fold(self.full_name)
        self.phone_digits = phone_key(self.phone)
        self.email = (self.email or "").strip().lower()

    @property
    def address_as(self) -> str:
        return self.preferred_name or self.full_name.split(" ")[0]

    @property
    def like_list(self) -> list[str]:
        return split_list(self.likes)

    @property
    def dislike_list(self) -> list[str]:
        return split_list(self.dislikes)


def contact_line_problem(
    *, external_id: str, account_id: int | None, manager_external_id: str,
    manager_account_id: int | None, manager_of: Callable[[str], str | None],
) -> str | None:
    """Why the contact ``manager_external_id`` cannot be the one ``external_id`` reports to:
    a contact of another customer, the same person, or someone who reports (directly or not)
    to them; None when they can. ``manager_of`` answers a contact's manager (by external id)
    as the org chart will be. Users' reporting lines follow the same rule."""
    if manager_account_id != account_id:
        return on_another_account("contact", [manager_external_id])
    return reporting_line_problem(
        username=external_id, manager_username=manager_external_id, manager_of=manager_of
    )


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", "Negative"
    NEUTRAL = "neutral", "Neutral"
    POSITIVE = "positive", "Positive"


class NewsItem(ValidatedModel):
    """Business-health news about a customer, e.g. "closing 30% of its offices"."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="news")
    occurred_on = models.DateField()
    sentiment = models.CharField(max_length=10, choices=Sentiment.choices)
    headline = models.CharField(max_length=500)

    class Meta:
        verbose_name = "business news"
        verbose_name_plural = "business news"
        ordering = ["-occurred_on"]
        indexes = [models.Index(fields=["account", "occurred_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "occurred_on", "headline"], name="news_item_unique"
            )
        ]

    def __str__(self) -> str:
        return self.headline
