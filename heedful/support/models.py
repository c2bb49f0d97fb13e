"""Support tickets, service metrics against SLA targets, and delivered vs contracted scope."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from heedful.accounts.models import Account, Contact
from heedful.lib.validators import (
    ValidatedModel,
    dates_in_order,
    validate_month,
    validate_not_negative,
    validate_record_id,
)


class TicketStatus(models.TextChoices):
    OPEN = "open", "Open"
    PENDING = "pending", "Pending"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


OPEN_TICKET_STATUSES = (TicketStatus.OPEN, TicketStatus.PENDING)


class Ticket(ValidatedModel):
    external_id = models.CharField(max_length=64, unique=True, validators=[validate_record_id])
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="tickets")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    opened_at = models.DateTimeField()
    severity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text="1 is the highest (e.g. phones down), 4 the lowest.",
    )
    subject = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=TicketStatus.choices)
    resolved_at = models.DateTimeField(null=True, blank=True)

    checks_across_fields = (dates_in_order("opened_at", "resolved_at"),)

    class Meta:
        verbose_name = "support ticket"
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["account", "opened_at"]),
            models.Index(fields=["status", "opened_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(severity__gte=1, severity__lte=4), name="ticket_severity_1_to_4"
            )
        ]

    def __str__(self) -> str:
        return f"{self.external_id}: {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TICKET_STATUSES


class ServiceMetric(ValidatedModel):
    """One metric for one month against its SLA target, e.g. first-call resolution 82% vs 90%."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="service_metrics")
    period = models.CharField(
        max_length=7, validators=[validate_month], help_text="The month, YYYY-MM."
    )
    metric = models.CharField(max_length=100)
    target = models.DecimalField(max_digits=14, decimal_places=4)
    actual = models.DecimalField(max_digits=14, decimal_places=4)
    higher_is_better = models.BooleanField(default=True)

    class Meta:
        verbose_name = "service metric"
        ordering = ["account", "metric", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "period", "metric"], name="service_metric_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.period}"

    @property
    def met_target(self) -> bool:
        return target_met(actual=self.actual, target=self.target,
                          higher_is_better=self.higher_is_better)


def target_met(*, actual: Decimal, target: Decimal, higher_is_better: bool) -> bool:
    """Whether a measured value met its target: reaching it counts as meeting it."""
    return actual >= target if higher_is_better else actual <= target


class ScopeRecord(ValidatedModel):
    """Delivered vs contracted volume of one outsourced function in one month."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="scope_records")
    period = models.CharField(
        max_length=7, validators=[validate_month], help_text="The month, YYYY-MM."
    )
    function = models.CharField(max_length=100)
    contracted_quantity = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[validate_not_negative]
    )
    delivered_quantity = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[validate_not_negative]
    )

    class Meta:
        verbose_name = "scope record"
        ordering = ["account", "function", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "period", "function"], name="scope_record_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.function} {self.period}"

    @property
    def overrun_ratio(self) -> float | None:
        if not self.contracted_quantity:
            return None
        return float(self.delivered_quantity / self.contracted_quantity)
