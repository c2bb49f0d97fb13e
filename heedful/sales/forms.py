"""Validation of opportunities, for the API and pages."""

from heedful.core.forms import HeedfulModelForm
from heedful.sales.models import Opportunity


class OpportunityForm(HeedfulModelForm):
    class Meta:
        model = Opportunity
        fields = [
            "external_id", "account", "name", "owner", "stage", "amount", "currency",
            "created_on", "close_date", "closed_on", "won",
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("won") is not None and not cleaned.get("closed_on"):
            self.add_error("closed_on", "Say when it closed, if it was won or lost.")
        return cleaned
