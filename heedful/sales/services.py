"""Reading and writing opportunities, as the user may see them; every stage an opportunity
enters is kept as a StageChange."""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from heedful.accounts import records
from heedful.accounts.record_forms import HeedfulModelForm
from heedful.accounts.visibility import visible_accounts
from heedful.core.models import User
from heedful.sales.forms import OpportunityForm, StageChangeForm
from heedful.sales.models import Opportunity, StageChange


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
