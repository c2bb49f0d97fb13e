"""Expense reports, only as much as a scorecard and a rule need: when each was due, when it
came in, and how it stood against its budget."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from heedful.lib.money import amount_field, currency_field
from heedful.lib.validators import (
    ValidatedModel,
    amount_has_currency,
    validate_month,
    validate_not_negative,
)


class ExpenseReport(ValidatedModel):
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expense_reports",
        help_text="Whose expenses they are.",
    )
    period = models.CharField(
        max_length=10, validators=[validate_month],
        help_text='The month it covers, e.g. "2026-10".',
    )
    due_on = models.DateField(help_text="The day it is due.")
    submitted_on = models.DateField(null=True, blank=True, help_text="Empty until it comes in.")
    amount = amount_field(
        null=True, blank=True, validators=[validate_not_negative],
        help_text="What was spent; empty until it is known.",
    )
    budget = amount_field(
        null=True, blank=True, validators=[validate_not_negative],
        help_text="What the rep was allowed to spend in the month.",
    )
    currency = currency_field()

    checks_across_fields = (amount_has_currency("amount"), amount_has_currency("budget"))

    class Meta:
        verbose_name = "expense report"
        ordering = ["rep", "-due_on"]
        constraints = [
            models.UniqueConstraint(fields=["rep", "period"], name="expense_report_one_per_period"),
        ]
        indexes = [models.Index(fields=["due_on", "submitted_on"])]

    def __str__(self) -> str:
        return f"{self.rep} {self.period}"

    def days_late(self, as_of: date) -> int:
        """Days past due: on submission if it came in, else as of ``as_of``; 0 if on time."""
        end = self.submitted_on or as_of
        return max(0, (end - self.due_on).days)

    @property
    def is_over_budget(self) -> bool:
        return self.amount is not None and self.budget is not None and self.amount > self.budget


ON_TIME = Q(submitted_on__isnull=False, submitted_on__lte=F("due_on"))
