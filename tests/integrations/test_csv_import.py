import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership
from heedful.billing.models import Dispute, Invoice
from heedful.catalog.models import AdverseChange, Contract, Holding, Product, Release
from heedful.core.models import User
from heedful.expenses.models import ExpenseReport
from heedful.integrations.csv_import import SPECS
from heedful.interactions.models import Interaction
from heedful.orders.models import Order
from heedful.sales.models import Opportunity, StageChange
from heedful.support.models import ScopeRecord, ServiceMetric, Ticket
from tests.factories import AccountFactory, UserFactory
from tests.integrations.conftest import FULL, export_bytes, run, table_counts

CONTRACT_COLUMNS = {
    "users": "username, full_name, email, role, manager_username, start_date, department, title",
    "accounts": "external_id, name, industry, segment, status, owner_username, phone, website, "
    "city, country, aliases",
    "team": "account_external_id, username, role, start_date, end_date",
    "contacts": "external_id, account_external_id, full_name, preferred_name, pronunciation, "
    "title, email, phone, role_type, is_key, preferred_channel, language, likes, dislikes, "
    "do_not_contact, reports_to",
    "products": "sku, name, family, launched_on",
    "releases": "sku, name, release_on, summary",
    "holdings": "account_external_id, sku, quantity, maintenance_tier, maintenance_end",
    "contracts": "external_id, account_external_id, name, start_date, end_date, "
    "recurring_amount, currency, billing_period, notice_days",
    "adverse_changes": "account_external_id, kind, effective_on, recorded_on, summary",
    "invoices": "account_external_id, invoice_number, contract_external_id, period_start, "
    "period_end, issued_on, amount, currency",
    "disputes": "invoice_number, opened_on, amount, status, resolved_on",
    "tickets": "external_id, account_external_id, contact_external_id, opened_at, severity, "
    "subject, status, resolved_at",
    "orders": "external_id, account_external_id, ordered_on, shipped_on, delivered_on, amount, "
    "currency, description",
    "interactions": "account_external_id, occurred_at, kind, direction, username, "
    "contact_external_ids, subject, tags",
    "news": "account_external_id, occurred_on, sentiment, headline",
    "service_metrics": "account_external_id, period, metric, target, actual, higher_is_better",
    "scope": "account_external_id, period, function, contracted_quantity, delivered_quantity",
    "opportunities": "external_id, account_external_id, name, owner_username, stage, amount, "
    "currency, created_on, close_date, closed_on, won, forecast_category, competitor, next_step, "
    "customer_value",
    "stage_changes": "opportunity_external_id, stage, changed_at",
    "opportunity_products": "opportunity_external_id, sku, quantity, unit_price",
    "quotas": "username, period_start, period_end, amount, currency",
    "expense_reports": "rep_username, period, due_on, submitted_on, amount, budget, currency",
}


def test_every_kind_of_the_contract_has_its_columns_in_the_contract_order() -> None:
    assert list(SPECS) == list(CONTRACT_COLUMNS)
    for kind, columns in CONTRACT_COLUMNS.items():
        assert SPECS[kind].column_names == columns.split(", "), kind


@pytest.mark.parametrize("kind", list(CONTRACT_COLUMNS))
def test_each_kind_imports_its_file_with_accented_names(kind: str, db) -> None:  # noqa: ANN001
    # given the kinds it depends on
    kinds = list(SPECS)
    for earlier in kinds[: kinds.index(kind)]:
        assert run("import", earlier, str(FULL / f"{earlier}.csv")).returncode == 0
    rows = len((FULL / f"{kind}.csv").read_text(encoding="utf-8").strip().splitlines()) - 1
    # when
    result = run("import", kind, str(FULL / f"{kind}.csv"))
    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(f"{kind}.csv: {rows} created, 0 updated, 0 unchanged")
    assert result.stderr == ""


