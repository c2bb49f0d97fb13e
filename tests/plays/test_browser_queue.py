"""A rep works through their attention queue in Debian's Chromium."""

import os
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from heedful.plays.engine import scan
from heedful.plays.models import Play, PlayAction, PlayEvent, PlayStatus
from tests.browser import log_in
from tests.conftest import AS_OF
from tests.factories import AccountFactory, TicketFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue(people):  # noqa: ANN001, ANN201
    """An urgent play raised by a scan (a severity-1 ticket) and two quieter ones."""
    TicketFactory(account=people.ours, external_id="TCK-1", severity=1, subject="Phones down",
                  opened_at=datetime(2026, 11, 21, 8, 30, tzinfo=UTC))
    scan(as_of=AS_OF, rules=["support.ticket_opened"])
    acme = AccountFactory(external_id="ACC-ACME", name="Acme Freight", owner=people.rep)
    for account, subject, title, priority in [
        (acme, "contract:CTR-1", "Maintenance ends in 40 days", 65),
        (people.ours, "invoice:INV-9", "Bill up 212% on INV-9", 55),
    ]:
        Play.objects.create(
            rule="contracts.renewal_due" if subject.startswith("contract") else "billing.spike",
            account=account, subject=subject, owner=people.rep, priority=priority,
            title=title, explanation=f"{title}: the numbers.", facts={"days_left": 40},
            suggested_action="Call the owner of the budget.",
        )
    return {play.title: play for play in Play.objects.all()}


def test_rep_works_through_the_attention_queue_in_place(
    page: Page, live_server, people, queue  # noqa: ANN001
) -> None:
    # given
    urgent = Play.objects.get(rule="support.ticket_opened")
    renewal = queue["Maintenance ends in 40 days"]
    spike = queue["Bill up 212% on INV-9"]
    log_in(page, live_server, "rep")
    # when: open the queue from the top bar
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Attention").click()
    # then: the urgent play comes first, explained
    expect(page.get_by_role("heading", name="My attention queue")).to_be_visible()
    first = page.locator("#play-list article").first
    expect(first).to_have_id(f"play-{urgent.pk}")
    expect(first.get_by_text("Urgent", exact=True)).to_be_visible()
    expect(first).to_contain_text('Severity-1 ticket TCK-1 "Phones down" was opened on 21 Nov 2026')
    expect(first).to_contain_text("Ours Telecom")
    if os.environ.get("HEEDFUL_QUEUE_SCREENSHOT"):
        page.screenshot(path=os.environ["HEEDFUL_QUEUE_SCREENSHOT"], full_page=True)
    page.evaluate("window.stillTheSamePage = true")

    # when: snooze the renewal with the default date (a week ahead)
    row = page.locator(f"#play-{renewal.pk}")
    row.get_by_role("button", name="Snooze").click()
    # then: the row changes in place
    expect(row).to_contain_text("Snoozed")
    expect(row.get_by_role("button", name="Undo")).to_be_visible()

    # when: dismiss the spike, first forgetting the reason
    row = page.locator(f"#play-{spike.pk}")
    row.get_by_role("button", name="Dismiss").click()
    expect(row.locator(".field-error")).to_have_text("Say why it is not worth doing.")
    if os.environ.get("HEEDFUL_QUEUE_SCREENSHOT"):
        page.screenshot(path=os.environ["HEEDFUL_QUEUE_SCREENSHOT"].replace(".png", "-2.png"),
                        full_page=True)
    row.get_by_label("Reason").fill("Usage was agreed with them in advance.")
    row.get_by_role("button", name="Dismiss").click()
    expect(row).to_contain_text("Dismissed")
    expect(row).to_contain_text("Usage was agreed with them in advance.")

    # when: mark the urgent play done
    row = page.locator(f"#play-{urgent.pk}")
    row.get_by_label("Outcome").fill("Called Rich; engineer on site by noon.")
    row.get_by_role("button", name="Done").click()
    expect(row).to_contain_text("Called Rich; engineer on site by noon.")

    # then: no full reload happened, and every change was recorded with the rep
    assert page.evaluate("window.stillTheSamePage") is True
    statuses = dict(Play.objects.values_list("pk", "status"))
    assert statuses == {
        urgent.pk: PlayStatus.DONE, renewal.pk: PlayStatus.SNOOZED,
        spike.pk: PlayStatus.DISMISSED,
    }
    assert set(
        PlayEvent.objects.filter(user=people.rep).values_list("play_id", "action")
    ) == {
        (urgent.pk, PlayAction.DONE), (renewal.pk, PlayAction.SNOOZED),
        (spike.pk, PlayAction.DISMISSED),
    }
    # and a fresh load shows an empty queue
    page.reload()
    expect(page.get_by_text("Nothing needs your attention right now.")).to_be_visible()


def test_filtering_the_queue_by_account_updates_it_in_place(
    page: Page, live_server, people, queue  # noqa: ANN001
) -> None:
    # given
    log_in(page, live_server, "rep")
    page.goto(f"{live_server.url}/plays/")
    expect(page.locator("#play-list article")).to_have_count(3)
    # when
    page.get_by_label("Account", exact=True).fill("acme")
    # then
    expect(page.locator("#play-list article")).to_have_count(1)
    expect(page.locator("#play-list")).to_contain_text("Maintenance ends in 40 days")
    assert "account=acme" in page.url
    # when
    page.get_by_label("Rule").select_option("billing.spike")
    expect(page.locator("#play-list article")).to_have_count(0)


def test_plays_on_the_account_360_act_in_place(
    page: Page, live_server, people, queue  # noqa: ANN001
) -> None:
    # given
    spike = queue["Bill up 212% on INV-9"]
    log_in(page, live_server, "rep")
    page.goto(f"{live_server.url}/accounts/ACC-OURS/")
    section = page.locator("#plays")
    expect(section.get_by_role("heading", name="Plays")).to_be_visible()
    expect(section.locator("article")).to_have_count(2)
    # when: the play's line opens in place to its card
    row = section.locator(f"#play-{spike.pk}")
    section.locator("summary", has_text=spike.title).click()
    row.get_by_label("Outcome").fill("Explained the usage on the phone.")
    row.get_by_role("button", name="Done").click()
    # then
    expect(row).to_contain_text("Explained the usage on the phone.")
    expect(page.get_by_role("heading", name="Ours Telecom", level=1)).to_be_visible()


def test_queue_fits_a_phone_screen(page: Page, live_server, people, queue) -> None:  # noqa: ANN001
    # given
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "rep")
    # when
    page.goto(f"{live_server.url}/plays/")
    # then
    expect(page.locator("#play-list article")).to_have_count(3)
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
