"""API input and output of holdings, contracts and adverse changes (CSV field names)."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import FilterLookup, FilterSchema, Schema
from pydantic import Field

from heedful.catalog.models import AdverseChange, Contract, Holding
from heedful.core.rest import Page, patch_schema

# --- Holdings ----------------------------------------------------------------------------


class HoldingIn(Schema):
    account_external_id: str
    sku: str = Field(description="The product's SKU.")
    quantity: int | None = Field(None, description="Default 1.")
    maintenance_tier: str | None = Field(None, description="none (default), 8x5 or 24x7")
    maintenance_end: date | None = None


HoldingPatch = patch_schema(HoldingIn, "HoldingPatch")


class HoldingOut(Schema):
    id: int
    account_external_id: str
    sku: str
    product_name: str
    quantity: int
    maintenance_tier: str
    maintenance_end: date | None

    @staticmethod
    def resolve_account_external_id(holding: Holding) -> str:
        return holding.account.external_id

    @staticmethod
    def resolve_sku(holding: Holding) -> str:
        return holding.product.sku

    @staticmethod
    def resolve_product_name(holding: Holding) -> str:
        return holding.product.name


class HoldingPage(Page):
    items: list[HoldingOut]


class HoldingFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    sku: Annotated[str | None, FilterLookup("product__sku")] = None
    maintenance_tier: str | None = None
    maintenance_ends_before: Annotated[date | None, FilterLookup("maintenance_end__lte")] = None


# --- Contracts ---------------------------------------------------------------------------


class ContractIn(Schema):
    external_id: str
    account_external_id: str
    name: str
    start_date: date
    end_date: date
    recurring_amount: Decimal | None = Field(
        None, description="What each invoice should be, as a decimal string, e.g. \"2500.00\"."
    )
    currency: str | None = Field(None, description="ISO 4217 code; required with an amount.")
    billing_period: str | None = Field(None, description="monthly (default), quarterly, annual")
    notice_days: int | None = None


ContractPatch = patch_schema(ContractIn, "ContractPatch")


class ContractOut(Schema):
    external_id: str
    account_external_id: str
    name: str
    start_date: date
    end_date: date
    recurring_amount: Decimal | None
    currency: str
    billing_period: str
    notice_days: int | None

    @staticmethod
    def resolve_account_external_id(contract: Contract) -> str:
        return contract.account.external_id


class ContractPage(Page):
    items: list[ContractOut]


class ContractFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    billing_period: str | None = None
    ends_from: Annotated[date | None, FilterLookup("end_date__gte")] = None
    ends_to: Annotated[date | None, FilterLookup("end_date__lte")] = None


# --- Adverse changes ---------------------------------------------------------------------


class AdverseChangeIn(Schema):
    account_external_id: str
    kind: str = Field(description="price_increase, end_of_support, termination, other")
    effective_on: date
    recorded_on: date
    summary: str | None = None


AdverseChangePatch = patch_schema(AdverseChangeIn, "AdverseChangePatch")


class AdverseChangeOut(Schema):
    id: int
    account_external_id: str
    kind: str
    effective_on: date
    recorded_on: date
    summary: str

    @staticmethod
    def resolve_account_external_id(change: AdverseChange) -> str:
        return change.account.external_id


class AdverseChangePage(Page):
    items: list[AdverseChangeOut]


class AdverseChangeFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    kind: str | None = None
    effective_from: Annotated[date | None, FilterLookup("effective_on__gte")] = None
    effective_to: Annotated[date | None, FilterLookup("effective_on__lte")] = None