def test_imported_values_are_parsed_and_stored_as_the_contract_says(full_data) -> None:  # noqa: ANN001
    zoe = User.objects.get(username="zoe")
    assert zoe.full_name == "Zoë Müller"
    assert zoe.manager.username == "marta"
    assert zoe.role == "rep" and zoe.start_date == date(2024, 2, 1)
    assert not zoe.has_usable_password()

    unibo = Account.objects.get(external_id="ACC-UNIBO")
    assert unibo.name == "Università di Bologna"
    assert unibo.name_folded == "universita di bologna"
    assert unibo.phone_digits == "512099111"  # the national number, without +39 and 0
    assert unibo.alias_list == ["UniBo", "Alma Mater Studiorum"]
    assert unibo.owner == zoe

    giulia = Contact.objects.get(external_id="CON-1")
    assert giulia.email == "giulia.bianchi@unibo.example"
    assert giulia.is_key and not giulia.do_not_contact
    assert giulia.like_list == ["espresso", "opera"]
    anais = Contact.objects.get(external_id="CON-3")
    assert anais.do_not_contact and not anais.is_key and anais.preferred_channel == ""

    assert Product.objects.get(sku="NET-9").family.name == "Networking"
    assert Release.objects.get().summary == 'Faster failover, "zero-touch" provisioning'
    holding = Holding.objects.get(product__sku="NET-9")
    assert holding.quantity == 1 and holding.maintenance_tier == "none"
    pilot = Contract.objects.get(external_id="CTR-2")
    assert pilot.currency == "" and pilot.recurring_amount is None  # no amount, no currency
    assert pilot.billing_period == "monthly" and pilot.notice_days is None
    assert Contract.objects.get(external_id="CTR-1").recurring_amount == Decimal("2500.00")
    assert AdverseChange.objects.get().kind == "price_increase"
    credit = Invoice.objects.get(invoice_number="CN-7")
    assert credit.amount == Decimal("-120.00") and credit.contract is None
    assert Invoice.objects.get(invoice_number="INV-2026-11").contract.external_id == "CTR-1"
    assert Dispute.objects.get(invoice__invoice_number="CN-7").status == "resolved"

    password_reset = Ticket.objects.get(external_id="TCK-2")
    assert password_reset.opened_at == datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    assert password_reset.resolved_at == datetime(2026, 11, 1, 9, 15, tzinfo=UTC)
    assert Ticket.objects.get(external_id="TCK-1").contact.external_id == "CON-2"
    assert Order.objects.get(external_id="ORD-2").amount is None

    visit = Interaction.objects.get(kind="visit")
    assert visit.tags == ";renewal;roadmap;"
    assert set(visit.contacts.values_list("external_id", flat=True)) == {"CON-1", "CON-2"}
    assert visit.user == zoe
    assert visit.natural_key == Interaction.compute_natural_key(
        account_external_id="ACC-UNIBO", occurred_at_iso="2026-11-10T15:00:00+00:00",
        kind="visit", username="zoe", subject="Campus walk-through",
    )
    assert Interaction.objects.get(kind="email").occurred_at == datetime(
        2026, 11, 12, 7, 0, tzinfo=UTC
    )

    assert NewsItem.objects.get(sentiment="negative").headline.startswith("Kölner")
    repair = ServiceMetric.objects.get(metric="Mean time to repair (h)")
    assert repair.actual == Decimal("5.25") and repair.higher_is_better is False
    assert ScopeRecord.objects.get().delivered_quantity == Decimal("1340")
    won = Opportunity.objects.get(external_id="OPP-2")
    assert won.won is True and won.closed_on == date(2026, 6, 28)
    assert Opportunity.objects.get(external_id="OPP-1").won is None


def test_bad_file_writes_nothing_and_lists_every_bad_row_with_line_and_column(
    people, write_csv  # noqa: ANN001
) -> None:
    # given a file whose third record spans two physical lines
    path = write_csv("contacts.csv", """
        external_id,account_external_id,full_name,role_type,is_key,email
        CON-A,ACC-OURS,Zoë Müller,business,yes,zoe@customer.example
        CON-B,ACC-NOWHERE,Ana,boss,maybe,not-an-email
        CON-C,ACC-OURS,"Two
        lines",technical,no,
        CON-D,ACC-OURS,,,,
    """)
    before = table_counts()
    # when
    result = run("import", "contacts", str(path))
    # then
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{path}:3: account_external_id: no account 'ACC-NOWHERE'",
        f"{path}:3: role_type: 'boss' is not one of business, technical, executive, procurement",
        f"{path}:3: is_key: 'maybe' is not true or false (use true/false, yes/no or 1/0)",
        f"{path}:3: email: Enter a valid email address.",
        f"{path}:4: full_name: Must not contain control characters (found U+000A at position 4).",
        f"{path}:6: full_name: required value is empty",
    ]
    assert table_counts() == before
    assert not Contact.objects.exists()


