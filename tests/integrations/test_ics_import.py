"""``heedful import ics FILE``: meetings from calendar invitations, all or nothing."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from heedful.meetings.models import Attendee, Meeting
from tests.conftest import SHARED_DATA
from tests.factories import AccountFactory, ContactFactory, OpportunityFactory, UserFactory
from tests.integrations.conftest import run

ICS = Path(__file__).parent / "ics"
AS_OF = ("--as-of", "2026-11-22")


@pytest.fixture
def acme(db):  # noqa: ANN001, ANN201
    """Acme (website acme.example) with its contact Ana, and our rep Rita."""
    rita = UserFactory(username="rita", full_name="Rita Rep", email="rita@vendor.example")
    account = AccountFactory(external_id="ACME", name="Acme", website="https://www.acme.example")
    ana = ContactFactory(account=account, full_name="Ana Costa", email="ana@acme.example")
    return type("Acme", (), {"account": account, "ana": ana, "rita": rita})


def stored() -> list[tuple]:
    """Every meeting and attendee as the pages would show them."""
    meetings = [
        (m.calendar_key, m.account_id, m.title, m.status, m.scheduled_start, m.scheduled_end,
         m.location, m.organizer_id)
        for m in Meeting.objects.order_by("calendar_key")
    ]
    people = [
        (a.meeting.calendar_key, a.user_id, a.contact_id, a.name, a.email, a.role, a.response)
        for a in Attendee.objects.select_related("meeting").order_by("meeting__calendar_key", "id")
    ]
    return meetings + people


def test_a_plain_invitation_becomes_a_meeting_on_the_contacts_account(acme) -> None:  # noqa: ANN001
    # given
    deal = OpportunityFactory(account=acme.account, created_on=datetime(2026, 9, 1).date())
    # when
    result = run("import", "ics", str(ICS / "plain_meeting.ics"), *AS_OF)
    # then
    assert result.returncode == 0, result.stderr
    assert "1 created" in result.stdout
    meeting = Meeting.objects.get()
    assert meeting.calendar_key == "plain-review@vendor.example"
    assert meeting.account == acme.account
    assert meeting.title == "Quarterly service review"
    assert meeting.location == "Acme HQ, Milan"
    assert meeting.scheduled_start == datetime(2026, 12, 3, 9, 0, tzinfo=UTC)  # 10:00 in Rome
    assert meeting.scheduled_end == datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    assert meeting.organizer == acme.rita
    assert meeting.status == "scheduled"
    assert list(meeting.opportunities.all()) == [deal]
    people = {
        (a.user_id, a.contact_id, a.email, a.role, a.response) for a in meeting.attendees.all()
    }
    assert people == {
        (acme.rita.pk, None, "", "organizer", "accepted"),
        (None, acme.ana.pk, "", "required", "accepted"),
        (None, None, "bruno@acme.example", "optional", ""),
    }  # the room is not a person


def test_importing_the_same_file_again_changes_nothing(acme) -> None:  # noqa: ANN001
    # given
    for name in ("plain_meeting.ics", "weekly_recurrence.ics", "windows_zone.ics"):
        assert run("import", "ics", str(ICS / name), *AS_OF).returncode == 0
    before = stored()
    # when
    results = [
        run("import", "ics", str(ICS / name), *AS_OF)
        for name in ("plain_meeting.ics", "weekly_recurrence.ics", "windows_zone.ics")
    ]
    # then
    assert all(" 0 created, 0 updated" in result.stdout for result in results), results
    assert stored() == before


def test_windows_and_exchange_zone_names_and_all_day_events(acme) -> None:  # noqa: ANN001
    # when
    result = run("import", "ics", str(ICS / "windows_zone.ics"), *AS_OF)
    # then
    assert result.returncode == 0, result.stderr
    by_key = {m.calendar_key: m for m in Meeting.objects.all()}
    # W. Europe Standard Time is Europe/Berlin: 10:00 in December is 09:00 UTC
    assert by_key["windows-zone@vendor.example"].scheduled_start == datetime(
        2026, 12, 3, 9, 0, tzinfo=UTC
    )
    # "(UTC-05:00) Eastern Time (US & Canada)": 09:00 at UTC-5 is 14:00 UTC
    assert by_key["exchange-offset@vendor.example"].scheduled_start == datetime(
        2026, 12, 4, 14, 0, tzinfo=UTC
    )
    all_day = by_key["all-day@vendor.example"]
    assert (all_day.scheduled_start, all_day.scheduled_end) == (
        datetime(2026, 12, 7, tzinfo=UTC), datetime(2026, 12, 8, tzinfo=UTC)
    )
    responses = {
        m.calendar_key: m.attendees.get(contact=acme.ana).response for m in by_key.values()
    }
    assert responses["windows-zone@vendor.example"] == "declined"
    assert responses["exchange-offset@vendor.example"] == "tentative"


def test_a_weekly_series_with_one_edited_and_one_cancelled_occurrence(acme) -> None:  # noqa: ANN001
    # when
    result = run("import", "ics", str(ICS / "weekly_recurrence.ics"), *AS_OF)
    # then: the cancelled occurrence was never imported, so nothing is made of it
    assert result.returncode == 0, result.stderr
    meetings = list(Meeting.objects.order_by("scheduled_start"))
    seen = [(m.calendar_key, m.scheduled_start.astimezone(UTC).hour, m.status) for m in meetings]
    assert seen == [
        ("weekly-sync@vendor.example/20261102T090000Z", 9, "scheduled"),
        ("weekly-sync@vendor.example/20261109T090000Z", 14, "scheduled"),
        ("weekly-sync@vendor.example/20261123T090000Z", 9, "scheduled"),
    ]
    assert meetings[1].title == "Weekly sync with Acme (moved to the afternoon)"
    assert meetings[1].attendees.get(contact=acme.ana).response == "tentative"


def test_cancelled_occurrences_are_marked_cancelled_not_deleted(acme) -> None:  # noqa: ANN001
    # given: the series as first sent, then every occurrence of it imported
    assert run("import", "ics", str(ICS / "weekly_recurrence.ics"), *AS_OF).returncode == 0
    # when: the organizer drops 23 November (EXDATE)
    result = run("import", "ics", str(ICS / "weekly_recurrence_exdate.ics"), *AS_OF)
    # then
    assert result.returncode == 0, result.stderr
    statuses = {m.calendar_key.split("/")[1]: m.status for m in Meeting.objects.all()}
    assert statuses == {
        "20261102T090000Z": "scheduled",
        "20261109T090000Z": "scheduled",
        "20261123T090000Z": "cancelled",
    }


def test_method_cancel_marks_the_meeting_cancelled(acme) -> None:  # noqa: ANN001
    # given
    assert run("import", "ics", str(ICS / "plain_meeting.ics"), *AS_OF).returncode == 0
    # when
    result = run("import", "ics", str(ICS / "cancel.ics"), *AS_OF)
    # then
    assert result.returncode == 0, result.stderr
    assert "1 cancelled" in result.stdout
    meeting = Meeting.objects.get()
    assert meeting.status == "cancelled"
    assert meeting.attendees.count() == 3


def test_an_event_whose_people_name_no_account_is_skipped_with_a_warning(acme) -> None:  # noqa: ANN001
    # when
    result = run("import", "ics", str(ICS / "no_account.ics"), *AS_OF)
    # then
    assert result.returncode == 0
    assert "1 skipped" in result.stdout
    assert 'no_account.ics:4: skipped "Dentist" (dentist@elsewhere.example)' in result.stderr
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(("name", "line", "reason"), [
    ("malformed.ics", 10, "not an iCalendar content line"),
    ("malformed_date.ics", 16, "DTSTART: cannot read its value"),
])
def test_a_malformed_file_is_refused_naming_the_line_and_nothing_is_saved(
    acme, name: str, line: int, reason: str,  # noqa: ANN001
) -> None:
    # when
    result = run("import", "ics", str(ICS / name), *AS_OF)
    # then
    assert result.returncode == 2
    assert f"{ICS / name}:{line}: {reason}" in result.stderr
    assert "nothing was written" in str(result.error)
    assert not Meeting.objects.exists()


def test_a_dry_run_writes_nothing(acme) -> None:  # noqa: ANN001
    result = run("import", "ics", str(ICS / "plain_meeting.ics"), *AS_OF, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "1 created" in result.stdout and "dry run" in result.stdout
    assert not Meeting.objects.exists()


def test_the_window_limits_how_far_a_series_is_expanded(acme) -> None:  # noqa: ANN001
    result = run(
        "import", "ics", str(ICS / "weekly_recurrence.ics"),
        "--window-from", "2026-11-01", "--window-to", "2026-11-10",
    )
    assert result.returncode == 0, result.stderr
    assert Meeting.objects.count() == 2


SHARED_CALENDARS = Path(SHARED_DATA) / "calendar_ics"


@pytest.mark.skipif(not SHARED_CALENDARS.is_dir(), reason="shared/data/calendar_ics is absent")
def test_every_shared_calendar_imports_or_is_refused_naming_the_line(db) -> None:  # noqa: ANN001
    # given: an account for each domain the files use, so that their meetings import
    for index, domain in enumerate([
        "example.com", "coffeebean.com", "pacbell.net", "daxlab.com", "xs4all.nl",
        "mozilla.com", "doit.wisc.edu", "mydomain.de",
    ]):
        AccountFactory(external_id=f"SHARED-{index}", website=domain)
    files = sorted(SHARED_CALENDARS.rglob("*.ics"))
    assert files
    outcomes = {}
    for path in files:
        # when
        result = run("import", "ics", str(path), "--as-of", "2026-11-22",
                     "--window-from", "2003-01-01", "--window-to", "2009-04-30")
        # then: imported, or refused with FILE:LINE; never a crash (the window takes in
        # the recurring samples of 2003, 2005 and 2009)
        assert result.returncode in (0, 2), (path, result.stderr)
        if result.returncode == 2:
            assert f"{path}:" in result.stderr and any(
                line.startswith(f"{path}:") and line[len(str(path)) + 1:].split(":")[0].isdigit()
                for line in result.stderr.splitlines()
            ), result.stderr
        outcomes[path.name] = result.returncode
    assert Meeting.objects.exists()
    assert sum(code == 0 for code in outcomes.values()) >= 20, outcomes


def test_an_update_of_one_occurrence_leaves_the_others_alone(acme) -> None:  # noqa: ANN001
    # given
    assert run("import", "ics", str(ICS / "weekly_recurrence.ics"), *AS_OF).returncode == 0
    # when: Outlook sends only the occurrence that moved
    result = run("import", "ics", str(ICS / "one_occurrence_moved.ics"), *AS_OF)
    # then
    assert result.returncode == 0, result.stderr
    assert "0 created, 1 updated" in result.stdout
    meetings = {m.calendar_key.split("/")[1]: m for m in Meeting.objects.all()}
    assert {key: m.status for key, m in meetings.items()} == {
        "20261102T090000Z": "scheduled",
        "20261109T090000Z": "scheduled",
        "20261123T090000Z": "scheduled",
    }
    assert meetings["20261102T090000Z"].scheduled_start == datetime(2026, 11, 2, 10, tzinfo=UTC)


def test_an_imported_meeting_without_a_stated_value_raises_its_play(acme) -> None:  # noqa: ANN001
    import json

    # given
    assert run("import", "ics", str(ICS / "plain_meeting.ics"), *AS_OF).returncode == 0
    # when: four days before the meeting
    result = run("scan", "--as-of", "2026-11-29", "--json")
    # then
    plays = [play for play in json.loads(result.stdout) if play["rule"].startswith("meetings.")]
    assert [(play["rule"], play["account_external_id"], play["owner"]) for play in plays] == [
        ("meetings.no_value_statement", "ACME", "rita")
    ]


def test_the_summary_as_json_and_a_window_backwards_refused(acme) -> None:  # noqa: ANN001
    import json

    result = run("import", "ics", str(ICS / "plain_meeting.ics"), *AS_OF, "--json")
    assert json.loads(result.stdout)["files"][0]["created"] == 1
    backwards = run("import", "ics", str(ICS / "weekly_recurrence.ics"),
                    "--window-from", "2026-12-01", "--window-to", "2026-11-01")
    assert backwards.returncode == 2
    assert "--window-from is after --window-to" in str(backwards.error)
