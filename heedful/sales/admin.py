from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from heedful.core.models import User
from heedful.sales import services
from heedful.sales.models import (
    CloseDateChange,
    Opportunity,
    OpportunityProduct,
    PipelineChange,
    PipelineSummary,
    Quota,
    Stage,
    StageChange,
    Territory,
)


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = (
        "name", "external_id", "account", "owner", "stage", "amount", "currency", "close_date",
        "won",
    )
    list_filter = ("stage", "won", "forecast_category", "currency")
    search_fields = ("name", "external_id", "account__name", "owner__username", "owner__full_name")
    date_hierarchy = "close_date"
    list_select_related = ("account", "owner")
    autocomplete_fields = ("account", "owner")
    inlines = [StageChangeInline]

    def save_model(self, request: HttpRequest, obj: Opportunity, form: Any, change: bool) -> None:
        """A close date moved here is kept in the history like a move on any other path
        (the pipeline's "pushed out" reads it)."""
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change:
                # The stage history is edited here by hand (the inline), so only the close
                # date's move is recorded for the admin.
                by = request.user if isinstance(request.user, User) else None
                services.record_close_date_edit(form=form, opportunity=obj, by=by)


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ("opportunity", "stage", "changed_at")
    list_filter = ("stage",)
    search_fields = ("opportunity__name", "opportunity__external_id")
    list_select_related = ("opportunity",)
    raw_id_fields = ("opportunity",)


@admin.register(OpportunityProduct)
class OpportunityProductAdmin(admin.ModelAdmin):
    list_display = ("opportunity", "product", "quantity", "unit_price")
    search_fields = ("opportunity__name", "opportunity__external_id", "product__sku",
                     "product__name")
    list_select_related = ("opportunity", "product")
    raw_id_fields = ("opportunity",)
    autocomplete_fields = ("product",)


@admin.register(CloseDateChange)
class CloseDateChangeAdmin(admin.ModelAdmin):
    """The history of close dates: written by the one writer of opportunities, read here."""

    list_display = ("opportunity", "close_date_from", "close_date_to", "changed_at", "changed_by")
    search_fields = ("opportunity__name", "opportunity__external_id")
    list_select_related = ("opportunity", "changed_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = ("user", "period_start", "period_end", "amount", "currency")
    list_filter = ("currency",)
    search_fields = ("user__username", "user__full_name")
    date_hierarchy = "period_start"
    list_select_related = ("user",)
    autocomplete_fields = ("user",)


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "forecast_category", "probability", "norm_days")
    list_editable = ("order", "forecast_category", "probability", "norm_days")
    search_fields = ("name",)


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ("name", "segment", "country")
    search_fields = ("name", "segment", "country")
    autocomplete_fields = ("accounts",)


class CacheAdmin(admin.ModelAdmin):
    """The pipeline report's cache (ADR 0039): shown to look at, never edited by hand."""

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(PipelineChange)
class PipelineChangeAdmin(CacheAdmin):
    list_display = ("owner_id", "transaction_number", "weight")


@admin.register(PipelineSummary)
class PipelineSummaryAdmin(CacheAdmin):
    list_display = ("owner_id", "currency", "valid_from", "valid_until", "count", "median")
    list_filter = ("currency",)
