"""Orders and their shipment."""

from django.db import models

from heedful.accounts.models import Account
from heedful.lib.money import amount_field, currency_field
from heedful.lib.validators import (
    ValidatedModel,
    amount_has_currency,
    dates_in_order,
    validate_not_negative,
    validate_record_id,
)


class Order(ValidatedModel):
    external_id = models.CharField(max_length=64, unique=True, validators=[validate_record_id])
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="orders")
    ordered_on = models.DateField()
    shipped_on = models.DateField(null=True, blank=True, db_index=True)
    delivered_on = models.DateField(null=True, blank=True)
    amount = amount_field(null=True, blank=True, validators=[validate_not_negative])
    currency = currency_field()
    description = models.CharField(max_length=500, blank=True)

    checks_across_fields = (
        dates_in_order("ordered_on", "shipped_on"),
        dates_in_order("shipped_on", "delivered_on"),
        dates_in_order("ordered_on", "delivered_on"),
        amount_has_currency(),
    )

    class Meta:
        verbose_name = "order"
        ordering = ["account", "-ordered_on"]
        indexes = [models.Index(fields=["account", "ordered_on"])]

    def __str__(self) -> str:
        return self.description or self.external_id
