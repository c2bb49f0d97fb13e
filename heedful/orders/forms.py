"""Validation of orders, for the API and pages."""

from heedful.core.forms import HeedfulModelForm
from heedful.orders.kinds import ORDER
from heedful.orders.models import Order


class OrderForm(HeedfulModelForm):
    class Meta:
        model = Order
        fields = ORDER.form_fields

    def clean(self) -> dict:
        cleaned = super().clean()
        self.clean_dates_in_order("ordered_on", "shipped_on")
        self.clean_dates_in_order("shipped_on", "delivered_on")
        return cleaned
