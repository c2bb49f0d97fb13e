from django.contrib import admin

from heedful.orders.models import Order


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = (
        "external_id", "account", "description", "ordered_on", "shipped_on", "delivered_on",
        "amount", "currency",
    )
    search_fields = ("external_id", "description", "account__name", "account__external_id")
    date_hierarchy = "ordered_on"
    list_select_related = ("account",)
    raw_id_fields = ("account",)
