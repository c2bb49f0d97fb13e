"""API input and output of orders (CSV field names)."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import FilterLookup, FilterSchema, Schema
from pydantic import Field

from heedful.core.rest import Page, patch_schema
from heedful.orders.models import Order


class OrderIn(Schema):
    external_id: str
    account_external_id: str
    ordered_on: date
    shipped_on: date | None = None
    delivered_on: date | None = None
    amount: Decimal | None = Field(None, description="A decimal string, e.g. \"1200.00\".")
    currency: str | None = Field(None, description="ISO 4217 code; required with an amount.")
    description: str | None = None


OrderPatch = patch_schema(OrderIn, "OrderPatch")


class OrderOut(Schema):
    external_id: str
    account_external_id: str
    ordered_on: date
    shipped_on: date | None
    delivered_on: date | None
    amount: Decimal | None
    currency: str
    description: str

    @staticmethod
    def resolve_account_external_id(order: Order) -> str:
        return order.account.external_id


class OrderPage(Page):
    items: list[OrderOut]


class OrderFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    ordered_from: Annotated[date | None, FilterLookup("ordered_on__gte")] = None
    ordered_to: Annotated[date | None, FilterLookup("ordered_on__lte")] = None
    shipped_from: Annotated[date | None, FilterLookup("shipped_on__gte")] = None
    shipped_to: Annotated[date | None, FilterLookup("shipped_on__lte")] = None
