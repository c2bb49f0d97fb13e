"""A rep reads the demo's plays in Debian's Chromium, on a desktop and on a 390 px phone:
the facts read as words (money with its currency, people and records by name with a link,
dates as "22 Nov 2026", choices by their label), and nothing spills off a phone's screen."""

import os
import re

import pytest
from playwright.sync_api import Page, expect

from heedful.core.models import User
from heedful.demo import company
from heedful.plays.engine import scan
from heedful.plays.models import Play, PlayStatus
from tests.browser import log_in
from tests.conftest import AS_OF
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}(?:-\d{2})?(?![\w-])")


@pytest.fixture
def demo() -> dict[str, Play]:
    """The demo company, scanned; the rep and the admin log in with the test password."""
    company.build_demo(as_of=AS_OF, seed=11)
    scan(as_of=AS_OF)
    for user in User.objects.filter(username__in=["rep", "admin"]):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    stories = {story.number: story for story in company.STORIES}
    return {
        rule: Play.objects.get(
            rule=rule, status=PlayStatus.OPEN,
            account__external_id=stories[number].account_external_id,
        )
        for number, rule in [
            (1, "billing.spike"), (5, "contracts.bad_news_first"),
            (6, "orders.shipped_followup"),
        ]
    }


def screenshot(page: Page, name: str, *, full_page: bool = True, of: str = "") -> None:
    """With ``HEEDFUL_WORDS_SCREENSHOTS`` set, the page (or the element ``of``) as a PNG in
    that folder, for a person to look at."""
    folder = os.environ.get("HEEDFUL_WORDS_SCREENSHOTS")
    if not folder:
        return
    path = os.path.join(folder, f"words-{name}.png")
    if of:
        page.locator(of).screenshot(path=path)
    else:
        page.screenshot(path=path, full_page=full_page)


def fact(page: Page, play: Play, key: str):  # noqa: ANN201
    return page.locator(f"#play-{play.pk} [data-fact={key}] dd")


def assert_no_data_shown(page: Page, play: Play) -> None:
    text = page.locator(f"#play-{play.pk}").inner_text()
    assert "{" not in text and "}" not in text
    assert not ISO_DATE.search(text), text
    assert ".0000" not in text
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text


def assert_fits_the_screen(page: Page, width: int) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"the page is {overflow} px wide on a {width} px screen"


@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
def test_rep_reads_play_facts_as_words(
    page: Page, live_server, demo, screen: str  # noqa: ANN001
) -> None:
    width, height = VIEWPORTS[screen]
    page.set_viewport_size({"width": width, "height": height})
    spike, bad_news, order = (
        demo["billing.spike"], demo["contracts.bad_news_first"], demo["orders.shipped_followup"]
    )
    log_in(page, live_server, "rep")

    # when: the rep opens the bill spike of story 1
    page.goto(f"{live_server.url}/plays/{spike.pk}/")
    # then: money with its currency, the contract by its name, the month as words
    expect(fact(page, spike, "amount")).to_have_text("$7,800.00")
    expect(fact(page, spike, "median_previous")).to_have_text("$2,500.00")
    expect(fact(page, spike, "period_start")).to_have_text("1 Oct 2026")
    expect(fact(page, spike, "contract")).to_have_text("Managed voice & SIP trunking")
    expect(page.locator(f"#play-{spike.pk} [data-fact=previous_amounts] li")).to_have_count(3)
    assert_no_data_shown(page, spike)
    assert_fits_the_screen(page, width)
    screenshot(page, f"play-spike-{screen}")
    # when: they follow the contract's link
    fact(page, spike, "contract").get_by_role("link").click()
    # then: the Account 360 opens at its contracts
    expect(page).to_have_url(re.compile(r"/accounts/ACC-\d+/#contracts$"))

    # when: the Account 360 of story 5 shows the bad news to deliver
    page.goto(f"{live_server.url}/accounts/{bad_news.account.external_id}/")
    # then: the kind of change by its label, dates in words
    expect(fact(page, bad_news, "kind")).to_have_text("Price increase")
    expect(fact(page, bad_news, "effective_on")).to_contain_text(" 2027")
    assert_no_data_shown(page, bad_news)
    assert_fits_the_screen(page, width)
    screenshot(page, f"account360-plays-{screen}", of=f"#play-{bad_news.pk}")

    # when: the queue shows the shipped order of story 6
    page.goto(f"{live_server.url}/plays/?rule=orders.shipped_followup")
    # then: the order by what it is, not its id
    row = page.locator(f"#play-{order.pk}")
    expect(row.get_by_role("heading")).to_have_text(
        "Follow up the order of SD-WAN rollout: 120 branch edge appliances"
    )
    expect(fact(page, order, "amount")).to_have_text("$184,500.00")
    expect(fact(page, order, "order").get_by_role("link")).to_have_text(
        "SD-WAN rollout: 120 branch edge appliances"
    )
    assert_no_data_shown(page, order)
    assert_fits_the_screen(page, width)
    screenshot(page, f"queue-{screen}", full_page=False)


@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
def test_admin_reads_thresholds_in_words(
    page: Page, live_server, demo, screen: str  # noqa: ANN001
) -> None:
    width, height = VIEWPORTS[screen]
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server, "admin")
    # when
    page.goto(f"{live_server.url}/plays/settings/")
    # then
    spike = page.locator("#rule-billing-spike")
    label = "Flag a bill that differs from the usual by more than (%)"
    expect(spike.get_by_label(label)).to_have_value("50")
    expect(spike).to_contain_text("Default 50")
    text = page.locator("main").inner_text()
    assert "change_percent" not in text and "billing.spike" not in text
    assert_fits_the_screen(page, width)
    screenshot(page, f"rule-settings-{screen}", full_page=False)
