import csv
from datetime import UTC, date, datetime
from pathlib import Path

from django.utils import timezone

from heedful.expenses.models import ExpenseReport
from heedful.integrations.csv_import import SPECS
from tests.factories import (
    ContactFactory,
    InteractionFactory,
    InvoiceFactory,
    OpportunityFactory,
    QuotaFactory,
    TicketFactory,
)
from tests.integrations.conftest import (
    empty_database,
    export_bytes,
    run,
    table_counts,
)


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_writes_every_kind_with_the_import_header(full_data, tmp_path: Path) -> None:  # noqa: ANN001
    # when
    exported = export_bytes(tmp_path)
    # then
    assert sorted(exported) == sorted(f"{kind}.csv" for kind in SPECS)
    for kind, spec in SPECS.items():
        header = exported[f"{kind}.csv"].decode("utf-8").splitlines()[0]
        assert header == ",".join(spec.column_names)


def test_export_then_import_all_into_an_empty_database_reproduces_it(
    full_data, people, tmp_path: Path  # noqa: ANN001
) -> None:
    # given the fixture files plus records made by factories
    customer = ContactFactory(account=people.ours, full_name="Zoë Müller")
    InteractionFactory(
        account=people.ours, user=people.rep, occurred_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    ).contacts.add(customer)
    InvoiceFactory(account=people.theirs)
    TicketFactory(account=people.ours, contact=customer)
    OpportunityFactory(account=people.ours, owner=people.rep).stage_changes.create(
        stage="qualify", changed_at=datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    )
    before = export_bytes(tmp_path / "before")
    counts = table_counts()
    empty_database()
    assert all(count == 0 for count in table_counts().values())
    # when
    result = run("import_all", str(tmp_path / "before"))
    # then
    assert result.returncode == 0, result.stderr
    assert export_bytes(tmp_path / "after") == before
    assert table_counts() == counts


def test_rep_cannot_see_another_teams_account_via_export(people, tmp_path: Path) -> None:  # noqa: ANN001
    # given records on both accounts
    InvoiceFactory(account=people.ours, invoice_number="INV-OURS")
    InvoiceFactory(account=people.theirs, invoice_number="INV-THEIRS")
    ContactFactory(account=people.theirs, external_id="CON-THEIRS")
    OpportunityFactory(account=people.theirs, owner=people.other_rep)
    # when
    result = run("export", str(tmp_path), "--as-user", "rep")
    # then
    assert result.returncode == 0
    everything = "".join(path.read_text(encoding="utf-8") for path in tmp_path.glob("*.csv"))
    assert "ACC-OURS" in everything and "INV-OURS" in everything
    assert "ACC-THEIRS" not in everything
    assert "Theirs Utilities" not in everything
    assert "INV-THEIRS" not in everything and "CON-THEIRS" not in everything
    assert [row["external_id"] for row in read_rows(tmp_path / "accounts.csv")] == ["ACC-OURS"]
    assert read_rows(tmp_path / "opportunities.csv") == []


def test_manager_export_holds_their_reports_accounts_and_executive_export_holds_all(
    people, tmp_path: Path  # noqa: ANN001
) -> None:
    run("export", str(tmp_path / "manager"), "--as-user", "manager")
    run("export", str(tmp_path / "executive"), "--as-user", "executive")
    assert [row["external_id"] for row in read_rows(tmp_path / "manager" / "accounts.csv")] == [
        "ACC-OURS"
    ]
    assert [
        row["external_id"] for row in read_rows(tmp_path / "executive" / "accounts.csv")
    ] == ["ACC-OURS", "ACC-THEIRS"]


def test_export_as_an_unknown_user_is_bad_input(db, tmp_path: Path) -> None:  # noqa: ANN001
    result = run("export", str(tmp_path), "--as-user", "ghost")
    assert result.returncode == 2
    assert not list(tmp_path.glob("*.csv"))


def test_exported_values_use_the_canonical_formats(full_data, tmp_path: Path) -> None:  # noqa: ANN001
    # when
    run("export", str(tmp_path))
    # then
    tickets = {row["external_id"]: row for row in read_rows(tmp_path / "tickets.csv")}
    assert tickets["TCK-2"]["resolved_at"] == "2026-11-01T09:15:00+00:00"
    contacts = {row["external_id"]: row for row in read_rows(tmp_path / "contacts.csv")}
    assert contacts["CON-1"]["is_key"] == "true" and contacts["CON-1"]["likes"] == "espresso;opera"
    interactions = read_rows(tmp_path / "interactions.csv")
    visit = next(row for row in interactions if row["kind"] == "visit")
    assert visit["tags"] == "renewal;roadmap" and visit["contact_external_ids"] == "CON-1;CON-2"
    owners = [row for row in read_rows(tmp_path / "team.csv") if row["role"] == "owner"]
    assert {
        "account_external_id": "ACC-UNIBO", "username": "zoe", "role": "owner",
        "start_date": timezone.localdate().isoformat(), "end_date": "",
    } in owners


def test_exported_files_import_unchanged_into_the_same_database(full_data, tmp_path: Path) -> None:  # noqa: ANN001
    # given
    run("export", str(tmp_path))
    counts = table_counts()
    # when
    result = run("import_all", str(tmp_path))
    # then
    assert result.returncode == 0
    for line in result.stdout.strip().splitlines():
        assert " 0 created, 0 updated, " in line, line
    assert table_counts() == counts


def test_a_reps_export_holds_their_own_quota_and_expenses_not_their_managers(
    people, tmp_path: Path  # noqa: ANN001
) -> None:
    # given: the rep's manager (whom the rep may see by name) has a quota and expenses too
    for person in (people.rep, people.manager):
        QuotaFactory(user=person, period_start=date(2026, 10, 1), period_end=date(2026, 12, 31))
        ExpenseReport.objects.create(rep=person, period="2026-10", due_on=date(2026, 11, 15))
    # when
    run("export", str(tmp_path / "rep"), "--as-user", "rep")
    run("export", str(tmp_path / "manager"), "--as-user", "manager")
    # then
    def people_in(folder: str, kind: str, column: str) -> set[str]:
        return {row[column] for row in read_rows(tmp_path / folder / f"{kind}.csv")}

    assert "manager" in people_in("rep", "users", "username")
    assert people_in("rep", "quotas", "username") == {"rep"}
    assert people_in("rep", "expense_reports", "rep_username") == {"rep"}
    assert people_in("manager", "quotas", "username") == {"rep", "manager"}
    assert people_in("manager", "expense_reports", "rep_username") == {"rep", "manager"}
