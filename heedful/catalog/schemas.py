"""API input and output of holdings, contracts and adverse changes (CSV field names)."""

from datetime import date
from typing import Annotated

from ninja import FilterLookup, FilterSchema

from heedful.catalog.kinds import ADVERSE_CHANGE, CONTRACT, HOLDING

# --- Holdings ----------------------------------------------------------------------------


HoldingIn, HoldingPatch, HoldingOut, HoldingPage = HOLDING.schemas("Holding")


class HoldingFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    sku: Annotated[str | None, FilterLookup("product__sku")] = None
    maintenance_tier: str | None = None
    maintenance_ends_before: Annotated[date | None, FilterLookup("maintenance_end__lte")] = None


# --- Contracts ---------------------------------------------------------------------------


ContractIn, ContractPatch, ContractOut, ContractPage = CONTRACT.schemas("Contract")


class ContractFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    billing_period: str | None = None
    ends_from: Annotated[date | None, FilterLookup("end_date__gte")] = None
    ends_to: Annotated[date | None, FilterLookup("end_date__lte")] = None


# --- Adverse changes ---------------------------------------------------------------------


AdverseChangeIn, AdverseChangePatch, AdverseChangeOut, AdverseChangePage = (
    ADVERSE_CHANGE.schemas("AdverseChange")
)


class AdverseChangeFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    kind: str | None = None
    effective_from: Annotated[date | None, FilterLookup("effective_on__gte")] = None
    effective_to: Annotated[date | None, FilterLookup("effective_on__lte")] = None
