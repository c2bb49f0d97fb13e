from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from heedful.accounts import ownership
from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership, TeamRole


class TeamMembershipInline(admin.TabularInline):
    """The account's team. Owner rows are the ownership history: they are shown here but
    changed through the account's owner field or the team membership page, both of which
    go through ``ownership``."""

    model = TeamMembership
    extra = 0
    autocomplete_fields = ("user",)

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("name", "external_id", "owner", "status", "segment", "industry", "country")
    list_filter = ("status", "segment", "industry", "country")
    search_fields = ("name", "external_id", "aliases", "phone", "website")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner",)
    inlines = [TeamMembershipInline]

    def save_model(self, request: HttpRequest, obj: Account, form: ModelForm, change: bool) -> None:
        """The owner chosen here is written from today on by ``ownership``, like every
        other path; the cache column is never saved directly."""
        chosen = obj.owner_id
        obj.owner_id = form.initial.get("owner")  # as stored: ownership moves it below
        super().save_model(request, obj, form, change)
        if chosen != obj.owner_id:
            ownership.set_owners({obj.pk: chosen})
            obj.refresh_from_db(fields=["owner"])


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    list_display = ("account", "user", "role", "start_date", "end_date")
    list_filter = ("role",)
    search_fields = ("account__name", "account__external_id", "user__username", "user__full_name")
    list_select_related = ("account", "user")
    autocomplete_fields = ("account", "user")

    def save_model(
        self, request: HttpRequest, obj: TeamMembership, form: ModelForm, change: bool
    ) -> None:
        stored_role = form.initial.get("role") if change else None
        obj.pk = ownership.save_membership(obj, stored_role=stored_role).pk

    def delete_model(self, request: HttpRequest, obj: TeamMembership) -> None:
        if obj.role == TeamRole.OWNER:
            ownership.remove_period(account_id=obj.account_id, membership_id=obj.pk)
        else:
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TeamMembership]) -> None:
        for membership in queryset:
            self.delete_model(request, membership)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = (
        "full_name", "preferred_name", "account", "title", "role_type", "is_key",
        "preferred_channel", "do_not_contact",
    )
    list_filter = ("role_type", "is_key", "preferred_channel", "do_not_contact")
    search_fields = (
        "full_name", "preferred_name", "email", "phone", "external_id", "account__name",
    )
    list_select_related = ("account",)
    autocomplete_fields = ("account", "reports_to")


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ("headline", "account", "occurred_on", "sentiment")
    list_filter = ("sentiment",)
    search_fields = ("headline", "account__name")
    date_hierarchy = "occurred_on"
    list_select_related = ("account",)
    autocomplete_fields = ("account",)
