"""Salesforce's own sample data (trailheadapps/apex-recipes, in
../shared/data/crm_pipeline/salesforce_apex_recipes) written out as a Data Export (the
sample's reference ids become record ids; one user owns the deals, as the sample has no
users) and imported: Mockaroo's "naughty strings" and real stage names included. Skipped
when the data is absent."""

import csv
from pathlib import Path

import pytest

from heedful.accounts.models import Account, Contact
from heedful.sales.models import Opportunity
from tests.conftest import SHARED_DATA
from tests.integrations.conftest import run, table_counts

SAMPLE = Path(SHARED_DATA) / "crm_pipeline" / "salesforce_apex_recipes"
OWNER = "005000000000001AAA"

pytestmark = pytest.mark.skipif(not SAMPLE.is_dir(), reason=f"{SAMPLE} is absent")


def record_id(prefix: str, number: int) -> str:
    return f"{prefix}{number:012d}AAA"  # 15 digits-only characters: the checksum is AAA


def account_id(reference: str) -> str:
    return record_id("001", int(reference.removeprefix("@AccountRef")))


def read(name: str) -> list[dict[str, str]]:
    with open(SAMPLE / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)


def write_export(folder: Path) -> None:
    folder.mkdir()
    write(folder / "User.csv", [{
        "Id": OWNER, "Username": "sample.owner@example.com", "Name": "Sample Owner",
        "Email": "sample.owner@example.com", "IsActive": "true", "ManagerId": "",
    }])
    write(folder / "Account.csv", [
        {
            "Id": record_id("001", number), "Name": row["name"], "Type": row["type"],
            "Phone": row["phone"], "Website": row["website"], "Industry": row["industry"],
            "BillingCity": row["billingcity"], "BillingCountry": row["billingcountry"],
            "Description": row["description"], "OwnerId": OWNER,
        }
        for number, row in enumerate(read("Accounts.csv"), start=1)
    ])
    write(folder / "Contact.csv", [
        {
            "Id": record_id("003", number), "AccountId": account_id(row["accountId"]),
            "FirstName": row["firstName"], "LastName": row["lastName"], "Email": row["email"],
            "Title": row["title"], "Phone": row["phone"],
        }
        for number, row in enumerate(read("Contacts.csv"), start=1)
    ])
    write(folder / "Opportunity.csv", [
        {
            "Id": record_id("006", number), "AccountId": account_id(row["accountId"]),
            "Name": row["name"], "StageName": row["StageName"], "Amount": row["amount"],
            "CloseDate": row["closedate"], "Description": row["description"],
            "OwnerId": OWNER,
        }
        for number, row in enumerate(read("Opportunities.csv"), start=1)
    ])


def test_salesforce_s_sample_data_imports_and_reimports_unchanged(db, tmp_path: Path) -> None:  # noqa: ANN001
    # given
    folder = tmp_path / "export"
    write_export(folder)
    # when
    first = run("import", "salesforce", str(folder))
    counts = table_counts()
    again = run("import", "salesforce", str(folder))
    # then
    assert first.returncode == 0, first.stderr
    assert (Account.objects.count(), Contact.objects.count(), Opportunity.objects.count()) == (
        50, 150, 50
    )
    lost = Opportunity.objects.filter(stage="Closed Lost").first()
    assert lost is not None and lost.won is False and lost.closed_on == lost.close_date
    assert all(won.won for won in Opportunity.objects.filter(stage="Closed/Won"))
    assert Account.objects.get(name="Zoonoodle 37").website.startswith("http://1688.com/")
    assert again.returncode == 0, again.stderr
    assert table_counts() == counts
    for line in again.stdout.strip().splitlines():
        assert " 0 created, 0 updated, " in line, line
