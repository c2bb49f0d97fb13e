"""What follows a committed CSV import: the attention engine evaluates the accounts the
files name, with the rules that read what the files hold.

It lives here, above the engine, because telling the accounts and record kinds from a CSV
file needs the import's own specs; the engine (``heedful.plays``) knows nothing of CSV.
"""

import csv
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from heedful.accounts.models import Account
from heedful.billing.models import Invoice
from heedful.integrations.crm import CLOSE_DATE_CHANGES
from heedful.integrations.csv_import import SPECS
from heedful.lib.csvfile import restore_cell
from heedful.plays.triggers import FULL_SCAN_ABOVE_ACCOUNTS, accounts_changed, record_kind
from heedful.sales.models import CloseDateChange

logger = logging.getLogger(__name__)


def csv_import_committed(*, files: Sequence[tuple[str, str | Path]]) -> None:
    """After a CSV import committed: evaluate the accounts its files (``(kind, path)``, the
    kinds that changed something) name, or all of them when that cannot be told, with the
    rules that read what the files hold."""
    try:
        account_ids = account_ids_in_csv_files(files)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        logger.warning("Cannot tell the accounts an import touched (%s); scanning all", error)
        account_ids = None
    accounts_changed(account_ids=account_ids, kinds=record_kinds_of_csv(kind for kind, _ in files))


# What a CSV file of a kind writes besides its own model (products create their families).
CSV_ALSO_WRITES = {"products": ("productfamily",)}


def record_kinds_of_csv(csv_kinds: Iterable[str]) -> set[str] | None:
    """The record kinds (model names) CSV files of these kinds write; ``None`` if unknown."""
    kinds: set[str] = set()
    for csv_kind in csv_kinds:
        spec = SPECS.get(csv_kind)
        if csv_kind == CLOSE_DATE_CHANGES:  # no CSV kind: a CRM history's moves
            kinds.add(record_kind(CloseDateChange))
            continue
        if spec is None:
            return None
        kinds.add(record_kind(spec.model))
        kinds.update(CSV_ALSO_WRITES.get(csv_kind, ()))
    return kinds


def account_ids_in_csv_files(files: Sequence[tuple[str, str | Path]]) -> set[int] | None:
    """The accounts the rows of these CSV files (``(kind, path)``, as imported) name;
    ``None`` when a kind can change plays of any account (users, products, releases)."""
    external_ids: set[str] = set()
    invoice_numbers: set[str] = set()
    for kind, path in files:
        column = {"accounts": "external_id", "disputes": "invoice_number"}.get(
            kind, "account_external_id"
        )
        names = invoice_numbers if kind == "disputes" else external_ids
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if column not in (reader.fieldnames or []):
                return None
            # As the importer read them: a spreadsheet's apostrophe taken off.
            names.update(restore_cell(row.get(column) or "").strip() for row in reader)
    external_ids.discard("")
    invoice_numbers.discard("")
    if len(external_ids) + len(invoice_numbers) > FULL_SCAN_ABOVE_ACCOUNTS:
        return None
    ids = set(Account.objects.filter(external_id__in=external_ids).values_list("id", flat=True))
    if invoice_numbers:
        ids.update(
            Invoice.objects.filter(invoice_number__in=invoice_numbers)
            .values_list("account_id", flat=True)
        )
    return ids
