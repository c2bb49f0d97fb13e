"""Validation of meetings and their action items, for the API and pages."""

from typing import Any

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.lib.validators import on_another_account
from heedful.meetings.kinds import ACTION_ITEM, MEETING
from heedful.meetings.models import ActionItem, Meeting


class MeetingForm(HeedfulModelForm):
    class Meta:
        model = Meeting
        fields = MEETING.form_fields

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        account = cleaned.get("account")
        strangers = [
            deal for deal in cleaned.get("opportunities") or []
            if account and deal.account_id != account.pk
        ]
        if strangers:
            keys = [deal.external_id for deal in strangers]
            self.add_error("opportunities", on_another_account("opportunity", keys))
        return cleaned


class ActionItemForm(HeedfulModelForm):
    """An action item of ``meeting``: a customer's owner must be a contact of its account."""

    class Meta:
        model = ActionItem
        fields = ACTION_ITEM.form_fields

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        contact = cleaned.get("contact")
        if contact is not None and contact.account_id != self.instance.meeting.account_id:
            self.add_error("contact", on_another_account("contact", [contact.external_id]))
        return cleaned
