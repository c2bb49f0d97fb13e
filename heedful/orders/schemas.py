"""API input and output of orders (CSV field names)."""

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from heedful.core.rest import Day
from heedful.orders.kinds import ORDER

OrderIn, OrderPatch, OrderOut, OrderPage = ORDER.schemas("Order")


class OrderFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    ordered_from: Annotated[Day | None, FilterLookup("ordered_on__gte")] = None
    ordered_to: Annotated[Day | None, FilterLookup("ordered_on__lte")] = None
    shipped_from: Annotated[Day | None, FilterLookup("shipped_on__gte")] = None
    shipped_to: Annotated[Day | None, FilterLookup("shipped_on__lte")] = None
