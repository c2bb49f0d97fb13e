"""Every move of an opportunity's close date is kept (from, to, when, by whom) by the one
writer of opportunities, whichever door the change came through; "pushed out" in the
pipeline's movement reads that history, at the edges of its window."""

import json
import shutil
from dataclasses import asdict
from datetime import UTC, date, datetime

import pytest
from django.test import Client

from heedful.integrations.csv_import import import_files
from heedful.sales import services
from heedful.sales.models import CloseDateChange, Opportunity
from heedful.sales.movement import movement
from tests.api.conftest import API, client_for
from tests.factories import OpportunityFactory
from tests.integrations.conftest import run
from tests.integrations.test_salesforce_import import EXPANSION, EXPORT, replace_in

SINCE, AS_OF = date(2026, 11, 1), date(2026, 11, 22)


@pytest.fixture
def deal(people):  # noqa: ANN001, ANN201
    return OpportunityFactory(
        external_id="OPP-1", account=people.ours, owner=people.rep,
        created_on=date(2026, 9, 1), close_date=date(2026, 12, 15),
    )


def test_the_api_keeps_each_move_of_the_close_date_and_who_made_it(people, deal) -> None:  # noqa: ANN001
    # when
    response = client_for(people.rep).patch(
        f"{API}/opportunities/OPP-1", json.dumps({"close_date": "2027-01-31"}),
        content_type="application/json",
    )
    client_for(people.rep).patch(  # the same date again is no move
        f"{API}/opportunities/OPP-1", json.dumps({"close_date": "2027-01-31"}),
        content_type="application/json",
    )
    services.update(user=people.rep, external_id="OPP-1", changes={"stage": "propose"})
    # then
    assert response.status_code == 200, response.content
    change = CloseDateChange.objects.get()
    assert (change.close_date_from, change.close_date_to) == (date(2026, 12, 15),
                                                              date(2027, 1, 31))
    assert change.changed_by == people.rep
    assert change.is_pushed_out


def test_a_new_opportunitys_first_close_date_is_no_move(people) -> None:  # noqa: ANN001
    # when
    services.create(user=people.rep, data={
        "external_id": "OPP-NEW", "account": people.ours.external_id, "name": "Wi-Fi",
        "stage": "qualify", "close_date": "2027-03-31",
    })
    # then
    assert not CloseDateChange.objects.exists()


def test_the_csv_import_keeps_the_moves_it_makes_by_nobody(people, deal, write_csv) -> None:  # noqa: ANN001
    # given
    header = "external_id,account_external_id,name,owner_username,stage,close_date"
    moved = write_csv("opportunities.csv", f"""
        {header}
        OPP-1,ACC-OURS,Expansion,rep,qualify,2027-02-28
    """)
    # when
    import_files([("opportunities", moved)])
    import_files([("opportunities", moved)])  # re-importing the same file moves nothing
    # then
    change = CloseDateChange.objects.get()
    assert (change.close_date_from, change.close_date_to) == (date(2026, 12, 15),
                                                              date(2027, 2, 28))
    assert change.changed_by is None


def test_the_salesforce_import_keeps_the_moves_it_makes(db, tmp_path) -> None:  # noqa: ANN001
    # given an export imported once, then again with the expansion's close date later
    assert run("import", "salesforce", str(EXPORT)).returncode == 0
    folder = tmp_path / "export"
    shutil.copytree(EXPORT, folder)
    replace_in(folder / "Opportunity.csv", '"75","2026-12-15"', '"75","2027-02-15"')
    # when
    ran = run("import", "salesforce", str(folder))
    # then
    assert ran.returncode == 0, ran.stderr
    # (the first is the move OpportunityHistory.csv records, on 2026-07-01)
    from_history, change = CloseDateChange.objects.order_by("changed_at")
    assert (from_history.close_date_from, from_history.close_date_to) == (
        date(2026, 12, 31), date(2026, 12, 15)
    )
    assert change.opportunity.external_id == EXPANSION
    assert (change.close_date_from, change.close_date_to) == (date(2026, 12, 15),
                                                              date(2027, 2, 15))
    assert change.changed_by is None and change.is_pushed_out


