"""Validation of holdings, contracts and adverse changes, for the API and pages."""

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.catalog.kinds import ADVERSE_CHANGE, CONTRACT, HOLDING, PRODUCT, RELEASE
from heedful.catalog.models import AdverseChange, Contract, Holding, Product, Release


class ProductForm(HeedfulModelForm):
    class Meta:
        model = Product
        fields = PRODUCT.form_fields


class ReleaseForm(HeedfulModelForm):
    class Meta:
        model = Release
        fields = RELEASE.form_fields


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
