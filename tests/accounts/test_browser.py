"""What a person does in the pages, in Debian's Chromium."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-account-360.png"


def has_no_horizontal_overflow(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_rep_typing_another_teams_url_gets_not_found(page: Page, live_server, people) -> None:  # noqa: ANN001
    # given
    log_in(page, live_server, "rep")
    # when
    response = page.goto(f"{live_server.url}/accounts/ACC-THEIRS/")
    # then
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    assert "Theirs Utilities" not in page.content()


def test_logging_out_returns_to_the_login_page(page: Page, live_server, people) -> None:  # noqa: ANN001
    # given
    log_in(page, live_server, "rep")
    # when
    page.get_by_role("button", name="Log out").click()
    # then
    expect(page.get_by_role("heading", name="Log in to Heedful")).to_be_visible()
    page.goto(f"{live_server.url}/accounts/")
    expect(page.get_by_role("heading", name="Log in to Heedful")).to_be_visible()


def test_account_360_fits_a_laptop_screen(page: Page, live_server, ours) -> None:  # noqa: ANN001
    # given
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "rep")
    # when
    page.goto(f"{live_server.url}/accounts/ACC-OURS/")
    # then
    assert has_no_horizontal_overflow(page)
    if os.environ.get("HEEDFUL_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))
    if os.environ.get("HEEDFUL_FULL_SCREENSHOT"):
        page.screenshot(path=os.environ["HEEDFUL_FULL_SCREENSHOT"], full_page=True)
