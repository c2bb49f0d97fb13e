"""Orders and their shipment."""

from django.db import models

from heedful.accounts.models import Account
from heedful.lib.money import amount_field, currency_field


class Order(models.Model):
    external_id = models.CharField(max_length=64, unique=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="orders")
    ordered_on = models.DateField()
    shipped_on = models.DateField(null=True, blank=True, db_index=True)
    delivered_on = models.DateField(null=True, blank=True)
    amount = amount_field(null=True, blank=True)
    currency = currency_field()
    description = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "order"
        ordering = ["account", "-ordered_on"]
        indexes = [models.Index(fields=["account", "ordered_on"])]

    def __str__(self) -> str:
        return self.description or self.external_id
