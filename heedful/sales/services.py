"""Reading and writing opportunities, their products and quotas, as the user may see them;
every stage an opportunity enters is kept as a StageChange, and every move of its close date
as a CloseDateChange (here for the form and the API, and through ``record_close_date_moves``
for the CSV import and the CRM importers that go through it)."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from heedful.accounts import records
from heedful.accounts.record_forms import HeedfulModelForm
from heedful.accounts.visibility import visible_accounts, visible_users
from heedful.core.exceptions import InvalidInput
from heedful.core.models import User
from heedful.lib import clock
from heedful.lib.money import Money
from heedful.sales.forms import (
    OpportunityForm,
    OpportunityProductForm,
    QuotaForm,
    StageChangeForm,
)
from heedful.sales.models import (
    CloseDateChange,
    Opportunity,
    OpportunityProduct,
    Quota,
    StageChange,
)


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


def record_close_date_edit(
    *, form: forms.ModelForm, opportunity: Opportunity, by: User | None
) -> None:
    """After ``form`` edited ``opportunity`` (the API, the page or the admin), in its
    transaction: keep the move of its close date, if the form moved it. Call it on edits
    only: a new opportunity's first close date is no move."""
    if "close_date" in form.changed_data:
        record_close_date_moves(
            [(opportunity.pk, form.initial.get("close_date"), opportunity.close_date)], by=by
        )


def _record_history(form: HeedfulModelForm, opportunity: Opportunity) -> None:
    """After an update, in its transaction: the stage it entered, and the move of its close
    date."""
    _record_stage_change(form, opportunity)
    record_close_date_edit(form=form, opportunity=opportunity, by=form.user)


CloseDateMove = tuple[int, date | None, date | None]
"""(opportunity id, close date before, close date after)."""


class PastCloseDateMove(NamedTuple):
    """A move a CRM's history recorded: when it was made and by whom, not now (the import of
    Salesforce's ``OpportunityHistory``)."""

    opportunity_id: int
    before: date | None
    after: date | None
    changed_at: datetime
    changed_by_id: int | None


def record_close_date_moves(
    moves: Iterable[CloseDateMove | PastCloseDateMove], *, by: User | None,
    at: datetime | None = None,
) -> int:
    """Keep each move of an opportunity's close date (a move to the same date is none), as
    made by ``by`` (None: an import) at ``at`` (default now); a ``PastCloseDateMove`` keeps
    its own time and person, and is kept once: one already kept (same opportunity, dates and
    time) is not kept again, so a history imported twice adds nothing. Returns how many were
    kept. Every writer of opportunities calls it in its transaction: the form and API through
    ``create``/``update``, the CSV import (and the Salesforce and HubSpot importers, which
    write through it) in ``OpportunitiesSpec.after_write``, and the Salesforce importer for
    the history of close dates."""
    when = at or clock.now()
    changes: list[CloseDateChange] = []
    past: list[PastCloseDateMove] = []
    for move in moves:
        if move[1] == move[2]:
            continue
        if isinstance(move, PastCloseDateMove):
            past.append(move)
            continue
        opportunity_id, before, after = move
        changes.append(CloseDateChange(
            opportunity_id=opportunity_id, close_date_from=before, close_date_to=after,
            changed_at=when, changed_by=by,
        ))
    kept = _past_moves_kept(past)
    for move in past:
        key = (move.opportunity_id, move.before, move.after, move.changed_at)
        if key in kept:
            continue
        kept.add(key)
        changes.append(CloseDateChange(
            opportunity_id=move.opportunity_id, close_date_from=move.before,
            close_date_to=move.after, changed_at=move.changed_at,
            changed_by_id=move.changed_by_id,
        ))
    CloseDateChange.objects.bulk_create(changes, batch_size=2000)
    return len(changes)


def _past_moves_kept(
    moves: list[PastCloseDateMove],
) -> set[tuple[int, date | None, date | None, datetime]]:
    """(opportunity, from, to, when) of the moves of these opportunities kept already."""
    kept: set[tuple[int, date | None, date | None, datetime]] = set()
    opportunity_ids = sorted({move.opportunity_id for move in moves})
    for start in range(0, len(opportunity_ids), 2000):
        kept.update(
            CloseDateChange.objects.filter(
                opportunity_id__in=opportunity_ids[start:start + 2000]
            ).values_list("opportunity_id", "close_date_from", "close_date_to", "changed_at")
        )
    return kept


def create(*, user: User, data: Mapping[str, Any]) -> Opportunity:
    """A new opportunity; its owner is ``user`` unless ``data`` names one."""
    return records.create_with_form(
        OpportunityForm, user=user, data={"owner": user.username, **data},
        after_save=_record_stage_change,
    )


def update(*, user: User, external_id: str, changes: Mapping[str, Any]) -> Opportunity:
    return records.update_with_form(
        OpportunityForm, user=user, queryset=get_all(user=user),
        lookup={"external_id": external_id}, changes=changes, after_save=_record_history,
    )


def get_all_close_date_changes(*, opportunity: Opportunity) -> QuerySet[CloseDateChange]:
    """The moves of one opportunity's close date, latest first (the caller has checked that
    the user may see the opportunity)."""
    return opportunity.close_date_changes.select_related("changed_by").order_by(
        "-changed_at", "-pk"
    )


