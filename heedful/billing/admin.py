from django.contrib import admin

from heedful.billing.models import Dispute, ExchangeRate, Invoice


class DisputeInline(admin.TabularInline):
    model = Dispute
    extra = 0


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ("invoice_number", "account", "period_start", "period_end", "amount", "currency")
    list_filter = ("currency",)
    search_fields = ("invoice_number", "account__name", "account__external_id")
    date_hierarchy = "period_start"
    list_select_related = ("account",)
    raw_id_fields = ("account", "contract")
    inlines = [DisputeInline]


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ("invoice", "opened_on", "amount", "status", "resolved_on")
    list_filter = ("status",)
    search_fields = ("invoice__invoice_number", "invoice__account__name")
    list_select_related = ("invoice",)
    raw_id_fields = ("invoice",)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ("currency", "rate", "reporting_currency", "updated_at")
    fields = ("currency", "rate", "reporting_currency", "updated_at")
    readonly_fields = ("reporting_currency", "updated_at")
