"""The pipeline page in Debian's Chromium, on a laptop and on a 390 px phone: a manager sees
their rep's deals by rep, sorted, with the stages and what moved. With
``HEEDFUL_SCREENSHOTS=DIR`` each page is saved there as a picture."""

import os
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from heedful.sales.models import Stage, StageChange
from tests.browser import log_in
from tests.factories import OpportunityFactory, QuotaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(SCREENS))
def screen(request, page: Page) -> str:  # noqa: ANN001
    page.set_viewport_size(SCREENS[request.param])
    return request.param


def test_a_manager_reads_the_pipeline_of_their_reps(people, live_server, page: Page, screen) -> None:  # noqa: ANN001, E501
    # given
    Stage.objects.create(name="qualify", order=1, probability=10, norm_days=14)
    Stage.objects.create(name="propose", order=2, probability=50, norm_days=21)
    today = date.today()
    won = OpportunityFactory(account=people.ours, owner=people.rep, name="Voice", stage="won",
                             amount=Decimal("12000.00"), created_on=date(2026, 1, 5),
                             closed_on=date(2026, 2, 4), won=True)
    open_deal = OpportunityFactory(account=people.ours, owner=people.rep, name="Wi-Fi",
                                   stage="propose", amount=Decimal("40000.00"),
                                   created_on=date(2026, 3, 1), close_date=today)
    for opportunity, stage, day in [(won, "qualify", 5), (open_deal, "qualify", 1),
                                    (open_deal, "propose", 2)]:
        StageChange.objects.create(opportunity=opportunity, stage=stage,
                                   changed_at=datetime(2026, 3, day, tzinfo=UTC))
    OpportunityFactory(account=people.theirs, owner=people.other_rep, name="Hidden",
                       amount=Decimal("99999.00"), created_on=date(2026, 3, 1))
    QuotaFactory(user=people.rep, period_start=date(today.year, 1, 1),
                 period_end=date(today.year, 12, 31), amount=Decimal("160000.00"))
    log_in(page, live_server, "manager", landing="/sales/pipeline/")
    # when
    page.goto(f"{live_server.url}/sales/pipeline/")
    # then
    expect(page.get_by_role("heading", name="Pipeline")).to_be_visible()
    table = page.get_by_role("table").first
    expect(table).to_contain_text(people.rep.display_name)
    expect(table).to_contain_text("$40,000.00")
    expect(page.get_by_text("$99,999.00")).to_have_count(0)
    expect(page.get_by_role("table").nth(1)).to_contain_text("50% to Propose")
    page.get_by_role("link", name="Won value").click()
    expect(page.get_by_role("link", name="Won value ▲")).to_be_visible()
    # on a phone too, the tables stay inside the page, each row a card that needs no
    # sideways scrolling; the sorting is still at hand
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert page.evaluate(
        "[...document.querySelectorAll('.table-wrap')]"
        ".every(wrap => wrap.scrollWidth <= wrap.clientWidth)"
    )
    expect(page.get_by_role("link", name="Win rate").first).to_be_visible()
    folder = os.environ.get("HEEDFUL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/pipeline-{screen}.png", full_page=True)
