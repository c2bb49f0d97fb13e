from django.contrib import admin

from heedful.sales.models import Opportunity, Quota, StageChange


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = (
        "name", "external_id", "account", "owner", "stage", "amount", "currency", "close_date",
        "won",
    )
    list_filter = ("stage", "won", "currency")
    search_fields = ("name", "external_id", "account__name", "owner__username", "owner__full_name")
    date_hierarchy = "close_date"
    list_select_related = ("account", "owner")
    autocomplete_fields = ("account", "owner")
    inlines = [StageChangeInline]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ("opportunity", "stage", "changed_at")
    list_filter = ("stage",)
    search_fields = ("opportunity__name", "opportunity__external_id")
    list_select_related = ("opportunity",)
    raw_id_fields = ("opportunity",)


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = ("user", "period_start", "period_end", "amount", "currency")
    list_filter = ("currency",)
    search_fields = ("user__username", "user__full_name")
    date_hierarchy = "period_start"
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
