"""What every browser test does first."""

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def log_in(page: Page, live_server, username: str) -> None:  # noqa: ANN001
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Accounts")).to_be_visible()
