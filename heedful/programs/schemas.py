"""API input and output of the sponsor programme's visit cadences and leaders' requests to
see a customer (``VISIT_CADENCE``, ``JOIN_REQUEST``)."""

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from heedful.programs.kinds import JOIN_REQUEST, VISIT_CADENCE

VisitCadenceIn, VisitCadencePatch, VisitCadenceOut, VisitCadencePage = VISIT_CADENCE.schemas(
    "VisitCadence"
)

JoinRequestIn, JoinRequestPatch, JoinRequestOut, JoinRequestPage = JOIN_REQUEST.schemas(
    "JoinRequest"
)


class VisitCadenceFilter(FilterSchema):
    segment: str | None = None


class JoinRequestFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    leader_username: Annotated[str | None, FilterLookup("leader__username")] = None
