"""The scorecard pages: who may see whose, the one-click agenda, the standards page, and the
report's rows."""

from datetime import date
from decimal import Decimal

import pytest

from heedful.coaching.models import AgendaItem
from heedful.expenses.models import ExpenseReport
from heedful.forecasts import periods
from heedful.lib import clock
from heedful.scorecards import report
from heedful.scorecards.models import Standard

TODAY = date(2026, 11, 22)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def late_expenses(people) -> None:  # noqa: ANN001
    ExpenseReport.objects.create(rep=people.rep, period="2026-10", due_on=date(2026, 11, 15))


@pytest.mark.parametrize(("viewer", "status"), [
    ("rep", 200), ("manager", 200), ("director", 200), ("admin", 200),
    ("other_rep", 404), ("other_manager", 404),
])
def test_only_the_rep_and_those_above_see_a_scorecard(client, people, viewer, status) -> None:  # noqa: ANN001
    client.force_login(getattr(people, viewer))
    assert client.get("/scorecards/rep/").status_code == status


def test_a_below_standard_figure_shows_its_numbers_and_the_button(  # noqa: ANN001
    client, people, late_expenses,
) -> None:
    client.force_login(people.manager)
    page = client.get("/scorecards/rep/").content.decode()
    assert "0 of 1 expense reports on time; 0 late, 1 not in yet" in page
    assert "Put on the next review's agenda" in page


def test_one_click_puts_it_on_a_review_planned_a_week_ahead(client, people, late_expenses) -> None:  # noqa: ANN001
    client.force_login(people.manager)
    response = client.post("/scorecards/rep/agenda/", {"dimension": "expenses_on_time",
                                                        "period": "2026-Q4"})
    item = AgendaItem.objects.get()
    assert response.url == f"/coaching/{item.review_id}/#agenda"
    assert item.review.held_on == date(2026, 11, 29)
    assert item.title == "Expense reports on time: 0% against a standard of 100%"


def test_the_rep_cannot_put_their_own_figure_on_an_agenda(client, people, late_expenses) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    client.post("/scorecards/rep/agenda/", {"dimension": "expenses_on_time"})
    assert not AgendaItem.objects.exists()
    assert "Put on the next review" not in client.get("/scorecards/rep/").content.decode()


def test_the_team_page_marks_who_is_below_standard(client, people, late_expenses) -> None:  # noqa: ANN001
    client.force_login(people.manager)
    page = client.get("/scorecards/?period=2026-Q4").content.decode()
    assert 'aria-label="below the standard of 100%"' in page


def test_a_bad_period_says_how_to_write_one(client, people) -> None:  # noqa: ANN001
    client.force_login(people.manager)
    page = client.get("/scorecards/?period=last-year").content.decode()
    assert "write a quarter as 2026-Q4 or a month as 2026-11" in page


def test_a_manager_sets_a_percent_standard_as_a_percent(client, people) -> None:  # noqa: ANN001
    client.force_login(people.manager)
    client.post("/scorecards/standards/", {"expenses_on_time": "95"})
    assert Standard.objects.get(manager=people.manager).value == Decimal("0.95")
    client.force_login(people.rep)
    assert client.get("/scorecards/standards/").status_code == 404


def test_the_report_lists_every_rep_with_the_dimensions_below(people, late_expenses) -> None:  # noqa: ANN001
    rows = report.rows(period=periods.parse("2026-Q4"), as_of=TODAY)
    row = next(row for row in rows if row["rep"] == "rep")
    assert "expenses_on_time" in row["below_standard"]
    assert row["dimensions"]["expenses_on_time"] == {
        "value": 0.0, "standard": 1.0, "meets": False,
        "detail": "0 of 1 expense reports on time; 0 late, 1 not in yet; 0 over budget.",
    }
    assert [row["rep"] for row in rows] == ["other_rep", "rep"]
