"""Validation of holdings, contracts and adverse changes, for the API and pages."""

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.catalog.kinds import ADVERSE_CHANGE, CONTRACT, HOLDING
from heedful.catalog.models import AdverseChange, Contract, Holding


class HoldingForm(HeedfulModelForm):
    class Meta:
        model = Holding
        fields = HOLDING.form_fields


class ContractForm(HeedfulModelForm):
    class Meta:
        model = Contract
        fields = CONTRACT.form_fields


class AdverseChangeForm(HeedfulModelForm):
    class Meta:
        model = AdverseChange
        fields = ADVERSE_CHANGE.form_fields
