"""Reading and writing invoices and disputes, as the user may see them."""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from heedful.accounts import records
from heedful.accounts.visibility import visible_accounts
from heedful.billing.forms import DisputeForm, InvoiceForm
from heedful.billing.models import Dispute, Invoice
from heedful.core.models import User


def get_all_invoices(*, user: User) -> QuerySet[Invoice]:
    return Invoice.objects.filter(account__in=visible_accounts(user)).select_related(
        "account", "contract"
    )


def get_invoice_or_raise(*, user: User, invoice_number: str) -> Invoice:
    return records.get_or_raise(get_all_invoices(user=user), invoice_number=invoice_number)


def create_invoice(*, user: User, data: Mapping[str, Any]) -> Invoice:
    return records.create_with_form(InvoiceForm, user=user, data=data)


def update_invoice(*, user: User, invoice_number: str, changes: Mapping[str, Any]) -> Invoice:
    return records.update_with_form(
        InvoiceForm, user=user, queryset=get_all_invoices(user=user),
        lookup={"invoice_number": invoice_number}, changes=changes,
    )


def get_all_disputes(*, user: User) -> QuerySet[Dispute]:
    return Dispute.objects.filter(invoice__account__in=visible_accounts(user)).select_related(
        "invoice__account"
    )


def get_dispute_or_raise(*, user: User, id: int) -> Dispute:  # noqa: A002
    return records.get_or_raise(get_all_disputes(user=user), pk=id)


def create_dispute(*, user: User, data: Mapping[str, Any]) -> Dispute:
    return records.create_with_form(DisputeForm, user=user, data=data)


def update_dispute(*, user: User, id: int, changes: Mapping[str, Any]) -> Dispute:  # noqa: A002
    return records.update_with_form(
        DisputeForm, user=user, queryset=get_all_disputes(user=user), lookup={"pk": id},
        changes=changes,
    )
