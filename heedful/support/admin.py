from django.contrib import admin

from heedful.support.models import ScopeRecord, ServiceMetric, Ticket


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("external_id", "subject", "account", "severity", "status", "opened_at")
    list_filter = ("status", "severity")
    search_fields = ("external_id", "subject", "account__name", "account__external_id")
    date_hierarchy = "opened_at"
    list_select_related = ("account",)
    raw_id_fields = ("account", "contact")


@admin.register(ServiceMetric)
class ServiceMetricAdmin(admin.ModelAdmin):
    list_display = ("account", "metric", "period", "target", "actual", "higher_is_better")
    list_filter = ("metric", "higher_is_better")
    search_fields = ("metric", "period", "account__name")
    list_select_related = ("account",)
    raw_id_fields = ("account",)


@admin.register(ScopeRecord)
class ScopeRecordAdmin(admin.ModelAdmin):
    list_display = ("account", "function", "period", "contracted_quantity", "delivered_quantity")
    list_filter = ("function",)
    search_fields = ("function", "period", "account__name")
    list_select_related = ("account",)
    raw_id_fields = ("account",)
