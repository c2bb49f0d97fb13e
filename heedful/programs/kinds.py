"""The columns of the sponsor programme's visit cadence and of a leader's request to see a
customer (``heedful.core.kinds``): their forms and API fields follow from these."""

from datetime import datetime

from heedful.core.kinds import Column, RecordKind, Shown
from heedful.programs.models import JoinRequest, VisitCadence

VISIT_CADENCE = RecordKind(
    model=VisitCadence,
    columns=(
        Column("segment", required=True),
        Column("visit_every_days", required=True),
    ),
)

JOIN_REQUEST = RecordKind(
    model=JoinRequest,
    columns=(
        Column("account_external_id", field="account", required=True),
        Column("note"),
    ),
    shown=(
        Shown("id", int),
        Shown(
            "leader_username", str, read=lambda request: request.leader.username,
            description="The leader who asks: whoever sent the request.",
        ),
        Shown("asked_at", datetime),
    ),
)
