"""What a person does in the account list and customer search, in Debian's Chromium."""

import os
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from heedful.billing.models import ExchangeRate
from heedful.plays.models import Play
from tests.browser import log_in
from tests.factories import AccountFactory, ContractFactory, InteractionFactory, InvoiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def rows(page: Page) -> list[str]:
    return page.locator("#account-rows td:first-child strong").all_inner_texts()


def has_no_horizontal_overflow(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_rep_logs_in_filters_sorts_and_opens_an_account(page: Page, live_server, ours) -> None:  # noqa: ANN001
    # given
    log_in(page, live_server, "rep")
    expect(page.locator("#account-rows tr")).to_have_count(3)
    assert "Theirs Utilities" not in page.content()
    # when: sort by name, descending, then filter by text
    page.get_by_role("link", name="Account", exact=True).click()
    expect(page.locator("th.col-name")).to_have_attribute("aria-sort", "descending")
    assert rows(page) == ["Ours Telecom", "Birch Bank", "Acme Freight"]
    assert "sort=-name" in page.url
    expect(page.get_by_label("Sort by")).to_have_value("-name")
    page.get_by_label("Name, alias or id").fill("bank")
    expect(page.locator("#account-rows tr")).to_have_count(1)
    assert "q=bank" in page.url and "sort=-name" in page.url
    page.get_by_label("Name, alias or id").fill("")
    page.get_by_label("Status").select_option("customer")
    expect(page.locator("#account-rows tr")).to_have_count(2)
    # when: open the Account 360
    page.get_by_role("link", name="Ours Telecom").click()
    # then
    expect(page.get_by_role("heading", name="Ours Telecom", level=1)).to_be_visible()
    for section in (
        "Account team", "Contacts", "Products owned", "Contracts", "Invoices",
        "Support tickets", "Orders", "Interactions", "Opportunities", "Business news",
    ):
        expect(page.get_by_role("heading", name=section, exact=True)).to_be_visible()
    expect(page.get_by_text("Prefers e-mail — do not phone")).to_be_visible()
    expect(page.get_by_role("img", name="Invoiced per period").first).to_be_visible()
    expect(page.locator("tr.severity-1")).to_contain_text("Phones are down")


def test_search_box_finds_a_misspelled_account(page: Page, live_server, ours) -> None:  # noqa: ANN001
    # given
    log_in(page, live_server, "rep")
    # when
    page.get_by_label("Find a customer").fill("Ourz Telecon")
    page.get_by_label("Find a customer").press("Enter")
    # then
    expect(page.locator("#search-results")).to_contain_text("Ours Telecom")
    # when: typing on the search page updates the results in place
    page.locator("#search-q").fill("Acme Fraight")
    expect(page.locator("#search-results")).to_contain_text("Acme Freight")
    assert "q=Acme%20Fraight" in page.url
    page.locator("#search-q").fill("Ourz Telecon")
    page.locator("#search-results").get_by_role("link", name="Ours Telecom").click()
    expect(page.get_by_role("heading", name="Ours Telecom", level=1)).to_be_visible()


def test_pages_fit_a_phone_screen(page: Page, live_server, ours) -> None:  # noqa: ANN001
    # given
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "rep")
    # then
    assert has_no_horizontal_overflow(page)
    page.get_by_label("Sort by").select_option("-name")
    expect(page.locator("#account-rows tr").first).to_contain_text("Ours Telecom")
    page.goto(f"{live_server.url}/accounts/ACC-OURS/")
    expect(page.get_by_text("Prefers e-mail — do not phone")).to_be_visible()
    assert has_no_horizontal_overflow(page)
    page.goto(f"{live_server.url}/accounts/search/?q=ours")
    assert has_no_horizontal_overflow(page)


