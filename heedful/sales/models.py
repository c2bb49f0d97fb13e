"""Opportunities, their products, and the history of their stages and close dates."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from heedful.accounts.models import Account
from heedful.catalog.models import Product
from heedful.lib.money import amount_field, currency_field
from heedful.lib.validators import (
    ValidatedModel,
    amount_has_currency,
    dates_in_order,
    required_when,
    validate_not_negative,
    validate_record_id,
)


class ForecastCategory(models.TextChoices):
    """Salesforce's forecast categories: how sure the rep is that a deal closes this period."""

    PIPELINE = "pipeline", "Pipeline"
    BEST_CASE = "best_case", "Best case"
    COMMIT = "commit", "Commit"
    OMITTED = "omitted", "Omitted"
    CLOSED = "closed", "Closed"


class Stage(models.Model):
    """A stage of the sales process as an admin sets it up. Opportunities name their stage
    by ``name``; a stage nobody set up still counts, after the set-up ones."""

    name = models.CharField(max_length=50, unique=True, help_text="As opportunities name it.")
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Where it comes in the process: lower comes first."
    )
    forecast_category = models.CharField(
        max_length=20, choices=ForecastCategory.choices, default=ForecastCategory.PIPELINE,
        help_text="The forecast category of its opportunities unless the rep chose one.",
    )
    probability = models.PositiveSmallIntegerField(
        default=10, validators=[MaxValueValidator(100)],
        help_text="Per cent chance of winning from this stage; weights the pipeline.",
    )
    norm_days = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="How many days a deal normally spends here; longer is stalled.",
    )

    class Meta:
        verbose_name = "stage"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Territory(models.Model):
    """A territory as an admin defines it: the accounts of a segment, of a country, or a
    list of accounts (any of these; an account matching one belongs to it)."""

    name = models.CharField(max_length=100, unique=True)
    segment = models.CharField(max_length=50, blank=True, help_text="e.g. enterprise")
    country = models.CharField(max_length=100, blank=True)
    accounts = models.ManyToManyField(Account, blank=True, related_name="territories")

    class Meta:
        verbose_name = "territory"
        verbose_name_plural = "territories"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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
    forecast_category = models.CharField(
        max_length=20, choices=ForecastCategory.choices, blank=True,
        help_text="Empty: the stage's default.",
    )
    competitor = models.CharField(max_length=200, blank=True)
    next_step = models.CharField(max_length=300, blank=True)
    customer_value = models.TextField(
        blank=True, help_text="The value to the customer this deal serves, in their words."
    )

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
        indexes = [
            models.Index(fields=["account", "closed_on"]),
            # Covers every column the pipeline report reads, in the order it groups by: the
            # report scans this index instead of the table (SQLite groups it without a
            # sorter: 3.8 s became 0.8 s at a million deals).
            models.Index(
                fields=[
                    "owner", "currency", "created_on", "closed_on", "won", "amount", "stage",
                    "close_date",
                ],
                name="opportunity_pipeline",
            ),
            # The scorecards' reads, each a range of a small index over every rep at once
            # (bench/scorecard_report.py): open deals by owner and currency (pipeline
            # coverage and record hygiene, one pass grouped in this order: SQLite reads the
            # index that gives it the groups' order, so this one must), deals won by the day
            # they closed (quota attainment, new accounts won, forecast accuracy) and an
            # account's earlier wins (new accounts won). Each holds the column of its
            # condition too: SQLite reads a partial index alone (without the table) only
            # when it holds the columns the query's WHERE names.
            models.Index(
                fields=["owner", "currency", "close_date", "amount", "account", "next_step",
                        "closed_on"],
                condition=Q(closed_on__isnull=True), name="opportunity_open",
            ),
            models.Index(
                fields=["closed_on", "owner", "currency", "amount", "account", "won"],
                condition=Q(won=True), name="opportunity_won",
            ),
            models.Index(
                fields=["account", "closed_on", "won"], condition=Q(won=True),
                name="opportunity_won_by_account",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class StageChange(ValidatedModel):
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


class OpportunityProduct(ValidatedModel):
    """A product of the catalogue on an opportunity (Salesforce's opportunity product,
    HubSpot's line item): how many, at what price each. The price is in the opportunity's
    currency, which is why the line has no currency of its own (one truth); an opportunity
    with products keeps its currency."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="products"
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="opportunity_products"
    )
    quantity = models.PositiveIntegerField(
        default=1, validators=[MinValueValidator(1)], help_text="How many; at least 1."
    )
    unit_price = amount_field(
        validators=[validate_not_negative],
        help_text="The price of one, in the opportunity's currency.",
    )

    class Meta:
        verbose_name = "opportunity product"
        ordering = ["opportunity", "product"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "product"], name="opportunity_product_once",
                violation_error_message=(
                    "This product is on this opportunity already: change its quantity or price."
                ),
                # A clash with a stored line, as a holding's: the API answers 409.
                violation_error_code="unique_together",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity}: {self.quantity} × {self.product}"

    @property
    def total_price(self) -> Decimal:
        return self.quantity * self.unit_price


class CloseDateChange(models.Model):
    """Each move of an opportunity's expected close date: from which date to which, when and
    by whom. Written by the one writer of opportunities (``services``, and the import's
    ``OpportunitiesSpec`` through ``services.record_close_date_moves``); the pipeline's
    "pushed out" reads it."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="close_date_changes"
    )
    close_date_from = models.DateField(
        null=True, blank=True, help_text="The close date before; empty when it had none."
    )
    close_date_to = models.DateField(
        null=True, blank=True, help_text="The close date after; empty when it was cleared."
    )
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", help_text="Who moved it; empty for an import.",
    )

    class Meta:
        verbose_name = "close date change"
        ordering = ["opportunity", "changed_at", "pk"]
        indexes = [models.Index(fields=["changed_at"], name="close_date_change_when")]

    def __str__(self) -> str:
        return f"{self.opportunity}: {self.close_date_from} → {self.close_date_to}"

    @property
    def is_pushed_out(self) -> bool:
        """Moved to a later date (a first close date, or one cleared, is no push)."""
        return (
            self.close_date_from is not None and self.close_date_to is not None
            and self.close_date_to > self.close_date_from
        )


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


