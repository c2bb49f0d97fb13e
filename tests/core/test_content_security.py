"""A Content-Security-Policy on every response: no inline script runs, the pages and the API
docs work with it, and the docs need no network."""

import pytest
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page, expect

from heedful.plays.models import Play
from tests.browser import log_in

POLICY_PARTS = ("default-src 'self'", "script-src 'self'", "object-src 'none'")
# Added before any page script runs, so it hears every violation a page causes.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def watch_for_violations(page: Page) -> list[str]:
    """Console errors and CSP violations the pages cause, gathered as the test goes."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)
    return errors


def violations(page: Page) -> list[str]:
    return page.evaluate("window.cspViolations")


@pytest.mark.parametrize("path", [
    "/login/", "/accounts/", "/api/v1/docs", "/api/v1/accounts", "/static/heedful/app.css",
    "/no-such-page/",
])
def test_every_response_carries_the_policy(client, people, path: str) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    response = client.get(path)
    # then
    policy = response.headers.get("Content-Security-Policy", "")
    for part in POLICY_PARTS:
        assert part in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_our_templates_hold_no_inline_script(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    pages = [client.get(path).content.decode() for path in (
        reverse("login"), reverse("accounts:list"), reverse("plays:queue"),
        reverse("accounts:detail", args=["ACC-OURS"]),
    )]
    # then: every <script> loads a file, and no element carries an on... handler
    for body in pages:
        assert body.count("<script") == body.count("<script src=")
        assert " onclick=" not in body and " onload=" not in body and " onerror=" not in body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_queue_and_account_360_work_under_the_policy(page: Page, live_server, people) -> None:  # noqa: ANN001
    # given: an open play on the rep's account
    play = Play.objects.create(
        rule="contracts.renewal_due", account=people.ours, subject="contract:CTR-1",
        owner=people.rep, priority=65, title="Maintenance ends in 40 days",
        explanation="Maintenance ends in 40 days.", facts={"days_left": 40},
        suggested_action="Call the owner of the budget.",
    )
    errors = watch_for_violations(page)
    log_in(page, live_server, "rep")
    # when: filter the accounts in place (htmx), open the queue, mark the play done in place
    page.get_by_label("Name, alias or id").fill("ours")
    expect(page.locator("#account-rows tr")).to_have_count(1)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Attention").click()
    page.evaluate("window.stillTheSamePage = true")
    row = page.locator(f"#play-{play.pk}")
    row.get_by_label("Outcome").fill("Renewal call booked.")
    row.get_by_role("button", name="Done").click()
    # then: htmx swapped the row without a page load
    expect(row).to_contain_text("Renewal call booked.")
    assert page.evaluate("window.stillTheSamePage") is True
    assert violations(page) == []
    # when: open the Account 360
    page.goto(f"{live_server.url}{reverse('accounts:detail', args=['ACC-OURS'])}")
    expect(page.get_by_role("heading", name="Ours Telecom", level=1)).to_be_visible()
    # then
    assert violations(page) == []
    assert errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_api_docs_render_offline_under_the_policy(page: Page, live_server) -> None:  # noqa: ANN001
    # given: no network but our own server
    outside: list[str] = []

    def only_our_server(route) -> None:  # noqa: ANN001
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_our_server)
    errors = watch_for_violations(page)
    # when
    page.goto(f"{live_server.url}/api/v1/docs")
    # then: Swagger UI shows the API and its operations
    # Swagger UI lays out a 330 KB description (108 operations): seconds on a busy machine
    expect(page.get_by_role("heading", name="Heedful API")).to_be_visible(timeout=20_000)
    expect(page.locator(".opblock").first).to_be_visible()
    assert outside == []
    assert violations(page) == []
    assert errors == []
