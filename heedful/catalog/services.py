"""Reading and writing the product catalogue (products, releases: everyone reads them, admins
write them) and holdings, contracts and adverse changes, as the user may see them."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from heedful.accounts import records
from heedful.accounts.visibility import visible_accounts
from heedful.catalog.forms import (
    AdverseChangeForm,
    ContractForm,
    HoldingForm,
    ProductForm,
    ReleaseForm,
)
from heedful.catalog.models import (
    AdverseChange,
    Contract,
    Holding,
    Product,
    ProductFamily,
    Release,
)
from heedful.core.exceptions import NotAllowed
from heedful.core.models import User


def _may_change_catalogue(user: User) -> None:
    if not user.is_staff:
        raise NotAllowed("Only an admin may change the product catalogue.")


def _with_family(data: Mapping[str, Any]) -> None:
    """Make the family a product names, when the name is a valid one and new (the CSV import
    does the same); an invalid name is left for the form to refuse."""
    name = data.get("family")
    if not isinstance(name, str) or not name.strip():
        return
    family = ProductFamily(name=name.strip())
    try:
        family.full_clean(validate_unique=False)
    except ValidationError:
        return
    ProductFamily.objects.get_or_create(name=family.name)


def get_all_products(*, user: User) -> QuerySet[Product]:
    return Product.objects.select_related("family")


def get_product_or_raise(*, user: User, sku: str) -> Product:
    return records.get_or_raise(get_all_products(user=user), sku=sku)


def create_product(*, user: User, data: Mapping[str, Any]) -> Product:
    _may_change_catalogue(user)
    with transaction.atomic():
        _with_family(data)
        return records.create_with_form(ProductForm, user=user, data=data)  # type: ignore[no-any-return]


def update_product(*, user: User, sku: str, changes: Mapping[str, Any]) -> Product:
    _may_change_catalogue(user)
    with transaction.atomic():
        _with_family(changes)
        return records.update_with_form(
            ProductForm, user=user, queryset=get_all_products(user=user),
            lookup={"sku": sku}, changes=changes,
        )


def get_all_releases(*, user: User) -> QuerySet[Release]:
    return Release.objects.select_related("product")


def get_release_or_raise(*, user: User, id: int) -> Release:  # noqa: A002
    return records.get_or_raise(get_all_releases(user=user), pk=id)


def create_release(*, user: User, data: Mapping[str, Any]) -> Release:
    _may_change_catalogue(user)
    return records.create_with_form(ReleaseForm, user=user, data=data)  # type: ignore[no-any-return]


def update_release(*, user: User, id: int, changes: Mapping[str, Any]) -> Release:  # noqa: A002
    _may_change_catalogue(user)
    return records.update_with_form(
        ReleaseForm, user=user, queryset=get_all_releases(user=user), lookup={"pk": id},
        changes=changes,
    )


def get_all_holdings(*, user: User) -> QuerySet[Holding]:
    return Holding.objects.filter(account__in=visible_accounts(user)).select_related(
        "account", "product"
    )


def get_holding_or_raise(*, user: User, id: int) -> Holding:  # noqa: A002
    return records.get_or_raise(get_all_holdings(user=user), pk=id)


def create_holding(*, user: User, data: Mapping[str, Any]) -> Holding:
    return records.create_with_form(HoldingForm, user=user, data=data)


def update_holding(*, user: User, id: int, changes: Mapping[str, Any]) -> Holding:  # noqa: A002
    return records.update_with_form(
        HoldingForm, user=user, queryset=get_all_holdings(user=user), lookup={"pk": id},
        changes=changes,
    )


def get_all_contracts(*, user: User) -> QuerySet[Contract]:
    return Contract.objects.filter(account__in=visible_accounts(user)).select_related("account")


def get_contract_or_raise(*, user: User, external_id: str) -> Contract:
    return records.get_or_raise(get_all_contracts(user=user), external_id=external_id)


def create_contract(*, user: User, data: Mapping[str, Any]) -> Contract:
    return records.create_with_form(ContractForm, user=user, data=data)


def update_contract(*, user: User, external_id: str, changes: Mapping[str, Any]) -> Contract:
    return records.update_with_form(
        ContractForm, user=user, queryset=get_all_contracts(user=user),
        lookup={"external_id": external_id}, changes=changes,
    )


def get_all_adverse_changes(*, user: User) -> QuerySet[AdverseChange]:
    return AdverseChange.objects.filter(account__in=visible_accounts(user)).select_related(
        "account"
    )


def get_adverse_change_or_raise(*, user: User, id: int) -> AdverseChange:  # noqa: A002
    return records.get_or_raise(get_all_adverse_changes(user=user), pk=id)


def create_adverse_change(*, user: User, data: Mapping[str, Any]) -> AdverseChange:
    return records.create_with_form(AdverseChangeForm, user=user, data=data)


def update_adverse_change(
    *, user: User, id: int, changes: Mapping[str, Any]  # noqa: A002
) -> AdverseChange:
    return records.update_with_form(
        AdverseChangeForm, user=user, queryset=get_all_adverse_changes(user=user),
        lookup={"pk": id}, changes=changes,
    )
