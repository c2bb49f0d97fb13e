"""API input and output of events and of what customers said (``EVENT``, ``FEEDBACK_ITEM``)."""

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from heedful.core.rest import Moment
from heedful.events.kinds import EVENT, FEEDBACK_ITEM

EventIn, EventPatch, EventOut, EventPage = EVENT.schemas("Event")
FeedbackItemIn, FeedbackItemPatch, FeedbackItemOut, FeedbackItemPage = FEEDBACK_ITEM.schemas(
    "FeedbackItem"
)


class EventFilter(FilterSchema):
    format: str | None = None
    family: Annotated[str | None, FilterLookup("family__name")] = None
    starts_from: Annotated[Moment | None, FilterLookup("starts_at__gte")] = None
    starts_to: Annotated[Moment | None, FilterLookup("starts_at__lte")] = None


class FeedbackItemFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    event_id: int | None = None
    theme: str | None = None
    family: Annotated[str | None, FilterLookup("family__name")] = None