def moves(opportunity: Opportunity, *changes: tuple[str | None, str | None, datetime]) -> None:
    for before, after, when in changes:
        CloseDateChange.objects.create(
            opportunity=opportunity,
            close_date_from=date.fromisoformat(before) if before else None,
            close_date_to=date.fromisoformat(after) if after else None, changed_at=when,
        )


def on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


@pytest.mark.parametrize(("changes", "pushed_out"), [
    ([("2026-12-15", "2027-01-31", on(date(2026, 11, 10)))], 1),
    ([("2026-12-15", "2026-12-01", on(date(2026, 11, 10)))], 0),  # pulled in
    ([("2026-12-15", "2027-01-31", on(SINCE))], 0),  # on the day itself: before the window
    ([("2026-12-15", "2027-01-31", on(AS_OF))], 1),  # on the last day: inside it
    ([("2026-12-15", "2027-01-31", on(date(2026, 11, 23)))], 0),  # after it
    ([(None, "2027-01-31", on(date(2026, 11, 10)))], 0),  # a first close date
    ([("2026-12-15", None, on(date(2026, 11, 10)))], 0),  # cleared
    ([("2026-12-15", "2027-01-31", on(date(2026, 11, 5))),
      ("2027-01-31", "2026-12-15", on(date(2026, 11, 9)))], 0),  # out and back in
    ([("2026-12-15", "2026-12-01", on(date(2026, 11, 5))),
      ("2026-12-01", "2026-12-16", on(date(2026, 11, 9)))], 1),  # in, then past where it was
    ([("2026-12-15", "2027-01-31", on(date(2026, 10, 5))),
      ("2027-01-31", "2027-01-15", on(date(2026, 11, 9)))], 0),  # out before, in since
])
def test_a_deal_is_pushed_out_when_its_close_date_is_later_than_on_the_day(
    people, deal, changes, pushed_out,  # noqa: ANN001
) -> None:
    # given
    moves(deal, *changes)
    # when
    moved = movement(Opportunity.objects.all(), since=SINCE, as_of=AS_OF)[None]
    # then
    assert moved.pushed_out == pushed_out


def test_slipped_and_pushed_out_are_counted_apart_and_per_rep(people, deal) -> None:  # noqa: ANN001
    # given a deal of the rep pushed out, and one of another rep open past its close date
    moves(deal, ("2026-12-15", "2027-01-31", on(date(2026, 11, 10))))
    OpportunityFactory(account=people.theirs, owner=people.other_rep,
                       created_on=date(2026, 9, 1), close_date=date(2026, 11, 5))
    # when
    by_rep = movement(Opportunity.objects.all(), since=SINCE, as_of=AS_OF,
                      key="owner__username")
    # then
    assert (by_rep["rep"].pushed_out, by_rep["rep"].slipped, by_rep["rep"].overdue) == (1, 0, 0)
    assert (by_rep["other_rep"].pushed_out, by_rep["other_rep"].overdue) == (0, 1)


def test_the_report_json_carries_the_movement_since_a_day(people, deal) -> None:  # noqa: ANN001
    # given
    moves(deal, ("2026-12-15", "2027-01-31", on(date(2026, 11, 10))))
    # when
    ran = run("report", "pipeline", "--as-of", AS_OF.isoformat(), "--since",
              SINCE.isoformat(), "--json")
    plain = run("report", "pipeline", "--as-of", AS_OF.isoformat(), "--json")
    # then
    assert ran.error is None, ran.error
    row = next(row for row in json.loads(ran.stdout) if row["rep"] == "rep")
    assert row["movement"] == {
        "since": "2026-11-01", "new": 0, "advanced": 0, "slipped": 0, "pushed_out": 1,
        "won": 0, "lost": 0, "overdue": 0,
    }
    assert "movement" not in json.loads(plain.stdout)[0]


