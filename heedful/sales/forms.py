"""Validation of opportunities, for the API and pages."""

from heedful.core.forms import HeedfulModelForm
from heedful.sales.kinds import OPPORTUNITY
from heedful.sales.models import Opportunity


class OpportunityForm(HeedfulModelForm):
    class Meta:
        model = Opportunity
        fields = OPPORTUNITY.form_fields

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("won") is not None and not cleaned.get("closed_on"):
            self.add_error("closed_on", "Say when it closed, if it was won or lost.")
        return cleaned
