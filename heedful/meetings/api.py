"""REST endpoints of meetings (their pages are ``views.py``)."""

from ninja import Router

from heedful.core.rest import Resource, register
from heedful.meetings import schemas, services
from heedful.meetings.kinds import MEETING

router = Router()

MEETINGS = Resource(
    path="meetings", key="id",
    out=schemas.MeetingOut, page=schemas.MeetingPage, filters=schemas.MeetingFilter,
    create_schema=schemas.MeetingIn, patch_schema=schemas.MeetingPatch,
    orderings={
        "scheduled_start": "scheduled_start", "account_external_id": "account__external_id",
        "title": "title", "status": "status",
    },
    get_all=services.get_all, get_or_raise=services.get_or_raise,
    create=services.create, update=services.update,
    form_names=MEETING.form_names, joined_lists=MEETING.joined_lists,
)

register(router, MEETINGS, tag="meetings")
