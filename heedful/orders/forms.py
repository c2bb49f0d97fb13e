"""Validation of orders, for the API and pages."""

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.orders.kinds import ORDER
from heedful.orders.models import Order


class OrderForm(HeedfulModelForm):
    class Meta:
        model = Order
        fields = ORDER.form_fields
