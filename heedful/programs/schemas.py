"""API input and output of the sponsor programme's visit cadences (``VISIT_CADENCE``)."""

from ninja import FilterSchema

from heedful.programs.kinds import VISIT_CADENCE

VisitCadenceIn, VisitCadencePatch, VisitCadenceOut, VisitCadencePage = VISIT_CADENCE.schemas(
    "VisitCadence"
)


class VisitCadenceFilter(FilterSchema):
    segment: str | None = None
