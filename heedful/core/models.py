"""Our own staff (users), their roles and reporting lines, API tokens and the audit log.

Customer people are ``accounts.Contact``; "account" always means a customer account.
"""

from collections.abc import Callable
from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from heedful.lib import secret_links
from heedful.lib.validators import ValidatedModel


class Role(models.TextChoices):
    REP = "rep", "Rep"
    MANAGER = "manager", "Manager"
    EXECUTIVE = "executive", "Executive"
    ADMIN = "admin", "Admin"


def reporting_line_problem(
    *, username: str, manager_username: str, manager_of: Callable[[str], str | None]
) -> str | None:
    """Why ``manager_username`` cannot be the manager of ``username``: the same person, or
    someone who reports (directly or not) to ``username``; None when they can.
    ``manager_of`` answers a username's manager as the reporting lines will be."""
    if manager_username == username:
        return "A person cannot be their own manager."
    path = [username, manager_username]
    current: str | None = manager_of(manager_username)
    while current is not None and current not in path[1:]:
        path.append(current)
        if current == username:
            return f"Reporting lines would go round in a circle: {' → '.join(path)}."
        current = manager_of(current)
    return None


class Department(models.TextChoices):
    SALES = "sales", "Sales"
    ENGINEERING = "engineering", "Engineering"
    PRODUCT = "product", "Product"
    MARKETING = "marketing", "Marketing"
    FINANCE = "finance", "Finance"
    SUPPORT = "support", "Support"
    LEADERSHIP = "leadership", "Leadership"


class User(AbstractUser, ValidatedModel):
    """One of our own staff. ``role`` alone decides what they may do: the admin site and every
    permission follow from it (``is_staff`` and ``is_superuser`` are read from the role, never
    stored), so a role changed by any path (CSV, API, command, admin) changes every power."""

    full_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(
        max_length=20, choices=Role.choices, default=Role.REP,
        help_text="Reps see their teams' accounts; managers their reports'; executives and "
        "admins see every account.",
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports",
        help_text="Who this person reports to; shown on the account team for feedback.",
    )
    start_date = models.DateField(null=True, blank=True)
    department = models.CharField(
        max_length=20, choices=Department.choices, blank=True,
        help_text="Where the person works: customer time is counted per department.",
    )
    title = models.CharField(max_length=200, blank=True, help_text="Their job title.")
    is_senior = models.BooleanField(
        "senior leader", default=False,
        help_text="A senior leader sponsors at least one customer as executive sponsor; the "
        "sponsor programme lists those who do not yet.",
    )

    class Meta:
        verbose_name = "user"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        super().clean()
        if self.manager_id is None or self.manager is None:
            return

        def manager_of(username: str) -> str | None:
            return (
                User.objects.filter(username=username)
                .values_list("manager__username", flat=True)
                .first()
            )

        problem = reporting_line_problem(
            username=self.username, manager_username=self.manager.username, manager_of=manager_of
        )
        if problem:
            raise ValidationError({"manager": problem})

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def is_staff(self) -> bool:  # type: ignore[override]
        """May open the admin site: admins only."""
        return self.role == Role.ADMIN

    @property
    def is_superuser(self) -> bool:  # type: ignore[override]
        """Holds every permission (rule settings, the admin site's models): admins only."""
        return self.role == Role.ADMIN

    @property
    def sees_every_account(self) -> bool:
        return self.role in (Role.EXECUTIVE, Role.ADMIN)


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for.")
    prefix = models.CharField(max_length=8, help_text="The first characters, to recognise it.")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True,
        help_text="From this moment on the token is refused; empty: it never expires.",
    )

    class Meta:
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    hash = staticmethod(secret_links.token_hash)

    @classmethod
    def issue(
        cls, *, user: User, name: str, expires_at: datetime | None = None
    ) -> tuple["ApiToken", str]:
        raw = "hf_" + secret_links.new_token()
        token = cls.objects.create(
            user=user, name=name, prefix=raw[:8], token_hash=cls.hash(raw), expires_at=expires_at
        )
        return token, raw

    def has_expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


class SharedLink(models.Model):
    """A read-only page for a customer, opened by a link without a login (a meeting's agreed
    action items, a sent service review). Only the SHA-256 of its token is stored: the link
    is shown once to whoever made it. It stops working when it expires or is revoked.
    Concrete links add the record they show (``heedful.core.shared_links`` makes, revokes
    and opens them)."""

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(help_text="From this moment on the link shows nothing.")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    hash = staticmethod(secret_links.token_hash)
    new_token = staticmethod(secret_links.new_token)

    def is_open(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


class AuditEntry(models.Model):
    """Who changed what and when; written by services, never by signals."""

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=50)
    subject = models.CharField(max_length=200)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "audit entry"
        verbose_name_plural = "audit log"
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.subject}"
