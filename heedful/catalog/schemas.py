"""API input and output of holdings, contracts and adverse changes (CSV field names)."""

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from heedful.catalog.kinds import ADVERSE_CHANGE, CONTRACT, HOLDING, PRODUCT, RELEASE
from heedful.core.rest import Day

# --- Products and releases --------------------------------------------------------------


ProductIn, ProductPatch, ProductOut, ProductPage = PRODUCT.schemas("Product")


class ProductFilter(FilterSchema):
    family: Annotated[str | None, FilterLookup("family__name")] = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "sku__icontains"])] = None


ReleaseIn, ReleasePatch, ReleaseOut, ReleasePage = RELEASE.schemas("Release")


class ReleaseFilter(FilterSchema):
    sku: Annotated[str | None, FilterLookup("product__sku")] = None
    release_from: Annotated[Day | None, FilterLookup("release_on__gte")] = None
    release_to: Annotated[Day | None, FilterLookup("release_on__lte")] = None


# --- Holdings ----------------------------------------------------------------------------


HoldingIn, HoldingPatch, HoldingOut, HoldingPage = HOLDING.schemas("Holding")


class HoldingFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    sku: Annotated[str | None, FilterLookup("product__sku")] = None
    maintenance_tier: str | None = None
    maintenance_ends_before: Annotated[Day | None, FilterLookup("maintenance_end__lte")] = None


# --- Contracts ---------------------------------------------------------------------------


ContractIn, ContractPatch, ContractOut, ContractPage = CONTRACT.schemas("Contract")


class ContractFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    billing_period: str | None = None
    ends_from: Annotated[Day | None, FilterLookup("end_date__gte")] = None
    ends_to: Annotated[Day | None, FilterLookup("end_date__lte")] = None


# --- Adverse changes ---------------------------------------------------------------------


AdverseChangeIn, AdverseChangePatch, AdverseChangeOut, AdverseChangePage = (
    ADVERSE_CHANGE.schemas("AdverseChange")
)


class AdverseChangeFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    kind: str | None = None
    effective_from: Annotated[Day | None, FilterLookup("effective_on__gte")] = None
    effective_to: Annotated[Day | None, FilterLookup("effective_on__lte")] = None
