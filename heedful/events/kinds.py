"""The columns of events and of what customers said at them (``heedful.core.kinds``): the
pages' forms and the API's fields follow from these. Who was invited and who came is
written by inviting and by the attendee import (``services.py``), not by these columns."""

from datetime import datetime

from heedful.core.kinds import Column, RecordKind, Shown
from heedful.events.models import Event, FeedbackItem

EVENT = RecordKind(
    model=Event,
    columns=(
        Column("topic", required=True),
        Column("format", required=True),
        Column(
            "starts_at", required=True, description="ISO 8601; without a time zone it is UTC."
        ),
        Column("ends_at", required=True),
        Column("location"),
        Column("family", description="The product family's name it is about, if one."),
        Column(
            "host_username", field="host", defaults_to_you=True,
            description="Who on our side hosts it.",
        ),
    ),
    shown=(
        Shown("id", int),
        Shown(
            "attendance_recorded_at", datetime | None,
            description="When who came was recorded; empty until then.",
        ),
    ),
)

FEEDBACK_ITEM = RecordKind(
    model=FeedbackItem,
    columns=(
        Column("account_external_id", field="account", required=True),
        Column(
            "contact_external_id", field="contact",
            description="Who said it, if one of the account's contacts.",
        ),
        Column("family", description="The product family's name it is about, if one."),
        Column("theme", required=True),
        Column("said", required=True),
    ),
    shown=(
        Shown("id", int),
        Shown(
            "event_id", int | None, read=lambda item: item.event_id,
            description="The event where it was said (set on the event's page); empty if "
            "said elsewhere.",
        ),
        Shown("recorded_at", datetime),
    ),
)