def test_missing_required_column_is_an_error_naming_the_column(people, write_csv) -> None:  # noqa: ANN001
    # given
    path = write_csv("news.csv", """
        account_external_id,occurred_on,headline
        ACC-OURS,2026-11-01,Opens an office in Zürich
    """)
    # when
    result = run("import", "news", str(path))
    # then
    assert result.returncode == 2
    assert f"{path}:1: sentiment: required column is missing" in result.stderr
    assert not NewsItem.objects.exists()


def test_unknown_column_is_ignored_with_a_warning(people, write_csv) -> None:  # noqa: ANN001
    # given
    path = write_csv("news.csv", """
        account_external_id,occurred_on,sentiment,headline,source_url
        ACC-OURS,2026-11-01,positive,Opens an office in Zürich,https://news.example/1
    """)
    # when
    result = run("import", "news", str(path))
    # then
    assert result.returncode == 0
    assert f"warning: {path}:1: source_url: unknown column, ignored" in result.stderr
    assert NewsItem.objects.get().headline == "Opens an office in Zürich"


def test_byte_order_mark_is_accepted(people, tmp_path: Path) -> None:  # noqa: ANN001
    # given a file saved by a spreadsheet with a BOM
    path = tmp_path / "accounts.csv"
    path.write_bytes("\ufeffexternal_id,name\r\nACC-UNI,Università di Bologna\r\n".encode())
    # when
    result = run("import", "accounts", str(path))
    # then
    assert result.returncode == 0, result.stderr
    assert Account.objects.get(external_id="ACC-UNI").name == "Università di Bologna"


def test_file_that_is_not_utf8_is_refused_with_its_line(db, tmp_path: Path) -> None:  # noqa: ANN001
    # given
    path = tmp_path / "accounts.csv"
    path.write_bytes("external_id,name\nACC-1,Köln\n".encode("latin-1"))
    # when
    result = run("import", "accounts", str(path))
    # then
    assert result.returncode == 2
    assert f"{path}:2: (file): not valid UTF-8" in result.stderr
    assert not Account.objects.exists()


def test_reimporting_the_same_files_changes_nothing(full_data, tmp_path: Path) -> None:  # noqa: ANN001
    # given
    counts = table_counts()
    exported = export_bytes(tmp_path / "before")
    # when
    result = run("import_all", str(FULL))
    # then
    assert result.returncode == 0
    for line in result.stdout.strip().splitlines():
        assert " 0 created, 0 updated, " in line, line
    assert table_counts() == counts
    assert export_bytes(tmp_path / "after") == exported


def test_changed_row_is_updated_and_unchanged_rows_are_counted(
    full_data, write_csv  # noqa: ANN001
) -> None:
    # given
    path = write_csv("accounts.csv", """
        external_id,name,status
        ACC-UNIBO,Università di Bologna,customer
        ACC-KOLN,Kölner Stadtwerke AG,customer
    """)
    # when
    result = run("import", "accounts", str(path))
    # then
    assert result.stdout.strip() == f"{path}: 0 created, 1 updated, 1 unchanged"
    koln = Account.objects.get(external_id="ACC-KOLN")
    assert koln.name == "Kölner Stadtwerke AG" and koln.name_folded == "kolner stadtwerke ag"
    assert koln.industry == "Utilities", "columns absent from the file are left alone"


def test_dry_run_reports_the_counts_and_writes_nothing(people, write_csv) -> None:  # noqa: ANN001
    # given
    path = write_csv("accounts.csv", """
        external_id,name,owner_username
        ACC-OURS,Ours Telecom,rep
        ACC-NEW,Zoë's Bakery,rep
    """)
    before = table_counts()
    # when
    result = run("import", "accounts", str(path), "--dry-run", "--json")
    # then
    assert result.returncode == 0
    assert json.loads(result.stdout) == {
        "dry_run": True,
        "files": [{
            "kind": "accounts", "file": str(path), "created": 1, "updated": 0, "unchanged": 1,
        }],
    }
    assert table_counts() == before
    assert not Account.objects.filter(external_id="ACC-NEW").exists()


