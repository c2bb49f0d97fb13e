"""The canonical CSV import: one small spec per kind of file (CONTRACTS.md, "CSV import formats").

A spec lists its columns (in the contract's order), the model it fills and the upsert key.
Importing a file is two phases:

1. *Validate* every row: parse each cell by its column (type, choices) and run the model
   field's validators, resolve the references to other records with a few bulk queries, run
   the model's ``checks_across_fields`` and the kind's reference checks, and refuse duplicate
   keys. Every problem is kept as ``FILE:LINE: column: reason``. The validators and checks
   are the ones the ModelForm runs for the API and pages (``heedful.lib.validators``), so a
   row is refused here exactly when, and with the message that, the API refuses it.
2. *Write*, only when phase 1 found nothing: fetch the stored records by key in chunks, diff
   them field by field, ``bulk_create``/``bulk_update`` in batches, then the kind's side
   effects (stage history, owner memberships, interaction contacts, managers).

Other importers (Salesforce, HubSpot) map their records onto these columns and reuse the specs
through ``import_tables``; the exporter writes exactly these columns back.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar, NamedTuple

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxLengthValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from heedful.accounts import kinds as account_kinds
from heedful.accounts import ownership
from heedful.accounts.models import (
    Account,
    Contact,
    NewsItem,
    TeamMembership,
    TeamRole,
    contact_line_problem,
)
from heedful.billing import kinds as billing_kinds
from heedful.billing.models import Dispute, Invoice
from heedful.catalog import kinds as catalog_kinds
from heedful.catalog.models import (
    AdverseChange,
    Contract,
    Holding,
    Product,
    ProductFamily,
    Release,
)
from heedful.core.kinds import RecordKind
from heedful.core.models import User, reporting_line_problem
from heedful.expenses import kinds as expenses_kinds
from heedful.expenses.models import ExpenseReport
from heedful.interactions import kinds as interaction_kinds
from heedful.interactions.models import Interaction, normalize_tags
from heedful.lib.bulk_insert import insert_new
from heedful.lib.csvfile import (
    FILE_COLUMN,
    CsvFileError,
    CsvTable,
    Problem,
    chunked,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_timestamp,
    read_csv,
)
from heedful.lib.text import join_list, split_list
from heedful.lib.validators import (
    RecordCheck,
    check_record,
    implied_validators,
    is_record_id_field,
    on_another_account,
    run_validators_in_turn,
    validate_record_id,
)
from heedful.orders import kinds as order_kinds
from heedful.orders.models import Order
from heedful.sales import kinds as sales_kinds
from heedful.sales import services as sales_services
from heedful.sales.forms import NO_CURRENCY_TO_PRICE_IN, currency_kept_problem
from heedful.sales.models import Opportunity, OpportunityProduct, Quota, StageChange
from heedful.support import kinds as support_kinds
from heedful.support.models import ScopeRecord, ServiceMetric, Ticket

BATCH_SIZE = 2000
PROGRESS_ABOVE_ROWS = 5000
ROW_COLUMN = "(row)"


class ImportRejected(Exception):
    """The input has problems; nothing was written. ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the input; nothing was written")
        self.problems = problems


# --- Columns and references --------------------------------------------------------------


class Found(NamedTuple):
    id: int
    account_id: int | None


@dataclass(frozen=True)
class Ref:
    """A column naming another record, looked up by its ``lookup`` field."""

    model: type[models.Model]
    lookup: str
    noun: str
    with_account: bool = False


ACCOUNT = Ref(Account, "external_id", "account")
USER = Ref(User, "username", "user")
PRODUCT = Ref(Product, "sku", "product")
CONTRACT = Ref(Contract, "external_id", "contract", with_account=True)
INVOICE = Ref(Invoice, "invoice_number", "invoice")
CONTACT = Ref(Contact, "external_id", "contact", with_account=True)
OPPORTUNITY = Ref(Opportunity, "external_id", "opportunity")
REFERENCES: dict[type[models.Model], Ref] = {
    ref.model: ref for ref in (ACCOUNT, USER, PRODUCT, CONTRACT, INVOICE, CONTACT, OPPORTUNITY)
}


@dataclass(frozen=True)
class Column:
    """One column of a CSV kind.

    ``field`` is the model field it fills (default: the column name); ``None`` keeps the
    parsed value in ``Row.extras`` for the spec to use. ``parse`` replaces the parser derived
    from the model field. ``many`` reads a ``;``-separated list of references.
    ``may_be_in_file`` lets a reference name a record defined by another row of the same file.
    ``is_list`` marks a ``;``-separated list of text, which the export writes trimmed.
    """

    name: str
    required: bool = False
    field: str | None = ""
    ref: Ref | None = None
    parse: Callable[[str], Any] | None = None
    many: bool = False
    may_be_in_file: bool = False
    is_list: bool = False

    @property
    def field_name(self) -> str | None:
        return self.name if self.field == "" else self.field


def columns_of(kind: RecordKind, **only_in_files: dict[str, Any]) -> tuple[Column, ...]:
    """The CSV columns of a declared kind (``heedful.core.kinds``), in its order: a reference
    is looked up by the related record's natural key, a many-to-many field is a ``;``-list
    of them (written by the spec's ``after_write``), a list column is trimmed and joined.
    ``only_in_files`` gives, by column name, what only a file needs (another parser, another
    writer)."""
    columns = []
    for declared in kind.columns:
        field = kind.model_field(declared)
        attributes: dict[str, Any] = {
            "name": declared.name, "required": declared.required, "field": declared.field,
            "is_list": declared.is_list,
        }
        if declared.is_list:
            attributes["parse"] = list_parser
        if field is not None and field.is_relation:
            attributes["ref"] = REFERENCES[field.related_model]  # type: ignore[index]
            if field.many_to_many:
                attributes.update(field=None, many=True)
        attributes.update(only_in_files.get(declared.name, {}))
        columns.append(Column(**attributes))
    return tuple(columns)


class CellReader(NamedTuple):
    column: Column
    model_field: models.Field | None
    parse: Callable[[str], Any] | None


