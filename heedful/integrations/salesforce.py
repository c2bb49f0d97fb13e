"""``heedful import salesforce DIR``: a Salesforce Data Export, as Salesforce writes it.

The folder holds some of User.csv, Account.csv, Contact.csv, Opportunity.csv,
OpportunityHistory.csv, Product2.csv, PricebookEntry.csv, OpportunityLineItem.csv, Task.csv
and Event.csv: API field names as headers, 15- or 18-character ids, datetimes in UTC
(``Z``, ``+0000`` or ``+00:00``, with or without milliseconds), dates as ``YYYY-MM-DD``,
booleans as ``true``/``false`` or ``1``/``0``, a BOM perhaps, line breaks inside quoted cells
(or already replaced by spaces).

Each record becomes a row of our canonical kinds (``heedful.integrations.crm``), so it is
checked and written as our own CSV files are:

- User → users (the username is Salesforce's, remembered by id; ``ManagerId`` → manager;
  a user without a Heedful role yet is a manager when someone reports to them, else a rep);
- Account → accounts (the owner through the one writer of ownership), Contact → contacts
  (``ReportsToId`` → reports_to; a contact without an account is skipped), Opportunity →
  opportunities (one closed before it was created is created on its close date, with a
  warning: ADR 0030), OpportunityHistory → stage_changes (each change of stage) and the
  close-date history (each change of ``CloseDate`` between consecutive rows of an
  opportunity, at the row's ``CreatedDate`` by its ``CreatedById``, written after the
  canonical import through ``sales.services.record_close_date_moves``, which keeps a move
  once);
- OpportunityLineItem → opportunity_products: the product is found in Heedful's catalogue by
  SKU = ``ProductCode`` (the line's, else its Product2 or PricebookEntry row's); a code the
  catalogue lacks is skipped with a warning naming the file, line and code; a ``Quantity``
  of ``2.0`` is 2; two lines of one product at one price are added up;
- Task (done) and Event (begun) → interactions; a task's ``ActivityDate`` is a date, kept at
  noon UTC so that it reads as the same day in every time zone; two tasks of one day with
  the same owner, kind and subject stay two, a second apart (ADR 0031).

Accounts, contacts and opportunities take the 18-character id as their external id, so a
second export updates them; users and activities are found again through ``SourceRecord``.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from heedful.accounts.models import Contact
from heedful.core.models import User
from heedful.integrations.crm import (
    BATCH_SIZE,
    CrmResult,
    PastCloseDateMoveIn,
    Translation,
    added_up,
    natural_key_of,
    one_line,
    run,
    skus_in_catalogue,
    whole_number,
)
from heedful.integrations.csv_import import ImportRejected
from heedful.lib.csvfile import (
    FILE_COLUMN,
    CsvFileError,
    CsvRow,
    CsvTable,
    Problem,
    chunked,
    read_csv,
)

SYSTEM = "salesforce"
OBJECTS = (
    "User", "Account", "Contact", "Opportunity", "OpportunityHistory", "Product2",
    "PricebookEntry", "OpportunityLineItem", "Task", "Event",
)
"""The files read, in the order their records depend on each other."""

_ID_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_EMPTY_IDS = frozenset({"000000000000000", "000000000000000AAA"})
_TRUE = frozenset({"true", "1"})
ACTIVITY_DATE_TIME = time(12, 0)
"""The time a date-only activity is placed at, in Heedful's time zone (``HEEDFUL_TIME_ZONE``):
the pages show the very date the rep entered, whatever that zone is."""

CLOSED_WON, CLOSED_LOST = "closedwon", "closedlost"
"""Salesforce's closing stages, folded to their letters."""


def salesforce_id(raw: str) -> str:
    """The 18-character, case-safe form of a Salesforce id (a 15-character one gains its
    checksum), so that both forms of one record meet; "" for an empty or null id."""
    value = raw.strip()
    if not value or value in _EMPTY_IDS:
        return ""
    if not value.isascii() or not value.isalnum() or len(value) not in (15, 18):
        raise ValueError(f"{value!r} is not a Salesforce id (15 or 18 letters and digits)")
    if len(value) == 18:
        return value
    suffix = ""
    for start in (0, 5, 10):
        bits = sum(1 << place for place, character in enumerate(value[start:start + 5])
                   if character.isupper())
        suffix += _ID_SUFFIX[bits]
    return value + suffix


