"""The columns of tickets, service metrics and scope records (``heedful.core.kinds``): their
CSV formats, API fields and forms follow from these."""

from heedful.core.kinds import Column, RecordKind, Shown
from heedful.support.models import ScopeRecord, ServiceMetric, Ticket

TICKET = RecordKind(
    model=Ticket,
    columns=(
        Column("external_id", required=True),
        Column("account_external_id", field="account", required=True),
        Column("contact_external_id", field="contact"),
        Column(
            "opened_at", required=True, description="ISO 8601; without a time zone it is UTC."
        ),
        Column("severity", required=True, description="1 (highest) to 4."),
        Column("subject"),
        Column("status", required=True),
        Column("resolved_at"),
    ),
)

SERVICE_METRIC = RecordKind(
    model=ServiceMetric,
    columns=(
        Column("account_external_id", field="account", required=True),
        Column("period", required=True, description="The month, YYYY-MM."),
        Column("metric", required=True),
        Column("target", required=True),
        Column("actual", required=True),
        Column("higher_is_better"),
    ),
    shown=(
        Shown("id", int),
        Shown("met_target", bool, read=lambda metric: metric.met_target),
    ),
)

SCOPE_RECORD = RecordKind(
    model=ScopeRecord,
    columns=(
        Column("account_external_id", field="account", required=True),
        Column("period", required=True, description="The month, YYYY-MM."),
        Column("function", required=True),
        Column("contracted_quantity", required=True),
        Column("delivered_quantity", required=True),
    ),
    shown=(Shown("id", int),),
)