class CellRefused(ValueError):
    """A cell's value broke one or more of its field's validators; one problem each."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class Row:
    line: int
    values: dict[str, Any] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    row: Row
    obj: Any
    created: bool
    changed: dict[str, Any]  # attname -> the value before this import

    @property
    def updated(self) -> bool:
        return not self.created and bool(self.changed)


@dataclass
class FileResult:
    kind: str
    file: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "file": self.file, "created": self.created,
            "updated": self.updated, "unchanged": self.unchanged,
        }


def _choice_parser(model_field: models.Field) -> Callable[[str], Any]:
    allowed = [str(value) for value, _label in model_field.flatchoices]

    def parse_choice(raw: str) -> str:
        if raw not in allowed:
            raise ValueError(f"{raw!r} is not one of {', '.join(allowed)}")
        return raw

    return parse_choice


def _type_parser(model_field: models.Field) -> Callable[[str], Any] | None:
    """The parser of a cell's text into the field's type; None for text, taken as it is."""
    if model_field.choices:
        return _choice_parser(model_field)
    if isinstance(model_field, models.BooleanField):
        return parse_bool
    if isinstance(model_field, models.DateTimeField):
        return parse_timestamp
    if isinstance(model_field, models.DateField):
        return parse_date
    if isinstance(model_field, models.DecimalField):
        digits, places = model_field.max_digits, model_field.decimal_places
        return lambda raw: parse_decimal(raw, max_digits=digits, decimal_places=places)
    if isinstance(model_field, models.IntegerField):  # its range is among its validators
        return parse_integer
    return None


def validated(
    model_field: models.Field, parse: Callable[[str], Any] | None
) -> Callable[[str], Any]:
    """``parse`` followed by the field's validators, declared and implied, exactly as
    ``Model.full_clean`` runs them for the API: the same rule and the same message.

    A decimal's digits are left to ``parse_decimal``, which checks the same limits, and a
    length is measured before Django's validator is asked for its message."""
    declared = [
        _quick_length_check(validator) if isinstance(validator, MaxLengthValidator) else validator
        for validator in model_field.validators
        if not isinstance(validator, DecimalValidator)
    ]
    groups = [group for group in (declared, implied_validators(model_field)) if group]
    if not groups:
        return parse or str

    every_validator = [validator for group in groups for validator in group]

    def parse_and_validate(raw: str) -> Any:
        value = parse(raw) if parse is not None else raw
        try:
            for validator in every_validator:
                validator(value)
        except ValidationError:
            try:
                run_validators_in_turn(groups, value)  # again, for the messages in order
            except ValidationError as error:
                raise CellRefused(error.messages) from None
        return value

    return parse_and_validate


# Parsed values safe to hand to many rows (a list or dict would be shared, and is not kept).
_UNCHANGEABLE = frozenset({str, int, bool, Decimal, date, datetime, type(None)})
REMEMBERED_VALUES = 20_000
"""Distinct values a column's parser remembers; ids, currencies, statuses and dates repeat
across a big file, and checking each once is what keeps the model's validators cheap."""


