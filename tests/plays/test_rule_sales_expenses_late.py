from datetime import date

from tests.plays.sales_records import expense_report

RULE = "sales.expenses_late"


def test_a_report_seven_days_late_goes_to_the_manager_with_the_months(people, findings) -> None:  # noqa: ANN001
    # given: the test day is 22 Nov 2026
    people.rep.full_name = "Rex Top"
    people.rep.save()
    expense_report(people.rep, due_on=date(2026, 11, 15), period="2026-10")
    expense_report(people.rep, due_on=date(2026, 10, 15), period="2026-09")
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert play.owner_id == people.manager.pk
    assert play.title == "Rex Top: 2 expense reports late"
    assert play.facts["periods"] == ["Sep 2026", "Oct 2026"]
    assert play.facts["days_late"] == 38


def test_six_days_late_is_not_yet_late(people, findings) -> None:  # noqa: ANN001
    expense_report(people.rep, due_on=date(2026, 11, 16))
    assert findings(RULE) == []


def test_a_submitted_report_is_not_late_however_late_it_came(people, findings) -> None:  # noqa: ANN001
    expense_report(people.rep, due_on=date(2026, 9, 15), submitted_on=date(2026, 11, 1))
    assert findings(RULE) == []
