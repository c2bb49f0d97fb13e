"""A rep prepares, annotates and shares a service review in Debian's Chromium, and the
customer's link shows it without a login until it is withdrawn; on a laptop and on a 390 px
phone. With ``HEEDFUL_SCREENSHOTS=DIR`` each page is saved there as a picture."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import log_in
from tests.core.test_content_security import violations, watch_for_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
FCR = "First-call resolution %"


@pytest.fixture(params=list(SCREENS))
def screen(request, page: Page) -> str:  # noqa: ANN001
    page.set_viewport_size(SCREENS[request.param])
    return request.param


def picture(page: Page, name: str, screen: str) -> None:
    folder = os.environ.get("HEEDFUL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"review-{name}-{screen}.png"), full_page=True)


def test_a_rep_prepares_annotates_and_shares_a_review_the_customer_reads_until_withdrawn(
    page: Page, browser: Browser, live_server, mixed, screen: str,  # noqa: ANN001
) -> None:
    errors = watch_for_violations(page)
    # given: the rep opens the account's reviews and asks for Q3
    log_in(page, live_server, "rep", landing="/accounts/ACC-OURS/")
    page.get_by_role("link", name="Service reviews").click()
    expect(page.get_by_role("heading", name="Service reviews of Evergreen Property Management")
           ).to_be_visible()
    page.get_by_label("Period", exact=False).fill("2026-Q3")
    page.get_by_role("button", name="Open the review").click()
    expect(page.locator("#metrics-title")).to_be_visible()
    picture(page, "records", screen)
    # when: prepared and annotated
    page.get_by_role("button", name="Prepare this review").click()
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()
    page.get_by_label(f"What happened ({FCR})").fill("Volume ran 35-40% above the contract.")
    page.get_by_label(f"What we are doing about it ({FCR})").fill("Two more agents from October.")
    page.get_by_role("button", name=f"Save the commentary on {FCR}").click()
    expect(page.get_by_label(f"What happened ({FCR})")).to_have_value(
        "Volume ran 35-40% above the contract.")
    page.locator("#new-topic-title").fill("Scope for 5,500 tickets a month")
    page.locator("#new-topic-kind").select_option(label="Scope change")
    page.locator("#new-topic-text").fill("Contract the volume you use.")
    page.get_by_role("button", name="Add the topic").click()
    expect(page.locator("#topics")).to_contain_text("Still open")
    picture(page, "draft", screen)
    # and sent with a link for the customer
    page.get_by_role("button", name="Send to the customer and make their link").click()
    link = page.locator("#new-link").input_value()
    assert "/shared/reviews/" in link
    picture(page, "sent", screen)
    # then: the customer reads it without a login, the data first, our words with it
    customer = browser.new_page(viewport=SCREENS[screen])
    customer.goto(link)
    expect(customer.get_by_role("heading", name="Evergreen Property Management")).to_be_visible()
    expect(customer.locator("#metrics")).to_contain_text("Volume ran 35-40% above the contract.")
    expect(customer.locator("#metrics")).to_contain_text("Missed in 2 of 3 months")
    expect(customer.locator("#topics")).to_contain_text("Scope for 5,500 tickets a month")
    expect(customer.get_by_role("button")).to_have_count(0)
    picture(customer, "customer", screen)
    # and once withdrawn, the link shows nothing
    page.get_by_role("button", name="Withdraw this link").click()
    expect(page.locator(".review-links")).to_contain_text("withdrawn")
    customer.reload()
    expect(customer.get_by_role("heading", name="This page is not available")).to_be_visible()
    assert errors == [] and violations(page) == []
