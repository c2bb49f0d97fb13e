"""An exported file opened as a spreadsheet runs no formula, and imports back unchanged.

The demo company is exported with a command-running formula as the name of a record of
every kind that has a name or subject; a spreadsheet would run it (a leading ``=``), so
every such cell must start with an apostrophe, and ``import-all`` must take it off again.
"""

import csv
import io
import re
from pathlib import Path

from django.db.models import Model

from heedful.accounts.models import Account, Contact, NewsItem
from heedful.catalog.models import Contract, Product, Release
from heedful.core.models import User
from heedful.demo import company
from heedful.interactions.models import Interaction
from heedful.orders.models import Order
from heedful.sales.models import Opportunity
from heedful.support.models import Ticket
from tests.conftest import AS_OF
from tests.integrations.conftest import empty_database, export_bytes, run

HOSTILE = "=cmd|' /C calc'!A0"
NAMED: list[tuple[type[Model], str]] = [
    (User, "full_name"), (Account, "name"), (Contact, "full_name"), (Product, "name"),
    (Release, "summary"), (Contract, "name"), (Ticket, "subject"), (Order, "description"),
    (Interaction, "subject"), (NewsItem, "headline"), (Opportunity, "name"),
]
FORMULA_START = re.compile(r"[=+\-@\t\r]")
NEGATIVE_NUMBER = re.compile(r"-\d+(\.\d+)?")


def give_the_hostile_name() -> None:
    """The hostile text as the name of the first record of each named kind."""
    for model, field in NAMED:
        record = model._default_manager.order_by("pk").first()
        assert record is not None, f"the demo has no {model._meta.label}"
        setattr(record, field, HOSTILE)
        record.save()


def holders_of_the_hostile_name() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.filter(**{field: HOSTILE}).count()
        for model, field in NAMED
    }


def cells_of(exported: dict[str, bytes]) -> list[tuple[str, str]]:
    return [
        (name, cell)
        for name, content in exported.items()
        for row in csv.reader(io.StringIO(content.decode("utf-8"), newline=""))
        for cell in row
    ]


def test_every_exported_cell_is_safe_in_a_spreadsheet_and_imports_back_exactly(
    db, tmp_path: Path  # noqa: ANN001
) -> None:
    # given the demo company with a formula as a name of every named kind
    company.build_demo(as_of=AS_OF)
    give_the_hostile_name()
    # when
    exported = export_bytes(tmp_path / "export")
    # then no cell starts like a formula, and each hostile name is there with an apostrophe
    cells = cells_of(exported)
    unsafe = [
        (name, cell) for name, cell in cells
        if FORMULA_START.match(cell) and not NEGATIVE_NUMBER.fullmatch(cell)
    ]
    assert unsafe == []
    hostile = [(name, cell) for name, cell in cells if HOSTILE in cell]
    assert {name for name, _cell in hostile} == {
        "users.csv", "accounts.csv", "contacts.csv", "products.csv", "releases.csv",
        "contracts.csv", "tickets.csv", "orders.csv", "interactions.csv", "news.csv",
        "opportunities.csv",
    }
    assert {cell for _name, cell in hostile} == {"'" + HOSTILE}

    # when the export is imported into an empty database
    empty_database()
    result = run("import_all", str(tmp_path / "export"))
    # then every name is exactly what it was, and the export is the same, byte for byte
    assert result.returncode == 0, result.stderr
    assert holders_of_the_hostile_name() == {model._meta.label: 1 for model, _field in NAMED}
    assert export_bytes(tmp_path / "again") == exported
