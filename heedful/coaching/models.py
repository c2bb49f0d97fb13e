"""Reviews that coach: the manager's normal pipeline, account, territory and deal reviews,
each with its coaching points (a skill, what was observed, reinforce or correct), its agenda
(scorecard dimensions below standard put there from the scorecard) and its follow-ups, the
action items the rep and the manager take away."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from heedful.accounts.models import Account
from heedful.sales.models import Opportunity


class ReviewKind(models.TextChoices):
    PIPELINE = "pipeline", "Pipeline review"
    ACCOUNT = "account", "Account review"
    TERRITORY = "territory", "Territory review"
    DEAL = "deal", "Deal review"


class Skill(models.TextChoices):
    DISCOVERY_QUESTIONS = "discovery_questions", "Discovery questions"
    LISTENING = "listening", "Listening"
    BUSINESS_UNDERSTANDING = "business_understanding", "Business understanding"
    PREPARATION = "preparation", "Preparation"
    NEGOTIATION = "negotiation", "Negotiation"
    PROCESS_AND_TOOLS = "process_and_tools", "Process and tools"


class Direction(models.TextChoices):
    REINFORCE = "reinforce", "Reinforce: done right, keep doing it"
    CORRECT = "correct", "Correct: change it"


class Review(models.Model):
    kind = models.CharField(max_length=10, choices=ReviewKind.choices)
    held_on = models.DateField(help_text="When it is (or was) held.")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coaching_reviews_held"
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_reviews"
    )
    subject = models.CharField(
        max_length=200, help_text="What is reviewed, e.g. the deal or the quarter's pipeline."
    )
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="coaching_reviews",
    )
    opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="coaching_reviews",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "review"
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["rep", "held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


class CoachingPoint(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="points")
    skill = models.CharField(max_length=30, choices=Skill.choices)
    observed = models.TextField(help_text="What the manager saw or heard, as specifically as "
                                "possible.")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    dimension = models.CharField(
        max_length=40, blank=True,
        help_text="The scorecard dimension this point is about, if any: the rep's history shows "
        "whether it moved afterwards.",
    )

    class Meta:
        verbose_name = "coaching point"
        ordering = ["review", "pk"]

    def __str__(self) -> str:
        return f"{self.get_skill_display()}: {self.observed[:40]}"


class AgendaItem(models.Model):
    """A scorecard dimension below its standard, put on the review's agenda with the figures
    as they stood then (the history compares them with later ones)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="agenda")
    dimension = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    period = models.CharField(max_length=10)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    standard = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    detail = models.TextField(help_text="The numbers behind it, in words.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "agenda item"
        ordering = ["review", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "dimension", "period"], name="agenda_item_once_per_review",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FollowUp(models.Model):
    """An action item from a review: who does what by when."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="follow_ups")
    what = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_follow_ups"
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "review action item"
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "due_on"])]

    def __str__(self) -> str:
        return self.what
