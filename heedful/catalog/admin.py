from django.contrib import admin

from heedful.catalog.models import (
    AdverseChange,
    Contract,
    Holding,
    Product,
    ProductFamily,
    Release,
)


@admin.register(ProductFamily)
class ProductFamilyAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "sku", "family", "launched_on")
    list_filter = ("family",)
    search_fields = ("name", "sku")
    list_select_related = ("family",)


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ("name", "product", "release_on")
    list_filter = ("product__family",)
    search_fields = ("name", "product__name")
    date_hierarchy = "release_on"
    list_select_related = ("product",)
    autocomplete_fields = ("product",)


@admin.register(Holding)
class HoldingAdmin(admin.ModelAdmin):
    list_display = ("account", "product", "quantity", "maintenance_tier", "maintenance_end")
    list_filter = ("maintenance_tier", "product__family")
    search_fields = ("account__name", "account__external_id", "product__name", "product__sku")
    list_select_related = ("account", "product")
    autocomplete_fields = ("account", "product")


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = (
        "name", "external_id", "account", "start_date", "end_date", "recurring_amount",
        "currency", "billing_period",
    )
    list_filter = ("billing_period", "currency")
    search_fields = ("name", "external_id", "account__name", "account__external_id")
    date_hierarchy = "end_date"
    list_select_related = ("account",)
    autocomplete_fields = ("account",)


@admin.register(AdverseChange)
class AdverseChangeAdmin(admin.ModelAdmin):
    list_display = ("account", "kind", "effective_on", "recorded_on")
    list_filter = ("kind",)
    search_fields = ("account__name", "summary")
    list_select_related = ("account",)
    autocomplete_fields = ("account",)
