"""Reading and writing holdings, contracts and adverse changes, as the user may see them."""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from heedful.accounts import records
from heedful.accounts.visibility import visible_accounts
from heedful.catalog.forms import AdverseChangeForm, ContractForm, HoldingForm
from heedful.catalog.models import AdverseChange, Contract, Holding
from heedful.core.models import User


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
