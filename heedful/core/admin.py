from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from heedful.core.models import ApiToken, AuditEntry, User

# The role alone decides every power (ADR 0008): Django's permission groups would only look
# as if they did something.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "email", "role", "manager", "is_active")
    list_filter = ("role", "department", "is_senior", "is_active")
    search_fields = ("username", "full_name", "email", "first_name", "last_name")
    list_select_related = ("manager",)
    autocomplete_fields = ("manager",)
    # Django's "Permissions" section is left out: the role alone decides every power.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("full_name", "first_name", "last_name", "email")}),
        ("Heedful", {
            "fields": (
                "role", "manager", "start_date", "department", "title", "is_senior", "is_active",
            ),
            "description": "The role decides what the person may see and do: admins (only) "
            "open this admin site and change rule settings; executives and admins see every "
            "account.",
        }),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Heedful", {"fields": ("full_name", "role", "manager")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued by the API or the command line, where the raw token is shown once;
    here they can only be inspected and revoked (deleted)."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at")
    search_fields = ("name", "prefix", "user__username", "user__full_name")
    list_select_related = ("user",)
    readonly_fields = (
        "user", "name", "prefix", "token_hash", "created_at", "last_used_at", "expires_at",
    )

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "user", "action", "subject")
    list_filter = ("action",)
    search_fields = ("subject", "action", "user__username")
    date_hierarchy = "occurred_at"
    list_select_related = ("user",)
    readonly_fields = ("occurred_at", "user", "action", "subject", "detail")

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False
