from django.contrib import admin

from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("name", "external_id", "owner", "status", "segment", "industry", "country")
    list_filter = ("status", "segment", "industry", "country")
    search_fields = ("name", "external_id", "aliases", "phone", "website")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner",)
    inlines = [TeamMembershipInline]


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    list_display = ("account", "user", "role", "start_date", "end_date")
    list_filter = ("role",)
    search_fields = ("account__name", "account__external_id", "user__username", "user__full_name")
    list_select_related = ("account", "user")
    autocomplete_fields = ("account", "user")


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
    autocomplete_fields = ("account",)


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ("headline", "account", "occurred_on", "sentiment")
    list_filter = ("sentiment",)
    search_fields = ("headline", "account__name")
    date_hierarchy = "occurred_on"
    list_select_related = ("account",)
    autocomplete_fields = ("account",)
