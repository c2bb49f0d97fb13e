"""The canonical CSV export: one file per kind, in exactly the import format.

Each kind's columns come from its import spec (``csv_import.SPECS``): a column that fills a
model field is written from that field, a reference as the natural key its ``Ref`` looks up
(``account_external_id`` from ``account__external_id``), a list trimmed and ``;``-joined.
``KIND_EXPORTS`` holds only what a column declaration cannot say: the few computed columns,
the records of kinds that are not account records, and an order where the upsert key is no
readable order.

Rows are sorted by their natural key (never by database id) and streamed, so an export of a
database rebuilt by ``heedful import-all`` is byte-for-byte the export it was rebuilt from.
With a user, only the accounts that user may see (``visible_accounts``) and their records
are written, and only the users that user may see (``visible_users``); products and releases
are not account records and are always written.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models
from django.db.models import QuerySet

from heedful.accounts.models import Account
from heedful.accounts.visibility import managed_users, visible_accounts, visible_users
from heedful.catalog.models import Product, Release
from heedful.core.models import User
from heedful.expenses.models import ExpenseReport
from heedful.integrations.csv_import import SPECS, Column, Spec
from heedful.interactions.models import Interaction
from heedful.lib.csvfile import (
    chunked,
    format_bool,
    format_cell,
    format_date,
    format_number,
    format_text,
    format_timestamp,
    write_csv,
)
from heedful.lib.text import join_list, split_list
from heedful.sales.models import Quota

CHUNK_SIZE = 2000


@dataclass
class ExportScope:
    """Which accounts an export covers; ``visible_account_ids`` is None for every account."""

    accounts: QuerySet[Account]
    visible_account_ids: set[int] | None = None
    users: QuerySet[User] | None = None
    """The users written to users.csv; None for every user."""
    performance_of: QuerySet[User] | None = None
    """Whose quotas and expense reports it writes (the pages' ``managed_users``: oneself and
    one's reports); None for everyone's."""

    @classmethod
    def everything(cls) -> "ExportScope":
        return cls(accounts=Account.objects.all())

    @classmethod
    def for_user(cls, user: User) -> "ExportScope":
        accounts = visible_accounts(user)
        return cls(
            accounts=accounts, visible_account_ids=set(accounts.values_list("pk", flat=True)),
            users=visible_users(user), performance_of=managed_users(user),
        )

    def filter(self, queryset: QuerySet, path: str = "account") -> QuerySet:
        if self.visible_account_ids is None:
            return queryset
        return queryset.filter(**{f"{path}__in": self.accounts.values("pk")})

    def shows_account(self, account_id: int | None) -> bool:
        return self.visible_account_ids is None or account_id in self.visible_account_ids


def canonical_list(raw: str) -> str:
    return join_list(split_list(raw))


# --- What the column declarations cannot say ---------------------------------------------


@dataclass(frozen=True)
class Computed:
    """A column no single path gives: ``cells`` turns the values of ``reads``, for a batch
    of rows, into that column's cells (one query per batch at most)."""

    reads: tuple[str, ...]
    cells: Callable[["ExportScope", list[tuple]], list[str]]


@dataclass(frozen=True)
class KindExport:
    """``paths``: the value a column that fills no model field is written from.
    ``computed``: columns written by a function. ``records``: the records of a kind that is
    not an account record (default: the model's rows of the scope's accounts).
    ``account_path``: the way from a record to its account, when no column names it.
    ``order``: column names to sort by, where the upsert key is no readable order."""

    paths: Mapping[str, str] = field(default_factory=dict)
    computed: Mapping[str, Computed] = field(default_factory=dict)
    records: Callable[[ExportScope], QuerySet] | None = None
    account_path: str | None = None
    order: tuple[str, ...] = ()


def _users(scope: ExportScope) -> QuerySet:
    """The users an export writes: those the exporting user may see (all, for a full
    export)."""
    return User.objects.all() if scope.users is None else scope.users


def _performance_of(scope: ExportScope) -> QuerySet:
    """The users whose performance records an export writes."""
    return User.objects.all() if scope.performance_of is None else scope.performance_of


def _ticket_contacts(scope: ExportScope, batch: list[tuple]) -> list[str]:
    """A ticket's contact, unless the contact is of an account the scope does not show."""
    return [
        format_text(external_id) if scope.shows_account(account_id) else ""
        for external_id, account_id in batch
    ]


def _interaction_contacts(scope: ExportScope, batch: list[tuple]) -> list[str]:
    """The contacts of a batch of interactions, in one query, those of hidden accounts left out."""
    contact_ids: dict[int, list[str]] = defaultdict(list)
    through = Interaction.contacts.through
    for interaction_id, external_id, account_id in through.objects.filter(
        interaction_id__in=[pk for (pk,) in batch]
    ).values_list("interaction_id", "contact__external_id", "contact__account_id"):
        if scope.shows_account(account_id):
            contact_ids[interaction_id].append(external_id)
    return [join_list(sorted(contact_ids[pk])) for (pk,) in batch]


KIND_EXPORTS: dict[str, KindExport] = {
    "users": KindExport(paths={"manager_username": "manager__username"}, records=_users),
    # The owner today: the cache ownership keeps of the running owner period (team.csv
    # carries the history).
    "accounts": KindExport(
        records=lambda scope: scope.accounts, paths={"owner_username": "owner__username"}
    ),
    "contacts": KindExport(paths={"reports_to": "reports_to__external_id"}),
    "products": KindExport(
        paths={"family": "family__name"}, records=lambda scope: Product.objects.all()
    ),
    "releases": KindExport(records=lambda scope: Release.objects.all()),
    "disputes": KindExport(account_path="invoice__account"),
    "stage_changes": KindExport(
        account_path="opportunity__account",
        order=("opportunity_external_id", "changed_at", "stage"),
    ),
    "opportunity_products": KindExport(
        account_path="opportunity__account", order=("opportunity_external_id", "sku"),
    ),
    "quotas": KindExport(
        records=lambda scope: Quota.objects.filter(user__in=_performance_of(scope)),
    ),
    "expense_reports": KindExport(
        records=lambda scope: ExpenseReport.objects.filter(rep__in=_performance_of(scope)),
        order=("rep_username", "period"),
    ),
    "tickets": KindExport(computed={
        "contact_external_id": Computed(
            ("contact__external_id", "contact__account_id"), _ticket_contacts
        ),
    }),
    "interactions": KindExport(
        computed={"contact_external_ids": Computed(("pk",), _interaction_contacts)},
        # The upsert key is a hash of these; sorted by them, a file reads in time order.
        order=("account_external_id", "occurred_at", "kind", "username", "subject"),
    ),
}


# --- Deriving each kind's export from its columns ----------------------------------------


def _path(spec: Spec, column: Column, how: KindExport) -> str | None:
    """The values_list path a column is written from; None for a computed column."""
    if column.name in how.computed:
        return None
    if column.name in how.paths:
        return how.paths[column.name]
    name = column.field_name
    assert name is not None, f"{spec.kind}.{column.name}: fills no field; say how to export it"
    if column.ref is None:
        return name
    assert not column.many, f"{spec.kind}.{column.name}: a list of references needs a function"
    return f"{name}__{column.ref.lookup}"


def _field_at(model: type[models.Model], path: str) -> models.Field:
    *relations, name = path.split("__")
    for relation in relations:
        related = model._meta.get_field(relation).related_model
        assert isinstance(related, type)
        model = related
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field)
    return found


