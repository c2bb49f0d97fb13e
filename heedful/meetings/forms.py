"""Validation of meetings and their action items, for the API and pages."""

from typing import Any

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.meetings.kinds import ACTION_ITEM, MEETING
from heedful.meetings.models import ActionItem, Meeting


class MeetingForm(HeedfulModelForm):
    class Meta:
        model = Meeting
        fields = MEETING.form_fields

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.refuse_records_of_another_account("opportunities", noun="opportunity")
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
        self.refuse_records_of_another_account(
            "contact", noun="contact", account_id=self.instance.meeting.account_id
        )
        return cleaned
