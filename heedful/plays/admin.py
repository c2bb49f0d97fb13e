from django.contrib import admin

from heedful.plays.models import DigestSent, Play, PlayEvent, RuleSetting
from heedful.plays.rules import RULES_BY_KEY
from heedful.plays.services import overrides_only


@admin.register(RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin):
    list_display = ["rule", "name", "enabled", "thresholds", "updated_at"]
    list_editable = ["enabled"]
    readonly_fields = ["defaults", "updated_at"]
    fields = ["rule", "enabled", "thresholds", "defaults", "updated_at"]
    search_fields = ["rule"]

    @admin.display(description="Rule")
    def name(self, setting: RuleSetting) -> str:
        rule = RULES_BY_KEY.get(setting.rule)
        return rule.name if rule else "(unknown rule)"

    @admin.display(description="Defaults from the code")
    def defaults(self, setting: RuleSetting) -> dict:
        rule = RULES_BY_KEY.get(setting.rule)
        return dict(rule.defaults) if rule else {}

    def save_model(self, request, setting: RuleSetting, form, change: bool) -> None:  # noqa: ANN001
        # Only overrides are stored: a value equal to the code's default follows the default.
        if setting.rule in RULES_BY_KEY and isinstance(setting.thresholds, dict):
            setting.thresholds = overrides_only(setting.rule, setting.thresholds)
        super().save_model(request, setting, form, change)


class PlayEventInline(admin.TabularInline):
    model = PlayEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "user", "action", "detail"]

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(Play)
class PlayAdmin(admin.ModelAdmin):
    list_display = ["title", "rule", "account", "owner", "priority", "urgent", "status",
                    "created_at"]
    list_filter = ["status", "urgent", "rule"]
    search_fields = ["title", "account__name", "account__external_id", "subject"]
    raw_id_fields = ["account", "owner"]
    inlines = [PlayEventInline]


@admin.register(DigestSent)
class DigestSentAdmin(admin.ModelAdmin):
    list_display = ["day", "user", "plays", "claimed_at", "sent_at"]
    list_filter = ["day"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["user", "day", "plays", "claimed_at", "sent_at"]
