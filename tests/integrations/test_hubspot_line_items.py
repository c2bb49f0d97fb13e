"""``heedful import hubspot DIR`` with HubSpot's export of line items (their deal in
"Associated Deal IDs", "SKU", "Quantity", "Unit price"): the English export of
tests/integrations/hubspot/english/ with tests/integrations/hubspot/line-items/ beside it."""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from heedful.sales.models import Opportunity, OpportunityProduct
from tests.factories import ProductFactory, UserFactory
from tests.integrations.conftest import run

FIXTURES = Path(__file__).parent / "hubspot"
LINE_ITEMS = "hubspot-crm-exports-all-line-items-2026-11-02.csv"


@pytest.fixture
def export(db, tmp_path: Path) -> Path:  # noqa: ANN001
    UserFactory(username="jana", full_name="Jana Schmidt", email="jana@heedful.example")
    ProductFactory(sku="AN-10", name="Analytics seat")
    folder = tmp_path / "export"
    shutil.copytree(FIXTURES / "english", folder)
    shutil.copy(FIXTURES / "line-items" / LINE_ITEMS, folder / LINE_ITEMS)
    return folder


def products_by_deal() -> dict[str, tuple[str, int, Decimal]]:
    return {
        line.opportunity.external_id: (line.product.sku, line.quantity, line.unit_price)
        for line in OpportunityProduct.objects.select_related("opportunity", "product")
    }


def test_a_line_item_becomes_a_product_on_its_deal(export: Path) -> None:
    # when
    result = run("import", "hubspot", str(export))
    # then
    assert result.returncode == 0, result.stderr
    assert products_by_deal() == {
        "hubspot-deal-9002": ("AN-10", 25, Decimal("120.00")),
        "hubspot-deal-9003": ("AN-10", 10, Decimal("100.50")),
    }
    # the upsell has no amount, yet its products are priced: in the deal's currency
    assert Opportunity.objects.get(external_id="hubspot-deal-9002").currency == "USD"
    assert f"{export / LINE_ITEMS}: 2 created, 0 updated, 0 unchanged, 3 skipped" in result.stdout


def test_a_sku_missing_from_the_catalogue_is_skipped_with_a_warning_naming_it(
    export: Path,
) -> None:
    # when
    result = run("import", "hubspot", str(export))
    # then
    assert result.returncode == 0, result.stderr
    assert (f"warning: {export / LINE_ITEMS}:3: skipped: SKU: no product 'AN-99' in Heedful's "
            "catalogue") in result.stderr
    assert f"warning: {export / LINE_ITEMS}:5: skipped: deal 9005 is skipped" in result.stderr
    assert f"warning: {export / LINE_ITEMS}:6: skipped: the line item is on no deal" in (
        result.stderr
    )


def test_reimporting_the_line_items_adds_nothing_twice(export: Path) -> None:
    # given
    assert run("import", "hubspot", str(export)).returncode == 0
    # when
    again = run("import", "hubspot", str(export))
    # then
    assert again.returncode == 0, again.stderr
    assert OpportunityProduct.objects.count() == 2
    assert f"{export / LINE_ITEMS}: 0 created, 0 updated, 2 unchanged" in again.stdout


def test_a_bad_quantity_names_the_file_line_and_column_and_writes_nothing(
    export: Path,
) -> None:
    # given
    path = export / LINE_ITEMS
    path.write_bytes(path.read_bytes().replace(b"AN-10,10,100.50", b"AN-10,ten,100.50"))
    # when
    result = run("import", "hubspot", str(export))
    # then
    assert result.returncode == 2
    problems = [line for line in result.stderr.splitlines() if not line.startswith("warning")]
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:4: Quantity: "), problems
    assert not Opportunity.objects.exists() and not OpportunityProduct.objects.exists()