def test_json_summary_is_the_only_thing_on_stdout(people, write_csv) -> None:  # noqa: ANN001
    # given
    path = write_csv("news.csv", """
        account_external_id,occurred_on,sentiment,headline,extra
        ACC-OURS,2026-11-01,positive,Wins a prize,x
    """)
    # when
    result = run("import", "news", str(path), "--json")
    # then
    assert json.loads(result.stdout)["files"][0]["created"] == 1
    assert "warning" in result.stderr


def test_manager_may_be_a_later_row_of_the_users_file(db, write_csv) -> None:  # noqa: ANN001
    # given
    path = write_csv("users.csv", """
        username,role,manager_username
        ana,rep,boss
        boss,manager,
    """)
    # when
    result = run("import", "users", str(path))
    # then
    assert result.returncode == 0, result.stderr
    assert User.objects.get(username="ana").manager.username == "boss"


def test_manager_change_alone_counts_as_an_update(db, write_csv) -> None:  # noqa: ANN001
    # given
    UserFactory(username="old_boss", role="manager")
    UserFactory(username="ana", role="rep", full_name="Ana", email="", manager=None)
    path = write_csv("users.csv", """
        username,full_name,email,role,manager_username
        ana,Ana,,rep,old_boss
    """)
    # when
    result = run("import", "users", str(path))
    # then
    assert result.stdout.strip().endswith("0 created, 1 updated, 0 unchanged")
    assert User.objects.get(username="ana").manager.username == "old_boss"


def test_unknown_manager_is_a_bad_row(db, write_csv) -> None:  # noqa: ANN001
    path = write_csv("users.csv", """
        username,role,manager_username
        ana,rep,ghost
    """)
    result = run("import", "users", str(path))
    assert result.returncode == 2
    assert f"{path}:2: manager_username: no user 'ghost' here or in the file" in result.stderr
    assert not User.objects.exists()


def test_new_owner_gets_a_membership_and_the_previous_one_is_ended_yesterday(
    people, write_csv  # noqa: ANN001
) -> None:
    # given ACC-OURS is owned by rep since 2024-01-01
    path = write_csv("accounts.csv", """
        external_id,name,owner_username
        ACC-OURS,Ours Telecom,other_rep
    """)
    today = timezone.localdate()
    # when
    result = run("import", "accounts", str(path))
    # then
    assert result.returncode == 0
    owners = TeamMembership.objects.filter(account=people.ours, role="owner").order_by(
        "start_date"
    )
    assert [(m.user.username, m.start_date, m.end_date) for m in owners] == [
        ("rep", date(2024, 1, 1), today - timedelta(days=1)),
        ("other_rep", today, None),
    ]
    # and importing it again keeps the history as it is
    run("import", "accounts", str(path))
    assert TeamMembership.objects.filter(account=people.ours, role="owner").count() == 2


def test_owner_with_a_running_membership_gets_no_second_one(people, write_csv) -> None:  # noqa: ANN001
    path = write_csv("accounts.csv", """
        external_id,name,owner_username
        ACC-OURS,Ours Telecom,rep
    """)
    run("import", "accounts", str(path))
    assert TeamMembership.objects.filter(account=people.ours, role="owner").count() == 1


def test_opportunity_stage_history_grows_only_when_the_stage_changes(
    people, write_csv  # noqa: ANN001
) -> None:
    # given
    header = "external_id,account_external_id,name,owner_username,stage,amount,currency"
    first = write_csv("a.csv", f"{header}\nOPP-9,ACC-OURS,Große Erweiterung,rep,qualify,10,EUR")
    again = write_csv("b.csv", f"{header}\nOPP-9,ACC-OURS,Große Erweiterung,rep,qualify,12,EUR")
    moved = write_csv("c.csv", f"{header}\nOPP-9,ACC-OURS,Große Erweiterung,rep,proposal,12,EUR")
    # when
    run("import", "opportunities", str(first))
    run("import", "opportunities", str(again))
    run("import", "opportunities", str(moved))
    # then
    stages = StageChange.objects.filter(opportunity__external_id="OPP-9").order_by("pk")
    assert list(stages.values_list("stage", flat=True)) == ["qualify", "proposal"]


