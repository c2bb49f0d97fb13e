"""API input and output of opportunities (CSV field names)."""

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from heedful.core.rest import Day, Moment
from heedful.sales.kinds import OPPORTUNITY, OPPORTUNITY_PRODUCT, QUOTA, STAGE_CHANGE

OpportunityIn, OpportunityPatch, OpportunityOut, OpportunityPage = (
    OPPORTUNITY.schemas("Opportunity")
)


class OpportunityFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    owner_username: Annotated[str | None, FilterLookup("owner__username")] = None
    stage: str | None = None
    is_open: Annotated[bool | None, FilterLookup("closed_on__isnull")] = None
    close_from: Annotated[Day | None, FilterLookup("close_date__gte")] = None
    close_to: Annotated[Day | None, FilterLookup("close_date__lte")] = None


StageChangeIn, StageChangePatch, StageChangeOut, StageChangePage = (
    STAGE_CHANGE.schemas("StageChange")
)


class OpportunityPartFilter(FilterSchema):
    """The filters every record on an opportunity (a stage it entered, a product on it)
    takes: the opportunity, and its account."""

    opportunity_external_id: Annotated[
        str | None, FilterLookup("opportunity__external_id")
    ] = None
    account_external_id: Annotated[
        str | None, FilterLookup("opportunity__account__external_id")
    ] = None


class StageChangeFilter(OpportunityPartFilter):
    stage: str | None = None
    changed_from: Annotated[Moment | None, FilterLookup("changed_at__gte")] = None
    changed_to: Annotated[Moment | None, FilterLookup("changed_at__lte")] = None


OpportunityProductIn, OpportunityProductPatch, OpportunityProductOut, OpportunityProductPage = (
    OPPORTUNITY_PRODUCT.schemas("OpportunityProduct")
)


class OpportunityProductFilter(OpportunityPartFilter):
    sku: Annotated[str | None, FilterLookup("product__sku")] = None


QuotaIn, QuotaPatch, QuotaOut, QuotaPage = QUOTA.schemas("Quota")


class QuotaFilter(FilterSchema):
    username: Annotated[str | None, FilterLookup("user__username")] = None
    starts_on_or_before: Annotated[Day | None, FilterLookup("period_start__lte")] = None
    ends_on_or_after: Annotated[Day | None, FilterLookup("period_end__gte")] = None
