"""The executive sponsor programme: how often a sponsor should see a customer of each tier,
and a leader's demand to see a customer (which becomes a task for the account owner).

Who sponsors whom is the account team (``TeamMembership`` with role ``executive_sponsor``);
who is senior is ``User.is_senior``. An account's tier is its segment.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from heedful.accounts.models import Account
from heedful.lib.validators import ValidatedModel


class VisitCadence(ValidatedModel):
    """How often the executive sponsor should meet or visit an account of one tier; a tier
    without a row uses ``DEFAULT_CADENCE_DAYS``."""

    segment = models.CharField(
        "tier", max_length=50, unique=True,
        help_text="The accounts' segment, e.g. enterprise, mid-market, smb.",
    )
    visit_every_days = models.PositiveIntegerField(
        "a visit every (days)", validators=[MinValueValidator(7), MaxValueValidator(730)],
        help_text="The longest a sponsor should go without meeting or visiting the customer.",
    )

    class Meta:
        verbose_name = "sponsor visit cadence"
        ordering = ["segment"]

    def __str__(self) -> str:
        return f"{self.segment}: every {self.visit_every_days} days"


DEFAULT_CADENCE_DAYS = {"enterprise": 90, "mid-market": 180, "smb": 365}
"""Until an admin sets a tier's cadence; a tier not named here is visited every 180 days."""
OTHER_TIER_CADENCE_DAYS = 180


class JoinRequest(models.Model):
    """A leader asks to join the next meeting or visit at an account: the account owner's
    task (a play, ``programs.leader_join``) until the leader has met the customer."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="join_requests")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    asked_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True, help_text="What the leader wants to hear.")

    class Meta:
        verbose_name = "request to see a customer"
        ordering = ["-asked_at"]
        indexes = [models.Index(fields=["account", "asked_at"])]

    def __str__(self) -> str:
        return f"{self.leader} asks to see {self.account}"


class SharedPraise(models.Model):
    """Praise a customer gave one of our people, shared on the team page with the
    customer's words, because the customer agreed ("praise in public")."""

    interaction = models.OneToOneField(
        "interactions.Interaction", on_delete=models.CASCADE, related_name="shared_praise",
        help_text="The timeline entry tagged praise.",
    )
    customer_words = models.TextField(
        help_text="What the customer said, as they agreed to share it."
    )
    customer_agreed = models.BooleanField(
        default=False, help_text="The customer agreed that their words be shown to our team."
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField()

    class Meta:
        verbose_name = "praise shared with the team"
        ordering = ["-shared_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(customer_agreed=True),
                                   name="shared_praise_only_with_consent"),
        ]

    def __str__(self) -> str:
        return self.customer_words[:80]
