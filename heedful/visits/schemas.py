"""API input and output of visits (the field names of ``VISIT``'s columns)."""

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from heedful.core.rest import Moment
from heedful.visits.kinds import VISIT

VisitIn, VisitPatch, VisitOut, VisitPage = VISIT.schemas("Visit")


class VisitFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    visitor_username: Annotated[str | None, FilterLookup("visitor__username")] = None
    starts_from: Annotated[Moment | None, FilterLookup("window_start__gte")] = None
    starts_to: Annotated[Moment | None, FilterLookup("window_start__lte")] = None
