"""The columns of a verifiable visit (``heedful.core.kinds``): the page's form and the API's
fields follow from these. The link, the code, the photo and the customer's answer are not
columns: the announcement, the photo upload and the customer's page write them."""

from datetime import datetime

from heedful.core.kinds import Column, RecordKind, Shown
from heedful.visits.models import Visit

VISIT = RecordKind(
    model=Visit,
    columns=(
        Column("account_external_id", field="account", required=True),
        Column("contact_external_id", field="contact", required=True),
        Column("visitor_username", field="visitor", required=True),
        Column("visitor_role", required=True),
        Column("work_order", required=True),
        Column("purpose", required=True),
        Column(
            "window_start", required=True,
            description="When the visitor arrives at the earliest. ISO 8601; without a time "
            "zone it is UTC.",
        ),
        Column(
            "window_end", required=True,
            description="When the visitor arrives at the latest: at most 12 hours after "
            "window_start.",
        ),
        Column("our_phone", required=True),
        Column("internal_notes"),
    ),
    shown=(
        Shown("id", int),
        Shown(
            "announced_at", datetime | None,
            description="When the visit was announced to the contact; empty until then.",
        ),
        Shown(
            "happened", str,
            description="What the customer answered after the visit: yes (as announced), no "
            "(something was different), or empty while they have not answered.",
        ),
    ),
)
