"""``heedful import hubspot DIR``: HubSpot's CSV exports of companies, contacts and deals,
headed by the portal's labels. Our own exports (tests/integrations/hubspot/): an English one
whose default labels map by themselves, and a German one with a mapping file (labels, a
custom property, stages, owners, dates, currency). A BOM, CR/LF, quoted line breaks, empty
amounts, stages as internal ids and as labels, a contact and a deal without a company."""

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from heedful.accounts.models import Account, Contact
from heedful.sales.models import Opportunity
from tests.factories import UserFactory
from tests.integrations.conftest import run, table_counts

FIXTURES = Path(__file__).parent / "hubspot"
ENGLISH, GERMAN = FIXTURES / "english", FIXTURES / "german"
GERMAN_MAPPING = FIXTURES / "german-mapping.toml"
DEALS = "hubspot-crm-exports-all-deals-2026-11-02.csv"
CONTACTS = "hubspot-crm-exports-all-contacts-2026-11-02.csv"


@pytest.fixture
def owners(db) -> None:  # noqa: ANN001
    UserFactory(username="jana", full_name="Jana Schmidt", email="jana@heedful.example")
    UserFactory(username="joerg", full_name="Jörg W.")


def import_english(*args: str):  # noqa: ANN201
    return run("import", "hubspot", str(ENGLISH), *args)


def import_german(*args: str):  # noqa: ANN201
    return run("import", "hubspot", str(GERMAN), "--mapping", str(GERMAN_MAPPING), *args)


def test_an_english_export_maps_by_its_default_labels(owners) -> None:  # noqa: ANN001
    # when
    result = import_english()
    # then
    assert result.returncode == 0, result.stderr
    northwind = Account.objects.get(external_id="hubspot-company-5012345678")
    assert (northwind.name, northwind.city, northwind.status) == (
        "Northwind Traders", "Seattle", "customer"
    )
    assert northwind.owner.username == "jana"  # named by full name in the export
    assert Account.objects.get(external_id="hubspot-company-5012345679").status == "prospect"
    grace = Contact.objects.get(external_id="hubspot-contact-102")
    assert grace.title == "Head of Engineering"
    assert grace.account == northwind  # the first of the companies is the primary one
    assert Contact.objects.count() == 2  # Alan has no company
    deals = {deal.external_id: deal for deal in Opportunity.objects.all()}
    renewal = deals["hubspot-deal-9001"]
    assert (renewal.stage, renewal.won, renewal.closed_on) == (
        "Closed Won", True, date(2026, 3, 31)
    )
    assert renewal.amount == Decimal("48000") and renewal.currency == "USD"
    assert renewal.created_on == date(2026, 1, 12)
    upsell = deals["hubspot-deal-9002"]
    assert (upsell.stage, upsell.amount, upsell.won) == ("Qualified To Buy", None, None)
    assert deals["hubspot-deal-9003"].stage == "Presentation Scheduled"
    assert deals["hubspot-deal-9003"].owner.username == "jana"  # named by e-mail address
    assert deals["hubspot-deal-9004"].won is False
    assert "hubspot-deal-9005" not in deals
    assert f"{ENGLISH / DEALS}: 4 created, 0 updated, 0 unchanged, 1 skipped" in result.stdout


def test_a_german_export_maps_through_its_mapping_file(owners) -> None:  # noqa: ANN001
    # when
    result = import_german()
    # then
    assert result.returncode == 0, result.stderr
    mueller = Account.objects.get(external_id="hubspot-company-7001")
    assert (mueller.name, mueller.city, mueller.segment) == (
        "Müller Maschinenbau GmbH", "Stuttgart", "Mittelstand"
    )
    assert mueller.owner.username == "joerg"  # from [owners]
    sabine = Contact.objects.get(external_id="hubspot-contact-801")
    assert (sabine.full_name, sabine.title, sabine.language) == (
        "Sabine Müller", "Geschäftsführerin", "Deutsch"
    )
    contract = Opportunity.objects.get(external_id="hubspot-deal-6001")
    assert (contract.stage, contract.won, contract.closed_on) == (
        "Closed Won", True, date(2026, 3, 31)
    )
    assert contract.created_on == date(2026, 1, 12) and contract.currency == "EUR"
    portal = Opportunity.objects.get(external_id="hubspot-deal-6002")
    assert (portal.stage, portal.amount, portal.close_date) == (
        "Qualified To Buy", None, date(2026, 12, 1)
    )
    assert Opportunity.objects.get(external_id="hubspot-deal-6003").won is False


