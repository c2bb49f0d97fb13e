"""The columns of timeline interactions (``heedful.core.kinds``): their CSV format, API
fields and form follow from these."""

from heedful.core.kinds import Column, RecordKind, Shown
from heedful.interactions.models import Interaction

INTERACTION = RecordKind(
    model=Interaction,
    columns=(
        Column("account_external_id", field="account", required=True),
        Column(
            "occurred_at", required=True, description="ISO 8601; without a time zone it is UTC."
        ),
        Column("kind", required=True),
        Column("direction"),
        Column(
            "username", field="user", defaults_to_you=True,
            description="Who on our side took part.",
        ),
        Column("contact_external_ids", field="contacts"),
        Column("subject"),
        Column("tags", is_list=True, description="Free tags, stored lower-case."),
    ),
    shown=(Shown("id", int),),
)
