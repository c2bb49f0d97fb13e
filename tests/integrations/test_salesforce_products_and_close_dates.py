"""``heedful import salesforce DIR`` with the history of close dates (OpportunityHistory.csv)
and the opportunities' products (OpportunityLineItem.csv, Product2.csv, PricebookEntry.csv):
the export of tests/integrations/salesforce/ with the files of
tests/integrations/salesforce-products-and-close-dates/ laid over it."""

import shutil
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from heedful.sales.models import CloseDateChange, Opportunity, OpportunityProduct, StageChange
from tests.factories import ProductFactory
from tests.integrations.conftest import run

EXPORT = Path(__file__).parent / "salesforce"
OVERLAY = Path(__file__).parent / "salesforce-products-and-close-dates"
EXPANSION, RENEWAL, PILOT = (f"0065g0000Kx0{n}MzAQI" for n in (1, 2, 3))
BEN, ANA = "ben.brandt@heedful-demo.example", "ana.alves@heedful-demo.example"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    shutil.copytree(EXPORT, folder)
    for path in OVERLAY.iterdir():
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
def catalogue(db) -> None:  # noqa: ANN001
    ProductFactory(sku="FT-100", name="Fleet tracker")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def moves_of(external_id: str) -> list[tuple[date | None, date | None, datetime, str | None]]:
    return [
        (move.close_date_from, move.close_date_to, move.changed_at,
         move.changed_by.username if move.changed_by else None)
        for move in CloseDateChange.objects.filter(
            opportunity__external_id=external_id
        ).select_related("changed_by").order_by("changed_at")
    ]


def test_a_close_date_moved_twice_keeps_both_moves_with_when_and_by_whom(
    catalogue, export: Path  # noqa: ANN001
) -> None:
    # when
    result = run("import", "salesforce", str(export))
    # then
    assert result.returncode == 0, result.stderr
    assert moves_of(EXPANSION) == [
        (date(2026, 12, 31), date(2027, 1, 31), datetime(2026, 6, 10, 10, tzinfo=UTC), BEN),
        (date(2027, 1, 31), date(2026, 12, 15), datetime(2026, 9, 15, 14, tzinfo=UTC), ANA),
    ]
    pushed_out, pulled_in = CloseDateChange.objects.order_by("changed_at")
    assert pushed_out.is_pushed_out and not pulled_in.is_pushed_out
    # the stages are as before: a row that moved only the close date is no stage change
    assert list(StageChange.objects.filter(opportunity__external_id=EXPANSION).values_list(
        "stage", flat=True
    )) == ["Prospecting", "Qualification", "Proposal/Price Quote"]
    assert f"{export}/OpportunityHistory.csv (close date changes): 2 created" in result.stdout


def test_an_unchanged_close_date_makes_no_move(catalogue, export: Path) -> None:  # noqa: ANN001
    # when the renewal's two history rows and the pilot's one keep their close date
    result = run("import", "salesforce", str(export))
    # then
    assert result.returncode == 0, result.stderr
    assert moves_of(RENEWAL) == [] and moves_of(PILOT) == []


def test_a_line_item_becomes_the_opportunity_s_product_found_by_its_code(
    catalogue, export: Path  # noqa: ANN001
) -> None:
    # when
    result = run("import", "salesforce", str(export))
    # then: the code comes from Product2.csv, or from PricebookEntry.csv, "3.00" is 3
    assert result.returncode == 0, result.stderr
    lines = {
        line.opportunity.external_id: line
        for line in OpportunityProduct.objects.select_related("opportunity", "product")
    }
    assert sorted(lines) == [EXPANSION, RENEWAL]  # the pilot's line is deleted
    expansion = lines[EXPANSION]
    assert (expansion.product.sku, expansion.quantity, expansion.unit_price) == (
        "FT-100", 3, Decimal("25000.00")
    )
    # the renewal has no amount, yet its product is priced: in the opportunity's currency
    renewal = lines[RENEWAL]
    assert (renewal.quantity, renewal.unit_price) == (1, Decimal("18000.00"))
    assert Opportunity.objects.get(external_id=RENEWAL).currency == "USD"


def test_a_product_missing_from_the_catalogue_is_skipped_with_a_warning_naming_it(
    catalogue, export: Path  # noqa: ANN001
) -> None:
    # when the expansion's second line is an FT-900, which Heedful's catalogue lacks
    result = run("import", "salesforce", str(export))
    # then the rest is imported, and the warning names the file, line and code
    assert result.returncode == 0, result.stderr
    assert (f"warning: {export}/OpportunityLineItem.csv:4: skipped: ProductCode: no product "
            "'FT-900' in Heedful's catalogue") in result.stderr
    assert not OpportunityProduct.objects.filter(product__sku="FT-900").exists()
    assert f"{export}/OpportunityLineItem.csv: 2 created, 0 updated, 0 unchanged, 1 skipped" in (
        result.stdout
    )


def test_reimporting_the_same_export_adds_nothing_twice(catalogue, export: Path) -> None:  # noqa: ANN001
    # given
    assert run("import", "salesforce", str(export)).returncode == 0
    before = (CloseDateChange.objects.count(), OpportunityProduct.objects.count(),
              StageChange.objects.count())
    # when
    again = run("import", "salesforce", str(export))
    # then
    assert again.returncode == 0, again.stderr
    assert (CloseDateChange.objects.count(), OpportunityProduct.objects.count(),
            StageChange.objects.count()) == before == (2, 2, 6)
    for line in again.stdout.strip().splitlines():
        assert " 0 created, 0 updated, " in line, line


def test_a_later_export_keeps_the_new_move_once_at_the_time_salesforce_says(
    catalogue, export: Path  # noqa: ANN001
) -> None:
    # given the export imported, then Ana pushes the expansion out in Salesforce
    assert run("import", "salesforce", str(export)).returncode == 0
    replace_in(export / "Opportunity.csv", '"75","2026-12-15"', '"75","2027-03-31"')
    with (export / "OpportunityHistory.csv").open("a", encoding="utf-8") as history:
        history.write('"0085g0000Kx09MzAQI","0065g0000Kx01MzAQI","0055g0000Kx01MzAQI",'
                      '"2026-10-01T08:30:00Z","Proposal/Price Quote","120000.00","",'
                      '"2027-03-31","75","BestCase","","false"\n')
    # when
    result = run("import", "salesforce", str(export))
    # then the move is kept once, when and by whom Salesforce says, not "now, by an import"
    assert result.returncode == 0, result.stderr
    assert moves_of(EXPANSION)[-1] == (
        date(2026, 12, 15), date(2027, 3, 31), datetime(2026, 10, 1, 8, 30, tzinfo=UTC), ANA
    )
    assert len(moves_of(EXPANSION)) == 3


def test_a_bad_quantity_names_the_file_line_and_column_and_writes_nothing(
    catalogue, export: Path  # noqa: ANN001
) -> None:
    # given half a tracker
    replace_in(export / "OpportunityLineItem.csv", '"3.00"', '"2.5"')
    # when
    result = run("import", "salesforce", str(export))
    # then
    assert result.returncode == 2
    problems = [line for line in result.stderr.splitlines() if not line.startswith("warning")]
    assert len(problems) == 1
    assert problems[0].startswith(f"{export}/OpportunityLineItem.csv:2: Quantity: "), problems
    assert not Opportunity.objects.exists()
    assert not CloseDateChange.objects.exists() and not OpportunityProduct.objects.exists()
