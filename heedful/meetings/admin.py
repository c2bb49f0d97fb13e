from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from heedful.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendee,
    ConversationBands,
    Meeting,
    SharedPage,
)


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0
    raw_id_fields = ("user", "contact")
    readonly_fields = ("from_invitation",)


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
    readonly_fields = ("calendar_key", "account_set_by_hand", "created_at")
    inlines = (AttendeeInline, AgendaItemInline, ActionItemInline)

    def save_model(self, request: HttpRequest, obj: Meeting, form: Any, change: bool) -> None:
        # A person chose the account here, as on the meeting's page: a calendar import must
        # not move it back (meetings.services.update does the same).
        if change and "account" in form.changed_data:
            obj.account_set_by_hand = True
        super().save_model(request, obj, form, change)


@admin.register(SharedPage)
class SharedPageAdmin(admin.ModelAdmin):
    """Links can be seen and revoked here; the token itself is never shown again."""

    list_display = ("meeting", "created_by", "created_at", "expires_at", "revoked_at")
    readonly_fields = ("meeting", "token_hash", "created_by", "created_at")


@admin.register(ConversationBands)
class ConversationBandsAdmin(admin.ModelAdmin):
    """One row: the bands every meeting page and the question-ratio rule read. Deleting it
    puts the defaults back."""

    list_display = (
        "__str__", "internal_talk_share_low", "internal_talk_share_high",
        "minimum_question_ratio", "longest_monologue_seconds", "updated_at",
    )
    fields = (
        "internal_talk_share_low", "internal_talk_share_high", "minimum_question_ratio",
        "longest_monologue_seconds",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not ConversationBands.objects.exists()

    def save_model(
        self, request: HttpRequest, obj: ConversationBands, form: Any, change: bool
    ) -> None:
        obj.updated_by = request.user if request.user.is_authenticated else None
        super().save_model(request, obj, form, change)