def test_the_report_refuses_a_since_that_is_not_before_the_day(db) -> None:  # noqa: ANN001
    # when
    ran = run("report", "pipeline", "--as-of", "2026-11-22", "--since", "2026-11-22")
    # then
    assert ran.error is not None and "before" in str(ran.error)


def test_the_pipeline_page_and_the_opportunity_page_show_the_push(people, deal) -> None:  # noqa: ANN001
    # given
    services.update(user=people.rep, external_id="OPP-1", changes={"close_date": "2027-01-31"})
    browser = Client()
    browser.force_login(people.manager)
    today = date.today()
    # when
    pipeline = browser.get("/sales/pipeline/").content.decode()
    page = browser.get("/sales/opportunities/OPP-1/").content.decode()
    # then
    assert "<strong>1</strong> pushed out to a later close date" in pipeline
    assert "15 Dec 2026" in page and "31 Jan 2027" in page and "pushed out" in page
    assert people.rep.display_name in page
    assert asdict(movement(Opportunity.objects.all(), since=today, as_of=today)[None]) == {
        "new": 0, "advanced": 0, "slipped": 0, "pushed_out": 0, "won": 0, "lost": 0,
        "overdue": 0,
    }


def test_a_close_date_moved_in_the_admin_is_kept_too(client, people, deal) -> None:  # noqa: ANN001
    # given
    client.force_login(people.admin)
    url = f"/admin/sales/opportunity/{deal.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({
        "close_date": "2027-02-28",
        "stage_changes-TOTAL_FORMS": "0", "stage_changes-INITIAL_FORMS": "0",
    })
    # when
    response = client.post(url, data)
    # then
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = CloseDateChange.objects.get()
    assert (change.close_date_from, change.close_date_to) == (date(2026, 12, 15),
                                                              date(2027, 2, 28))
    assert change.changed_by == people.admin


def test_the_funnel_names_its_stages_in_words_and_stops_at_a_closed_stage(people, deal) -> None:  # noqa: ANN001
    # given
    from heedful.sales.models import Stage, StageChange

    for order, (name, category) in enumerate((
        ("negotiate", "commit"), ("closed_won", "closed"), ("closed_lost", "omitted"),
    )):
        Stage.objects.create(name=name, order=order, forecast_category=category)
    at = datetime(2026, 11, 2, 10, tzinfo=UTC)
    won = Opportunity.objects.create(
        external_id="OPP-WON", account=people.ours, owner=people.rep, name="Won",
        stage="closed_won", won=True, created_on=date(2026, 10, 1), closed_on=date(2026, 11, 2),
    )
    for stage in ("negotiate", "closed_won"):
        StageChange.objects.create(opportunity=won, stage=stage, changed_at=at)
    StageChange.objects.create(opportunity=deal, stage="negotiate", changed_at=at)
    browser = Client()
    browser.force_login(people.manager)
    # when
    page = browser.get("/sales/pipeline/", {"as_of": AS_OF.isoformat()}).content.decode()
    # then
    assert "50% to Closed won" in page  # one of the two in negotiation won
    assert "to Closed lost" not in page  # a won deal goes no further
    assert "closed_won" not in page


def test_a_past_move_keeps_its_time_and_person_and_is_kept_once(people, deal) -> None:  # noqa: ANN001
    # given a move a CRM's history recorded
    when = datetime(2026, 10, 1, 8, 30, tzinfo=UTC)
    past = services.PastCloseDateMove(
        deal.pk, date(2026, 12, 15), date(2027, 1, 31), when, people.rep.pk
    )
    # when it is recorded twice (an export imported again), with a move made now
    first = services.record_close_date_moves([past, (deal.pk, None, date(2026, 12, 15))], by=None)
    second = services.record_close_date_moves([past], by=None)
    # then
    assert (first, second) == (2, 0)
    kept = CloseDateChange.objects.get(changed_at=when)
    assert kept.changed_by == people.rep and kept.is_pushed_out
    assert CloseDateChange.objects.count() == 2