def salesforce_datetime(raw: str) -> datetime:
    """A datetime of the export, in UTC: ``2026-03-05T14:30:00.000Z``, ``…+0000``,
    ``…+00:00``, with or without milliseconds."""
    value = raw.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{value!r} is not a Salesforce datetime (e.g. 2026-03-05T14:30:00.000Z)"
        ) from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def salesforce_date(raw: str) -> date:
    value = raw.strip()
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def is_true(raw: str) -> bool:
    return raw.strip().lower() in _TRUE


def import_export(
    directory: str | Path, *, dry_run: bool = False,
    warn: Callable[[str], None] = lambda _message: None,
) -> CrmResult:
    """Import a Salesforce export folder, all or nothing (raises ImportRejected)."""
    return run(translate(directory, warn=warn), dry_run=dry_run)


def read_export(directory: str | Path) -> dict[str, CsvTable]:
    folder = Path(directory)
    if not folder.is_dir():
        raise ImportRejected([Problem(str(folder), 0, FILE_COLUMN, "not a folder")])
    tables, problems = {}, []
    for name in OBJECTS:
        path = folder / f"{name}.csv"
        if not path.exists():
            continue
        try:
            tables[name] = read_csv(path)
        except CsvFileError as error:
            problems.append(error.problem)
    if problems:
        raise ImportRejected(problems)
    if not tables:
        raise ImportRejected([Problem(
            str(folder), 0, FILE_COLUMN, f"no Salesforce export file ({', '.join(OBJECTS)}.csv)"
        )])
    return tables


def translate(directory: str | Path, *, warn: Callable[[str], None]) -> Translation:
    """The canonical tables of a Salesforce export folder."""
    return _Export(read_export(directory), Translation(SYSTEM, warn)).translate()


