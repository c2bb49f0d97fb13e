"""A manager runs a deal review with a coaching point in the browser, puts a below-standard
scorecard dimension on it in one click, and the rep sees both; on a laptop and on a 390 px
phone. With ``HEEDFUL_SCREENSHOTS=DIR`` each page is saved there as a picture."""

import os
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from heedful.expenses.models import ExpenseReport
from heedful.lib import clock
from tests.browser import log_in
from tests.core.test_content_security import violations, watch_for_violations
from tests.factories import OpportunityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
TODAY = date(2026, 11, 22)


@pytest.fixture(params=list(SCREENS))
def screen(request, page: Page) -> str:  # noqa: ANN001
    page.set_viewport_size(SCREENS[request.param])
    return request.param


def picture(page: Page, name: str, screen: str) -> None:
    folder = os.environ.get("HEEDFUL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}-{screen}.png"), full_page=True)


@pytest.fixture
def top_performer(people, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    """The rep makes deals but filed October's expense report late and September's not at
    all; the manager's landing page is the team view."""
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    people.rep.full_name = "Rex Top"
    people.rep.save()
    people.manager.full_name = "Mona Manager"
    people.manager.save()
    OpportunityFactory(owner=people.rep, account=people.ours, external_id="OPP-NORTH",
                       name="Ours Telecom expansion", close_date=date(2026, 12, 15))
    ExpenseReport.objects.create(rep=people.rep, period="2026-09", due_on=date(2026, 10, 15),
                                 submitted_on=date(2026, 11, 2))
    ExpenseReport.objects.create(rep=people.rep, period="2026-10", due_on=date(2026, 11, 15))
    return people


def test_a_deal_review_coaches_and_takes_a_below_standard_figure_onto_its_agenda(
    page: Page, live_server, top_performer, screen: str,  # noqa: ANN001
) -> None:
    errors = watch_for_violations(page)
    # given: the manager lands on the team view, which names who is below standard
    log_in(page, live_server, "manager", landing="")
    summary = page.locator("#sales-management")
    expect(summary).to_contain_text("Rex Top: 4 below standard")
    expect(summary).to_contain_text("expense reports on time 0% (standard 100%)")
    picture(page, "landing", screen)

    # when: a deal review about the Ours Telecom expansion
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Coaching").click()
    page.get_by_role("link", name="New review").click()
    page.get_by_label("Rep").select_option(label="Rex Top")
    page.get_by_label("Kind of review").select_option(label="Deal review")
    page.get_by_label("Date").fill(TODAY.isoformat())
    page.get_by_label("Subject").fill("Ours Telecom expansion")
    page.get_by_label("Deal (for a deal review)").select_option(value="OPP-NORTH")
    picture(page, "new-review", screen)
    page.get_by_role("button", name="Create the review").click()
    expect(page.get_by_role("heading", name="Deal review: Ours Telecom expansion")).to_be_visible()

    # a coaching point, refused first without what was observed
    page.get_by_label("Skill").select_option(label="Discovery questions")
    page.get_by_label("Reinforce or correct").select_option(value="correct")
    page.get_by_label("What you observed").fill(" ")
    page.get_by_role("button", name="Add the coaching point").click()
    expect(page.locator("#point-observed-error")).to_have_text(
        "Write what you saw or heard, so the rep can recognise it.")
    page.get_by_label("What you observed").fill(
        "Pitched the bundle before asking what the CFO needs")
    page.get_by_role("button", name="Add the coaching point").click()
    expect(page.locator("#points")).to_contain_text(
        "Pitched the bundle before asking what the CFO needs")

    # the below-standard figure onto this review's agenda, from the rep's scorecard
    page.get_by_role("link", name="Rex Top's scorecard and coaching history").click()
    expenses = page.locator("#dimension-expenses_on_time")
    expect(expenses).to_contain_text("below standard")
    expect(expenses).to_contain_text("0 of 2 expense reports on time; 1 late, 1 not in yet")
    picture(page, "scorecard", screen)
    expenses.get_by_role("button", name="Put on the next review's agenda").click()

    # then: the review carries both
    expect(page.get_by_role("heading", name="Deal review: Ours Telecom expansion")).to_be_visible()
    expect(page.locator("#agenda")).to_contain_text(
        "Expense reports on time: 0% against a standard of 100%")
    expect(page.get_by_role("status")).to_contain_text(
        "Expense reports on time is on the agenda of this review.")
    picture(page, "review", screen)
    page.get_by_role("button", name="Log out").click()

    # and the rep sees both, and their history
    log_in(page, live_server, "rep", landing="/coaching/")
    page.get_by_role("link", name="Ours Telecom expansion").click()
    expect(page.locator("#agenda")).to_contain_text("Expense reports on time")
    expect(page.locator("#points")).to_contain_text("Discovery questions")
    expect(page.locator("#points")).to_contain_text("Correct")
    expect(page.get_by_role("button", name="Add the coaching point")).to_have_count(0)
    picture(page, "review-as-rep", screen)
    page.get_by_role("link", name="Rex Top's scorecard and coaching history").click()
    expect(page.locator("#history")).to_contain_text(
        "then 0% (2026-Q4) → now 0%")
    expect(page.locator("#history")).to_contain_text("not moved")
    expect(page.get_by_role("button", name="Put on the next review's agenda")).to_have_count(0)
    picture(page, "scorecard-as-rep", screen)
    # the one refusal (the empty observation) is answered 400, which the console reports
    assert [error for error in errors if "status of 400" not in error] == []
    assert violations(page) == []
