"""API input and output of reviews (``REVIEW``'s columns, with their coaching points and
follow-ups read-only inside)."""

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from heedful.coaching.kinds import REVIEW
from heedful.core.rest import Day

ReviewIn, ReviewPatch, ReviewOut, ReviewPage = REVIEW.schemas("Review")


class ReviewFilter(FilterSchema):
    rep_username: Annotated[str | None, FilterLookup("rep__username")] = None
    manager_username: Annotated[str | None, FilterLookup("manager__username")] = None
    kind: str | None = None
    held_from: Annotated[Day | None, FilterLookup("held_on__gte")] = None
    held_to: Annotated[Day | None, FilterLookup("held_on__lte")] = None
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
