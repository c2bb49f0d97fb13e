"""Service reviews: what an account team shows a customer for a period, the customer's data
first (metrics against targets, delivered against contracted scope, support, billing, what we
heard), then our topics.

The data are read from the records each time a draft is shown; a sent review keeps what the
customer saw in ``snapshot``. People write only the commentary on each metric and the topics.
"""

from django.db import models
from django.db.models import Q

from heedful.accounts.models import Account
from heedful.core.models import SharedLink, User
from heedful.lib.validators import ValidatedModel


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"


class Review(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="reviews")
    period = models.CharField(
        max_length=30,
        help_text="As it was asked for: a quarter (2026-Q3), a month (2026-10) or a range of "
        "days (2026-08-01..2026-10-31).",
    )
    period_from = models.DateField()
    period_to = models.DateField()
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The sent review whose open topics this one started from.",
    )
    created_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    revision = models.PositiveIntegerField(
        default=0, editable=False,
        help_text="Counts every change to the review, its commentary or topics, so that "
        "sending can check that the sender saw the latest.",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField(
        null=True, blank=True, editable=False,
        help_text="What the customer saw, frozen when the review was sent.",
    )

    class Meta:
        verbose_name = "service review"
        ordering = ["account", "-period_to", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "period"], condition=Q(status="draft"),
                name="review_one_draft_per_period",
            ),
        ]
        indexes = [models.Index(fields=["account", "status", "period_to"])]

    def __str__(self) -> str:
        return f"Review of {self.account} for {self.period}"

    @property
    def is_sent(self) -> bool:
        return self.status == ReviewStatus.SENT


class MetricComment(ValidatedModel):
    """The owner's words on one metric of a review: what happened, and what we are doing."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    metric = models.CharField(max_length=100)
    what_happened = models.TextField(blank=True, max_length=4000)
    what_we_are_doing = models.TextField(
        "what we are doing about it", blank=True, max_length=4000
    )
    updated_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "metric commentary"
        verbose_name_plural = "metric commentaries"
        constraints = [
            models.UniqueConstraint(fields=["review", "metric"], name="review_comment_unique")
        ]

    def __str__(self) -> str:
        return self.metric


class TopicKind(models.TextChoices):
    SCOPE_CHANGE = "scope_change", "Scope change"
    RENEWAL = "renewal", "Renewal"
    ROADMAP = "roadmap", "Roadmap"
    OTHER = "other", "Other"


class ReviewTopic(ValidatedModel):
    """One of our topics, shown after the customer's data: a scope change, the renewal, the
    roadmap. An open topic is carried into the account's next review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="topics")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=TopicKind.choices, default=TopicKind.OTHER)
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True, max_length=4000)
    is_open = models.BooleanField(
        "still open", default=True, help_text="Open topics are carried into the next review."
    )
    carried_from = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The earlier review where this topic was left open.",
    )
    updated_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "review topic"
        ordering = ["review", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class SharedReview(SharedLink):
    """The customer's read-only link to a sent review (what the customer saw, as sent)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="shared_links")

    class Meta:
        verbose_name = "shared review link"

    def __str__(self) -> str:
        return f"Shared link of {self.review}"
