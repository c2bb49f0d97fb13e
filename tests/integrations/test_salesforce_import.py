"""``heedful import salesforce DIR``: a Salesforce Data Export of our own, written as
Salesforce writes one (tests/integrations/salesforce/: a BOM, every cell quoted, quoted line
breaks, CR/LF and LF files, empty amounts, 15- and 18-character ids, each datetime style, a
private contact, a user whose manager left), imported through the canonical kinds."""

import shutil
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from heedful.accounts.models import Account, Contact, TeamMembership
from heedful.core.models import User
from heedful.integrations.salesforce import salesforce_id
from heedful.interactions.models import Interaction
from heedful.sales.models import Opportunity
from tests.integrations.conftest import run, table_counts

EXPORT = Path(__file__).parent / "salesforce"
ACME, GLOBEX = "0015g0000Kx01MzAQI", "0015g0000Kx02MzAQI"
CARLA, LEA, DEV, GUS = (f"0035g0000Kx0{n}MzAQI" for n in (1, 2, 3, 4))
EXPANSION, RENEWAL, PILOT = (f"0065g0000Kx0{n}MzAQI" for n in (1, 2, 3))


def copy_of_export(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    shutil.copytree(EXPORT, folder)
    return folder


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_bytes().decode("utf-8")
    assert old in text, old
    path.write_bytes(text.replace(old, new, 1).encode("utf-8"))


@pytest.fixture
def imported(db) -> None:  # noqa: ANN001
    result = run("import", "salesforce", str(EXPORT))
    assert result.returncode == 0, result.stderr


def test_a_fifteen_character_id_gains_salesforce_s_checksum() -> None:
    assert salesforce_id("001D000000IqhSL") == "001D000000IqhSLIAZ"
    assert salesforce_id("001D000000IqhSLIAZ") == "001D000000IqhSLIAZ"
    assert salesforce_id("000000000000000AAA") == ""


def test_users_keep_their_managers_even_one_who_left(imported) -> None:  # noqa: ANN001
    dana = User.objects.get(username="dana.diaz@heedful-demo.example")
    assert dana.full_name == "Dana Díaz"
    assert dana.manager.username == "carl.cole@heedful-demo.example"
    assert dana.manager.manager.username == "ana.alves@heedful-demo.example"
    roles = dict(User.objects.values_list("username", "role"))
    assert roles == {
        "ana.alves@heedful-demo.example": "manager", "ben.brandt@heedful-demo.example": "rep",
        "carl.cole@heedful-demo.example": "manager", "dana.diaz@heedful-demo.example": "rep",
    }


def test_accounts_get_their_owner_through_the_ownership_history(imported) -> None:  # noqa: ANN001
    acme = Account.objects.get(external_id=ACME)
    assert acme.name == "Acme Logistics GmbH" and acme.city == "Hamburg"
    assert acme.status == "customer"
    assert Account.objects.get(external_id=GLOBEX).status == "prospect"
    assert acme.owner.username == "ben.brandt@heedful-demo.example"
    owner_rows = TeamMembership.objects.filter(account=acme, role="owner", end_date=None)
    assert [row.user.username for row in owner_rows] == ["ben.brandt@heedful-demo.example"]
    assert Account.objects.count() == 2  # the deleted one is skipped


def test_contacts_report_to_their_managers_and_a_private_contact_is_skipped(imported) -> None:  # noqa: ANN001
    lea = Contact.objects.get(external_id=LEA)
    assert lea.reports_to.external_id == CARLA  # given as 15 characters in the export
    assert Contact.objects.get(external_id=DEV).reports_to == lea
    assert lea.phone == "+49 170 5550101"
    assert Contact.objects.get(external_id=DEV).do_not_contact is True
    assert lea.do_not_contact is False
    assert Contact.objects.count() == 4


def test_opportunities_their_stage_history_and_empty_amounts(imported) -> None:  # noqa: ANN001
    expansion = Opportunity.objects.get(external_id=EXPANSION)
    assert expansion.amount == Decimal("120000.00") and expansion.currency == "USD"
    assert expansion.created_on == date(2026, 6, 1) and expansion.won is None
    assert [(change.stage, change.changed_at) for change in expansion.stage_changes.all()] == [
        ("Prospecting", datetime(2026, 6, 1, 8, 0, tzinfo=UTC)),
        ("Qualification", datetime(2026, 7, 1, 9, 0, tzinfo=UTC)),
        ("Proposal/Price Quote", datetime(2026, 9, 15, 14, 0, tzinfo=UTC)),
    ]
    renewal = Opportunity.objects.get(external_id=RENEWAL)
    assert renewal.amount is None and renewal.currency == ""
    assert renewal.won is True and renewal.closed_on == date(2026, 3, 31)
    pilot = Opportunity.objects.get(external_id=PILOT)
    assert pilot.won is False and pilot.owner.username == "carl.cole@heedful-demo.example"
    assert renewal.stage_changes.last().changed_at == datetime(2026, 3, 31, 17, 45, 12, tzinfo=UTC)


def test_tasks_and_events_become_the_timeline(imported) -> None:  # noqa: ANN001
    timeline = {
        interaction.subject: interaction
        for interaction in Interaction.objects.prefetch_related("contacts")
    }
    assert sorted(timeline) == [
        "Discovery call", "Email: Proposal for fleet tracking", "Lost-deal review note",
        "On-site workshop",
    ]
    call = timeline["Discovery call"]
    assert (call.kind, call.direction, call.user.username) == (
        "call", "outbound", "ben.brandt@heedful-demo.example"
    )
    assert [contact.external_id for contact in call.contacts.all()] == [CARLA]
    assert timeline["Email: Proposal for fleet tracking"].kind == "email"
    workshop = timeline["On-site workshop"]
    assert workshop.kind == "meeting"
    assert workshop.occurred_at == datetime(2026, 10, 20, 13, 0, tzinfo=UTC)
    # a task without ActivityDate falls back to when it was created
    note = timeline["Lost-deal review note"]
    assert note.kind == "note" and note.account.external_id == GLOBEX
    assert note.occurred_at == datetime(2025, 12, 1, 15, 20, tzinfo=UTC)


@pytest.mark.parametrize("zone", ["Pacific/Honolulu", "UTC", "Pacific/Auckland", "Asia/Tokyo"])
def test_a_task_s_activity_date_does_not_shift_with_the_time_zone(
    db, settings, zone: str  # noqa: ANN001
) -> None:
    # given Heedful in a time zone far from UTC
    settings.TIME_ZONE = zone
    # when
    result = run("import", "salesforce", str(EXPORT))
    # then the pages show the date the rep entered in Salesforce
    assert result.returncode == 0, result.stderr
    call = Interaction.objects.get(subject="Discovery call")
    assert timezone.localtime(call.occurred_at).date() == date(2026, 10, 5)


def test_reimporting_the_same_export_changes_nothing(imported) -> None:  # noqa: ANN001
    # given
    before = table_counts()
    # when
    again = run("import", "salesforce", str(EXPORT))
    # then
    assert again.returncode == 0, again.stderr
    assert table_counts() == before
    for line in again.stdout.strip().splitlines():
        assert " 0 created, 0 updated, " in line, line


def test_a_second_export_updates_the_records_of_the_first(imported, tmp_path: Path) -> None:  # noqa: ANN001
    # given a later export: a renamed account, a user whose username changed, a task retitled
    folder = copy_of_export(tmp_path)
    replace_in(folder / "Account.csv", "Acme Logistics GmbH", "Acme Logistics SE")
    replace_in(folder / "User.csv", '"ben.brandt@heedful-demo.example","Brandt"',
               '"ben@heedful-demo.example","Brandt"')
    replace_in(folder / "Task.csv", "Discovery call", "Discovery call (fleet)")
    before = table_counts()
    # when
    result = run("import", "salesforce", str(folder))
    # then
    assert result.returncode == 0, result.stderr
    assert table_counts() == before
    assert Account.objects.get(external_id=ACME).name == "Acme Logistics SE"
    assert User.objects.filter(username="ben.brandt@heedful-demo.example").exists()
    assert Interaction.objects.filter(subject="Discovery call (fleet)").count() == 1
    assert not Interaction.objects.filter(subject="Discovery call").exists()
    assert f"{folder}/Task.csv: 0 created, 1 updated, 2 unchanged, 2 skipped" in result.stdout


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(db) -> None:  # noqa: ANN001
    # given
    before = table_counts()
    # when
    result = run("import", "salesforce", str(EXPORT), "--dry-run")
    # then
    assert result.returncode == 0, result.stderr
    assert table_counts() == before
    assert (f"{EXPORT}/Contact.csv: 4 created, 0 updated, 0 unchanged, 1 skipped "
            "(dry run: nothing written)") in result.stdout
    assert f"{EXPORT}/Contact.csv:8: skipped: contact 0035g0000Kx05MzAQI has no account" in (
        result.stderr
    )


def test_bad_rows_are_reported_on_salesforce_s_file_line_and_column_and_nothing_is_written(
    db, tmp_path: Path  # noqa: ANN001
) -> None:
    # given an export with a broken id, a bad e-mail, a manager at another customer and a
    # date in no format Salesforce writes
    folder = copy_of_export(tmp_path)
    replace_in(folder / "Account.csv", '"0055g0000Kx04MzAQI"', '"0055g-BAD"')
    replace_in(folder / "Contact.csv", "lea.lehmann@acme-logistics.example", "lea.lehmann@")
    replace_in(folder / "Contact.csv", '"Gus Girard","","","","","",""',
               f'"Gus Girard","","","","","","{CARLA}"')
    replace_in(folder / "Opportunity.csv", '"2026-12-15"', '"15.12.2026"')
    before = table_counts()
    # when
    result = run("import", "salesforce", str(folder))
    # then
    assert result.returncode == 2
    problems = [line for line in result.stderr.splitlines() if not line.startswith("warning")]
    assert problems == [
        f"{folder}/Account.csv:5: OwnerId: '0055g-BAD' is not a Salesforce id (15 or 18 letters "
        "and digits)",
        f"{folder}/Contact.csv:4: Email: Enter a valid email address.",
        f"{folder}/Contact.csv:7: ReportsToId: Contact {CARLA} is on another account.",
        f"{folder}/Opportunity.csv:2: CloseDate: '15.12.2026' is not a date (YYYY-MM-DD)",
        # the activities of the contacts refused above cannot name them
        f"{folder}/Task.csv:4: WhoId: no contact '{LEA}'",
        f"{folder}/Task.csv:7: WhoId: no contact '{GUS}'",
    ]
    assert table_counts() == before


def test_a_deal_closed_before_it_was_created_is_imported_as_created_on_its_close_day(
    db, tmp_path: Path  # noqa: ANN001
) -> None:
    # given an export whose lost pilot was entered in Salesforce three weeks after it closed
    folder = copy_of_export(tmp_path)
    replace_in(folder / "Opportunity.csv", "2025-09-01T09:15:00+0000", "2025-12-20T09:15:00+0000")
    # when
    result = run("import", "salesforce", str(folder))
    # then the whole export is imported, the deal keeps the day it closed and was created
    # that day, and a warning names its row
    assert result.returncode == 0, result.stderr
    pilot = Opportunity.objects.get(external_id=PILOT)
    assert (pilot.closed_on, pilot.created_on, pilot.won) == (
        date(2025, 11, 30), date(2025, 11, 30), False
    )
    assert (f"{folder}/Opportunity.csv:5: CreatedDate: 2025-12-20 is after the deal closed "
            "(2025-11-30): entered after it closed, so it is imported as created on "
            "2025-11-30") in result.stderr
    assert Opportunity.objects.count() == 3


def test_two_tasks_of_one_day_with_the_same_owner_and_subject_stay_two_interactions(
    db, tmp_path: Path  # noqa: ANN001
) -> None:
    # given a second e-mail task of the same day, owner and subject (its own Salesforce id)
    folder = copy_of_export(tmp_path)
    with open(folder / "Task.csv", "a", encoding="utf-8", newline="") as tasks:
        tasks.write('"00T5g0000Kx06MzEQI","0035g0000Kx02MzAQI","0015g0000Kx01MzAQI",'
                    '"Email: Proposal for fleet tracking","2026-10-07","Completed","Normal",'
                    '"0055g0000Kx02MzAQI","","false","0015g0000Kx01MzAQI","true",'
                    '"2026-10-07T09:40:00Z","Email","","","Email"\r\n')
    # when it is imported, twice
    first = run("import", "salesforce", str(folder))
    before = table_counts()
    again = run("import", "salesforce", str(folder))
    # then both e-mails are on the timeline, on the day the rep entered, and the second
    # import changes nothing
    assert first.returncode == 0, first.stderr
    emails = Interaction.objects.filter(subject="Email: Proposal for fleet tracking")
    assert emails.count() == 2
    assert {timezone.localtime(email.occurred_at).date() for email in emails} == {
        date(2026, 10, 7)
    }
    assert ":9: the same day, owner, kind and subject as line 4, another activity in " \
        "Salesforce: kept as its own interaction, at 12:00:01 on 2026-10-07" in first.stderr
    assert again.returncode == 0, again.stderr
    assert table_counts() == before
    task_line = [line for line in again.stdout.splitlines() if "/Task.csv:" in line]
    assert task_line == [f"{folder}/Task.csv: 0 created, 0 updated, 4 unchanged, 2 skipped"]
