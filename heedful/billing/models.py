"""Invoices, the customer's disputes of them, and the exchange rates an admin sets to compare
amounts in different currencies."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from heedful.accounts.models import Account
from heedful.catalog.models import Contract
from heedful.lib.money import amount_field, currency_field
from heedful.lib.validators import (
    ValidatedModel,
    amount_has_currency,
    dates_in_order,
    validate_not_negative,
    validate_record_id,
)


class Invoice(ValidatedModel):
    invoice_number = models.CharField(max_length=64, unique=True, validators=[validate_record_id])
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="invoices")
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.SET_NULL, related_name="invoices"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    issued_on = models.DateField(null=True, blank=True)
    amount = amount_field(help_text="Negative for a credit note.")
    currency = currency_field()

    checks_across_fields = (dates_in_order("period_start", "period_end"), amount_has_currency())

    class Meta:
        verbose_name = "invoice"
        ordering = ["account", "-period_start"]
        indexes = [
            models.Index(fields=["account", "period_start"]),
            models.Index(fields=["contract", "period_start"]),
            # The bill-spike rule's history: bills of one account, contract and currency in
            # date order, with their amounts, read without a sort or a table lookup.
            models.Index(
                fields=["account", "contract", "currency", "period_start", "id", "amount"],
                name="invoice_history_idx",
            ),
            # The currencies in use, read by skipping from one to the next (a handful of
            # index lookups, not a scan of every invoice): which of them lack a rate.
            models.Index(fields=["currency"], name="invoice_currency_idx"),
        ]

    def __str__(self) -> str:
        return self.invoice_number


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Dispute(ValidatedModel):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="disputes")
    opened_on = models.DateField()
    amount = amount_field(
        null=True, blank=True, validators=[validate_not_negative], help_text="The amount disputed."
    )
    status = models.CharField(
        max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    resolved_on = models.DateField(null=True, blank=True)

    checks_across_fields = (dates_in_order("opened_on", "resolved_on"),)

    class Meta:
        verbose_name = "dispute"
        ordering = ["-opened_on"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "opened_on"], name="dispute_unique")
        ]

    def __str__(self) -> str:
        return f"Dispute of {self.invoice} opened {self.opened_on}"


def reporting_currency() -> str:
    """The currency amounts are compared in (``HEEDFUL_REPORTING_CURRENCY``)."""
    return str(settings.HEEDFUL_REPORTING_CURRENCY)


def validate_positive(value: Decimal | None) -> None:
    if value is not None and value <= 0:
        raise ValidationError(
            "A rate must be above zero (%(value)s).", code="not_positive", params={"value": value}
        )


class ExchangeRate(models.Model):
    """What one unit of a currency is worth in the reporting currency, as an admin set it: the
    one rate each list uses to order amounts in different currencies. A rate states the
    reporting currency it converts to, so rates entered for another one never apply."""

    currency = currency_field(
        blank=False, help_text="The currency converted from (ISO 4217, e.g. EUR, JPY)."
    )
    reporting_currency = currency_field(
        blank=False, default=reporting_currency, editable=False,
        help_text="The currency converted to: the reporting currency when the rate was set.",
    )
    rate = models.DecimalField(
        max_digits=20, decimal_places=10, validators=[validate_positive],
        help_text="What one unit of the currency is worth in the reporting currency, e.g. "
        "1.08 for one euro in US dollars, 0.0067 for one yen.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "exchange rate"
        ordering = ["currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "reporting_currency"], name="exchange_rate_one_per_currency",
                violation_error_message="This currency already has a rate.",
            ),
            models.CheckConstraint(
                condition=Q(rate__gt=0), name="exchange_rate_positive",
                violation_error_message="A rate must be above zero.",
            ),
            models.CheckConstraint(
                condition=~Q(currency=F("reporting_currency")),
                name="exchange_rate_not_to_itself",
                violation_error_message="The reporting currency needs no rate: it is worth "
                "itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate.normalize():f} {self.reporting_currency}"

    def clean(self) -> None:
        """The constraints on ``reporting_currency`` said on the currency field: forms leave
        the reporting currency out (it is not chosen), and Django then skips them."""
        if not self.currency:
            return
        if self.currency == self.reporting_currency:
            raise ValidationError({"currency": "The reporting currency needs no rate: it is "
                                   "worth itself."})
        taken = ExchangeRate.objects.filter(
            currency=self.currency, reporting_currency=self.reporting_currency
        ).exclude(pk=self.pk)
        if taken.exists():
            raise ValidationError({"currency": "This currency already has a rate."})
