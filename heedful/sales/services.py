"""Reading and writing opportunities and quotas, as the user may see them; every stage an
opportunity enters is kept as a StageChange."""

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from heedful.accounts import records
from heedful.accounts.record_forms import HeedfulModelForm
from heedful.accounts.visibility import visible_accounts, visible_users
from heedful.core.exceptions import InvalidInput
from heedful.core.models import User
from heedful.lib.money import Money
from heedful.sales.forms import OpportunityForm, QuotaForm
from heedful.sales.models import Opportunity, Quota, StageChange


def get_all(*, user: User) -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(account__in=visible_accounts(user)).select_related(
        "account", "owner"
    )


def get_or_raise(*, user: User, external_id: str) -> Opportunity:
    return records.get_or_raise(get_all(user=user), external_id=external_id)


def _record_stage_change(form: HeedfulModelForm, opportunity: Opportunity) -> None:
    if "stage" in form.changed_data or not opportunity.stage_changes.exists():
        StageChange.objects.create(
            opportunity=opportunity, stage=opportunity.stage, changed_at=timezone.now()
        )


def create(*, user: User, data: Mapping[str, Any]) -> Opportunity:
    """A new opportunity; its owner is ``user`` unless ``data`` names one."""
    return records.create_with_form(
        OpportunityForm, user=user, data={"owner": user.username, **data},
        after_save=_record_stage_change,
    )


def update(*, user: User, external_id: str, changes: Mapping[str, Any]) -> Opportunity:
    return records.update_with_form(
        OpportunityForm, user=user, queryset=get_all(user=user),
        lookup={"external_id": external_id}, changes=changes, after_save=_record_stage_change,
    )


# --- Quotas --------------------------------------------------------------------------------


def get_all_quotas(*, user: User) -> QuerySet[Quota]:
    """The quotas of the people ``user`` may see."""
    return Quota.objects.filter(user__in=visible_users(user)).select_related("user")


def get_quota_or_raise(*, user: User, id: int) -> Quota:  # noqa: A002
    return records.get_or_raise(get_all_quotas(user=user), pk=id)


def create_quota(*, user: User, data: Mapping[str, Any]) -> Quota:
    return records.create_with_form(QuotaForm, user=user, data=data)


def update_quota(*, user: User, id: int, changes: Mapping[str, Any]) -> Quota:  # noqa: A002
    return records.update_with_form(
        QuotaForm, user=user, queryset=get_all_quotas(user=user), lookup={"pk": id},
        changes=changes,
    )


class QuotaInSeveralCurrencies(InvalidInput):
    """The quotas over a window are in more than one currency: no one sum is honest."""


CENT = Decimal("0.01")


def quota_for(*, user: User, date_from: date, date_to: date) -> Money | None:
    """What ``user`` is to sell from ``date_from`` to ``date_to`` (both days included): the
    quotas whose periods overlap the window, each counted for the share of its days that lie
    inside it (a yearly quota of 400,000 gives 100,000-odd for a quarter), rounded to the
    cent. None when no quota overlaps. Raises QuotaInSeveralCurrencies when the overlapping
    quotas are in different currencies (never summed together)."""
    quotas = list(
        Quota.objects.filter(
            user=user, period_start__lte=date_to, period_end__gte=date_from
        ).values_list("period_start", "period_end", "amount", "currency")
    )
    if not quotas:
        return None
    currencies = sorted({currency for _start, _end, _amount, currency in quotas})
    if len(currencies) > 1:
        raise QuotaInSeveralCurrencies(
            f"{user.display_name}'s quotas from {date_from} to {date_to} are in "
            f"{', '.join(currencies)}; set them in one currency.",
            {"currency": ["Quotas that overlap one window must share a currency."]},
        )
    total = Decimal(0)
    for start, end, amount, _currency in quotas:
        days = (end - start).days + 1
        inside = (min(end, date_to) - max(start, date_from)).days + 1
        total += amount * inside / days
    return Money(total.quantize(CENT, rounding=ROUND_HALF_UP), currencies[0])
