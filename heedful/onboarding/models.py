"""Onboarding new hires: a plan template (administrative items with their due days,
training, the territory-plan review, the 1:1 cadence and the ramp to quota by month),
instantiated for a new hire from their start date with a mentor and their manager."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone


class TaskKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", "Administrative"
    TRAINING = "training", "Training"
    TERRITORY_REVIEW = "territory_review", "Territory-plan review"


class PlanTemplate(models.Model):
    name = models.CharField(max_length=100, unique=True)
    one_on_one_every_days = models.PositiveSmallIntegerField(
        default=7, help_text="How often the manager holds a 1:1 with the new hire (days)."
    )
    ramp_percents = models.CharField(
        max_length=100, default="25;50;75;100",
        help_text="Percent of full quota for each month from the start, ';'-separated; the "
        "last holds from then on.",
    )

    class Meta:
        verbose_name = "onboarding plan template"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TemplateTask(models.Model):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    title = models.CharField(max_length=200)
    due_day = models.PositiveSmallIntegerField(
        help_text="Days after the start date it is due (0 is the first day)."
    )

    class Meta:
        verbose_name = "template task"
        ordering = ["template", "due_day", "pk"]

    def __str__(self) -> str:
        return self.title


class OnboardingPlan(models.Model):
    new_hire = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="onboarding_plan"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="onboarding_managed"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="onboarding_mentored",
    )
    template = models.ForeignKey(PlanTemplate, null=True, on_delete=models.SET_NULL)
    starts_on = models.DateField()
    one_on_one_every_days = models.PositiveSmallIntegerField()
    ramp_percents = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "onboarding plan"
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"Onboarding of {self.new_hire}"

    @property
    def ramp(self) -> list[int]:
        return [int(part) for part in self.ramp_percents.split(";") if part.strip().isdigit()]

    def month_number(self, on: date) -> int:
        """1 in the first month from the start, 2 in the second, ..."""
        months = (on.year - self.starts_on.year) * 12 + on.month - self.starts_on.month
        if on.day < self.starts_on.day:
            months -= 1
        return max(0, months) + 1

    def ramp_percent(self, on: date) -> int:
        ramp = self.ramp or [100]
        return ramp[min(self.month_number(on), len(ramp)) - 1]

    def week_number(self, on: date) -> int:
        """1 for the start day and the six after it... 3 from day 15 to day 21."""
        days = (on - self.starts_on).days
        return 1 if days < 1 else (days - 1) // 7 + 1


class OnboardingTask(models.Model):
    plan = models.ForeignKey(OnboardingPlan, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "onboarding task"
        ordering = ["plan", "due_on", "pk"]
        indexes = [models.Index(fields=["due_on", "done_on"])]

    def __str__(self) -> str:
        return self.title


class OneOnOne(models.Model):
    plan = models.ForeignKey(OnboardingPlan, on_delete=models.CASCADE, related_name="one_on_ones")
    held_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name = "1:1"
        verbose_name_plural = "1:1s"
        ordering = ["plan", "-held_on"]

    def __str__(self) -> str:
        return f"1:1 on {self.held_on}"
