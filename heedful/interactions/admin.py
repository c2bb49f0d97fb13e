from django.contrib import admin

from heedful.interactions.models import Interaction


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "kind", "direction", "account", "user", "subject", "tags")
    list_filter = ("kind", "direction")
    search_fields = ("subject", "tags", "account__name", "account__external_id", "user__username")
    date_hierarchy = "occurred_at"
    list_select_related = ("account", "user")
    raw_id_fields = ("account", "user", "contacts")
    readonly_fields = ("natural_key",)