def _formatter(model_field: models.Field) -> Callable[[Any], str]:
    """``format_cell`` for the values of one field type, without testing each value's type."""
    if isinstance(model_field, models.BooleanField):
        return format_bool
    if isinstance(model_field, models.DateTimeField):
        return format_timestamp
    if isinstance(model_field, models.DateField):
        return format_date
    if isinstance(model_field, models.CharField | models.TextField):
        return format_text
    if isinstance(model_field, models.DecimalField | models.IntegerField):
        return format_number
    return format_cell


def _write_list(value: str | None) -> str:
    return canonical_list(format_text(value))


@dataclass(frozen=True)
class Plan:
    """How one kind is exported. A row's values are those of ``paths`` followed by one per
    computed column; ``cells`` gives, column by column, the index of its value and its
    formatter."""

    spec: Spec
    how: KindExport
    paths: tuple[str, ...]
    order: tuple[str, ...]
    account_path: str | None
    cells: tuple[tuple[int, Callable[[Any], str]], ...]
    computed: tuple[tuple[Computed, tuple[int, ...]], ...]  # with the indexes of its reads


def plan(kind: str) -> Plan:
    spec, how = SPECS[kind], KIND_EXPORTS.get(kind, KindExport())
    path_of = {column.name: _path(spec, column, how) for column in spec.columns}
    paths = [path for path in path_of.values() if path is not None]
    paths += [path for computed in how.computed.values() for path in computed.reads]
    paths = list(dict.fromkeys(paths))
    computed_names = list(how.computed)
    cells: list[tuple[int, Callable[[Any], str]]] = []
    for column in spec.columns:
        path = path_of[column.name]
        if path is None:
            cells.append((len(paths) + computed_names.index(column.name), format_text))
        elif column.is_list:
            cells.append((paths.index(path), _write_list))
        else:
            cells.append((paths.index(path), _formatter(_field_at(spec.model, path))))
    account_path = how.account_path or next(
        (
            column.field_name for column in spec.columns
            if column.ref is not None and column.ref.model is Account and column.field_name
        ),
        None,
    )
    assert how.records is not None or account_path is not None, (
        f"{kind}: not an account record? declare its records"
    )
    return Plan(
        spec=spec, how=how, paths=tuple(paths), order=_order(spec, how, path_of),
        account_path=account_path, cells=tuple(cells),
        computed=tuple(
            (computed, tuple(paths.index(path) for path in computed.reads))
            for computed in how.computed.values()
        ),
    )


