"""REST endpoints of opportunities and quotas."""

from ninja import Router

from heedful.core.rest import Resource, register
from heedful.sales import schemas, services
from heedful.sales.kinds import OPPORTUNITY, QUOTA

router = Router()

OPPORTUNITIES = Resource(
    path="opportunities", key="external_id",
    out=schemas.OpportunityOut, page=schemas.OpportunityPage, filters=schemas.OpportunityFilter,
    create_schema=schemas.OpportunityIn, patch_schema=schemas.OpportunityPatch,
    orderings={
        "external_id": "external_id", "account_external_id": "account__external_id",
        "name": "name", "stage": "stage", "amount": "amount", "close_date": "close_date",
        "owner_username": "owner__username",
    },
    get_all=services.get_all, get_or_raise=services.get_or_raise,
    create=services.create, update=services.update,
    form_names=OPPORTUNITY.form_names, joined_lists=OPPORTUNITY.joined_lists,
)

QUOTAS = Resource(
    path="quotas", key="id",
    out=schemas.QuotaOut, page=schemas.QuotaPage, filters=schemas.QuotaFilter,
    create_schema=schemas.QuotaIn, patch_schema=schemas.QuotaPatch,
    orderings={
        "username": "user__username", "period_start": "period_start",
        "period_end": "period_end", "amount": "amount",
    },
    get_all=services.get_all_quotas, get_or_raise=services.get_quota_or_raise,
    create=services.create_quota, update=services.update_quota,
    form_names=QUOTA.form_names, joined_lists=QUOTA.joined_lists,
)

register(router, OPPORTUNITIES, tag="opportunities")
register(router, QUOTAS, tag="quotas")
