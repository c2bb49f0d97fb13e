"""The canonical CSV export: one file per kind, in exactly the import format.

Rows are sorted by their natural key (never by database id) and streamed, so an export of a
database rebuilt by ``heedful import-all`` is byte-for-byte the export it was rebuilt from.
With a user, only the accounts that user may see (``visible_accounts``) and their records
are written, and only the users that user may see (``visible_users``); products and releases
are not account records and are always written.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership
from heedful.billing.models import Dispute, Invoice
from heedful.catalog.models import AdverseChange, Contract, Holding, Product, Release
from heedful.core.models import User
from heedful.core.visibility import visible_accounts, visible_users
from heedful.integrations.csv_import import SPECS
from heedful.interactions.models import Interaction
from heedful.lib.csvfile import chunked, format_cell, write_csv
from heedful.lib.text import join_list, split_list
from heedful.orders.models import Order
from heedful.sales.models import Opportunity
from heedful.support.models import ScopeRecord, ServiceMetric, Ticket

CHUNK_SIZE = 2000


@dataclass
class ExportScope:
    """Which accounts an export covers; ``visible_account_ids`` is None for every account."""

    accounts: QuerySet[Account]
    visible_account_ids: set[int] | None = None
    users: QuerySet[User] | None = None
    """The users written to users.csv; None for every user."""

    @classmethod
    def everything(cls) -> "ExportScope":
        return cls(accounts=Account.objects.all())

    @classmethod
    def for_user(cls, user: User) -> "ExportScope":
        accounts = visible_accounts(user)
        return cls(
            accounts=accounts, visible_account_ids=set(accounts.values_list("pk", flat=True)),
            users=visible_users(user),
        )

    def filter(self, queryset: QuerySet, path: str = "account") -> QuerySet:
        if self.visible_account_ids is None:
            return queryset
        return queryset.filter(**{f"{path}__in": self.accounts.values("pk")})

    def shows_account(self, account_id: int | None) -> bool:
        return self.visible_account_ids is None or account_id in self.visible_account_ids


def canonical_list(raw: str) -> str:
    return join_list(split_list(raw))


def _stream(queryset: QuerySet, *fields: str) -> Iterator[tuple]:
    return queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE)


def _cells(values: Iterable[Any]) -> list[str]:
    return [format_cell(value) for value in values]


def _plain(
    queryset: QuerySet, fields: list[str], order: list[str] | None = None
) -> Iterator[list[str]]:
    for values in _stream(queryset.order_by(*(order or fields)), *fields):
        yield _cells(values)


def users(scope: ExportScope) -> Iterator[list[str]]:
    fields = ["username", "full_name", "email", "role", "manager__username", "start_date"]
    people = User.objects.all() if scope.users is None else scope.users
    return _plain(people, fields, ["username"])


def accounts(scope: ExportScope) -> Iterator[list[str]]:
    fields = [
        "external_id", "name", "industry", "segment", "status", "owner__username", "phone",
        "website", "city", "country", "aliases",
    ]
    for values in _stream(scope.accounts.order_by("external_id"), *fields):
        cells = _cells(values)
        cells[-1] = canonical_list(cells[-1])
        yield cells


def team(scope: ExportScope) -> Iterator[list[str]]:
    fields = ["account__external_id", "user__username", "role", "start_date", "end_date"]
    return _plain(scope.filter(TeamMembership.objects.all()), fields)


def contacts(scope: ExportScope) -> Iterator[list[str]]:
    fields = [
        "external_id", "account__external_id", "full_name", "preferred_name", "pronunciation",
        "title", "email", "phone", "role_type", "is_key", "preferred_channel", "language",
        "likes", "dislikes", "do_not_contact",
    ]
    for values in _stream(scope.filter(Contact.objects.order_by("external_id")), *fields):
        cells = _cells(values)
        cells[12], cells[13] = canonical_list(cells[12]), canonical_list(cells[13])
        yield cells


def products(scope: ExportScope) -> Iterator[list[str]]:
    return _plain(Product.objects.all(), ["sku", "name", "family__name", "launched_on"], ["sku"])


def releases(scope: ExportScope) -> Iterator[list[str]]:
    fields = ["product__sku", "name", "release_on", "summary"]
    return _plain(Release.objects.all(), fields, ["product__sku", "name"])


def holdings(scope: ExportScope) -> Iterator[list[str]]:
    fields = [
        "account__external_id", "product__sku", "quantity", "maintenance_tier", "maintenance_end",
    ]
    return _plain(scope.filter(Holding.objects.all()), fields, fields[:2])


def contracts(scope: ExportScope) -> Iterator[list[str]]:
    fields = [
        "external_id", "account__external_id", "name", "start_date", "end_date",
        "recurring_amount", "currency", "billing_period", "notice_days",
    ]
    return _plain(scope.filter(Contract.objects.all()), fields, ["external_id"])


def adverse_changes(scope: ExportScope) -> Iterator[list[str]]:
    fields = ["account__external_id", "kind", "effective_on", "recorded_on", "summary"]
    return _plain(scope.filter(AdverseChange.objects.all()), fields, fields[:3])


def invoices(scope: ExportScope) -> Iterator[list[str]]:
    fields = [
        "account__external_id", "invoice_number", "contract__external_id", "period_start",
        "period_end", "issued_on", "amount", "currency",
    ]
    return _plain(scope.filter(Invoice.objects.all()), fields, ["invoice_number"])


def disputes(scope: ExportScope) -> Iterator[list[str]]:
    fields = ["invoice__invoice_number", "opened_on", "amount", "status", "resolved_on"]
    return _plain(scope.filter(Dispute.objects.all(), "invoice__account"), fields, fields[:2])


def tickets(scope: ExportScope) -> Iterator[list[str]]:
    fields = [
        "external_id", "account__external_id", "contact__external_id", "opened_at", "severity",
        "subject", "status", "resolved_at", "contact__account_id",
    ]
    queryset = scope.filter(Ticket.objects.order_by("external_id"))
    for values in _stream(queryset, *fields):
        cells = _cells(values[:-1])
        if not scope.shows_account(values[-1]):
            cells[2] = ""
        yield cells


def orders(scope: ExportScope) -> Iterator[list[str]]:
    fields = [
        "external_id", "account__external_id", "ordered_on", "shipped_on", "delivered_on",
        "amount", "currency", "description",
    ]
    return _plain(scope.filter(Order.objects.all()), fields, ["external_id"])


def interactions(scope: ExportScope) -> Iterator[list[str]]:
    """Interactions in batches, with one query per batch for their contacts."""
    fields = [
        "pk", "account__external_id", "occurred_at", "kind", "direction", "user__username",
        "subject", "tags",
    ]
    order = ["account__external_id", "occurred_at", "kind", "user__username", "subject"]
    queryset = scope.filter(Interaction.objects.order_by(*order))
    through = Interaction.contacts.through
    for batch in chunked(_stream(queryset, *fields), CHUNK_SIZE):
        contact_ids: dict[int, list[str]] = defaultdict(list)
        for interaction_id, external_id, account_id in through.objects.filter(
            interaction_id__in=[values[0] for values in batch]
        ).values_list("interaction_id", "contact__external_id", "contact__account_id"):
            if scope.shows_account(account_id):
                contact_ids[interaction_id].append(external_id)
        for pk, account, occurred_at, kind, direction, username, subject, tags in batch:
            yield _cells([
                account, occurred_at, kind, direction, username,
                join_list(sorted(contact_ids[pk])), subject, canonical_list(tags),
            ])


def news(scope: ExportScope) -> Iterator[list[str]]:
    fields = ["account__external_id", "occurred_on", "sentiment", "headline"]
    order = ["account__external_id", "occurred_on", "headline"]
    return _plain(scope.filter(NewsItem.objects.all()), fields, order)


def service_metrics(scope: ExportScope) -> Iterator[list[str]]:
    fields = [
        "account__external_id", "period", "metric", "target", "actual", "higher_is_better",
    ]
    return _plain(scope.filter(ServiceMetric.objects.all()), fields, fields[:3])


def scope_records(scope: ExportScope) -> Iterator[list[str]]:
    fields = [
        "account__external_id", "period", "function", "contracted_quantity",
        "delivered_quantity",
    ]
    return _plain(scope.filter(ScopeRecord.objects.all()), fields, fields[:3])


def opportunities(scope: ExportScope) -> Iterator[list[str]]:
    fields = [
        "external_id", "account__external_id", "name", "owner__username", "stage", "amount",
        "currency", "created_on", "close_date", "closed_on", "won",
    ]
    return _plain(scope.filter(Opportunity.objects.all()), fields, ["external_id"])


EXPORTERS: dict[str, Callable[[ExportScope], Iterator[list[str]]]] = {
    "users": users,
    "accounts": accounts,
    "team": team,
    "contacts": contacts,
    "products": products,
    "releases": releases,
    "holdings": holdings,
    "contracts": contracts,
    "adverse_changes": adverse_changes,
    "invoices": invoices,
    "disputes": disputes,
    "tickets": tickets,
    "orders": orders,
    "interactions": interactions,
    "news": news,
    "service_metrics": service_metrics,
    "scope": scope_records,
    "opportunities": opportunities,
}
assert list(EXPORTERS) == list(SPECS), "every import kind is exported, in the same order"


def export_directory(directory: str | Path, *, scope: ExportScope) -> dict[str, int]:
    """Write ``<kind>.csv`` for every kind into ``directory``; returns the row count of each."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    return {
        kind: write_csv(folder / f"{kind}.csv", SPECS[kind].column_names, export(scope))
        for kind, export in EXPORTERS.items()
    }
