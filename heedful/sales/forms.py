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
