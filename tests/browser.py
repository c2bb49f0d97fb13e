"""What every browser test does first."""

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def log_in(page: Page, live_server, username: str, *, landing: str = "/accounts/") -> None:  # noqa: ANN001
    """Log in and land on ``landing`` (the accounts list, where most tests start); with
    ``landing=""`` the user lands where their role does (Today for a rep, the team view for
    a manager)."""
    page.goto(f"{live_server.url}/login/" + (f"?next={landing}" if landing else ""))
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if landing == "/accounts/":
        expect(page.get_by_role("heading", name="Accounts")).to_be_visible()
    else:
        expect(page).not_to_have_url(f"{live_server.url}/login/")