def _order(spec: Spec, how: KindExport, path_of: Mapping[str, str | None]) -> tuple[str, ...]:
    """The natural order: the upsert key's columns; where a key field may be empty (two rows
    may then share the key), every other column after it, so the order stays total."""
    if how.order:
        names = list(how.order)
    else:
        by_attname = {
            spec.field_named(column.field_name).attname: column.name
            for column in spec.columns
            if column.field_name
        }
        assert all(attname in by_attname for attname in spec.key), (
            f"{spec.kind}: the upsert key is not made of columns; declare an order"
        )
        names = [by_attname[attname] for attname in spec.key]
        if any(spec.field_named(attname).null for attname in spec.key):
            names += [column.name for column in spec.columns if column.name not in names]
    order = [path_of[name] for name in names]
    assert all(order), f"{spec.kind}: cannot sort by a computed column"
    return tuple(path for path in order if path)


PLANS: dict[str, Plan] = {kind: plan(kind) for kind in SPECS}


def _records(kind_plan: Plan, scope: ExportScope) -> QuerySet:
    if kind_plan.how.records is not None:
        return kind_plan.how.records(scope)
    assert kind_plan.account_path is not None
    return scope.filter(kind_plan.spec.model._default_manager.all(), kind_plan.account_path)


def export_rows(kind: str, scope: ExportScope) -> Iterator[list[str]]:
    """The cells of every row of ``kind`` in ``scope``, in the natural order, streamed."""
    kind_plan = PLANS[kind]
    rows = (
        _records(kind_plan, scope)
        .order_by(*kind_plan.order)
        .values_list(*kind_plan.paths)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    cells = kind_plan.cells
    if not kind_plan.computed:
        for values in rows:
            yield [write(values[index]) for index, write in cells]
        return
    for batch in chunked(rows, CHUNK_SIZE):
        columns = [
            computed.cells(scope, [tuple(values[index] for index in reads) for values in batch])
            for computed, reads in kind_plan.computed
        ]
        for values, *extra in zip(batch, *columns, strict=True):
            row = (*values, *extra)
            yield [write(row[index]) for index, write in cells]


def export_directory(directory: str | Path, *, scope: ExportScope) -> dict[str, int]:
    """Write ``<kind>.csv`` for every kind into ``directory``; returns the row count of each."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    return {
        kind: write_csv(folder / f"{kind}.csv", SPECS[kind].column_names, export_rows(kind, scope))
        for kind in SPECS
    }
