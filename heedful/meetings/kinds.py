"""The columns of meetings and their action items (``heedful.core.kinds``): their API
fields and forms follow from these."""

from heedful.core.kinds import Column, RecordKind, Shown
from heedful.meetings.models import ActionItem, Meeting

MEETING = RecordKind(
    model=Meeting,
    columns=(
        Column("account_external_id", field="account", required=True),
        Column("title", required=True),
        Column("status"),
        Column(
            "scheduled_start", required=True, description="ISO 8601; without a time zone it is UTC."
        ),
        Column("scheduled_end", required=True),
        Column("actual_start"),
        Column("actual_end"),
        Column("location"),
        Column("language"),
        Column("objective"),
        Column("customer_value"),
        Column("notes"),
        Column("playback_summary"),
        Column(
            "organizer_username", field="organizer", defaults_to_you=True,
            description="Who on our side organises it.",
        ),
        Column(
            "opportunity_external_ids", field="opportunities",
            description="The deals the meeting serves (found by date when left out).",
        ),
    ),
    shown=(Shown("id", int),),
)

ACTION_ITEM = RecordKind(
    model=ActionItem,
    columns=(
        Column("what", required=True),
        Column("owner_username", field="user", description="The owner, if one of our people."),
        Column(
            "owner_contact_external_id", field="contact",
            description="The owner, if one of the customer's people.",
        ),
        Column("due", field="due_on"),
        Column("status"),
    ),
    shown=(Shown("id", int),),
)
