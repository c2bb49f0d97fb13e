"""REST endpoints of products, releases, holdings, contracts and adverse changes."""

from ninja import Router

from heedful.catalog import schemas, services
from heedful.catalog.kinds import ADVERSE_CHANGE, CONTRACT, HOLDING, PRODUCT, RELEASE
from heedful.core.rest import Resource, register

router = Router()

PRODUCTS = Resource(
    path="products", key="sku",
    out=schemas.ProductOut, page=schemas.ProductPage, filters=schemas.ProductFilter,
    create_schema=schemas.ProductIn, patch_schema=schemas.ProductPatch,
    orderings={"sku": "sku", "name": "name", "family": "family__name"},
    get_all=services.get_all_products, get_or_raise=services.get_product_or_raise,
    create=services.create_product, update=services.update_product,
    form_names=PRODUCT.form_names, joined_lists=PRODUCT.joined_lists,
)
RELEASES = Resource(
    path="releases", key="id",
    out=schemas.ReleaseOut, page=schemas.ReleasePage, filters=schemas.ReleaseFilter,
    create_schema=schemas.ReleaseIn, patch_schema=schemas.ReleasePatch,
    orderings={"release_on": "release_on", "sku": "product__sku", "name": "name"},
    get_all=services.get_all_releases, get_or_raise=services.get_release_or_raise,
    create=services.create_release, update=services.update_release,
    form_names=RELEASE.form_names, joined_lists=RELEASE.joined_lists,
)
HOLDINGS = Resource(
    path="holdings", key="id",
    out=schemas.HoldingOut, page=schemas.HoldingPage, filters=schemas.HoldingFilter,
    create_schema=schemas.HoldingIn, patch_schema=schemas.HoldingPatch,
    orderings={
        "account_external_id": "account__external_id", "sku": "product__sku",
        "quantity": "quantity", "maintenance_end": "maintenance_end",
    },
    get_all=services.get_all_holdings, get_or_raise=services.get_holding_or_raise,
    create=services.create_holding, update=services.update_holding,
    form_names=HOLDING.form_names, joined_lists=HOLDING.joined_lists,
)
CONTRACTS = Resource(
    path="contracts", key="external_id",
    out=schemas.ContractOut, page=schemas.ContractPage, filters=schemas.ContractFilter,
    create_schema=schemas.ContractIn, patch_schema=schemas.ContractPatch,
    orderings={
        "external_id": "external_id", "account_external_id": "account__external_id",
        "name": "name", "start_date": "start_date", "end_date": "end_date",
        "recurring_amount": "recurring_amount",
    },
    get_all=services.get_all_contracts, get_or_raise=services.get_contract_or_raise,
    create=services.create_contract, update=services.update_contract,
    form_names=CONTRACT.form_names, joined_lists=CONTRACT.joined_lists,
)
ADVERSE_CHANGES = Resource(
    path="adverse-changes", key="id",
    out=schemas.AdverseChangeOut, page=schemas.AdverseChangePage,
    filters=schemas.AdverseChangeFilter,
    create_schema=schemas.AdverseChangeIn, patch_schema=schemas.AdverseChangePatch,
    orderings={
        "account_external_id": "account__external_id", "kind": "kind",
        "effective_on": "effective_on", "recorded_on": "recorded_on",
    },
    get_all=services.get_all_adverse_changes, get_or_raise=services.get_adverse_change_or_raise,
    create=services.create_adverse_change, update=services.update_adverse_change,
    form_names=ADVERSE_CHANGE.form_names, joined_lists=ADVERSE_CHANGE.joined_lists,
)

register(router, PRODUCTS, tag="products")
register(router, RELEASES, tag="releases")
register(router, HOLDINGS, tag="holdings")
register(router, CONTRACTS, tag="contracts")
register(router, ADVERSE_CHANGES, tag="adverse changes")
