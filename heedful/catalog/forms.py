"""Validation of holdings, contracts and adverse changes, for the API and pages."""

from heedful.catalog.models import AdverseChange, Contract, Holding
from heedful.core.forms import HeedfulModelForm


class HoldingForm(HeedfulModelForm):
    class Meta:
        model = Holding
        fields = ["account", "product", "quantity", "maintenance_tier", "maintenance_end"]


class ContractForm(HeedfulModelForm):
    class Meta:
        model = Contract
        fields = [
            "external_id", "account", "name", "start_date", "end_date", "recurring_amount",
            "currency", "billing_period", "notice_days",
        ]


class AdverseChangeForm(HeedfulModelForm):
    class Meta:
        model = AdverseChange
        fields = ["account", "kind", "effective_on", "recorded_on", "summary"]