class _Export:
    """One export being translated: what each file tells the files after it."""

    def __init__(self, tables: dict[str, CsvTable], translation: Translation) -> None:
        self.tables = tables
        self.out = translation
        self.username_of: dict[str, str] = {}
        self.account_of_contact: dict[str, str] = {}
        self.skipped_contacts: set[str] = set()
        self.account_of_opportunity: dict[str, str] = {}
        self.skipped_opportunities: set[str] = set()
        self.code_of_product: dict[str, str] = {}
        self.product_of_entry: dict[str, str] = {}
        self.code_of_entry: dict[str, str] = {}

    def translate(self) -> Translation:
        for name in OBJECTS:
            if name in self.tables:
                getattr(self, f"_{name.lower()}")(self.tables[name])
        return self.out

    # -- cells --

    def _id(self, table: CsvTable, row: CsvRow, column: str) -> str | None:
        """The row's id in ``column`` (18 characters, "" if empty); None, having noted the
        problem, when it is no id."""
        try:
            return salesforce_id(row.cells.get(column, ""))
        except ValueError as error:
            self.out.problem(table.file, row.line, column, str(error))
            return None

    def _when(
        self, table: CsvTable, row: CsvRow, column: str, parse: Callable[[str], object]
    ) -> object | None:
        raw = row.cells.get(column, "").strip()
        if not raw:
            return None
        try:
            return parse(raw)
        except ValueError as error:
            self.out.problem(table.file, row.line, column, str(error))
            return None

    @staticmethod
    def _live(rows: list[CsvRow]) -> list[CsvRow]:
        return [row for row in rows if not is_true(row.cells.get("IsDeleted", ""))]

    def _username(self, user_id: str) -> str:
        """The username of a Salesforce user of this export or an earlier one; "" if none
        (asked once per id)."""
        if user_id and user_id not in self.username_of:
            self.username_of.update(self.out.stored_keys("User", [user_id]))
            self.username_of.setdefault(user_id, "")
        return self.username_of.get(user_id, "")

    # -- files --

    def _user(self, table: CsvTable) -> None:
        ids = {}
        for row in table.rows:
            user_id = self._id(table, row, "Id")
            if user_id:
                ids[row.line] = user_id
        stored = self.out.stored_keys("User", ids.values())
        for row in table.rows:
            if row.line in ids:
                user_id = ids[row.line]
                self.username_of[user_id] = stored.get(user_id) or row.cells.get(
                    "Username", ""
                ).strip()
        manager_ids = {
            line: self._id(table, row, "ManagerId") or ""
            for row in table.rows if (line := row.line) in ids
        }
        managers = set(manager_ids.values())
        roles = dict(User.objects.filter(
            username__in=list(self.username_of.values())
        ).values_list("username", "role"))
        users = self.out.table("users", table.file, {
            "username": "Username", "full_name": "Name", "email": "Email", "role": "Id",
            "manager_username": "ManagerId",
        })
        for row in table.rows:
            if row.line not in ids:
                continue
            user_id, cells = ids[row.line], row.cells
            username = self.username_of[user_id]
            manager_id = manager_ids[row.line]
            role = roles.get(username) or ("manager" if user_id in managers else "rep")
            users_cells = {
                "username": username,
                "full_name": one_line(cells.get("Name") or _full_name(cells)),
                "email": cells.get("Email", "").strip(),
                "role": role,
                "manager_username": self._username(manager_id),
            }
            if manager_id and not users_cells["manager_username"]:
                self.out.warn(f"{table.file}:{row.line}: ManagerId: no user {manager_id} in "
                              "this export; the manager is left empty")
            self.out.add_row(users, row.line, users_cells)
            self.out.remember("User", user_id, username)

    def _account(self, table: CsvTable) -> None:
        accounts = self.out.table("accounts", table.file, {
            "external_id": "Id", "name": "Name", "industry": "Industry", "status": "Type",
            "owner_username": "OwnerId", "phone": "Phone", "website": "Website",
            "city": "BillingCity", "country": "BillingCountry",
        })
        for row in self._live(table.rows):
            account_id, owner_id = self._id(table, row, "Id"), self._id(table, row, "OwnerId")
            if account_id is None:
                continue
            cells = row.cells
            kind = cells.get("Type", "").strip().lower()
            self.out.add_row(accounts, row.line, {
                "external_id": account_id,
                "name": one_line(cells.get("Name", "")),
                "industry": one_line(cells.get("Industry", "")),
                "status": "prospect" if kind == "prospect" else (
                    "former" if "former" in kind else "customer"
                ),
                "owner_username": self._username(owner_id or ""),
                "phone": one_line(cells.get("Phone", "")),
                "website": one_line(cells.get("Website", "")),
                "city": one_line(cells.get("BillingCity", "")),
                "country": one_line(cells.get("BillingCountry", "")),
            })

    def _contact(self, table: CsvTable) -> None:
        rows: list[tuple[CsvRow, str, str, str | None]] = []
        for row in self._live(table.rows):
            contact_id = self._id(table, row, "Id")
            account_id = self._id(table, row, "AccountId")
            manager_id = self._id(table, row, "ReportsToId")
            if contact_id is None or account_id is None:
                continue
            if not account_id:
                self.skipped_contacts.add(contact_id)
                self.out.skip(table.file, row.line, f"contact {contact_id} has no account")
                continue
            self.account_of_contact[contact_id] = account_id
            rows.append((row, contact_id, account_id, manager_id))
        contacts = self.out.table("contacts", table.file, {
            "external_id": "Id", "account_external_id": "AccountId", "full_name": "Name",
            "title": "Title", "email": "Email", "phone": "Phone",
            "do_not_contact": "DoNotCall", "reports_to": "ReportsToId",
        })
        for row, contact_id, account_id, manager_id in rows:
            cells = row.cells
            manager_id = manager_id or ""
            if manager_id in self.skipped_contacts:
                self.out.warn(f"{table.file}:{row.line}: ReportsToId: {manager_id} has no "
                              "account and is skipped; the manager is left empty")
                manager_id = ""
            self.out.add_row(contacts, row.line, {
                "external_id": contact_id,
                "account_external_id": account_id,
                "full_name": one_line(cells.get("Name") or _full_name(cells)),
                "title": one_line(cells.get("Title", "")),
                "email": cells.get("Email", "").strip(),
                "phone": one_line(cells.get("Phone") or cells.get("MobilePhone", "")),
                # Salesforce says no calls and no e-mail apart; Heedful's flag is both.
                "do_not_contact": "true" if is_true(cells.get("DoNotCall", ""))
                and is_true(cells.get("HasOptedOutOfEmail", "")) else "false",
                "reports_to": manager_id,
            })

    def _opportunity(self, table: CsvTable) -> None:
        currency = settings.HEEDFUL_REPORTING_CURRENCY
        opportunities = self.out.table("opportunities", table.file, {
            "external_id": "Id", "account_external_id": "AccountId", "name": "Name",
            "owner_username": "OwnerId", "stage": "StageName", "amount": "Amount",
            "currency": "CurrencyIsoCode", "created_on": "CreatedDate",
            "close_date": "CloseDate", "closed_on": "CloseDate", "won": "IsWon",
        })
        with_products = self._opportunities_with_products()
        for row in self._live(table.rows):
            ids = [self._id(table, row, column) for column in ("Id", "AccountId", "OwnerId")]
            created = self._when(table, row, "CreatedDate", salesforce_datetime)
            close_date = self._when(table, row, "CloseDate", salesforce_date)
            opportunity_id, account_id, owner_id = ids
            if None in ids or opportunity_id is None:
                continue
            if not account_id:
                self.skipped_opportunities.add(opportunity_id)
                self.out.skip(table.file, row.line, f"opportunity {opportunity_id} has no account")
                continue
            self.account_of_opportunity[opportunity_id] = account_id
            cells = row.cells
            stage = one_line(cells.get("StageName", ""))
            if "IsClosed" in cells:
                closed, won = is_true(cells["IsClosed"]), is_true(cells.get("IsWon", ""))
            else:  # a sample or report without the flags: the stage says it ("Closed/Won")
                folded = "".join(character for character in stage.lower() if character.isalpha())
                closed, won = folded in (CLOSED_WON, CLOSED_LOST), folded == CLOSED_WON
            amount = cells.get("Amount", "").strip()
            created_on = self.out.created_on_of_deal(
                file=table.file, line=row.line, column="CreatedDate",
                created=created.date() if created else None,  # type: ignore[attr-defined]
                closed=close_date if closed else None,  # type: ignore[arg-type]
            )
            owner = self._username(owner_id or "")
            if owner_id and not owner:
                self.out.problem(table.file, row.line, "OwnerId",
                                 f"no user {owner_id} (is User.csv in the folder?)")
                continue
            self.out.add_row(opportunities, row.line, {
                "external_id": opportunity_id,
                "account_external_id": account_id,
                "name": one_line(cells.get("Name", "")),
                "owner_username": owner,
                "stage": stage,
                "amount": amount,
                # Products are priced in the opportunity's currency: one with products has
                # one even without an amount (Salesforce always gives it one).
                "currency": (cells.get("CurrencyIsoCode", "").strip() or currency)
                if amount or opportunity_id in with_products else "",
                "created_on": created_on.isoformat() if created_on else "",
                "close_date": close_date.isoformat() if close_date else "",  # type: ignore[attr-defined]
                "closed_on": close_date.isoformat()  # type: ignore[attr-defined]
                if closed and close_date else "",
                "won": ("true" if won else "false") if closed else "",
            })

    def _opportunityhistory(self, table: CsvTable) -> None:
        """Each change of stage, and each change of close date between consecutive rows of
        an opportunity (each row holds the close date after it; the first one is no move, as
        a new opportunity's first close date is none). A row that repeats both (an amount
        changed) is left out."""
        changes = self.out.table("stage_changes", table.file, {
            "opportunity_external_id": "OpportunityId", "stage": "StageName",
            "changed_at": "CreatedDate",
        })
        entries = []
        for row in self._live(table.rows):
            opportunity_id = self._id(table, row, "OpportunityId")
            changed_at = self._when(table, row, "CreatedDate", salesforce_datetime)
            if opportunity_id is None or changed_at is None:
                if opportunity_id is not None and not row.cells.get("CreatedDate", "").strip():
                    self.out.problem(table.file, row.line, "CreatedDate", "required value is empty")
                continue
            if opportunity_id in self.skipped_opportunities:
                self.out.skip(table.file, row.line, f"opportunity {opportunity_id} is skipped")
                continue
            entries.append((opportunity_id, changed_at, row))
        entries.sort(key=lambda entry: (entry[0], entry[1], entry[2].line))
        previous: tuple[str, str] | None = None
        close_before: tuple[str, date] | None = None
        for opportunity_id, changed_at, row in entries:
            stage = one_line(row.cells.get("StageName", ""))
            close_date = self._when(table, row, "CloseDate", salesforce_date)
            moved = self._close_date_moved(
                table, row, opportunity_id, close_before, close_date,  # type: ignore[arg-type]
                changed_at,  # type: ignore[arg-type]
            )
            if close_date is not None:  # an empty cell says nothing: the next row compares
                close_before = (opportunity_id, close_date)  # type: ignore[assignment]
            if previous == (opportunity_id, stage):
                if not moved:
                    self.out.skipped[table.file] += 1  # neither stage nor close date moved
                continue
            previous = (opportunity_id, stage)
            self.out.add_row(changes, row.line, {
                "opportunity_external_id": opportunity_id, "stage": stage,
                "changed_at": changed_at.isoformat(),  # type: ignore[attr-defined]
            })

    def _close_date_moved(
        self, table: CsvTable, row: CsvRow, opportunity_id: str,
        close_before: tuple[str, date] | None, close_date: date | None, changed_at: datetime,
    ) -> bool:
        """Note the move of the close date this history row records, if any."""
        if close_date is None or close_before is None or close_before[0] != opportunity_id:
            return False
        if close_before[1] == close_date:
            return False
        user_id = self._id(table, row, "CreatedById") or ""
        self.out.close_date_moves.append(PastCloseDateMoveIn(
            file=table.file, line=row.line, column="OpportunityId",
            opportunity_external_id=opportunity_id, before=close_before[1], after=close_date,
            changed_at=changed_at, username=self._username(user_id),
        ))
        return True

    def _product2(self, table: CsvTable) -> None:
        """Products are matched to Heedful's catalogue by SKU = ``ProductCode``: this file
        only says the code of each product a line item names."""
        for row in self._live(table.rows):
            product_id = self._id(table, row, "Id")
            if product_id:
                self.code_of_product[product_id] = row.cells.get("ProductCode", "").strip()

    def _pricebookentry(self, table: CsvTable) -> None:
        """A line item may name its price book entry only: the entry names the product."""
        for row in self._live(table.rows):
            entry_id, product_id = self._id(table, row, "Id"), self._id(table, row, "Product2Id")
            if entry_id:
                self.product_of_entry[entry_id] = product_id or ""
                self.code_of_entry[entry_id] = row.cells.get("ProductCode", "").strip()

    def _opportunities_with_products(self) -> set[str]:
        table = self.tables.get("OpportunityLineItem")
        if table is None:
            return set()
        found = set()
        for row in self._live(table.rows):
            try:
                found.add(salesforce_id(row.cells.get("OpportunityId", "")))
            except ValueError:
                continue  # reported with the line item
        return found

    def _opportunitylineitem(self, table: CsvTable) -> None:
        """Each line item → the opportunity's product (``opportunity_products``), the product
        found in Heedful's catalogue by its code. One Heedful line per product: two
        Salesforce lines of one product at one price are added up; at two prices, the
        second is left out with a warning."""
        lines = self.out.table("opportunity_products", table.file, {
            "opportunity_external_id": "OpportunityId", "sku": "ProductCode",
            "quantity": "Quantity", "unit_price": "UnitPrice",
        })
        found = []
        for row in self._live(table.rows):
            ids = [self._id(table, row, column)
                   for column in ("OpportunityId", "Product2Id", "PricebookEntryId")]
            opportunity_id, product_id, entry_id = ids
            if None in ids or not opportunity_id:
                if opportunity_id == "":
                    self.out.problem(table.file, row.line, "OpportunityId",
                                     "required value is empty")
                continue
            if opportunity_id in self.skipped_opportunities:
                self.out.skip(table.file, row.line, f"opportunity {opportunity_id} is skipped")
                continue
            product_id = product_id or self.product_of_entry.get(entry_id or "", "")
            code = (row.cells.get("ProductCode", "").strip()
                    or self.code_of_product.get(product_id or "", "")
                    or self.code_of_entry.get(entry_id or "", ""))
            found.append((row, opportunity_id, code))
        catalogue = skus_in_catalogue({code for _row, _opportunity, code in found})
        first_of: dict[tuple[str, str], dict[str, str]] = {}
        for row, opportunity_id, code in found:
            if not code:
                self.out.skip(table.file, row.line, "ProductCode: the line names no product "
                              "code (add ProductCode, or Product2.csv with each product's)")
                continue
            if code not in catalogue:
                self.out.skip(table.file, row.line, f"ProductCode: no product {code!r} in "
                              "Heedful's catalogue (import it in products.csv, then this "
                              "export again)")
                continue
            cells = {
                "opportunity_external_id": opportunity_id, "sku": code,
                "quantity": whole_number(row.cells.get("Quantity", "")),
                "unit_price": row.cells.get("UnitPrice", "").strip(),
            }
            first = first_of.get((opportunity_id, code))
            if first is None:
                self.out.add_row(lines, row.line, cells)
                first_of[(opportunity_id, code)] = lines.table.rows[-1].cells
            elif added_up(first, cells):
                self.out.skipped[table.file] += 1  # added to the first line of the product
            else:
                self.out.skip(table.file, row.line, f"product {code!r} is on this opportunity "
                              "already at another price; Heedful keeps one line per product")

    def _task(self, table: CsvTable) -> None:
        self._activities(table, "Task")

    def _event(self, table: CsvTable) -> None:
        self._activities(table, "Event")

    def _activities(self, table: CsvTable, object_type: str) -> None:
        interactions = self.out.table("interactions", table.file, {
            "account_external_id": "AccountId", "occurred_at": (
                "ActivityDate" if object_type == "Task" else "StartDateTime"
            ),
            "kind": "TaskSubtype" if object_type == "Task" else "Type",
            "direction": "CallType", "username": "OwnerId",
            "contact_external_ids": "WhoId", "subject": "Subject",
        })
        ids = {row.line: self._id(table, row, "Id") for row in self._live(table.rows)}
        # In the order of their ids (the order Salesforce made them in), so that same-day
        # tasks kept apart (ADR 0031) take the same seconds in every export.
        live = sorted(self._live(table.rows), key=lambda row: (ids[row.line] or "", row.line))
        stored = self.out.stored_keys(object_type, [i for i in ids.values() if i])
        contacts_stored = self._accounts_of_stored_contacts(live)
        now = timezone.now()
        first_line_of_key: dict[str, int] = {}
        for row in live:
            activity_id = ids[row.line]
            refs = [self._id(table, row, column)
                    for column in ("AccountId", "WhatId", "WhoId", "OwnerId")]
            occurred_at = self._occurred_at(table, row, object_type)
            if not activity_id or None in refs or occurred_at is None:
                continue
            account_id, what_id, who_id, owner_id = (ref or "" for ref in refs)
            account_id = account_id or (what_id if what_id.startswith("001") else "")
            account_id = account_id or self.account_of_opportunity.get(what_id, "")
            cells = row.cells
            if object_type == "Task" and "IsClosed" in cells and not is_true(cells["IsClosed"]):
                self.out.skip(table.file, row.line, "an open task, not done yet")
                continue
            if occurred_at > now:
                self.out.skip(table.file, row.line, "it has not happened yet")
                continue
            if not account_id:
                self.out.skip(table.file, row.line, f"{object_type.lower()} has no account")
                continue
            contact_account = self.account_of_contact.get(who_id) or contacts_stored.get(who_id)
            canonical = {
                "account_external_id": account_id,
                "occurred_at": occurred_at.isoformat(),
                "kind": _kind(cells, object_type),
                "direction": {"inbound": "inbound", "outbound": "outbound"}.get(
                    cells.get("CallType", "").strip().lower(), ""
                ),
                "username": self._username(owner_id),
                # A task's contact at another customer is a lead or a partner: not this
                # account's contact.
                "contact_external_ids": who_id if contact_account == account_id else "",
                "subject": one_line(cells.get("Subject", "")),
            }
            if _is_date_only(cells, object_type):
                self._apart_from_same_day(table, row, canonical, first_line_of_key)
            key = self.out.interaction_key(
                object_type, activity_id, stored.get(activity_id), canonical
            )
            if key is not None and key in first_line_of_key:
                self.out.skip(table.file, row.line, "the same interaction as line "
                              f"{first_line_of_key[key]} (same time, kind, owner and subject)")
                continue
            if key is not None:
                first_line_of_key[key] = row.line
            self.out.add_row(interactions, row.line, canonical)

    def _apart_from_same_day(
        self, table: CsvTable, row: CsvRow, canonical: dict[str, str],
        first_line_of_key: dict[str, int],
    ) -> None:
        """ADR 0031: an activity with a date but no time is placed at noon, so two of one day
        with the same owner, kind and subject would make one interaction; they are two
        records in Salesforce (two ids), so the later one is placed a second after the
        earlier (the same day on every page), with a warning naming both lines."""
        key = natural_key_of(canonical)
        if key is None or key not in first_line_of_key:
            return
        first_line = first_line_of_key[key]
        moment = datetime.fromisoformat(canonical["occurred_at"])
        while key in first_line_of_key:
            moment += timedelta(seconds=1)
            canonical["occurred_at"] = moment.isoformat()
            key = natural_key_of(canonical)
        local = timezone.localtime(moment)
        self.out.warn(
            f"{table.file}:{row.line}: the same day, owner, kind and subject as line "
            f"{first_line}, another activity in Salesforce: kept as its own interaction, at "
            f"{local:%H:%M:%S} on {local:%Y-%m-%d}"
        )

    def _occurred_at(self, table: CsvTable, row: CsvRow, object_type: str) -> datetime | None:
        cells = row.cells
        if object_type == "Event":
            for column in ("StartDateTime", "ActivityDateTime"):
                if cells.get(column, "").strip():
                    return self._when(table, row, column, salesforce_datetime)  # type: ignore[return-value]
            if cells.get("ActivityDate", "").strip():
                day = self._when(table, row, "ActivityDate", salesforce_date)
                return _at_noon(day) if day else None  # type: ignore[arg-type]
        elif cells.get("ActivityDate", "").strip():
            day = self._when(table, row, "ActivityDate", salesforce_date)
            return _at_noon(day) if day else None  # type: ignore[arg-type]
        if cells.get("CreatedDate", "").strip():
            return self._when(table, row, "CreatedDate", salesforce_datetime)  # type: ignore[return-value]
        self.out.problem(table.file, row.line, "ActivityDate", "no date: neither ActivityDate "
                         "nor CreatedDate is given")
        return None

    def _accounts_of_stored_contacts(self, rows: list[CsvRow]) -> dict[str, str]:
        wanted = {self._valid_who(row) for row in rows} - {""} - set(self.account_of_contact)
        found: dict[str, str] = {}
        for chunk in chunked(sorted(wanted), BATCH_SIZE):
            found.update(Contact.objects.filter(external_id__in=chunk).values_list(
                "external_id", "account__external_id"
            ))
        return found

    @staticmethod
    def _valid_who(row: CsvRow) -> str:
        try:
            return salesforce_id(row.cells.get("WhoId", ""))
        except ValueError:
            return ""


def _is_date_only(cells: dict[str, str], object_type: str) -> bool:
    """Whether the activity's time comes from ``ActivityDate`` alone (see ``_occurred_at``)."""
    if not cells.get("ActivityDate", "").strip():
        return False
    return object_type == "Task" or not any(
        cells.get(column, "").strip() for column in ("StartDateTime", "ActivityDateTime")
    )


def _at_noon(day: date) -> datetime:
    zone = timezone.get_default_timezone()
    return datetime.combine(day, ACTIVITY_DATE_TIME, zone).astimezone(UTC)


def _full_name(cells: dict[str, str]) -> str:
    return " ".join(
        part for part in (cells.get("FirstName", "").strip(), cells.get("LastName", "").strip())
        if part
    )


def _kind(cells: dict[str, str], object_type: str) -> str:
    """The interaction kind of an activity: its subtype (Email, Call) or type (Meeting)."""
    if object_type == "Event":
        return "visit" if cells.get("Type", "").strip().lower() == "visit" else "meeting"
    subtype = (cells.get("TaskSubtype") or cells.get("Type") or "").strip().lower()
    if subtype in ("email", "listemail"):
        return "email"
    if subtype == "call":
        return "call"
    if subtype == "meeting":
        return "meeting"
    return "note"

