"""REST endpoints of opportunities, their stage changes and products, and quotas."""

from ninja import Router

from heedful.core.rest import Resource, register
from heedful.sales import schemas, services
from heedful.sales.kinds import OPPORTUNITY, OPPORTUNITY_PRODUCT, QUOTA, STAGE_CHANGE

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

STAGE_CHANGES = Resource(
    path="stage-changes", key="id",
    out=schemas.StageChangeOut, page=schemas.StageChangePage, filters=schemas.StageChangeFilter,
    create_schema=schemas.StageChangeIn, patch_schema=schemas.StageChangePatch,
    orderings={
        "changed_at": "changed_at", "stage": "stage",
        "opportunity_external_id": "opportunity__external_id",
    },
    get_all=services.get_all_stage_changes, get_or_raise=services.get_stage_change_or_raise,
    create=services.create_stage_change, update=services.update_stage_change,
    form_names=STAGE_CHANGE.form_names, joined_lists=STAGE_CHANGE.joined_lists,
)

OPPORTUNITY_PRODUCTS = Resource(
    path="opportunity-products", key="id",
    out=schemas.OpportunityProductOut, page=schemas.OpportunityProductPage,
    filters=schemas.OpportunityProductFilter,
    create_schema=schemas.OpportunityProductIn, patch_schema=schemas.OpportunityProductPatch,
    orderings={
        "opportunity_external_id": "opportunity__external_id", "sku": "product__sku",
        "quantity": "quantity", "unit_price": "unit_price",
    },
    get_all=services.get_all_opportunity_products,
    get_or_raise=services.get_opportunity_product_or_raise,
    create=services.create_opportunity_product, update=services.update_opportunity_product,
    form_names=OPPORTUNITY_PRODUCT.form_names, joined_lists=OPPORTUNITY_PRODUCT.joined_lists,
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
register(router, STAGE_CHANGES, tag="stage changes")
register(router, OPPORTUNITY_PRODUCTS, tag="opportunity products")
register(router, QUOTAS, tag="quotas")