# --- The products on an opportunity ------------------------------------------------------


def get_all_opportunity_products(*, user: User) -> QuerySet[OpportunityProduct]:
    return OpportunityProduct.objects.filter(
        opportunity__account__in=visible_accounts(user)
    ).select_related("opportunity__account", "product")


def get_opportunity_product_or_raise(*, user: User, id: int) -> OpportunityProduct:  # noqa: A002
    return records.get_or_raise(get_all_opportunity_products(user=user), pk=id)


def create_opportunity_product(*, user: User, data: Mapping[str, Any]) -> OpportunityProduct:
    """A product on an opportunity the user may see, priced in the opportunity's currency."""
    return records.create_with_form(OpportunityProductForm, user=user, data=data)


def update_opportunity_product(
    *, user: User, id: int, changes: Mapping[str, Any]  # noqa: A002
) -> OpportunityProduct:
    return records.update_with_form(
        OpportunityProductForm, user=user, queryset=get_all_opportunity_products(user=user),
        lookup={"pk": id}, changes=changes,
    )


def delete_opportunity_product(*, user: User, id: int) -> None:  # noqa: A002
    records.delete(get_all_opportunity_products(user=user), user=user, lookup={"pk": id})


def products_total(opportunity: Opportunity) -> Money | None:
    """What the opportunity's products add up to (quantity × unit price), in its currency;
    None without products."""
    lines = list(opportunity.products.values_list("quantity", "unit_price"))
    if not lines or not opportunity.currency:
        return None
    total = sum((quantity * price for quantity, price in lines), Decimal(0))
    return Money(total, opportunity.currency)


def get_all_stage_changes(*, user: User) -> QuerySet[StageChange]:
    return StageChange.objects.filter(
        opportunity__account__in=visible_accounts(user)
    ).select_related("opportunity__account")


def get_stage_change_or_raise(*, user: User, id: int) -> StageChange:  # noqa: A002
    return records.get_or_raise(get_all_stage_changes(user=user), pk=id)


def create_stage_change(*, user: User, data: Mapping[str, Any]) -> StageChange:
    """A stage the opportunity entered (its history, as a CRM export gives it); the
    opportunity's current stage is its own field, which this does not change."""
    return records.create_with_form(StageChangeForm, user=user, data=data)


def update_stage_change(
    *, user: User, id: int, changes: Mapping[str, Any]  # noqa: A002
) -> StageChange:
    return records.update_with_form(
        StageChangeForm, user=user, queryset=get_all_stage_changes(user=user),
        lookup={"pk": id}, changes=changes,
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


@dataclass(frozen=True)
class Quotas:
    """Many people's quotas over one window (``quotas_for``)."""

    money: dict[int, Money]
    """Each user's quota, for those whose overlapping quotas share one currency."""
    in_several_currencies: dict[int, list[str]]
    """Users whose overlapping quotas are in more than one currency (never summed): which."""


def quotas_for(user_ids: Iterable[int] | QuerySet[User, Any], *, date_from: date,
               date_to: date) -> Quotas:
    """What each of ``user_ids`` (ids, or a query of users' ``pk``) is to sell from
    ``date_from`` to ``date_to`` (both days included), in one query: the quotas whose periods
    overlap the window, each counted for the share of its days that lie inside it (a yearly
    quota of 400,000 gives 100,000-odd for a quarter), rounded to the cent. Users without a
    quota overlapping the window are in neither dict. The one definition of a quota over a
    window: the forms, the pipeline page and the scorecards all read it."""
    among = user_ids if isinstance(user_ids, QuerySet) else list(user_ids)
    overlapping: dict[int, list[tuple[date, date, Decimal, str]]] = defaultdict(list)
    for user_id, start, end, amount, currency in Quota.objects.filter(
        user_id__in=among, period_start__lte=date_to, period_end__gte=date_from
    ).order_by().values_list("user_id", "period_start", "period_end", "amount", "currency"):
        overlapping[user_id].append((start, end, amount, currency))
    result = Quotas(money={}, in_several_currencies={})
    for user_id, quotas in overlapping.items():
        currencies = sorted({currency for _start, _end, _amount, currency in quotas})
        if len(currencies) > 1:
            result.in_several_currencies[user_id] = currencies
            continue
        total = Decimal(0)
        for start, end, amount, _currency in quotas:
            days = (end - start).days + 1
            inside = (min(end, date_to) - max(start, date_from)).days + 1
            total += amount * inside / days
        result.money[user_id] = Money(total.quantize(CENT, rounding=ROUND_HALF_UP),
                                      currencies[0])
    return result


def quota_for(*, user: User, date_from: date, date_to: date) -> Money | None:
    """``user``'s quota from ``date_from`` to ``date_to`` (``quotas_for``). None when no quota
    overlaps. Raises QuotaInSeveralCurrencies when the overlapping quotas are in different
    currencies (never summed together)."""
    quotas = quotas_for([user.pk], date_from=date_from, date_to=date_to)
    if user.pk in quotas.in_several_currencies:
        raise QuotaInSeveralCurrencies(
            f"{user.display_name}'s quotas from {date_from} to {date_to} are in "
            f"{', '.join(quotas.in_several_currencies[user.pk])}; set them in one currency.",
            {"currency": ["Quotas that overlap one window must share a currency."]},
        )
    return quotas.money.get(user.pk)
