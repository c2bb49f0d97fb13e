"""The Account 360 of every demo story, in Debian's Chromium, on a laptop (1366x900) and on a
phone (390x844): what a person checks on the first screen without scrolling (the owner, the
open plays by title, the next renewal as a date, the open tickets, the SLA, the bill trend)
and, on the phone, that nothing runs off the side of the screen.

Set HEEDFUL_A360_SCREENS to a folder to keep a screenshot of each first screen there."""

import os
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from heedful.accounts.models import Account
from heedful.demo import company
from heedful.demo.vocabulary import DEMO_PASSWORD
from heedful.plays.engine import scan
from heedful.plays.models import Play, PlayStatus
from heedful.support.models import OPEN_TICKET_STATUSES
from tests.conftest import AS_OF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
STORIES = [story for story in company.STORIES if story.account_external_id]
SCREENS = os.environ.get("HEEDFUL_A360_SCREENS")


@pytest.fixture
def demo() -> None:
    """The demo company as of the pinned today, scanned, committed for the live server."""
    company.build_demo(as_of=AS_OF)
    scan(as_of=AS_OF)


def log_in(page: Page, live_server, username: str) -> None:  # noqa: ANN001
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def next_end(account: Account) -> date | None:
    """The nearest contract or maintenance end on or after today, read here on its own."""
    ends = [c.end_date for c in account.contracts.all() if c.end_date >= AS_OF]
    ends += [h.maintenance_end for h in account.holdings.all()
             if h.maintenance_end is not None and h.maintenance_end >= AS_OF]
    return min(ends, default=None)


