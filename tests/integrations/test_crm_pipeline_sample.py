"""A slice of a third-party CRM data set (Maven Analytics' fictitious "MavenTech"), mapped
onto our CSV kinds and imported: real quirks (open deals without an account, a sector
misspelled) go through the same all-or-nothing import. Skipped when the data is absent."""

import csv
import re
from pathlib import Path

import pytest

from heedful.accounts.models import Account
from heedful.core.models import User
from heedful.sales.models import Opportunity
from tests.conftest import SHARED_DATA
from tests.integrations.conftest import run

MAVEN = Path(SHARED_DATA) / "crm_pipeline" / "maven_crm_sales_opportunities"
SLICE = 500

pytestmark = pytest.mark.skipif(not MAVEN.is_dir(), reason=f"{MAVEN} is absent")


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def read(name: str) -> list[dict[str, str]]:
    with open(MAVEN / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def map_maven(folder: Path) -> int:
    """Write users, accounts and opportunities CSVs; returns the opportunities written."""
    teams = read("sales_teams.csv")
    managers = sorted({row["manager"] for row in teams})
    write(folder / "users.csv", ["username", "full_name", "role", "manager_username"], [
        *([slug(name), name, "manager", ""] for name in managers),
        *([slug(row["sales_agent"]), row["sales_agent"], "rep", slug(row["manager"])]
          for row in teams),
    ])
    write(folder / "accounts.csv", ["external_id", "name", "industry", "country"], [
        [slug(row["account"]), row["account"], row["sector"], row["office_location"]]
        for row in read("accounts.csv")
    ])
    deals = [row for row in read("sales_pipeline.csv")[:SLICE] if row["account"]]
    header = [
        "external_id", "account_external_id", "name", "owner_username", "stage", "amount",
        "currency", "created_on", "close_date", "closed_on", "won",
    ]
    write(folder / "opportunities.csv", header, [
        [
            row["opportunity_id"], slug(row["account"]), row["product"],
            slug(row["sales_agent"]), row["deal_stage"].lower(), row["close_value"], "USD",
            row["engage_date"], row["close_date"],
            row["close_date"] if row["deal_stage"] in ("Won", "Lost") else "",
            {"Won": "yes", "Lost": "no"}.get(row["deal_stage"], ""),
        ]
        for row in deals
    ])
    return len(deals)


def test_a_slice_of_the_maven_pipeline_imports_and_reimports_unchanged(
    db, tmp_path: Path  # noqa: ANN001
) -> None:
    # given
    deals = map_maven(tmp_path)
    # when
    first = run("import_all", str(tmp_path))
    again = run("import_all", str(tmp_path))
    # then
    assert first.returncode == 0, first.stderr
    assert Opportunity.objects.count() == deals
    assert Account.objects.get(name="Acme Corporation").industry == "technolgy"
    assert User.objects.get(username="moses_frase").manager is not None
    assert Opportunity.objects.filter(won=True).exists()
    assert again.returncode == 0
    for line in again.stdout.strip().splitlines():
        assert " 0 created, 0 updated, " in line, line
