"""Invoices and the customer's disputes of them."""

from django.db import models

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
