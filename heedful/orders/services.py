"""Reading and writing orders, as the user may see them."""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from heedful.accounts import records
from heedful.accounts.visibility import visible_accounts
from heedful.core.models import User
from heedful.orders.forms import OrderForm
from heedful.orders.models import Order


def get_all(*, user: User) -> QuerySet[Order]:
    return Order.objects.filter(account__in=visible_accounts(user)).select_related("account")


def get_or_raise(*, user: User, external_id: str) -> Order:
    return records.get_or_raise(get_all(user=user), external_id=external_id)


def create(*, user: User, data: Mapping[str, Any]) -> Order:
    return records.create_with_form(OrderForm, user=user, data=data)


def update(*, user: User, external_id: str, changes: Mapping[str, Any]) -> Order:
    return records.update_with_form(
        OrderForm, user=user, queryset=get_all(user=user), lookup={"external_id": external_id},
        changes=changes,
    )
