"""REST endpoints of events and of what customers said (their pages are ``views.py``).
Events are on no account: everyone signed in reads and plans them, as on the pages. What a
customer said is on their account: the visibility rule holds. Inviting, e-mailing and the
attendee import stay on the event's page."""

from ninja import Router

from heedful.core.rest import Resource, register
from heedful.events import schemas, services
from heedful.events.kinds import EVENT, FEEDBACK_ITEM

router = Router()


EVENTS = Resource(
    path="events", key="id",
    out=schemas.EventOut, page=schemas.EventPage, filters=schemas.EventFilter,
    create_schema=schemas.EventIn, patch_schema=schemas.EventPatch,
    orderings={"starts_at": "starts_at", "topic": "topic", "format": "format"},
    get_all=services.get_all_events, get_or_raise=services.get_event_or_raise,
    create=services.create, update=services.update,
    form_names=EVENT.form_names, joined_lists=EVENT.joined_lists,
)

FEEDBACK_ITEMS = Resource(
    path="feedback-items", key="id",
    out=schemas.FeedbackItemOut, page=schemas.FeedbackItemPage,
    filters=schemas.FeedbackItemFilter,
    create_schema=schemas.FeedbackItemIn, patch_schema=schemas.FeedbackItemPatch,
    orderings={
        "recorded_at": "recorded_at", "account_external_id": "account__external_id",
        "theme": "theme",
    },
    get_all=services.get_all_feedback_items, get_or_raise=services.get_feedback_item_or_raise,
    create=services.create_feedback_item, update=services.update_feedback_item,
    form_names=FEEDBACK_ITEM.form_names, joined_lists=FEEDBACK_ITEM.joined_lists,
)

register(router, EVENTS, tag="events")
register(router, FEEDBACK_ITEMS, tag="feedback items")