@pytest.fixture
def book(people):  # noqa: ANN001, ANN201
    """Ours: an urgent play and a routine one, a call, a contract ending, a bill in yen (with a
    rate); Zurich: a bill in francs (no rate)."""
    for urgent in (True, False):
        Play.objects.create(
            account=people.ours, rule="x.y", subject=f"s{urgent}", owner=people.rep, priority=50,
            urgent=urgent, title="Do it", explanation="Why.", suggested_action="Act.",
        )
    InteractionFactory(
        account=people.ours, kind="call", direction="two_way",
        occurred_at=datetime(2026, 10, 5, 9, 0, tzinfo=UTC),
    )
    ContractFactory(account=people.ours, start_date=date(2025, 4, 1), end_date=date(2027, 3, 31))
    InvoiceFactory(account=people.ours, amount=Decimal("10593600.00"), currency="JPY")
    ExchangeRate.objects.create(currency="JPY", rate=Decimal("0.0067"))
    zurich = AccountFactory(name="Zurich Zinc", owner=people.rep)
    InvoiceFactory(account=zurich, amount=Decimal("9000000.00"), currency="CHF")
    return people.ours


@pytest.mark.parametrize(("width", "height", "name"), [(1366, 900, "desktop"), (390, 844, "phone")])
def test_list_shows_plays_contact_renewal_and_money_formatted(
    page: Page, live_server, book, width: int, height: int, name: str  # noqa: ANN001
) -> None:
    # given
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server, "rep")
    # when
    page.get_by_label("Sort by").select_option("-latest_invoice")
    expect(page.locator("#account-rows tr").first).to_contain_text("Ours Telecom")
    # then: each value under its label, as a person reads it
    row = page.locator("#account-rows tr").first
    expect(row.locator('[data-label="Open plays"]')).to_have_text("2 1 urgent")
    expect(row.locator('[data-label="Last two-way contact"]')).to_have_text("5 Oct 2026")
    expect(row.locator('[data-label="Next renewal"]')).to_have_text("31 Mar 2027")
    invoice = row.locator('[data-label="Latest invoice"]')
    expect(invoice).to_contain_text(re.compile(r"(¥|JPY)\s?10,593,600"))
    expect(invoice).to_contain_text("≈ $70,977.12")
    rows_text = page.locator("#account-rows").inner_text()
    assert "10593600" not in rows_text and "2026-" not in rows_text
    expect(page.locator("#account-rows tr").last).to_contain_text("no rate to USD")
    expect(page.locator("#missing-rates")).to_contain_text("Invoices in CHF have no exchange rate")
    assert has_no_horizontal_overflow(page)
    if name == "desktop":
        for header in ("Open plays", "Last two-way contact", "Next renewal", "Latest invoice"):
            expect(page.get_by_role("columnheader", name=header)).to_be_visible()
    screens = os.environ.get("HEEDFUL_SCREENS")
    if screens:
        page.screenshot(path=f"{screens}/book-list-{name}.png", full_page=True)


@pytest.mark.parametrize(("width", "height", "name"), [(1366, 900, "desktop"), (390, 844, "phone")])
def test_search_says_how_well_it_matched_and_when_nothing_is_close(
    page: Page, live_server, ours, width: int, height: int, name: str  # noqa: ANN001
) -> None:
    # given
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server, "rep")
    # when
    page.goto(f"{live_server.url}/accounts/search/?q=Ourz%20Telecon")
    # then
    results = page.locator("#search-results")
    expect(results).to_contain_text("Ours Telecom")
    expect(results).to_contain_text("Close match on the name")
    assert has_no_horizontal_overflow(page)
    screens = os.environ.get("HEEDFUL_SCREENS")
    if screens:
        page.screenshot(path=f"{screens}/book-search-{name}.png", full_page=True)
    # when: typing something that matches nothing well
    page.locator("#search-q").fill("xyzzy nothing")
    # then
    expect(page.locator("#no-close-match")).to_contain_text("No close match for “xyzzy nothing”")
    if screens:
        page.screenshot(path=f"{screens}/book-search-no-close-match-{name}.png", full_page=True)
