"""Forecasts as reps submit them: per rep and period, the amounts in Salesforce's forecast
categories, when each was submitted (a resubmission keeps the earlier ones), and the
manager's adjustments kept apart from the rep's own figures."""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from heedful.lib.money import amount_field, currency_field
from heedful.lib.validators import RecordCheck, ValidatedModel, validate_not_negative


class ForecastCategory(models.TextChoices):
    """Salesforce's forecast categories. A submission states the three a rep commits to
    judgement on; "closed" is what is already won and "omitted" is left out of every total."""

    PIPELINE = "pipeline", "Pipeline"
    BEST_CASE = "best_case", "Best case"
    COMMIT = "commit", "Commit"
    OMITTED = "omitted", "Omitted"
    CLOSED = "closed", "Closed"


SUBMITTED_CATEGORIES = (ForecastCategory.COMMIT, ForecastCategory.BEST_CASE,
                        ForecastCategory.PIPELINE)


class ForecastPeriod(models.Model):
    name = models.CharField(
        max_length=10, unique=True, help_text='A quarter ("2026-Q4") or a month ("2026-11").'
    )
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The last day of the period.")
    due_on = models.DateField(help_text="The day every rep's forecast is due.")
    reminder_days = models.PositiveSmallIntegerField(
        default=3, help_text="How many days before the due date a rep who has not submitted "
        "is reminded.",
    )
    currency = currency_field(default="USD")

    class Meta:
        verbose_name = "forecast period"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="forecast_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_closed(self, as_of: date) -> bool:
        return as_of > self.ends_on


def _includes(larger: str, smaller: str, reason: str) -> RecordCheck:
    """``larger`` must be at least ``smaller``: each category includes the one before."""

    def test(record: Any) -> str | None:
        low, high = getattr(record, smaller), getattr(record, larger)
        return reason if low is not None and high is not None and low > high else None

    return RecordCheck(field=larger, reads=(smaller, larger), test=test)


class ForecastSubmission(ValidatedModel):
    """One submission; a resubmission is a new row and the earlier ones stay as history.
    ``is_latest`` marks the one that counts (a partial unique constraint keeps it single)."""

    period = models.ForeignKey(
        ForecastPeriod, on_delete=models.CASCADE, related_name="submissions",
        help_text='The forecast period, by its name ("2026-Q4").',
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forecast_submissions",
        help_text="Whose forecast it is.",
    )
    commit = amount_field(
        validators=[validate_not_negative],
        help_text="What the rep is confident will close in the period.",
    )
    best_case = amount_field(
        validators=[validate_not_negative],
        help_text="Commit plus what could close with things going well.",
    )
    pipeline = amount_field(
        validators=[validate_not_negative],
        help_text="Every open opportunity that may close in the period.",
    )
    currency = currency_field()
    note = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    is_late = models.BooleanField(
        default=False, help_text="Submitted after the period's due date (kept as it was then).",
    )
    is_latest = models.BooleanField(default=True)

    checks_across_fields = (
        _includes("best_case", "commit", "Best case includes commit: make it at least the commit."),
        _includes(
            "pipeline", "best_case",
            "Pipeline includes best case: make it at least the best case.",
        ),
    )

    class Meta:
        verbose_name = "forecast submission"
        ordering = ["period", "rep", "-submitted_at"]
        indexes = [models.Index(fields=["rep", "period", "is_latest"])]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "rep"], condition=Q(is_latest=True),
                name="forecast_one_latest_submission",
            ),
            models.CheckConstraint(
                condition=Q(commit__gte=0, best_case__gte=0, pipeline__gte=0),
                name="forecast_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rep} {self.period}"


def _not_zero(record: Any) -> str | None:
    if record.change is not None and record.change == 0:
        return "Write how much to add (or, with a minus, to take off)."
    return None


class ForecastAdjustment(ValidatedModel):
    """A manager's change to a rep's figure in one category, with the reason; the rep's own
    submission is never changed."""

    period = models.ForeignKey(
        ForecastPeriod, on_delete=models.CASCADE, related_name="adjustments",
        help_text='The forecast period, by its name ("2026-Q4").',
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forecast_adjustments",
        help_text="Whose forecast is adjusted: someone who reports to you.",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(
        max_length=10, choices=[(category.value, category.label) for category in
                                SUBMITTED_CATEGORIES],
    )
    change = amount_field(help_text="Added to the rep's figure; negative to take off.")
    reason = models.TextField(help_text="Why: the rep and your own manager read it.")
    made_at = models.DateTimeField(default=timezone.now)

    checks_across_fields = (
        RecordCheck(field="change", reads=("change",), test=_not_zero, summary="never zero"),
    )

    class Meta:
        verbose_name = "forecast adjustment"
        ordering = ["period", "rep", "made_at"]

    def __str__(self) -> str:
        return f"{self.manager} adjusts {self.rep} {self.period}"
