from django.contrib import admin

from heedful.meetings.models import ActionItem, AgendaItem, Attendee, Meeting, SharedPage


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0
    raw_id_fields = ("user", "contact")


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    raw_id_fields = ("user", "contact")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("scheduled_start", "title", "account", "status", "language")
    list_filter = ("status",)
    search_fields = ("title", "account__name", "account__external_id")
    date_hierarchy = "scheduled_start"
    list_select_related = ("account",)
    raw_id_fields = ("account", "organizer", "opportunities")
    readonly_fields = ("calendar_key", "created_at")
    inlines = (AttendeeInline, AgendaItemInline, ActionItemInline)


@admin.register(SharedPage)
class SharedPageAdmin(admin.ModelAdmin):
    """Links can be seen and revoked here; the token itself is never shown again."""

    list_display = ("meeting", "created_by", "created_at", "expires_at", "revoked_at")
    readonly_fields = ("meeting", "token_hash", "created_by", "created_at")
