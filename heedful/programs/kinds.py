"""The columns of the sponsor programme's visit cadence (``heedful.core.kinds``): its form
and API fields follow from these."""

from heedful.core.kinds import Column, RecordKind
from heedful.programs.models import VisitCadence

VISIT_CADENCE = RecordKind(
    model=VisitCadence,
    columns=(
        Column("segment", required=True),
        Column("visit_every_days", required=True),
    ),
)