def is_on_first_screen(locator: Locator, height: int) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def has_no_horizontal_overflow(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def sla_misses_and_scope_overrun(page: Page) -> None:
    """Story 8: the first screen says the SLA was missed; the section charts each metric."""
    expect(page.locator("#sla-status")).to_contain_text("targets missed in Oct 2026")
    service = page.locator("#service")
    expect(service.locator("figure.metric-trend")).to_have_count(3)
    expect(service.locator("figure.scope-trend.scope-overrun")).to_have_count(2)
    expect(service.locator("table")).to_have_count(0)


def two_contracts_two_series(page: Page) -> None:
    """Story 5: a monthly and a quarterly contract, each its own bill chart."""
    charts = page.get_by_role("img", name=re.compile("^Invoiced per period"))
    expect(charts).to_have_count(2)
    expect(charts.nth(0)).to_contain_text("Nov 2025")
    expect(charts.nth(1)).to_contain_text("Jan–Mar 2026")


def bill_tripled(page: Page) -> None:
    """Story 1: the latest bill and its chart bar stand out."""
    expect(page.locator(".a360-latest-bill")).to_contain_text("$7,800.00")
    expect(page.locator(".a360-latest-bill")).to_contain_text("3.12× contracted")


def phones_cut_off(page: Page) -> None:
    """Story 4: a severity-1 ticket is open."""
    expect(page.locator("#open-tickets .badge-danger")).to_have_text("severity 1")


STORY_CHECKS = {
    1: bill_tripled, 4: phones_cut_off, 5: two_contracts_two_series,
    8: sla_misses_and_scope_overrun,
}


def check_first_screen(page: Page, live_server, *, viewport: dict, name: str) -> None:  # noqa: ANN001
    page.set_viewport_size(viewport)
    height = viewport["height"]
    for username in dict.fromkeys(story.username for story in STORIES):
        log_in(page, live_server, username)
        for story in (s for s in STORIES if s.username == username):
            account = Account.objects.select_related("owner").get(
                external_id=story.account_external_id
            )
            page.goto(f"{live_server.url}/accounts/{account.external_id}/")
            expect(page.get_by_role("heading", name=account.name, level=1)).to_be_visible()
            if SCREENS:
                page.screenshot(path=str(Path(SCREENS) / f"a360-{account.external_id}-{name}.png"))
            what = f"story {story.number} ({account.external_id}) on the {name}"
            # the owner
            owner = page.locator(".a360-owner")
            expect(owner).to_have_text(f"Owner {account.owner.display_name}")
            assert is_on_first_screen(owner, height), what
            # the next renewal, as a date
            renewal = page.locator("#next-renewal")
            ends_on = next_end(account)
            expect(renewal).to_contain_text(day(ends_on) if ends_on else "No contract")
            assert is_on_first_screen(renewal, height), what
            # the open tickets
            open_tickets = account.tickets.filter(status__in=OPEN_TICKET_STATUSES)
            tickets = page.locator("#open-tickets")
            expect(tickets).to_contain_text(f"{open_tickets.count()} open")
            if open_tickets.filter(severity=1).exists():
                expect(tickets).to_contain_text("severity 1")
            assert is_on_first_screen(tickets, height), what
            assert is_on_first_screen(page.locator("#sla-status"), height), what
            assert is_on_first_screen(page.locator("#last-contact"), height), what
            # the open plays, one line each, by title
            titles = list(
                Play.objects.filter(account=account, status=PlayStatus.OPEN)
                .order_by("-priority", "-urgent", "created_at", "id")
                .values_list("title", flat=True)
            )
            lines = page.locator("#plays .play-line-title")
            expect(lines).to_have_text(titles)
            if viewport is DESKTOP:
                for index in range(len(titles)):
                    assert is_on_first_screen(lines.nth(index), height), f"{what}: play {index}"
                # the bill trend
                if account.invoices.exists():
                    chart = page.get_by_role("img", name=re.compile("^Invoiced per period"))
                    assert is_on_first_screen(chart.first, height + 200), what
            elif titles:
                assert is_on_first_screen(lines.first, height + 400), what
            if viewport is DESKTOP:
                STORY_CHECKS.get(story.number, lambda page: None)(page)
            assert has_no_horizontal_overflow(page), what
            # no e-mail address or table runs out of its card
            assert page.evaluate(
                "[...document.querySelectorAll('.account360 .card')].every("
                "card => card.scrollWidth <= card.clientWidth + 1)"
            ), what


def test_every_story_s_first_screen_on_a_laptop(page: Page, live_server, demo) -> None:  # noqa: ANN001
    check_first_screen(page, live_server, viewport=DESKTOP, name="desktop")


def test_every_story_s_first_screen_on_a_phone(page: Page, live_server, demo) -> None:  # noqa: ANN001
    check_first_screen(page, live_server, viewport=PHONE, name="phone")


def test_a_play_line_opens_in_place_and_the_interactions_page_in_place(
    page: Page, live_server, demo  # noqa: ANN001
) -> None:
    # given
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "rep")
    page.goto(f"{live_server.url}/accounts/ACC-10001/")
    play = Play.objects.get(account__external_id="ACC-10001", rule="billing.spike",
                            status=PlayStatus.OPEN)
    card = page.locator(f"#play-{play.pk}")
    expect(card).to_be_hidden()
    # when: the line opens
    page.locator("#plays summary", has_text=play.title).locator(".play-line-age").click()
    # then: its card, with the suggested step and the buttons
    expect(card).to_be_visible()
    expect(card.get_by_role("button", name="Done")).to_be_visible()
    # when: the title is followed
    page.locator("#plays").get_by_role("link", name=play.title, exact=True).first.click()
    # then
    expect(page).to_have_url(re.compile(rf"/plays/{play.pk}/$"))
    # when: on another account, the interactions page and sort in place
    page.goto(f"{live_server.url}/accounts/ACC-10008/")
    section = page.locator("#interactions")
    expect(section).to_contain_text("page 1 of 3")
    first_row = section.locator("tbody tr").first.inner_text()
    # when
    section.get_by_role("link", name="Next →").click()
    # then: the section changed in place, the address says where
    expect(section).to_contain_text("page 2 of 3")
    assert "interactions_page=2" in page.url
    expect(section.locator("tbody tr")).to_have_count(10)
    assert section.locator("tbody tr").first.inner_text() != first_row
    expect(page.get_by_role("heading", name="Evergreen Property Management")).to_be_visible()
    # when
    section.get_by_role("link", name="Oldest first").click()
    # then
    expect(section).to_contain_text("page 1 of 3")
    expect(section.get_by_role("link", name="Oldest first")).to_have_attribute(
        "aria-current", "true"
    )
    assert "interactions_sort=oldest" in page.url and "interactions_page" not in page.url
