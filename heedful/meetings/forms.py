"""Validation of meetings and their action items, for the API and pages."""

from typing import Any

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.meetings.kinds import ACTION_ITEM, MEETING
from heedful.meetings.models import ActionItem, Meeting


class MeetingForm(HeedfulModelForm):
    class Meta:
        model = Meeting
        fields = MEETING.form_fields

    on_the_same_account = {"opportunities": "opportunity"}


class ActionItemForm(HeedfulModelForm):
    """An action item of ``meeting``: a customer's owner must be a contact of its account."""

    class Meta:
        model = ActionItem
        fields = ACTION_ITEM.form_fields

    on_the_same_account = {"contact": "contact"}

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting

    def account_id_of_record(self) -> int | None:
        return self.instance.meeting.account_id
