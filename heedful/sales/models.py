"""Opportunities and their stage history."""

from django.conf import settings
from django.db import models

from heedful.accounts.models import Account
from heedful.lib.money import amount_field, currency_field
from heedful.lib.validators import (
    ValidatedModel,
    amount_has_currency,
    dates_in_order,
    required_when,
    validate_not_negative,
    validate_record_id,
)


class Opportunity(ValidatedModel):
    external_id = models.CharField(max_length=64, unique=True, validators=[validate_record_id])
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="opportunities")
    name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opportunities"
    )
    stage = models.CharField(max_length=50)
    amount = amount_field(null=True, blank=True, validators=[validate_not_negative])
    currency = currency_field()
    created_on = models.DateField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    won = models.BooleanField(null=True, blank=True, help_text="Empty while still open.")

    checks_across_fields = (
        required_when(
            "closed_on", lambda opportunity: opportunity.won is not None, reads=("won",),
            reason="Say when it closed, if it was won or lost.",
        ),
        dates_in_order("created_on", "closed_on"),
        amount_has_currency(),
    )

    class Meta:
        verbose_name = "opportunity"
        verbose_name_plural = "opportunities"
        ordering = ["account", "close_date"]
        indexes = [models.Index(fields=["account", "closed_on"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class StageChange(models.Model):
    """Each stage an opportunity entered, and when; written when an import or form moves it."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="stage_changes"
    )
    stage = models.CharField(max_length=50)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "stage change"
        ordering = ["opportunity", "changed_at"]

    def __str__(self) -> str:
        return f"{self.opportunity} → {self.stage}"


class Quota(ValidatedModel):
    """What a rep is to sell in a period (a month, a quarter, a year), set by their manager.
    Coverage and attainment read it through ``services.quota_for``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quotas",
        help_text="The rep who carries the quota.",
    )
    period_start = models.DateField(help_text="The first day of the period.")
    period_end = models.DateField(help_text="The last day of the period.")
    amount = amount_field(validators=[validate_not_negative], help_text="What is to be won.")
    currency = currency_field(blank=False)

    checks_across_fields = (dates_in_order("period_start", "period_end"),)

    class Meta:
        verbose_name = "quota"
        ordering = ["user", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period_start", "period_end"], name="quota_one_per_rep_and_period",
                violation_error_message="This rep already has a quota for this period.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.period_start}..{self.period_end}"