@pytest.mark.parametrize("importer", [import_english, import_german])
def test_reimporting_a_hubspot_export_changes_nothing(owners, importer) -> None:  # noqa: ANN001
    # given
    assert importer().returncode == 0
    before = table_counts()
    # when
    again = importer()
    # then
    assert again.returncode == 0, again.stderr
    assert table_counts() == before
    for line in again.stdout.strip().splitlines():
        assert " 0 created, 0 updated, " in line, line


def test_show_mapping_prints_what_each_header_maps_to_and_imports_nothing(owners) -> None:  # noqa: ANN001
    # given
    before = table_counts()
    # when
    result = import_german("--show-mapping")
    # then
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "hubspot-crm-exports-alle-deals-2026-11-02.csv: deals (→ opportunities)" in lines
    assert "  Deal-Phase → dealstage (mapping file)" in lines
    assert "  Kundensegment → segment (mapping file)" in lines
    assert "  Pipeline → pipeline (default)" in lines
    assert "  Erstellungsdatum → ignored" in lines
    assert table_counts() == before


def test_a_german_export_without_its_mapping_is_refused(owners) -> None:  # noqa: ANN001
    result = run("import", "hubspot", str(GERMAN))
    assert result.returncode == 2
    assert "no header is a known HubSpot label" in result.stderr
    assert Account.objects.count() == 0


def test_bad_rows_are_reported_on_hubspot_s_file_line_and_column_and_nothing_is_written(
    owners, tmp_path: Path  # noqa: ANN001
) -> None:
    # given an unknown deal owner and a bad e-mail address
    folder = tmp_path / "export"
    shutil.copytree(ENGLISH, folder)
    deals = folder / DEALS
    deals.write_text(deals.read_text(encoding="utf-8").replace(
        "jana@heedful.example", "Nobody Known"), encoding="utf-8")
    contacts = folder / CONTACTS
    contacts.write_text(contacts.read_text(encoding="utf-8").replace(
        "ada@northwind.example", "ada@"), encoding="utf-8")
    before = table_counts()
    # when
    result = run("import", "hubspot", str(folder))
    # then
    assert result.returncode == 2
    assert [line for line in result.stderr.splitlines() if not line.startswith("warning")] == [
        f"{contacts}:2: Email: Enter a valid email address.",
        f"{deals}:5: Deal owner: no Heedful user for owner 'Nobody Known' (name them in "
        "[owners] of the mapping file)",
    ]
    assert table_counts() == before


def test_a_mapping_file_naming_nothing_heedful_reads_is_refused(db, tmp_path: Path) -> None:  # noqa: ANN001
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[deals]\n"Deal-Phase" = "phase_of_the_moon"\n', encoding="utf-8")
    result = run("import", "hubspot", str(GERMAN), "--mapping", str(mapping))
    assert result.returncode == 2
    assert "'phase_of_the_moon' is neither a HubSpot property Heedful reads" in result.stderr


def test_a_deal_closed_before_it_was_created_is_imported_as_created_on_its_close_day(
    owners, tmp_path: Path  # noqa: ANN001
) -> None:
    # given an export whose lost deal was entered in HubSpot after it closed
    folder = tmp_path / "export"
    shutil.copytree(ENGLISH, folder)
    deals = folder / DEALS
    text = deals.read_text(encoding="utf-8")
    deals.write_text(text.replace("2026-05-02,2026-02-03 16:45", "2026-05-02,2026-06-10 16:45"),
                     encoding="utf-8")
    # when
    result = run("import", "hubspot", str(folder))
    # then it is imported, created on the day it closed, and a warning names its row
    assert result.returncode == 0, result.stderr
    lost = Opportunity.objects.get(external_id="hubspot-deal-9004")
    assert (lost.closed_on, lost.created_on, lost.won) == (
        date(2026, 5, 2), date(2026, 5, 2), False
    )
    assert (f"{deals}:6: Create Date: 2026-06-10 is after the deal closed (2026-05-02)"
            in result.stderr)
