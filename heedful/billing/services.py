"""Reading and writing invoices and disputes, as the user may see them; amounts in the
reporting currency through the exchange rates an admin sets."""

from collections.abc import Mapping
from typing import Any

from django.db import connections, router
from django.db.models import Case, DecimalField, F, OuterRef, QuerySet, Subquery, When
from django.db.models.expressions import Combinable

from heedful.accounts import records
from heedful.accounts.visibility import visible_accounts
from heedful.billing.forms import DisputeForm, InvoiceForm
from heedful.billing.models import Dispute, ExchangeRate, Invoice, reporting_currency
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


def delete_invoice(*, user: User, invoice_number: str) -> None:
    """Delete an invoice that was never owed (voided at the billing system), and its
    disputes."""
    records.delete(
        get_all_invoices(user=user), user=user, lookup={"invoice_number": invoice_number}
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


# --- Amounts in the reporting currency ---------------------------------------------------

REPORTING_AMOUNT: DecimalField[Any, Any] = DecimalField(max_digits=30, decimal_places=10)


def in_reporting_currency(*, amount: str, currency: str) -> Combinable:
    """An expression of a row's ``amount`` (a field or annotation holding money in the
    row's ``currency``) in the reporting currency: as it is in the reporting currency, times
    the admin's rate in another, NULL where the currency has no rate (so it sorts last)."""
    target = reporting_currency()
    rate = ExchangeRate.objects.filter(
        currency=OuterRef(currency), reporting_currency=target
    ).values("rate")[:1]
    return Case(
        When(**{currency: target}, then=F(amount)),
        default=F(amount) * Subquery(rate),
        output_field=REPORTING_AMOUNT,
    )


def get_currencies_without_rate() -> list[str]:
    """The currencies invoices are in that have no rate to the reporting currency, A to Z.

    The currencies in use are read by skipping through the invoices' currency index from one
    code to the next (a recursive query of one index lookup per currency), so the answer costs
    the same at a thousand invoices as at ten million."""
    table = Invoice._meta.db_table
    rates = ExchangeRate._meta.db_table
    target = reporting_currency()
    connection = connections[router.db_for_read(Invoice)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE in_use(currency) AS (
                SELECT (SELECT currency FROM {table} ORDER BY currency LIMIT 1)
                UNION ALL
                SELECT (SELECT currency FROM {table} WHERE currency > in_use.currency
                        ORDER BY currency LIMIT 1)
                FROM in_use WHERE in_use.currency IS NOT NULL
            )
            SELECT currency FROM in_use
            WHERE currency IS NOT NULL AND currency <> '' AND currency <> %s
              AND currency NOT IN (
                  SELECT currency FROM {rates} WHERE reporting_currency = %s
              )
            ORDER BY currency
            """,
            [target, target],
        )
        return [row[0] for row in cursor.fetchall()]