def remembered(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """``parse`` that checks each distinct cell once: a value it accepted before is given
    again; a refused one is checked again (for its message on every line)."""
    seen: dict[str, Any] = {}

    def parse_once(raw: str) -> Any:
        try:
            return seen[raw]
        except KeyError:
            value = parse(raw)
            if type(value) in _UNCHANGEABLE and len(seen) < REMEMBERED_VALUES:
                seen[raw] = value
            return value

    return parse_once


def _quick_length_check(validator: MaxLengthValidator) -> Callable[[Any], None]:
    limit = validator.limit_value

    def check_length(value: Any) -> None:
        if len(value) > limit:  # type: ignore[operator]
            validator(value)

    return check_length


def parser_for(model_field: models.Field) -> Callable[[str], Any]:
    """The cell parser a model field implies: its type and choices, then its validators
    (length, digits, currency, id rules, no control characters, ...)."""
    return validated(model_field, _type_parser(model_field))


def list_parser(raw: str) -> str:
    return join_list(split_list(raw))


def fetch_found(ref: Ref, keys: set[str]) -> dict[str, Found]:
    """The records ``ref`` names, looked up in chunks so a 100k-row file costs a few queries."""
    found: dict[str, Found] = {}
    fields = [ref.lookup, "pk", *(["account_id"] if ref.with_account else [])]
    for chunk in chunked(sorted(keys), BATCH_SIZE):
        for lookup, pk, *rest in ref.model._default_manager.filter(
            **{f"{ref.lookup}__in": chunk}
        ).values_list(*fields):
            found[lookup] = Found(pk, rest[0] if rest else None)
    return found


@contextmanager
def progress_bar(description: str, total: int, enabled: bool) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr for big files; a no-op for small ones."""
    if not enabled or total <= PROGRESS_ABOVE_ROWS:
        yield lambda _count: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(description, total=total)
        yield lambda count: progress.advance(task, count)


# --- Specs -------------------------------------------------------------------------------


class Spec:
    kind: ClassVar[str]
    model: ClassVar[type[models.Model]]
    key: ClassVar[tuple[str, ...]]  # model attnames of the upsert key
    columns: ClassVar[tuple[Column, ...]]

    @classmethod
    def field_named(cls, name: str) -> models.Field:
        """The model's field ``name``: columns fill fields of the model, never a relation
        of another model to it."""
        field = cls.model._meta.get_field(name)
        assert isinstance(field, models.Field)
        return field

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def key_column(self) -> str:
        """The column a duplicate-key problem is reported on."""
        for column in self.columns:
            name = column.field_name
            if name and self.field_named(name).attname == self.key[0]:
                return column.name
        return self.columns[0].name

    # -- validating --

    def check_header(self, table: CsvTable, warn: Callable[[str], None]) -> list[Problem]:
        problems = []
        known = set(self.column_names)
        seen: set[str] = set()
        for name in table.header:
            if name in seen:
                problems.append(Problem(table.file, 1, name, "column appears twice"))
            seen.add(name)
            if name not in known:
                warn(f"{table.file}:1: {name or '(unnamed)'}: unknown column, ignored")
        for column in self.columns:
            if column.required and column.name not in seen:
                problems.append(Problem(table.file, 1, column.name, "required column is missing"))
        return problems

    def validate(
        self, table: CsvTable, advance: Callable[[int], None]
    ) -> tuple[list[Row], list[Problem]]:
        present = sorted(
            (column for column in self.columns if column.name in table.header),
            key=lambda column: table.header.index(column.name),
        )  # problems of a row are listed left to right, as the file has them
        found = self._load_references(present, table)
        in_file = self._keys_in_file(present, table)
        readers = [self._reader(column) for column in present]
        stored_ids = self._stored_ids_breaking_id_rules(readers, table)
        column_of = {
            column.field_name: column.name for column in self.columns if column.field_name
        }
        checks = getattr(self.model, "checks_across_fields", ())
        checked_fields = self._fields_read_by(checks)
        stored = self._stored_values_left_out(
            checked_fields, present, readers, table, found, in_file
        )
        exempt_ids = [stored_ids.get(reader.column.name, set()) for reader in readers]
        rows: list[Row] = []
        problems: list[Problem] = []
        first_line_of_key: dict[tuple, int] = {}
        for csv_row in table.rows:
            row = Row(line=csv_row.line)
            row_problems: list[tuple[str, str]] = []
            if csv_row.extra_cells:
                row_problems.append((ROW_COLUMN, "more cells than the header has columns"))
            for reader, exempt in zip(readers, exempt_ids, strict=True):
                raw = csv_row.cells.get(reader.column.name, "").strip()
                try:
                    if exempt and raw in exempt:
                        row.values[reader.model_field.attname] = raw  # type: ignore[union-attr]
                    else:
                        self._read_cell(reader, raw, row, found, in_file)
                except CellRefused as error:
                    row_problems += [(reader.column.name, reason) for reason in error.reasons]
                except ValueError as error:
                    row_problems.append((reader.column.name, str(error)))
            if not row_problems:
                row_problems = self.check(row, csv_row.cells)
                if checks:
                    # The model's own checks, on the record this row describes (fields the
                    # file leaves out at their defaults), as Model.clean runs them for the
                    # API; the checks read fields only, so the fields they read will do.
                    # An update that leaves a column out keeps its stored value: the
                    # checks read that one.
                    kept = stored.get(self.row_key(row), {}) if stored else {}
                    record = SimpleNamespace(**{
                        name: row.values.get(attname, kept.get(attname, default))
                        for name, attname, default in checked_fields
                    })
                    for field_name, reasons in check_record(checks, record).items():
                        column = column_of.get(field_name, field_name)
                        row_problems += [(column, reason) for reason in reasons]
            if not row_problems:
                key = self.row_key(row)
                if key in first_line_of_key:
                    row_problems.append((
                        self.key_column,
                        f"same record as line {first_line_of_key[key]} (duplicate key)",
                    ))
                else:
                    first_line_of_key[key] = row.line
            if row_problems:
                problems.extend(
                    Problem(table.file, row.line, column, reason)
                    for column, reason in row_problems
                )
            else:
                rows.append(row)
            if len(rows) % 1000 == 0:
                advance(1000)
        across_rows = self.check_rows(rows)
        if across_rows:
            for row in rows:
                problems += [
                    Problem(table.file, row.line, column, reason)
                    for column, reason in across_rows.get(row.line, [])
                ]
            rows = [row for row in rows if row.line not in across_rows]
            problems.sort(key=lambda problem: problem.line)
        return rows, problems

    def _stored_values_left_out(
        self, checked_fields: Sequence[tuple[str, str, Any]], present: Sequence[Column],
        readers: Sequence["CellReader"], table: CsvTable, found: dict[str, dict[str, Found]],
        in_file: set[str],
    ) -> dict[tuple, dict[str, Any]]:
        """For the records this file updates: the stored values of the fields the model's
        checks read but the file leaves out (by record key). Empty when the file has every
        column the checks read, as an export has."""
        listed = {column.field_name for column in present if column.field_name}
        left_out = [attname for name, attname, _ in checked_fields if name not in listed]
        key_readers = [
            reader for reader in readers
            if reader.model_field is not None and reader.model_field.attname in self.key
        ]
        if not left_out or len(key_readers) != len(self.key):
            return {}
        keys = set()
        for csv_row in table.rows:
            row = Row(line=csv_row.line)
            try:
                for reader in key_readers:
                    raw = csv_row.cells.get(reader.column.name, "").strip()
                    self._read_cell(reader, raw, row, found, in_file)
            except ValueError:
                continue  # the row's own problem is reported by the checking that follows
            keys.add(self.row_key(row))
        stored: dict[tuple, dict[str, Any]] = {}
        first = self.key[0]
        for chunk in chunked(sorted({key[0] for key in keys}, key=str), BATCH_SIZE):
            for values in self.model._default_manager.filter(
                **{f"{first}__in": chunk}
            ).values(*self.key, *left_out):
                stored[tuple(values[attname] for attname in self.key)] = values
        return stored

    def _fields_read_by(self, checks: Sequence[RecordCheck]) -> list[tuple[str, str, Any]]:
        """(name, attname, default) of each field the checks read."""
        names = dict.fromkeys(name for check in checks for name in check.reads)
        fields = [self.field_named(name) for name in names]
        return [(f.name, f.attname, f.get_default()) for f in fields]

    def _stored_ids_breaking_id_rules(
        self, readers: Sequence["CellReader"], table: CsvTable
    ) -> dict[str, set[str]]:
        """The upsert-key ids of this file that break today's id rules (a "/" in an external
        id) but are stored already: re-importing them stays possible, as does editing them
        through the API; only a new record must have a clean id."""
        exempt: dict[str, set[str]] = {}
        for reader in readers:
            model_field = reader.model_field
            if model_field is None or reader.column.ref is not None:
                continue
            if model_field.attname not in self.key or not is_record_id_field(model_field):
                continue
            breaking = set()
            for csv_row in table.rows:
                raw = csv_row.cells.get(reader.column.name, "").strip()
                try:
                    validate_record_id(raw)
                except ValidationError:
                    if "\x00" not in raw:  # never stored (PostgreSQL cannot even be asked)
                        breaking.add(raw)
            stored: set[str] = set()
            for chunk in chunked(sorted(breaking), BATCH_SIZE):
                stored.update(
                    self.model._default_manager.filter(
                        **{f"{model_field.attname}__in": chunk}
                    ).values_list(model_field.attname, flat=True)
                )
            exempt[reader.column.name] = stored
        return exempt

    def _load_references(
        self, present: Sequence[Column], table: CsvTable
    ) -> dict[str, dict[str, Found]]:
        found = {}
        for column in present:
            if column.ref is None:
                continue
            keys: set[str] = set()
            for csv_row in table.rows:
                raw = csv_row.cells.get(column.name, "")
                if column.many:
                    keys.update(split_list(raw))
                elif raw.strip():
                    keys.add(raw.strip())
            found[column.name] = fetch_found(column.ref, keys)
        return found

    def _keys_in_file(self, present: Sequence[Column], table: CsvTable) -> set[str]:
        if not any(column.may_be_in_file for column in present):
            return set()
        return {row.cells.get(self.key_column, "").strip() for row in table.rows}

    def _reader(self, column: Column) -> "CellReader":
        name = column.field_name
        model_field = self.field_named(name) if name else None
        parse = column.parse
        if model_field is not None and column.ref is None:
            parse = parser_for(model_field) if parse is None else validated(model_field, parse)
        return CellReader(column, model_field, remembered(parse) if parse else None)

    def _read_cell(
        self, reader: "CellReader", raw: str, row: Row, found: dict[str, dict[str, Found]],
        in_file: set[str],
    ) -> None:
        column, model_field = reader.column, reader.model_field
        if not raw:
            # A required column whose field may be empty (an invoice's currency) leaves the
            # verdict to the model's checks, which give the API's message.
            may_be_empty = model_field is not None and column.ref is None and model_field.blank
            if column.required and not may_be_empty:
                raise ValueError("required value is empty")
            value: Any = [] if column.many else None
            if model_field is not None and column.ref is None:
                value = model_field.get_default()
        elif column.ref is not None:
            value = self._resolve(column, raw, found[column.name], in_file)
        elif reader.parse is not None:
            value = reader.parse(raw)
        else:
            value = raw
        if model_field is None:
            row.extras[column.name] = value
        elif column.ref is not None:
            row.values[model_field.attname] = value.id if isinstance(value, Found) else None
            row.extras[column.name] = value
        else:
            row.values[model_field.attname] = value

    @staticmethod
    def _resolve(
        column: Column, raw: str, found: dict[str, Found], in_file: set[str]
    ) -> Found | list[Found] | str:
        assert column.ref is not None
        if column.many:
            missing = [item for item in split_list(raw) if item not in found]
            if missing:
                raise ValueError(f"no {column.ref.noun} {', '.join(map(repr, missing))}")
            return [found[item] for item in split_list(raw)]
        if column.may_be_in_file:
            if raw not in found and raw not in in_file:
                raise ValueError(f"no {column.ref.noun} {raw!r} here or in the file")
            return raw
        if raw not in found:
            raise ValueError(f"no {column.ref.noun} {raw!r}")
        return found[raw]

    def check(self, row: Row, cells: dict[str, str]) -> list[tuple[str, str]]:
        """The kind's checks of one row's references (a contract of the row's account); a
        list of (column, reason). Checks of the record's own fields are the model's."""
        return []

    def check_rows(self, rows: list[Row]) -> dict[int, list[tuple[str, str]]]:
        """Checks across the rows of the file (and what is stored); (column, reason) by line."""
        return {}

    def row_key(self, row: Row) -> tuple:
        return tuple(row.values.get(attname) for attname in self.key)

    # -- writing --

    def write(self, rows: list[Row], advance: Callable[[int], None]) -> list[Outcome]:
        self.prepare(rows)
        existing = self._fetch_existing(rows)
        concrete = [f for f in self.model._meta.concrete_fields if not f.primary_key]
        # What an import can change: the columns of the file and the fields derived from them.
        derived = [f.attname for f in concrete if not f.editable]
        outcomes = []
        for row in rows:
            obj = existing.get(self.row_key(row))
            if obj is None:
                obj = self.new_object(row)
                self._refresh(obj)
                outcomes.append(Outcome(row, obj, created=True, changed={}))
                continue
            compared = [*row.values, *derived]
            before = {attname: getattr(obj, attname) for attname in compared}
            for attname, value in row.values.items():
                setattr(obj, attname, value)
            self._refresh(obj)
            changed = {
                attname: old
                for attname, old in before.items()
                if getattr(obj, attname) != old
            }
            outcomes.append(Outcome(row, obj, created=False, changed=changed))
        to_create = [outcome.obj for outcome in outcomes if outcome.created]
        for batch in chunked(to_create, BATCH_SIZE):
            insert_new(self.model, batch)
            advance(len(batch))
        if any(obj.pk is None for obj in to_create):  # SQLite: insert_new gives no ids
            self._fill_primary_keys(to_create)
        updated = [outcome for outcome in outcomes if outcome.updated]
        name_of = {f.attname: f.name for f in concrete}
        for batch in chunked(updated, BATCH_SIZE):
            names = {name_of[attname] for outcome in batch for attname in outcome.changed}
            self.model._default_manager.bulk_update(
                [outcome.obj for outcome in batch], sorted(names)
            )
            advance(len(batch))
        return outcomes

    def prepare(self, rows: list[Row]) -> None:
        """Fill values that need writes of their own (e.g. product families)."""

    def new_object(self, row: Row) -> models.Model:
        return self.model(**row.values)

    @staticmethod
    def _refresh(obj: models.Model) -> None:
        refresh = getattr(obj, "refresh_derived_fields", None)
        if refresh is not None:
            refresh()

    def _key_of(self, obj: models.Model) -> tuple:
        return tuple(getattr(obj, attname) for attname in self.key)

    def _fetch_existing(self, rows: list[Row]) -> dict[tuple, models.Model]:
        first = self.key[0]
        wanted = {row.values.get(first) for row in rows}
        existing = {}
        for chunk in chunked(sorted(wanted, key=str), BATCH_SIZE):
            for obj in self.model._default_manager.filter(**{f"{first}__in": chunk}):
                existing[self._key_of(obj)] = obj
        return existing

    def _fill_primary_keys(self, objs: list[models.Model]) -> None:
        """The ids the database gave the records just inserted, read back by their keys
        (``insert_new`` gives them on PostgreSQL only)."""
        by_key = {self._key_of(obj): obj for obj in objs}
        first = self.key[0]
        wanted = sorted({key[0] for key in by_key}, key=str)
        for chunk in chunked(wanted, BATCH_SIZE):
            for *key, pk in self.model._default_manager.filter(
                **{f"{first}__in": chunk}
            ).values_list(*self.key, "pk"):
                obj = by_key.get(tuple(key))
                if obj is not None:
                    obj.pk = pk

    def after_write(self, outcomes: list[Outcome], session: "ImportSession") -> set[int]:
        """Side effects of the kind; returns the lines of records these changed."""
        return set()


class UsersSpec(Spec):
    kind = "users"
    model = User
    key = ("username",)
    columns = (
        Column("username", required=True),
        Column("full_name"),
        Column("email"),
        Column("role", required=True),
        Column("manager_username", field=None, ref=USER, may_be_in_file=True),
        Column("start_date"),
        Column("department"),
        Column("title"),
    )

    def new_object(self, row: Row) -> models.Model:
        return User(**row.values, password=make_password(None))

    def check_rows(self, rows: list[Row]) -> dict[int, list[tuple[str, str]]]:
        """Nobody manages themselves, and reporting lines never go round in a circle, in the
        file or through the users stored already (the file's lines win over theirs)."""
        with_manager = [row for row in rows if "manager_username" in row.extras]
        if not with_manager:
            return {}
        manager_of: dict[str, str | None] = dict(
            User.objects.values_list("username", "manager__username")
        )
        manager_of.update(
            (row.values["username"], row.extras["manager_username"]) for row in with_manager
        )
        problems: dict[int, list[tuple[str, str]]] = {}
        for row in with_manager:
            manager = row.extras["manager_username"]
            if manager is None:
                continue
            problem = reporting_line_problem(
                username=row.values["username"], manager_username=manager,
                manager_of=manager_of.get,
            )
            if problem:
                problems[row.line] = [("manager_username", problem)]
        return problems

    def after_write(self, outcomes: list[Outcome], session: "ImportSession") -> set[int]:
        with_manager = [o for o in outcomes if "manager_username" in o.row.extras]
        if not with_manager:
            return set()
        names = {o.row.extras["manager_username"] for o in with_manager} - {None}
        ids = {key: found.id for key, found in fetch_found(USER, names).items()}
        changed = []
        for outcome in with_manager:
            name = outcome.row.extras["manager_username"]
            # .get: in a doomed import-all the manager's own row may have been bad.
            manager_id = ids.get(name) if name else None
            if outcome.obj.manager_id != manager_id:
                outcome.obj.manager_id = manager_id
                changed.append(outcome)
        for batch in chunked(changed, BATCH_SIZE):
            User.objects.bulk_update([outcome.obj for outcome in batch], ["manager"])
        return {outcome.row.line for outcome in changed if not outcome.created}


class AccountsSpec(Spec):
    kind = "accounts"
    model = Account
    key = ("external_id",)
    columns = columns_of(
        account_kinds.ACCOUNT,
        # The owner from the import's day on, written by ``ownership`` in ``after_write``.
        owner_username={"field": None},
    )

    def after_write(self, outcomes: list[Outcome], session: "ImportSession") -> set[int]:
        """The owner named in the file, from today on, through the one writer of ownership;
        an empty owner column changes nothing."""
        owners = {
            outcome.obj.pk: outcome.row.extras["owner_username"].id
            for outcome in outcomes
            if isinstance(outcome.row.extras.get("owner_username"), Found)
        }
        changed = ownership.set_owners(owners) if owners else set()
        return {outcome.row.line for outcome in outcomes if outcome.obj.pk in changed}


class TeamSpec(Spec):
    kind = "team"
    model = TeamMembership
    key = ("account_id", "user_id", "role", "start_date")
    columns = columns_of(account_kinds.TEAM_MEMBERSHIP)

    def write(self, rows: list[Row], advance: Callable[[int], None]) -> list[Outcome]:
        """Owner rows are the ownership history: ``ownership`` writes them (one running owner,
        the account's cached owner in step); the other roles are plain upserts."""
        owner_rows: list[Row] = []
        other_rows: list[Row] = []
        for row in rows:
            (owner_rows if row.values["role"] == TeamRole.OWNER else other_rows).append(row)
        outcomes = super().write(other_rows, advance)
        if not owner_rows:
            return outcomes
        periods: dict[int, list[ownership.Period]] = defaultdict(list)
        for row in owner_rows:
            periods[row.values["account_id"]].append(ownership.Period(
                row.values["user_id"], row.values.get("start_date"), row.values.get("end_date")
            ))
        written = ownership.add_periods(periods)
        before, after = self._by_key(written.before), self._by_key(written.after)
        for row in owner_rows:
            key = self.row_key(row)
            stored = after.get(key)
            obj = TeamMembership(pk=stored.pk if stored else None, **row.values)
            if key not in before:
                outcomes.append(Outcome(row, obj, created=stored is not None, changed={}))
            else:
                old_end = before[key].end_date
                changed = {} if stored and stored.end_date == old_end else {"end_date": old_end}
                outcomes.append(Outcome(row, obj, created=False, changed=changed))
        advance(len(owner_rows))
        return outcomes

    @staticmethod
    def _by_key(periods: Mapping[int, list[ownership.Period]]) -> dict[tuple, ownership.Period]:
        """Owner periods by this kind's upsert key."""
        return {
            (account_id, period.user_id, TeamRole.OWNER, period.start_date): period
            for account_id, account_periods in periods.items()
            for period in account_periods
        }


class ContactsSpec(Spec):
    kind = "contacts"
    model = Contact
    key = ("external_id",)
    columns = columns_of(
        account_kinds.CONTACT,
        # The manager may be a contact of this same file: written in ``after_write``.
        reports_to={"field": None, "may_be_in_file": True},
    )

    def check_rows(self, rows: list[Row]) -> dict[int, list[tuple[str, str]]]:
        """A contact reports to someone at the same customer, never to themselves nor round
        in a circle, in the file or through the contacts stored already (the file's lines
        win over theirs): the rule ``Contact.clean`` runs for the API."""
        with_manager = [row for row in rows if row.extras.get("reports_to")]
        if not with_manager:
            return {}
        account_of: dict[str, int | None] = {
            key: found.account_id
            for key, found in fetch_found(
                CONTACT, {row.extras["reports_to"] for row in with_manager}
            ).items()
        }
        account_of.update((row.values["external_id"], row.values["account_id"]) for row in rows)
        manager_of: dict[str, str | None] = dict(
            Contact.objects.filter(reports_to__isnull=False).values_list(
                "external_id", "reports_to__external_id"
            )
        )
        manager_of.update(
            (row.values["external_id"], row.extras["reports_to"])
            for row in rows if "reports_to" in row.extras
        )
        problems: dict[int, list[tuple[str, str]]] = {}
        for row in with_manager:
            manager = row.extras["reports_to"]
            if manager not in account_of:
                continue  # the manager's own row is bad, and reported
            problem = contact_line_problem(
                external_id=row.values["external_id"], account_id=row.values["account_id"],
                manager_external_id=manager, manager_account_id=account_of.get(manager),
                manager_of=manager_of.get,
            )
            if problem:
                problems[row.line] = [("reports_to", problem)]
        return problems

    def after_write(self, outcomes: list[Outcome], session: "ImportSession") -> set[int]:
        with_column = [o for o in outcomes if "reports_to" in o.row.extras]
        if not with_column:
            return set()
        keys = {o.row.extras["reports_to"] for o in with_column} - {None}
        ids = {key: found.id for key, found in fetch_found(CONTACT, keys).items()}
        changed = []
        for outcome in with_column:
            key = outcome.row.extras["reports_to"]
            manager_id = ids.get(key) if key else None
            if outcome.obj.reports_to_id != manager_id:
                outcome.obj.reports_to_id = manager_id
                changed.append(outcome)
        for batch in chunked(changed, BATCH_SIZE):
            Contact.objects.bulk_update([outcome.obj for outcome in batch], ["reports_to"])
        return {outcome.row.line for outcome in changed if not outcome.created}


class ProductsSpec(Spec):
    kind = "products"
    model = Product
    key = ("sku",)
    columns = (
        Column("sku", required=True),
        Column("name", required=True),
        Column("family", required=True, field=None, parse=lambda raw: _family_name(raw)),
        Column("launched_on"),
    )

    def prepare(self, rows: list[Row]) -> None:
        names = {row.extras["family"] for row in rows}
        ids = dict(ProductFamily.objects.filter(name__in=names).values_list("name", "pk"))
        ProductFamily.objects.bulk_create(
            [ProductFamily(name=name) for name in sorted(names - set(ids))]
        )
        ids = dict(ProductFamily.objects.filter(name__in=names).values_list("name", "pk"))
        for row in rows:
            row.values["family_id"] = ids[row.extras["family"]]


def _family_name(raw: str) -> str:
    """A family is named in the products file; its name is checked as ProductFamily.name."""
    name: str = _FAMILY_NAME(raw)
    return name


_FAMILY_NAME = parser_for(ProductFamily._meta.get_field("name"))  # type: ignore[arg-type]


class ReleasesSpec(Spec):
    kind = "releases"
    model = Release
    key = ("product_id", "name")
    columns = (
        Column("sku", required=True, field="product", ref=PRODUCT),
        Column("name", required=True),
        Column("release_on", required=True),
        Column("summary"),
    )


class HoldingsSpec(Spec):
    kind = "holdings"
    model = Holding
    key = ("account_id", "product_id")
    columns = columns_of(catalog_kinds.HOLDING)


class ContractsSpec(Spec):
    kind = "contracts"
    model = Contract
    key = ("external_id",)
    columns = columns_of(catalog_kinds.CONTRACT)


class AdverseChangesSpec(Spec):
    kind = "adverse_changes"
    model = AdverseChange
    key = ("account_id", "kind", "effective_on")
    columns = columns_of(catalog_kinds.ADVERSE_CHANGE)


class InvoicesSpec(Spec):
    kind = "invoices"
    model = Invoice
    key = ("invoice_number",)
    columns = columns_of(billing_kinds.INVOICE)

    def check(self, row: Row, cells: dict[str, str]) -> list[tuple[str, str]]:
        problems = []
        contract = row.extras.get("contract_external_id")
        if contract and contract.account_id != row.values["account_id"]:
            key = cells["contract_external_id"].strip()
            problems.append(("contract_external_id", on_another_account("contract", [key])))
        return problems


class DisputesSpec(Spec):
    kind = "disputes"
    model = Dispute
    key = ("invoice_id", "opened_on")
    columns = columns_of(billing_kinds.DISPUTE)


class TicketsSpec(Spec):
    kind = "tickets"
    model = Ticket
    key = ("external_id",)
    columns = columns_of(support_kinds.TICKET)

    def check(self, row: Row, cells: dict[str, str]) -> list[tuple[str, str]]:
        contact = row.extras.get("contact_external_id")
        if contact and contact.account_id != row.values["account_id"]:
            key = cells["contact_external_id"].strip()
            return [("contact_external_id", on_another_account("contact", [key]))]
        return []


class OrdersSpec(Spec):
    kind = "orders"
    model = Order
    key = ("external_id",)
    columns = columns_of(order_kinds.ORDER)


def _tags(raw: str) -> str:
    tags = normalize_tags(split_list(raw))
    if len(tags) > 500:
        raise ValueError(f"longer than 500 characters once joined ({len(tags)})")
    return tags


class InteractionsSpec(Spec):
    kind = "interactions"
    model = Interaction
    key = ("natural_key",)
    columns = columns_of(interaction_kinds.INTERACTION, tags={"parse": _tags})

    @property
    def key_column(self) -> str:
        return "occurred_at"

    def check(self, row: Row, cells: dict[str, str]) -> list[tuple[str, str]]:
        account_id = row.values["account_id"]
        contacts = row.extras.get("contact_external_ids") or []
        keys = split_list(cells.get("contact_external_ids", ""))
        strangers = [
            key for key, contact in zip(keys, contacts, strict=False)
            if contact.account_id != account_id
        ]
        if strangers:
            return [("contact_external_ids", on_another_account("contact", strangers))]
        row.values["natural_key"] = Interaction.compute_natural_key(
            account_external_id=cells["account_external_id"].strip(),
            occurred_at_iso=row.values["occurred_at"].isoformat(),
            kind=row.values["kind"],
            username=cells.get("username", "").strip(),
            subject=row.values.get("subject") or "",
        )
        return []

    def after_write(self, outcomes: list[Outcome], session: "ImportSession") -> set[int]:
        with_contacts = [o for o in outcomes if "contact_external_ids" in o.row.extras]
        if not with_contacts:
            return set()
        through = Interaction.contacts.through
        stored: dict[int, set[int]] = defaultdict(set)
        existing_ids = [o.obj.pk for o in with_contacts if not o.created]
        for chunk in chunked(existing_ids, BATCH_SIZE):
            for interaction_id, contact_id in through.objects.filter(
                interaction_id__in=chunk
            ).values_list("interaction_id", "contact_id"):
                stored[interaction_id].add(contact_id)
        to_add, to_remove, changed_lines = [], [], set()
        for outcome in with_contacts:
            wanted = {found.id for found in outcome.row.extras["contact_external_ids"]}
            have = stored.get(outcome.obj.pk, set())
            if wanted == have:
                continue
            to_add += [
                through(interaction_id=outcome.obj.pk, contact_id=contact_id)
                for contact_id in wanted - have
            ]
            to_remove += [(outcome.obj.pk, contact_id) for contact_id in have - wanted]
            if not outcome.created:
                changed_lines.add(outcome.row.line)
        for batch in chunked(to_add, BATCH_SIZE):
            insert_new(through, batch)
        for chunk in chunked(to_remove, BATCH_SIZE):
            condition = Q(pk__in=[])
            for interaction_id, contact_id in chunk:
                condition |= Q(interaction_id=interaction_id, contact_id=contact_id)
            through.objects.filter(condition).delete()
        return changed_lines


class NewsSpec(Spec):
    kind = "news"
    model = NewsItem
    key = ("account_id", "occurred_on", "headline")
    columns = columns_of(account_kinds.NEWS_ITEM)


class ServiceMetricsSpec(Spec):
    kind = "service_metrics"
    model = ServiceMetric
    key = ("account_id", "period", "metric")
    columns = columns_of(support_kinds.SERVICE_METRIC)


class ScopeSpec(Spec):
    kind = "scope"
    model = ScopeRecord
    key = ("account_id", "period", "function")
    columns = columns_of(support_kinds.SCOPE_RECORD)


class OpportunitiesSpec(Spec):
    kind = "opportunities"
    model = Opportunity
    key = ("external_id",)
    columns = columns_of(sales_kinds.OPPORTUNITY)

    def check_rows(self, rows: list[Row]) -> dict[int, list[tuple[str, str]]]:
        """An opportunity with products keeps its currency (their prices are in it), as
        ``OpportunityForm`` has it for the API."""
        with_currency = [row for row in rows if "currency" in row.values]
        priced_in: dict[str, set[str]] = defaultdict(set)
        for chunk in chunked(sorted({row.values["external_id"] for row in with_currency}),
                             BATCH_SIZE):
            for external_id, currency in OpportunityProduct.objects.filter(
                opportunity__external_id__in=chunk
            ).values_list("opportunity__external_id", "opportunity__currency").distinct():
                priced_in[external_id].add(currency)
        problems: dict[int, list[tuple[str, str]]] = {}
        for row in with_currency:
            problem = currency_kept_problem(
                priced_in=priced_in.get(row.values["external_id"], set()),
                currency=row.values["currency"] or "",
            )
            if problem:
                problems[row.line] = [("currency", problem)]
        return problems

    def after_write(self, outcomes: list[Outcome], session: "ImportSession") -> set[int]:
        now = timezone.now()
        StageChange.objects.bulk_create(
            [
                StageChange(opportunity=outcome.obj, stage=outcome.obj.stage, changed_at=now)
                for outcome in outcomes
                if outcome.created or "stage" in outcome.changed
            ],
            batch_size=BATCH_SIZE,
        )
        # The one writer of the close-date history, as for the API's writes (no one to
        # name: an import).
        sales_services.record_close_date_moves(
            (
                (outcome.obj.pk, outcome.changed["close_date"], outcome.obj.close_date)
                for outcome in outcomes
                if not outcome.created and "close_date" in outcome.changed
            ),
            by=None, at=now,
        )
        return set()


class StageChangesSpec(Spec):
    """The history of stages. The file is the whole history of each opportunity it names:
    the stages it lists are kept, and the others (e.g. the "entered today" an import of the
    opportunity itself notes) are taken off."""

    kind = "stage_changes"
    model = StageChange
    key = ("opportunity_id", "stage", "changed_at")
    columns = (
        Column("opportunity_external_id", required=True, field="opportunity", ref=OPPORTUNITY),
        Column("stage", required=True),
        Column("changed_at", required=True),
    )

    def after_write(self, outcomes: list[Outcome], session: "ImportSession") -> set[int]:
        kept: dict[int, set[int]] = defaultdict(set)
        for outcome in outcomes:
            kept[outcome.obj.opportunity_id].add(outcome.obj.pk)
        for chunk in chunked(sorted(kept), BATCH_SIZE):
            others = [
                pk for pk, opportunity_id in StageChange.objects.filter(
                    opportunity_id__in=chunk
                ).values_list("pk", "opportunity_id")
                if pk not in kept[opportunity_id]
            ]
            StageChange.objects.filter(pk__in=others).delete()
        return set()


class OpportunityProductsSpec(Spec):
    """The products on opportunities, one line per product and opportunity; the prices are
    in the opportunity's currency (``OpportunityProductForm`` has the same rule)."""

    kind = "opportunity_products"
    model = OpportunityProduct
    key = ("opportunity_id", "product_id")
    columns = columns_of(sales_kinds.OPPORTUNITY_PRODUCT)

    def check_rows(self, rows: list[Row]) -> dict[int, list[tuple[str, str]]]:
        without_currency: set[int] = set()
        for chunk in chunked(sorted({row.values["opportunity_id"] for row in rows}), BATCH_SIZE):
            without_currency.update(
                Opportunity.objects.filter(pk__in=chunk, currency="").values_list(
                    "pk", flat=True
                )
            )
        return {
            row.line: [("opportunity_external_id", NO_CURRENCY_TO_PRICE_IN)]
            for row in rows
            if row.values["opportunity_id"] in without_currency
        }


class QuotasSpec(Spec):
    kind = "quotas"
    model = Quota
    key = ("user_id", "period_start", "period_end")
    columns = columns_of(sales_kinds.QUOTA)


class ExpenseReportsSpec(Spec):
    """A finance system's monthly file of expense reports, one per rep and month."""

    kind = "expense_reports"
    model = ExpenseReport
    key = ("rep_id", "period")
    columns = columns_of(expenses_kinds.EXPENSE_REPORT)


SPECS: dict[str, Spec] = {
    spec.kind: spec
    for spec in (
        UsersSpec(), AccountsSpec(), TeamSpec(), ContactsSpec(), ProductsSpec(), ReleasesSpec(),
        HoldingsSpec(), ContractsSpec(), AdverseChangesSpec(), InvoicesSpec(), DisputesSpec(),
        TicketsSpec(), OrdersSpec(), InteractionsSpec(), NewsSpec(), ServiceMetricsSpec(),
        ScopeSpec(), OpportunitiesSpec(), StageChangesSpec(), OpportunityProductsSpec(),
        QuotasSpec(), ExpenseReportsSpec(),
    )
}
"""Every CSV kind, in dependency order: a kind only references kinds before it."""


# --- Sessions: one or more files in one transaction --------------------------------------


@dataclass
class ImportSession:
    """Imports several tables in dependency order, collecting every problem."""

    warn: Callable[[str], None]
    show_progress: bool = False
    problems: list[Problem] = field(default_factory=list)
    results: list[FileResult] = field(default_factory=list)

    def run(self, kind: str, table: CsvTable, *, write_valid_rows: bool) -> None:
        """Validate ``table``; write it when it has no problem. With ``write_valid_rows``
        (several files in one doomed transaction) the good rows of a bad file are written
        too, so later files are checked against them rather than failing in cascade."""
        spec = SPECS[kind]
        header_problems = spec.check_header(table, self.warn)
        if header_problems:
            self.problems.extend(header_problems)
            return
        with progress_bar(f"{table.file}: checking", len(table.rows), self.show_progress) as step:
            rows, problems = spec.validate(table, step)
        self.problems.extend(problems)
        if problems and not write_valid_rows:
            return
        with progress_bar(f"{table.file}: writing", len(rows), self.show_progress) as step:
            outcomes = spec.write(rows, step)
        also_changed = spec.after_write(outcomes, self)
        result = FileResult(kind=kind, file=table.file)
        for outcome in outcomes:
            if outcome.created:
                result.created += 1
            elif outcome.updated or outcome.row.line in also_changed:
                result.updated += 1
            else:
                result.unchanged += 1
        self.results.append(result)


def import_tables(
    tables: Sequence[tuple[str, CsvTable]],
    *,
    dry_run: bool = False,
    warn: Callable[[str], None] = lambda _message: None,
    show_progress: bool = False,
) -> list[FileResult]:
    """Import ``(kind, table)`` pairs, in the given order, in one transaction.

    Raises ImportRejected, having written nothing, when any row of any table is bad. A dry
    run does all the work and rolls it back, so its counts are exactly what a real run would
    do (and an import-all dry run sees the accounts of its own accounts.csv).
    """
    unknown = [kind for kind, _table in tables if kind not in SPECS]
    if unknown:
        raise ValueError(f"unknown kind(s): {', '.join(unknown)}")
    session = ImportSession(warn=warn, show_progress=show_progress)
    with transaction.atomic():
        for kind, table in tables:
            session.run(kind, table, write_valid_rows=len(tables) > 1)
        if session.problems:
            raise ImportRejected(session.problems)
        if dry_run:
            transaction.set_rollback(True)
    return session.results


def import_files(
    files: Sequence[tuple[str, str | Path]],
    *,
    dry_run: bool = False,
    warn: Callable[[str], None] = lambda _message: None,
    show_progress: bool = False,
) -> list[FileResult]:
    """Read and import ``(kind, path)`` pairs; every unreadable file is a problem too."""
    tables, problems = [], []
    for kind, path in files:
        try:
            tables.append((kind, read_csv(path)))
        except CsvFileError as error:
            problems.append(error.problem)
        except OSError as error:
            problems.append(Problem(str(path), 0, FILE_COLUMN, error.strerror or str(error)))
    if problems:
        raise ImportRejected(problems)
    return import_tables(tables, dry_run=dry_run, warn=warn, show_progress=show_progress)


def files_in_directory(
    directory: str | Path, warn: Callable[[str], None]
) -> list[tuple[str, Path]]:
    """The ``<kind>.csv`` files of a folder, in dependency order."""
    folder = Path(directory)
    if not folder.is_dir():
        raise ImportRejected([Problem(str(folder), 0, FILE_COLUMN, "not a folder")])
    for path in sorted(folder.glob("*.csv")):
        if path.stem not in SPECS:
            warn(f"{path}: not a known kind ({', '.join(SPECS)}), ignored")
    found = [(kind, folder / f"{kind}.csv") for kind in SPECS if (folder / f"{kind}.csv").exists()]
    if not found:
        raise ImportRejected(
            [Problem(str(folder), 0, FILE_COLUMN, "no CSV file named after a kind")]
        )
    return found
