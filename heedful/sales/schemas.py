"""API input and output of opportunities (CSV field names)."""

from datetime import date
from typing import Annotated

from ninja import FilterLookup, FilterSchema

from heedful.sales.kinds import OPPORTUNITY, QUOTA

OpportunityIn, OpportunityPatch, OpportunityOut, OpportunityPage = (
    OPPORTUNITY.schemas("Opportunity")
)


class OpportunityFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    owner_username: Annotated[str | None, FilterLookup("owner__username")] = None
    stage: str | None = None
    is_open: Annotated[bool | None, FilterLookup("closed_on__isnull")] = None
    close_from: Annotated[date | None, FilterLookup("close_date__gte")] = None
    close_to: Annotated[date | None, FilterLookup("close_date__lte")] = None


QuotaIn, QuotaPatch, QuotaOut, QuotaPage = QUOTA.schemas("Quota")


class QuotaFilter(FilterSchema):
    username: Annotated[str | None, FilterLookup("user__username")] = None
    starts_on_or_before: Annotated[date | None, FilterLookup("period_start__lte")] = None
    ends_on_or_after: Annotated[date | None, FilterLookup("period_end__gte")] = None