def test_interaction_contacts_are_replaced_on_reimport(full_data, write_csv) -> None:  # noqa: ANN001
    # given
    path = write_csv("interactions.csv", """
        account_external_id,occurred_at,kind,direction,username,contact_external_ids,subject,tags
        ACC-UNIBO,2026-11-10T16:00:00+01:00,visit,two_way,zoe,CON-2,Campus walk-through,roadmap
    """)
    # when
    result = run("import", "interactions", str(path))
    # then the same instant in another zone is the same interaction
    assert result.stdout.strip().endswith("0 created, 1 updated, 0 unchanged")
    visit = Interaction.objects.get(kind="visit")
    assert list(visit.contacts.values_list("external_id", flat=True)) == ["CON-2"]
    assert visit.tags == ";roadmap;"


def test_values_of_every_type_are_checked(people, write_csv) -> None:  # noqa: ANN001
    # given
    path = write_csv("tickets.csv", """
        external_id,account_external_id,opened_at,severity,status,resolved_at
        T-1,ACC-OURS,yesterday,5,open,
        T-2,ACC-OURS,2026-11-01T09:00:00,0,closed,2026-13-01
    """)
    # when
    result = run("import", "tickets", str(path))
    # then
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{path}:2: opened_at: 'yesterday' is not an ISO 8601 timestamp")
    assert lines[1] == f"{path}:2: severity: Ensure this value is less than or equal to 4."
    assert lines[2] == f"{path}:3: severity: Ensure this value is greater than or equal to 1."
    assert lines[3].startswith(f"{path}:3: resolved_at: '2026-13-01' is not an ISO 8601")


def test_money_dates_and_currency_are_checked(people, write_csv) -> None:  # noqa: ANN001
    path = write_csv("contracts.csv", """
        external_id,account_external_id,name,start_date,end_date,recurring_amount,currency
        C-1,ACC-OURS,Voice,2026-02-30,2027-01-01,12.345,eur
        C-2,ACC-OURS,Voice,2026-01-01,2025-01-01,abc,EUR
    """)
    result = run("import", "contracts", str(path))
    assert result.stderr.splitlines() == [
        f"{path}:2: start_date: '2026-02-30' is not a date (use YYYY-MM-DD)",
        f"{path}:2: recurring_amount: '12.345' has more than 2 decimal places",
        f"{path}:2: currency: “eur” is not an ISO 4217 currency code in use (e.g. USD, EUR, GBP).",
        f"{path}:3: recurring_amount: 'abc' is not a decimal number (use e.g. 2500.00)",
    ]
    assert not Contract.objects.exists()


def test_end_before_start_is_a_bad_row(people, write_csv) -> None:  # noqa: ANN001
    path = write_csv("contracts.csv", """
        external_id,account_external_id,name,start_date,end_date
        C-2,ACC-OURS,Voice,2026-01-01,2025-01-01
    """)
    result = run("import", "contracts", str(path))
    assert result.stderr.strip() == (
        f"{path}:2: end_date: Must not be before start date (2026-01-01)."
    )


def test_duplicate_key_in_one_file_is_a_bad_row(people, write_csv) -> None:  # noqa: ANN001
    path = write_csv("orders.csv", """
        external_id,account_external_id,ordered_on
        ORD-1,ACC-OURS,2026-11-01
        ORD-1,ACC-OURS,2026-11-02
    """)
    result = run("import", "orders", str(path))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"{path}:3: external_id: same record as line 2 (duplicate key)"
    )
    assert not Order.objects.exists()


def test_contact_of_another_account_is_refused_on_a_ticket(people, write_csv) -> None:  # noqa: ANN001
    # given
    Contact.objects.create(external_id="CON-T", account=people.theirs, full_name="Theirs")
    path = write_csv("tickets.csv", """
        external_id,account_external_id,contact_external_id,opened_at,severity,status
        T-1,ACC-OURS,CON-T,2026-11-01T09:00:00Z,2,open
    """)
    # when
    result = run("import", "tickets", str(path))
    # then
    assert result.stderr.strip() == (
        f"{path}:2: contact_external_id: Contact CON-T is on another account."
    )


def test_import_all_with_one_bad_file_writes_nothing_from_any_file(
    db, tmp_path: Path  # noqa: ANN001
) -> None:
    # given a copy of the full set whose orders.csv has a bad row
    folder = tmp_path / "set"
    folder.mkdir()
    for path in FULL.glob("*.csv"):
        (folder / path.name).write_bytes(path.read_bytes())
    with open(folder / "orders.csv", "a", encoding="utf-8") as handle:
        handle.write("ORD-3,ACC-MISSING,2026-11-31,,,,,\n")
    # when
    result = run("import_all", str(folder))
    # then
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{folder / 'orders.csv'}:4: account_external_id: no account 'ACC-MISSING'",
        f"{folder / 'orders.csv'}:4: ordered_on: '2026-11-31' is not a date (use YYYY-MM-DD)",
    ]
    assert all(count == 0 for count in table_counts().values())


