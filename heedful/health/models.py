"""The account health score: each scan's snapshot per account (with the components that make
it up), the owner's own sentiment, and what an admin overrode of the score's weights."""

from django.conf import settings
from django.db import models

from heedful.accounts.models import Account


class HealthScore(models.Model):
    """One account's score on one scan date and the components that add up to it, as they were
    computed then (the weights in force that day, the numbers each component measured): a
    later change of weights or records does not rewrite what a past scan said."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="health_scores", db_index=False
    )
    on = models.DateField(help_text="The scan date the score was computed as of.")
    score = models.PositiveSmallIntegerField(help_text="0 to 100, the sum of the components.")
    components = models.JSONField(
        default=dict,
        help_text="Per component key: [points, the most it could give, weight, measured "
        "(true/false), the numbers it measured] (``heedful.health.components``; "
        "``services.explain`` reads them).",
    )

    class Meta:
        verbose_name = "health score"
        ordering = ["account", "-on"]
        constraints = [
            models.UniqueConstraint(fields=["account", "on"], name="health_score_once_per_day"),
        ]
        indexes = [
            # The trend of one account and the drop rule's look back read this, not the rows.
            models.Index(fields=["account", "on", "score"], name="health_score_trend"),
            models.Index(fields=["on"], name="health_score_day"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.on}: {self.score}"


class OwnerSentiment(models.TextChoices):
    NEGATIVE = "negative", "Worried"
    NEUTRAL = "neutral", "Neutral"
    POSITIVE = "positive", "Confident"


class OwnerSentimentEntry(models.Model):
    """How the account's owner feels about the relationship, set by them on the Account 360.
    Every setting is kept (the score of a past date reads the one in force then); it goes stale
    after the days an admin sets, and then no longer counts."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="owner_sentiments", db_index=False
    )
    sentiment = models.CharField(max_length=10, choices=OwnerSentiment.choices)
    note = models.CharField(max_length=500, blank=True, help_text="Why, in a sentence.")
    set_on = models.DateField(help_text="The day it was set; it goes stale from this day on.")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "owner's sentiment"
        verbose_name_plural = "owner's sentiments"
        ordering = ["account", "-set_on", "-pk"]
        indexes = [models.Index(fields=["account", "set_on"], name="owner_sentiment_latest")]

    def __str__(self) -> str:
        return f"{self.get_sentiment_display()} on {self.set_on}"


class ScoreSetting(models.Model):
    """One value of the score an admin overrode (a component's weight, the days after which
    the owner's sentiment goes stale). Only overrides are stored, as for the rules' thresholds
    (ADR 0011): everything else follows the defaults declared in ``components``;
    ``heedful.health.services.get_score_settings`` gives the values in force."""

    name = models.CharField(max_length=64, unique=True)
    value = models.PositiveIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "health score setting"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} = {self.value}"
