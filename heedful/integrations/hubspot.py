"""``heedful import hubspot DIR [--mapping FILE] [--show-mapping]``: HubSpot's CSV exports.

HubSpot exports companies, contacts, deals and line items with the portal's *labels* as
headers, in the portal's language ("Company name", "Name des Unternehmens"). Each header is
mapped to what it holds: one of HubSpot's own property names (``name``, ``dealstage``: the
same in every language) or, for a custom property, a column of our canonical kind
(``segment``). English default labels map by themselves; a mapping file (TOML, see the
README) gives the labels of another language, custom properties, deal stages, owners and the
portal's currency.

Each record becomes a row of our canonical kinds (``heedful.integrations.crm``): companies
→ accounts, contacts → contacts, deals → opportunities, line items → opportunity products,
with ``hubspot-company-<Record ID>`` (and ``-contact-``, ``-deal-``) as external ids, so a
second export updates them. Deal stages may come as labels or as HubSpot's internal ids
(``qualifiedtobuy``); ``closedwon`` and ``closedlost`` close a deal. An owner is a Heedful
user named in the mapping file, or the one whose e-mail address or full name the export
shows. A line item (its deal in "Associated Deal IDs", "SKU" = ``hs_sku``, "Quantity",
"Unit price" = ``price``) is a product of Heedful's catalogue, found by SKU, on the deal: a
SKU the catalogue lacks is skipped with a warning naming the file, line and SKU, and a deal
with line items has a currency even without an amount.
"""

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q

from heedful.core.models import User
from heedful.integrations.crm import (
    CrmResult,
    Translation,
    added_up,
    one_line,
    run,
    skus_in_catalogue,
    whole_number,
)
from heedful.integrations.csv_import import SPECS, ImportRejected
from heedful.lib.csvfile import FILE_COLUMN, CsvFileError, CsvTable, Problem, read_csv
from heedful.lib.text import split_list

SYSTEM = "hubspot"
OBJECTS = ("companies", "contacts", "deals", "line_items")
KIND_OF = {"companies": "accounts", "contacts": "contacts", "deals": "opportunities",
           "line_items": "opportunity_products"}
ID_PREFIX = {"companies": "hubspot-company-", "contacts": "hubspot-contact-",
             "deals": "hubspot-deal-", "line_items": "hubspot-line-item-"}

PROPERTIES: dict[str, tuple[str, ...]] = {
    "companies": ("hs_object_id", "name", "domain", "website", "industry", "phone", "city",
                  "country", "hubspot_owner_id", "lifecyclestage"),
    "contacts": ("hs_object_id", "firstname", "lastname", "email", "phone", "mobilephone",
                 "jobtitle", "associatedcompanyid", "hs_language", "hubspot_owner_id"),
    "deals": ("hs_object_id", "dealname", "dealstage", "amount", "deal_currency_code",
              "closedate", "createdate", "hubspot_owner_id", "associatedcompanyid", "pipeline"),
    "line_items": ("hs_object_id", "name", "hs_sku", "quantity", "price", "associateddealid"),
}
"""The HubSpot properties Heedful reads, by object: a mapping file's targets."""

ENGLISH_LABELS: dict[str, dict[str, str]] = {
    "companies": {
        "Record ID": "hs_object_id", "Company name": "name", "Company Domain Name": "domain",
        "Website URL": "website", "Industry": "industry", "Phone Number": "phone",
        "City": "city", "Country/Region": "country", "Company owner": "hubspot_owner_id",
        "Lifecycle Stage": "lifecyclestage",
    },
    "contacts": {
        "Record ID": "hs_object_id", "First Name": "firstname", "Last Name": "lastname",
        "Email": "email", "Phone Number": "phone", "Mobile Phone Number": "mobilephone",
        "Job Title": "jobtitle", "Associated Company IDs": "associatedcompanyid",
        "Primary Associated Company ID": "associatedcompanyid",
        "Preferred language": "hs_language", "Contact owner": "hubspot_owner_id",
    },
    "deals": {
        "Record ID": "hs_object_id", "Deal Name": "dealname", "Deal Stage": "dealstage",
        "Amount": "amount", "Currency": "deal_currency_code", "Close Date": "closedate",
        "Create Date": "createdate", "Deal owner": "hubspot_owner_id",
        "Associated Company IDs": "associatedcompanyid",
        "Primary Associated Company ID": "associatedcompanyid", "Pipeline": "pipeline",
    },
    "line_items": {
        "Record ID": "hs_object_id", "Name": "name", "SKU": "hs_sku", "Quantity": "quantity",
        "Unit price": "price", "Associated Deal IDs": "associateddealid",
        "Associated Deal ID": "associateddealid",
    },
}
"""HubSpot's default English labels of those properties."""

