"""The standards a manager sets for their people, one per dimension; without one, the
company's (set by an admin, no manager), else the dimension's default."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from heedful.scorecards.dimensions import DIMENSIONS


class Standard(models.Model):
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="standards_set",
        help_text="Whose people it holds for; empty for the company's own standard.",
    )
    dimension = models.CharField(
        max_length=40, choices=[(dimension.key, dimension.label) for dimension in DIMENSIONS]
    )
    value = models.DecimalField(
        max_digits=14, decimal_places=4,
        help_text="Ratios as fractions (0.9 for 90%), coverage as times, counts as numbers.",
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "scorecard standard"
        constraints = [
            models.UniqueConstraint(
                fields=["manager", "dimension"], name="standard_one_per_manager_and_dimension",
            ),
            models.UniqueConstraint(
                fields=["dimension"], condition=Q(manager__isnull=True),
                name="standard_one_company_default_per_dimension",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.value}"
