"""An opportunity's page in Debian's Chromium, on a laptop and on a 390 px phone: the rep
adds a product of the catalogue, sees the line and the total in the deal's currency, and
the close date's moves. With ``HEEDFUL_SCREENSHOTS=DIR`` each page is saved as a picture."""

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from heedful.sales import services
from tests.browser import log_in
from tests.factories import OpportunityFactory, ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(SCREENS))
def screen(request, page: Page) -> str:  # noqa: ANN001
    page.set_viewport_size(SCREENS[request.param])
    return request.param


def test_a_rep_adds_a_product_to_their_deal(people, live_server, page: Page, screen) -> None:  # noqa: ANN001
    # given
    OpportunityFactory(
        external_id="OPP-1", account=people.ours, owner=people.rep, name="Contact-centre refresh",
        stage="propose", amount=Decimal("60000.00"), currency="EUR",
        created_on=date(2026, 9, 1), close_date=date(2026, 12, 15),
        competitor="Northwind Voice", next_step="Pricing call with procurement",
    )
    ProductFactory(sku="HS-100", name="Desk handset")
    ProductFactory(sku="LIC-CC", name="Contact-centre licence, per seat per year")
    services.update(user=people.rep, external_id="OPP-1", changes={"close_date": "2027-01-31"})
    log_in(page, live_server, "rep", landing="/sales/opportunities/OPP-1/")
    # when
    page.goto(f"{live_server.url}/sales/opportunities/OPP-1/")
    page.get_by_label("Product", exact=True).select_option("LIC-CC")
    page.get_by_label("Quantity").fill("120")
    page.get_by_label("Unit price (EUR)").fill("410.00")
    page.get_by_role("button", name="Add the product").click()
    page.get_by_label("Product", exact=True).select_option("HS-100")
    page.get_by_label("Quantity").fill("0")
    page.get_by_label("Unit price (EUR)").fill("95.00")
    page.get_by_role("button", name="Add the product").click()
    # then
    expect(page.get_by_role("alert")).to_contain_text("not saved")
    products = page.locator("#products table")
    expect(products).to_contain_text("Contact-centre licence, per seat per year")
    expect(products).to_contain_text("€49,200.00")
    expect(page.locator("#close-dates")).to_contain_text("pushed out")
    expect(page.locator("#close-dates")).to_contain_text(people.rep.display_name)
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    folder = os.environ.get("HEEDFUL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/opportunity-{screen}.png", full_page=True)