class PipelineChange(models.Model):
    """How often an owner's opportunities have changed. Database triggers (migrations
    ``pipeline_summary`` and ``pipeline_changes``) count one on every insert, delete and change
    of a column the pipeline report reads, whatever wrote it (a form, the API, an importer, a
    bulk update, a cascade, raw SQL), so no write path can forget it. An owner's count is the
    sum of their rows' weights; a ``PipelineSummary`` is current while it carries that count
    (ADR 0039).

    On PostgreSQL each transaction counts in a row of its own per owner, so that two writers
    to one owner's deals never wait for each other (a single row per owner held every other
    writer of that owner until the first committed: a rep's save behind a ten-minute import).
    The report folds the rows of finished transactions into the owner's row of transaction 0
    (``pipeline_summary.fold_changes``). SQLite, one writer at a time, counts in that row
    directly."""

    owner_id = models.BigIntegerField(help_text="The owner (a user's id).")
    transaction_number = models.BigIntegerField(
        default=0, help_text="The PostgreSQL transaction that counted it; 0 once folded."
    )
    weight = models.BigIntegerField(default=1, help_text="Changes counted.")

    class Meta:
        verbose_name = "pipeline change"
        constraints = [
            models.UniqueConstraint(fields=["owner_id", "transaction_number"],
                                    name="pipeline_change_one_per_owner_transaction"),
        ]

    def __str__(self) -> str:
        return f"owner {self.owner_id}: {self.weight}"


class PipelineSummary(models.Model):
    """A cache of the pipeline report's grouped figures for one owner and currency, as the
    scan computed them (``pipeline.grouped``) on a day, with the days it holds for: from the
    last opportunity created or closed on or before it to the day before the next, within its
    quarter. Read while its ``version`` is the owner's count of changes (``PipelineChange``)
    and its stage probabilities are still the stages'; refilled by the report otherwise
    (ADR 0039)."""

    owner_id = models.BigIntegerField(help_text="The owner (a user's id).")
    currency = models.CharField(max_length=3, blank=True)
    version = models.BigIntegerField(
        help_text="The owner's count of changes when this was computed."
    )
    valid_from = models.DateField(help_text="The first day these figures hold for.")
    valid_until = models.DateField(help_text="The last day these figures hold for.")
    probabilities = models.CharField(
        max_length=64, help_text="A digest of the stage probabilities the weighting used."
    )
    count = models.IntegerField()
    open_count = models.IntegerField()
    won_count = models.IntegerField()
    lost_count = models.IntegerField()
    won_value = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    won_priced = models.IntegerField()
    open_value = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    weighted = models.DecimalField(max_digits=22, decimal_places=2, null=True)
    this_quarter = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    median = models.FloatField(
        null=True, help_text="The owner's median cycle in days, over every currency."
    )

    class Meta:
        verbose_name = "pipeline summary"
        verbose_name_plural = "pipeline summaries"
        constraints = [
            models.UniqueConstraint(
                fields=["owner_id", "currency"], name="pipeline_summary_one_per_owner_currency"
            ),
        ]

    def __str__(self) -> str:
        return f"owner {self.owner_id} {self.currency}"
