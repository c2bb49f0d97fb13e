"""Validation of orders, for the API and pages."""

from heedful.core.forms import HeedfulModelForm
from heedful.orders.models import Order


class OrderForm(HeedfulModelForm):
    class Meta:
        model = Order
        fields = [
            "external_id", "account", "ordered_on", "shipped_on", "delivered_on", "amount",
            "currency", "description",
        ]