STAGES = {
    "appointmentscheduled": "Appointment Scheduled", "qualifiedtobuy": "Qualified To Buy",
    "presentationscheduled": "Presentation Scheduled",
    "decisionmakerboughtin": "Decision Maker Bought-In", "contractsent": "Contract Sent",
    "closedwon": "Closed Won", "closedlost": "Closed Lost",
}
"""The stages of HubSpot's default pipeline: internal id → English label."""
STAGE_OF_LABEL = {label.lower(): stage for stage, label in STAGES.items()}


class MappingFileError(Exception):
    """The mapping file cannot be used; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class LabelMapping:
    """What a mapping file says (empty without one)."""

    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    stages: dict[str, str] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    currency: str = ""
    date_formats: tuple[str, ...] = ()


def refuse(file: str, reason: str) -> MappingFileError:
    return MappingFileError(Problem(file, 0, FILE_COLUMN, reason))


def read_mapping(path: str | Path | None) -> LabelMapping:
    if path is None:
        return LabelMapping()
    name = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise refuse(name, error.strerror or str(error)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise refuse(name, f"not a TOML file ({error})") from None
    mapping = LabelMapping()

    known = {*OBJECTS, "files", "stages", "owners", "currency", "date_formats"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise refuse(name, f"unknown key(s) {', '.join(unknown)} (use {', '.join(sorted(known))})")
    for section in (*OBJECTS, "files", "stages", "owners"):
        table = data.get(section, {})
        if not isinstance(table, dict) or not all(
            isinstance(value, str) for value in table.values()
        ):
            raise refuse(name, f"[{section}]: give text = text lines")
    for obj in OBJECTS:
        allowed = set(PROPERTIES[obj]) | set(SPECS[KIND_OF[obj]].column_names)
        for label, target in data.get(obj, {}).items():
            if target not in allowed and target != "":
                raise refuse(
                    name,
                    f"[{obj}] {label!r}: {target!r} is neither a HubSpot property Heedful "
                    f"reads nor a {KIND_OF[obj]} column ({', '.join(sorted(allowed))})"
                )
        mapping.labels[obj] = {label.strip().lower(): target
                               for label, target in data.get(obj, {}).items()}
    for file_name, obj in data.get("files", {}).items():
        if obj not in OBJECTS:
            raise refuse(name, f"[files] {file_name!r}: {obj!r} is not one of {', '.join(OBJECTS)}")
    mapping.files = dict(data.get("files", {}))
    mapping.stages = {label.strip().lower(): stage
                      for label, stage in data.get("stages", {}).items()}
    mapping.owners = {owner.strip().lower(): username
                      for owner, username in data.get("owners", {}).items()}
    mapping.currency = str(data.get("currency", ""))
    formats = data.get("date_formats", [])
    if not isinstance(formats, list) or not all(isinstance(item, str) for item in formats):
        raise refuse(name, 'date_formats: give a list of strptime formats, e.g. ["%d.%m.%Y"]')
    mapping.date_formats = tuple(formats)
    return mapping


@dataclass
class FileMapping:
    """One export file: the object it holds and what each of its headers maps to (its
    target, and whether the mapping file or the English defaults said so)."""

    path: Path
    table: CsvTable
    object: str
    targets: dict[str, tuple[str, str]]  # header → (target, "mapping file" / "default")

    def column_of(self, target: str) -> str | None:
        """The (first) header mapped to ``target``."""
        for header, (mapped, _how) in self.targets.items():
            if mapped == target:
                return header
        return None

    def describe(self) -> list[str]:
        lines = [f"{self.path.name}: {self.object} (→ {KIND_OF[self.object]})"]
        for header in self.table.header:
            target, how = self.targets.get(header, ("", ""))
            lines.append(f"  {header} → {target} ({how})" if target else f"  {header} → ignored")
        return lines


def _targets(header: list[str], obj: str, mapping: LabelMapping) -> dict[str, tuple[str, str]]:
    defaults = {label.lower(): target for label, target in ENGLISH_LABELS[obj].items()}
    targets = {}
    for name in header:
        folded = name.strip().lower()
        if folded in mapping.labels.get(obj, {}):
            if mapping.labels[obj][folded]:
                targets[name] = (mapping.labels[obj][folded], "mapping file")
        elif folded in defaults:
            targets[name] = (defaults[folded], "default")
    return targets


def map_files(directory: str | Path, mapping: LabelMapping) -> list[FileMapping]:
    """The export files of ``directory``, each with its object (from the mapping file's
    ``[files]``, else the object whose labels its headers match most) and header targets."""
    folder = Path(directory)
    if not folder.is_dir():
        raise ImportRejected([Problem(str(folder), 0, FILE_COLUMN, "not a folder")])
    found: list[FileMapping] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.csv")):
        try:
            table = read_csv(path)
        except CsvFileError as error:
            problems.append(error.problem)
            continue
        if path.name in mapping.files:
            obj = mapping.files[path.name]
        else:
            scores = {
                obj: sum(1 for target, _how in _targets(table.header, obj, mapping).values()
                         if target != "hs_object_id")
                for obj in OBJECTS
            }
            obj = max(OBJECTS, key=lambda candidate: scores[candidate])
            if scores[obj] == 0:
                problems.append(Problem(
                    str(path), 1, FILE_COLUMN, "no header is a known HubSpot label of companies, "
                    "contacts, deals or line items (give the labels in a mapping file)",
                ))
                continue
        file_mapping = FileMapping(path, table, obj, _targets(table.header, obj, mapping))
        if file_mapping.column_of("hs_object_id") is None:
            problems.append(Problem(str(path), 1, FILE_COLUMN, "no Record ID column (map "
                                    "its label to hs_object_id in the mapping file)"))
            continue
        found.append(file_mapping)
    if problems:
        raise ImportRejected(problems)
    if not found:
        raise ImportRejected([Problem(str(folder), 0, FILE_COLUMN, "no CSV file")])
    found.sort(key=lambda file_mapping: OBJECTS.index(file_mapping.object))
    return found


def show_mapping(directory: str | Path, mapping_file: str | Path | None) -> list[str]:
    lines = []
    for file_mapping in map_files(directory, read_mapping(mapping_file)):
        lines += file_mapping.describe()
    return lines


def import_export(
    directory: str | Path, *, mapping_file: str | Path | None = None, dry_run: bool = False,
    warn: Callable[[str], None] = lambda _message: None,
) -> CrmResult:
    """Import a HubSpot export folder, all or nothing (raises ImportRejected or
    MappingFileError)."""
    mapping = read_mapping(mapping_file)
    files = map_files(directory, mapping)
    translation = Translation(SYSTEM, warn)
    _Export(mapping, translation).translate(files)
    return run(translation, dry_run=dry_run)


class _Export:
    def __init__(self, mapping: LabelMapping, translation: Translation) -> None:
        self.mapping = mapping
        self.out = translation
        self.usernames = _Owners(mapping)
        self.deals_with_products: set[str] = set()
        self.skipped_deals: set[str] = set()

    def translate(self, files: list[FileMapping]) -> None:
        for file_mapping in files:
            if file_mapping.object == "line_items":
                self.deals_with_products.update(
                    _first(self._cells(file_mapping, row).get("associateddealid", ""))
                    for row in file_mapping.table.rows
                )
        for file_mapping in files:
            getattr(self, f"_{file_mapping.object}")(file_mapping)

    def _cells(self, file_mapping: FileMapping, row: Any) -> dict[str, str]:
        """The row's values by target (the first non-empty header of each target)."""
        values: dict[str, str] = {}
        for header, (target, _how) in file_mapping.targets.items():
            value = row.cells.get(header, "").strip()
            if value and not values.get(target):
                values[target] = value
        return values

    def _sources(self, file_mapping: FileMapping, pairs: Mapping[str, str]) -> dict[str, str]:
        """Canonical column → the header it comes from (the target's name if no header)."""
        return {column: file_mapping.column_of(target) or target
                for column, target in pairs.items()}

    def _custom(self, file_mapping: FileMapping) -> list[str]:
        """Canonical columns a mapping file fills straight from a custom property."""
        columns = SPECS[KIND_OF[file_mapping.object]].column_names
        return [target for target, _how in file_mapping.targets.values()
                if target in columns and target not in PROPERTIES[file_mapping.object]]

    def _owner(
        self, file_mapping: FileMapping, line: int, owner: str, required: bool
    ) -> str | None:
        """The owner's username; "" for none, or an unknown owner left as it is; None for
        an unknown ``required`` one (reported)."""
        if not owner:
            return ""
        username = self.usernames.of(owner)
        if username is None:
            column = file_mapping.column_of("hubspot_owner_id") or "hubspot_owner_id"
            reason = (f"no Heedful user for owner {owner!r} (name them in [owners] of the "
                      "mapping file)")
            if required:
                self.out.problem(str(file_mapping.path), line, column, reason)
                return None
            else:
                self.out.warn(f"{file_mapping.path}:{line}: {column}: {reason}; the owner is "
                              "left as it is")
            return ""
        return username

    def _companies(self, file_mapping: FileMapping) -> None:
        custom = self._custom(file_mapping)
        pairs = {"external_id": "hs_object_id", "name": "name", "industry": "industry",
                 "status": "lifecyclestage", "owner_username": "hubspot_owner_id",
                 "phone": "phone", "website": "domain", "city": "city", "country": "country",
                 **{column: column for column in custom}}
        accounts = self.out.table("accounts", str(file_mapping.path),
                                  self._sources(file_mapping, pairs))
        for row in file_mapping.table.rows:
            values = self._cells(file_mapping, row)
            stage = values.get("lifecyclestage", "").lower().replace(" ", "")
            self.out.add_row(accounts, row.line, {
                "external_id": _external_id("companies", values.get("hs_object_id", "")),
                "name": one_line(values.get("name", "")),
                "industry": one_line(values.get("industry", "")),
                "status": "customer" if stage in ("customer", "evangelist", "") else "prospect",
                "owner_username": self._owner(
                    file_mapping, row.line, values.get("hubspot_owner_id", ""), required=False
                ) or "",
                "phone": one_line(values.get("phone", "")),
                "website": one_line(values.get("website") or values.get("domain", "")),
                "city": one_line(values.get("city", "")),
                "country": one_line(values.get("country", "")),
                **{column: values.get(column, "") for column in custom},
            })

    def _contacts(self, file_mapping: FileMapping) -> None:
        custom = self._custom(file_mapping)
        pairs = {"external_id": "hs_object_id", "account_external_id": "associatedcompanyid",
                 "full_name": "lastname", "title": "jobtitle", "email": "email",
                 "phone": "phone", "language": "hs_language",
                 **{column: column for column in custom}}
        contacts = self.out.table("contacts", str(file_mapping.path),
                                  self._sources(file_mapping, pairs))
        for row in file_mapping.table.rows:
            values = self._cells(file_mapping, row)
            company = _first(values.get("associatedcompanyid", ""))
            if not company:
                self.out.skip(str(file_mapping.path), row.line, "the contact has no company")
                continue
            name = " ".join(part for part in (values.get("firstname"), values.get("lastname"))
                            if part)
            self.out.add_row(contacts, row.line, {
                "external_id": _external_id("contacts", values.get("hs_object_id", "")),
                "account_external_id": _external_id("companies", company),
                "full_name": one_line(name or values.get("email", "")),
                "title": one_line(values.get("jobtitle", "")),
                "email": values.get("email", ""),
                "phone": one_line(values.get("phone") or values.get("mobilephone", "")),
                "language": one_line(values.get("hs_language", "")),
                **{column: values.get(column, "") for column in custom},
            })

    def _deals(self, file_mapping: FileMapping) -> None:
        custom = self._custom(file_mapping)
        file = str(file_mapping.path)
        pairs = {"external_id": "hs_object_id", "account_external_id": "associatedcompanyid",
                 "name": "dealname", "owner_username": "hubspot_owner_id",
                 "stage": "dealstage", "amount": "amount", "currency": "deal_currency_code",
                 "created_on": "createdate", "close_date": "closedate",
                 "closed_on": "closedate", "won": "dealstage",
                 **{column: column for column in custom}}
        opportunities = self.out.table("opportunities", file, self._sources(file_mapping, pairs))
        currency = self.mapping.currency or settings.HEEDFUL_REPORTING_CURRENCY
        for row in file_mapping.table.rows:
            values = self._cells(file_mapping, row)
            company = _first(values.get("associatedcompanyid", ""))
            if not company:
                self.skipped_deals.add(values.get("hs_object_id", ""))
                self.out.skip(file, row.line, "the deal has no company")
                continue
            stage_id, stage = self._stage(values.get("dealstage", ""))
            dates = {}
            for target in ("createdate", "closedate"):
                try:
                    dates[target] = self._date(values.get(target, ""))
                except ValueError as error:
                    self.out.problem(file, row.line, file_mapping.column_of(target) or target,
                                     str(error))
                    dates[target] = None
            owner = self._owner(
                file_mapping, row.line, values.get("hubspot_owner_id", ""), required=True
            )
            if owner is None:
                continue  # reported; nothing refers to a deal
            closed = stage_id in ("closedwon", "closedlost")
            close_date = dates["closedate"].isoformat() if dates["closedate"] else ""
            created_on = self.out.created_on_of_deal(
                file=file, line=row.line,
                column=file_mapping.column_of("createdate") or "createdate",
                created=dates["createdate"], closed=dates["closedate"] if closed else None,
            )
            amount = values.get("amount", "")
            self.out.add_row(opportunities, row.line, {
                "external_id": _external_id("deals", values.get("hs_object_id", "")),
                "account_external_id": _external_id("companies", company),
                "name": one_line(values.get("dealname", "")),
                "owner_username": owner,
                "stage": stage,
                "amount": amount,
                # Products are priced in the deal's currency: a deal with line items has one
                # even without an amount.
                "currency": (values.get("deal_currency_code") or currency)
                if amount or values.get("hs_object_id") in self.deals_with_products else "",
                "created_on": created_on.isoformat() if created_on else "",
                "close_date": close_date,
                "closed_on": close_date if closed else "",
                "won": ("true" if stage_id == "closedwon" else "false") if closed else "",
                **{column: values.get(column, "") for column in custom},
            })

    def _line_items(self, file_mapping: FileMapping) -> None:
        """Each line item of a deal → the opportunity's product (``opportunity_products``),
        found in Heedful's catalogue by its SKU (``hs_sku``); a line of a product the
        catalogue lacks, or on no deal (a quote's own line), is skipped with a warning. One
        Heedful line per product: two lines of one product at one price are added up."""
        file = str(file_mapping.path)
        pairs = {"opportunity_external_id": "associateddealid", "sku": "hs_sku",
                 "quantity": "quantity", "unit_price": "price"}
        lines = self.out.table("opportunity_products", file, self._sources(file_mapping, pairs))
        sku_column = file_mapping.column_of("hs_sku") or "hs_sku"
        rows = [(row, self._cells(file_mapping, row)) for row in file_mapping.table.rows]
        catalogue = skus_in_catalogue({values.get("hs_sku", "") for _row, values in rows})
        first_of: dict[tuple[str, str], dict[str, str]] = {}
        for row, values in rows:
            deal, sku = _first(values.get("associateddealid", "")), values.get("hs_sku", "")
            if not deal:
                self.out.skip(file, row.line, "the line item is on no deal")
                continue
            if deal in self.skipped_deals:
                self.out.skip(file, row.line, f"deal {deal} is skipped")
                continue
            if sku not in catalogue:
                self.out.skip(file, row.line, f"{sku_column}: no product {sku!r} in Heedful's "
                              "catalogue (import it in products.csv, then this export again)"
                              if sku else f"{sku_column}: the line item has no SKU")
                continue
            cells = {
                "opportunity_external_id": _external_id("deals", deal), "sku": sku,
                "quantity": whole_number(values.get("quantity", "")),
                "unit_price": values.get("price", ""),
            }
            key = (deal, sku)
            if key not in first_of:
                self.out.add_row(lines, row.line, cells)
                first_of[key] = lines.table.rows[-1].cells
            elif added_up(first_of[key], cells):
                self.out.skipped[file] += 1  # added to the first line of the product
            else:
                self.out.skip(file, row.line, f"product {sku!r} is on this deal already at "
                              "another price; Heedful keeps one line per product")

    def _stage(self, raw: str) -> tuple[str, str]:
        """(HubSpot's internal stage id or "", the stage as Heedful stores it): a label or
        id of the default pipeline, or what the mapping file's ``[stages]`` says."""
        value = one_line(raw)
        mapped = self.mapping.stages.get(value.lower(), value)
        stage_id = mapped if mapped in STAGES else STAGE_OF_LABEL.get(mapped.lower(), "")
        return stage_id, STAGES.get(stage_id, mapped)

    def _date(self, raw: str) -> date | None:
        """A date of the export: ISO (``2026-03-05`` or ``2026-03-05 14:30``) or a format
        of the mapping file's ``date_formats``; a time's date as written (the portal's)."""
        if not raw:
            return None
        try:
            return datetime.fromisoformat(raw).date()
        except ValueError:
            pass
        for date_format in self.mapping.date_formats:
            try:
                return datetime.strptime(raw, date_format).date()
            except ValueError:
                continue
        raise ValueError(f"{raw!r} is not a date (e.g. 2026-03-05, or give its format in "
                         "date_formats of the mapping file)")


class _Owners:
    """Heedful usernames of the owners an export names: the mapping file's ``[owners]``,
    else the user with that e-mail address or (unique) full name."""

    def __init__(self, mapping: LabelMapping) -> None:
        self.mapping = mapping
        self.found: dict[str, str | None] = {}

    def of(self, owner: str) -> str | None:
        folded = owner.strip().lower()
        if folded in self.mapping.owners:
            return self.mapping.owners[folded]
        if folded not in self.found:
            email = folded[folded.find("(") + 1:folded.rfind(")")] if "(" in folded else folded
            name = folded.split("(")[0].strip()
            matches = list(User.objects.filter(
                Q(email__iexact=email) | Q(full_name__iexact=name) | Q(username__iexact=name)
            ).values_list("username", flat=True)[:2])
            self.found[folded] = matches[0] if len(matches) == 1 else None
        return self.found[folded]


def _first(raw: str) -> str:
    """The first of a ";"-list of ids (the primary company)."""
    items = split_list(raw)
    return items[0] if items else ""


def _external_id(obj: str, record_id: str) -> str:
    return f"{ID_PREFIX[obj]}{record_id}" if record_id else ""
