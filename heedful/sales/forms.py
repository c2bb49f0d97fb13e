"""Validation of opportunities, for the API and pages."""

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.sales.kinds import OPPORTUNITY, STAGE_CHANGE
from heedful.sales.models import Opportunity, StageChange


class OpportunityForm(HeedfulModelForm):
    class Meta:
        model = Opportunity
        fields = OPPORTUNITY.form_fields


class StageChangeForm(HeedfulModelForm):
    class Meta:
        model = StageChange
        fields = STAGE_CHANGE.form_fields
