"""What we sell and what each customer owns: products, releases, holdings, contracts, and the
adverse changes (price increases, end of support) we must tell them about in person first."""

from datetime import date

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


class ProductFamily(ValidatedModel):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        verbose_name = "product family"
        verbose_name_plural = "product families"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Product(ValidatedModel):
    sku = models.CharField(max_length=64, unique=True, validators=[validate_record_id])
    name = models.CharField(max_length=200)
    family = models.ForeignKey(ProductFamily, on_delete=models.PROTECT, related_name="products")
    launched_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "product"
        ordering = ["family", "name"]

    def __str__(self) -> str:
        return self.name


class Release(ValidatedModel):
    """An upcoming or past release, the subject of a roadmap briefing."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="releases")
    name = models.CharField(max_length=200)
    release_on = models.DateField(db_index=True)
    summary = models.TextField(blank=True)

    class Meta:
        verbose_name = "release"
        ordering = ["release_on"]
        constraints = [
            models.UniqueConstraint(fields=["product", "name"], name="release_unique")
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.name}"


class MaintenanceTier(models.TextChoices):
    NONE = "none", "None"
    BUSINESS_HOURS = "8x5", "8x5 (business hours)"
    ROUND_THE_CLOCK = "24x7", "24x7"


class Holding(ValidatedModel):
    """A product an account owns, with its maintenance cover."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="holdings")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="holdings")
    quantity = models.PositiveIntegerField(default=1)
    maintenance_tier = models.CharField(
        max_length=10, choices=MaintenanceTier.choices, default=MaintenanceTier.NONE
    )
    maintenance_end = models.DateField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "holding"
        ordering = ["account", "product"]
        constraints = [
            models.UniqueConstraint(fields=["account", "product"], name="holding_unique")
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.quantity} × {self.product}"

    def maintenance_days_left(self, as_of: date) -> int | None:
        return None if self.maintenance_end is None else (self.maintenance_end - as_of).days


class BillingPeriod(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


class Contract(ValidatedModel):
    external_id = models.CharField(max_length=64, unique=True, validators=[validate_record_id])
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contracts")
    name = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField(db_index=True)
    recurring_amount = amount_field(
        null=True, blank=True, validators=[validate_not_negative],
        help_text="What each invoice should be, at the contracted rate.",
    )
    currency = currency_field()
    billing_period = models.CharField(
        max_length=10, choices=BillingPeriod.choices, default=BillingPeriod.MONTHLY
    )
    notice_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Days of notice to cancel or renew."
    )

    checks_across_fields = (
        dates_in_order("start_date", "end_date"),
        amount_has_currency("recurring_amount"),
    )

    class Meta:
        verbose_name = "contract"
        ordering = ["account", "end_date"]

    def __str__(self) -> str:
        return self.name

    def days_left(self, as_of: date) -> int:
        return (self.end_date - as_of).days


class AdverseChangeKind(models.TextChoices):
    PRICE_INCREASE = "price_increase", "Price increase"
    END_OF_SUPPORT = "end_of_support", "End of support"
    TERMINATION = "termination", "Termination"
    OTHER = "other", "Other"


class AdverseChange(ValidatedModel):
    """Bad news for the customer that the account team should deliver in person, first."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="adverse_changes")
    kind = models.CharField(max_length=20, choices=AdverseChangeKind.choices)
    effective_on = models.DateField()
    recorded_on = models.DateField()
    summary = models.TextField(blank=True)

    class Meta:
        verbose_name = "adverse change"
        ordering = ["effective_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "kind", "effective_on"], name="adverse_change_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.effective_on}"
