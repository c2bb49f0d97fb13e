"""REST endpoints of orders."""

from ninja import Router

from heedful.core.rest import Resource, register
from heedful.orders import schemas, services
from heedful.orders.kinds import ORDER

router = Router()

ORDERS = Resource(
    path="orders", key="external_id",
    out=schemas.OrderOut, page=schemas.OrderPage, filters=schemas.OrderFilter,
    create_schema=schemas.OrderIn, patch_schema=schemas.OrderPatch,
    orderings={
        "external_id": "external_id", "account_external_id": "account__external_id",
        "ordered_on": "ordered_on", "shipped_on": "shipped_on", "delivered_on": "delivered_on",
        "amount": "amount",
    },
    get_all=services.get_all, get_or_raise=services.get_or_raise,
    create=services.create, update=services.update,
    form_names=ORDER.form_names, joined_lists=ORDER.joined_lists,
)

register(router, ORDERS, tag="orders")
