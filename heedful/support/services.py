"""Reading and writing tickets, service metrics and scope records, as the user may see them."""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from heedful.accounts import records
from heedful.accounts.visibility import visible_accounts
from heedful.core.models import User
from heedful.support.forms import ScopeRecordForm, ServiceMetricForm, TicketForm
from heedful.support.models import ScopeRecord, ServiceMetric, Ticket


def get_all_tickets(*, user: User) -> QuerySet[Ticket]:
    return Ticket.objects.filter(account__in=visible_accounts(user)).select_related(
        "account", "contact"
    )


def get_ticket_or_raise(*, user: User, external_id: str) -> Ticket:
    return records.get_or_raise(get_all_tickets(user=user), external_id=external_id)


def create_ticket(*, user: User, data: Mapping[str, Any]) -> Ticket:
    return records.create_with_form(TicketForm, user=user, data=data)


def update_ticket(*, user: User, external_id: str, changes: Mapping[str, Any]) -> Ticket:
    return records.update_with_form(
        TicketForm, user=user, queryset=get_all_tickets(user=user),
        lookup={"external_id": external_id}, changes=changes,
    )


def get_all_service_metrics(*, user: User) -> QuerySet[ServiceMetric]:
    return ServiceMetric.objects.filter(account__in=visible_accounts(user)).select_related(
        "account"
    )


def get_service_metric_or_raise(*, user: User, id: int) -> ServiceMetric:  # noqa: A002
    return records.get_or_raise(get_all_service_metrics(user=user), pk=id)


def create_service_metric(*, user: User, data: Mapping[str, Any]) -> ServiceMetric:
    return records.create_with_form(ServiceMetricForm, user=user, data=data)


def update_service_metric(
    *, user: User, id: int, changes: Mapping[str, Any]  # noqa: A002
) -> ServiceMetric:
    return records.update_with_form(
        ServiceMetricForm, user=user, queryset=get_all_service_metrics(user=user),
        lookup={"pk": id}, changes=changes,
    )


def get_all_scope_records(*, user: User) -> QuerySet[ScopeRecord]:
    return ScopeRecord.objects.filter(account__in=visible_accounts(user)).select_related(
        "account"
    )


def get_scope_record_or_raise(*, user: User, id: int) -> ScopeRecord:  # noqa: A002
    return records.get_or_raise(get_all_scope_records(user=user), pk=id)


def create_scope_record(*, user: User, data: Mapping[str, Any]) -> ScopeRecord:
    return records.create_with_form(ScopeRecordForm, user=user, data=data)


def update_scope_record(
    *, user: User, id: int, changes: Mapping[str, Any]  # noqa: A002
) -> ScopeRecord:
    return records.update_with_form(
        ScopeRecordForm, user=user, queryset=get_all_scope_records(user=user),
        lookup={"pk": id}, changes=changes,
    )
