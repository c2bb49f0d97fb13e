"""Validation of opportunities, for the API and pages."""

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.sales.kinds import OPPORTUNITY
from heedful.sales.models import Opportunity


class OpportunityForm(HeedfulModelForm):
    class Meta:
        model = Opportunity
        fields = OPPORTUNITY.form_fields
