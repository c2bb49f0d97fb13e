"""The columns of opportunities (``heedful.core.kinds``): their CSV format, API fields and
form follow from these."""

from heedful.core.kinds import Column, RecordKind, Shown
from heedful.sales.models import Opportunity, Quota

OPPORTUNITY = RecordKind(
    model=Opportunity,
    columns=(
        Column("external_id", required=True),
        Column("account_external_id", field="account", required=True),
        Column("name", required=True),
        Column("owner_username", field="owner", required=True, defaults_to_you=True),
        Column("stage", required=True),
        Column("amount", description="A decimal string, e.g. \"50000.00\"."),
        Column("currency", description="ISO 4217 code, e.g. USD; required with an amount."),
        Column("created_on"),
        Column("close_date", description="When it is expected to close."),
        Column("closed_on", description="When it closed; empty while open."),
        Column("won", description="Empty while open."),
    ),
)

QUOTA = RecordKind(
    model=Quota,
    columns=(
        Column("username", field="user", required=True),
        Column("period_start", required=True),
        Column("period_end", required=True),
        Column("amount", required=True, description="A decimal string, e.g. \"250000.00\"."),
        Column("currency", required=True),
    ),
    shown=(Shown("id", int),),
)
