"""API input and output of opportunities (CSV field names)."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import FilterLookup, FilterSchema, Schema
from pydantic import Field

from heedful.core.rest import Page, patch_schema
from heedful.sales.models import Opportunity


class OpportunityIn(Schema):
    external_id: str
    account_external_id: str
    name: str
    owner_username: str | None = Field(None, description="Default you.")
    stage: str
    amount: Decimal | None = Field(None, description="A decimal string, e.g. \"50000.00\".")
    currency: str | None = Field(None, description="ISO 4217 code; required with an amount.")
    created_on: date | None = None
    close_date: date | None = Field(None, description="When it is expected to close.")
    closed_on: date | None = Field(None, description="When it closed; empty while open.")
    won: bool | None = Field(None, description="Empty while open.")


OpportunityPatch = patch_schema(OpportunityIn, "OpportunityPatch")


class OpportunityOut(Schema):
    external_id: str
    account_external_id: str
    name: str
    owner_username: str
    stage: str
    amount: Decimal | None
    currency: str
    created_on: date | None
    close_date: date | None
    closed_on: date | None
    won: bool | None

    @staticmethod
    def resolve_account_external_id(opportunity: Opportunity) -> str:
        return opportunity.account.external_id

    @staticmethod
    def resolve_owner_username(opportunity: Opportunity) -> str:
        return opportunity.owner.username


class OpportunityPage(Page):
    items: list[OpportunityOut]


class OpportunityFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    owner_username: Annotated[str | None, FilterLookup("owner__username")] = None
    stage: str | None = None
    is_open: Annotated[bool | None, FilterLookup("closed_on__isnull")] = None
    close_from: Annotated[date | None, FilterLookup("close_date__gte")] = None
    close_to: Annotated[date | None, FilterLookup("close_date__lte")] = None
