"""API input and output of timeline interactions (CSV field names)."""

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from heedful.core.rest import Moment
from heedful.interactions.kinds import INTERACTION

InteractionIn, InteractionPatch, InteractionOut, InteractionPage = (
    INTERACTION.schemas("Interaction")
)


class InteractionFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    kind: str | None = None
    username: Annotated[str | None, FilterLookup("user__username")] = None
    occurred_from: Annotated[Moment | None, FilterLookup("occurred_at__gte")] = None
    occurred_to: Annotated[Moment | None, FilterLookup("occurred_at__lte")] = None
