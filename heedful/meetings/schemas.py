"""API input and output of meetings (the field names of ``MEETING``'s columns)."""

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from heedful.core.rest import Moment
from heedful.meetings.kinds import MEETING

MeetingIn, MeetingPatch, MeetingOut, MeetingPage = MEETING.schemas("Meeting")


class MeetingFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    status: str | None = None
    organizer_username: Annotated[str | None, FilterLookup("organizer__username")] = None
    starts_from: Annotated[Moment | None, FilterLookup("scheduled_start__gte")] = None
    starts_to: Annotated[Moment | None, FilterLookup("scheduled_start__lte")] = None