def test_import_all_dry_run_sees_its_own_accounts_and_writes_nothing(db) -> None:  # noqa: ANN001
    # when
    result = run("import_all", str(FULL), "--dry-run")
    # then
    assert result.returncode == 0, result.stderr
    assert "contacts.csv: 3 created, 0 updated, 0 unchanged (dry run" in result.stdout
    assert all(count == 0 for count in table_counts().values())


def test_import_all_of_a_folder_without_csv_files_is_bad_input(db, tmp_path: Path) -> None:  # noqa: ANN001
    result = run("import_all", str(tmp_path))
    assert result.returncode == 2
    assert "no CSV file named after a kind" in result.stderr


def test_reference_to_a_record_of_the_database_is_accepted(people, write_csv) -> None:  # noqa: ANN001
    # given accounts made elsewhere (factories), not by a file
    AccountFactory(external_id="ACC-FACTORY", owner=people.rep)
    path = write_csv("news.csv", """
        account_external_id,occurred_on,sentiment,headline
        ACC-FACTORY,2026-11-01,neutral,Nothing new
    """)
    assert run("import", "news", str(path)).returncode == 0


def test_a_large_file_takes_a_few_queries_not_one_per_row(
    people, tmp_path: Path, django_assert_max_num_queries  # noqa: ANN001
) -> None:
    # given 6,000 rows (past the progress bar threshold)
    path = tmp_path / "news.csv"
    lines = ["account_external_id,occurred_on,sentiment,headline"] + [
        f"ACC-OURS,2026-11-01,neutral,Nachricht Nr. {number}" for number in range(6000)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # when
    with django_assert_max_num_queries(60):
        result = run("import", "news", str(path))
    # then
    assert result.returncode == 0
    assert NewsItem.objects.count() == 6000


def test_import_all_lists_a_bad_manager_row_without_failing_on_its_reports(
    db, tmp_path: Path  # noqa: ANN001
) -> None:
    # given ana's manager is defined by a bad row of the same file
    (tmp_path / "users.csv").write_text(
        "username,role,manager_username\nana,rep,boss\nboss,chief,\n", encoding="utf-8"
    )
    (tmp_path / "accounts.csv").write_text(
        "external_id,name,owner_username\nACC-1,Café Ñandú,ana\n", encoding="utf-8"
    )
    # when
    result = run("import_all", str(tmp_path))
    # then
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'users.csv'}:3: role: 'chief' is not one of rep, manager, executive, admin"
    ]
    assert not User.objects.exists() and not Account.objects.exists()


def test_a_finance_systems_expense_reports_are_kept_once_per_rep_and_month(full_data) -> None:  # noqa: ANN001
    # when: the monthly file was imported (full_data), then again (nothing changes: the
    # re-import test above) — the reports read as the file says
    reports = {(report.rep.username, report.period): report
               for report in ExpenseReport.objects.select_related("rep")}
    # then
    assert set(reports) == {("zoe", "2026-09"), ("zoe", "2026-10"), ("li", "2026-10")}
    on_time = reports[("zoe", "2026-09")]
    assert (on_time.amount, on_time.budget, on_time.currency) == (
        Decimal("1840.50"), Decimal("2000.00"), "EUR")
    assert reports[("zoe", "2026-10")].submitted_on is None
    assert reports[("li", "2026-10")].submitted_on == date(2026, 11, 20)


def test_an_expense_report_with_a_bad_month_or_an_amount_without_currency_is_refused(
    people, write_csv  # noqa: ANN001
) -> None:
    # given
    path = write_csv("expense_reports.csv", """
        rep_username,period,due_on,amount,currency
        rep,2026-13,2026-11-15,10.00,USD
        rep,2026-10,2026-11-15,10.00,
    """)
    # when
    result = run("import", "expense_reports", str(path))
    # then
    assert result.returncode == 2
    assert [line.split(": ")[:2] for line in result.stderr.splitlines()] == [
        [f"{path}:2", "period"], [f"{path}:3", "currency"],
    ]
    assert not ExpenseReport.objects.exists()
