"""A rep's morning on Today and a manager's look at the team, in Debian's Chromium, on a laptop
and on a 390 px phone."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from heedful.plays.engine import scan
from heedful.plays.models import Play, PlayAction, PlayEvent, PlayStatus
from tests.browser import log_in
from tests.conftest import AS_OF
from tests.core.test_content_security import violations, watch_for_violations
from tests.factories import AccountFactory, ContactFactory, TicketFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(SCREENS))
def screen(request, page: Page) -> str:  # noqa: ANN001
    page.set_viewport_size(SCREENS[request.param])
    return request.param


@pytest.fixture
def morning(people):  # noqa: ANN001, ANN201
    """The rep's morning: a severity-1 ticket raised by a scan (reported by Dolores, who
    prefers the phone) and four quieter plays on two accounts."""
    dolores = ContactFactory(account=people.ours, full_name="Dolores Nuñez",
                             preferred_name="Lola", phone="+1 617 363 3437",
                             preferred_channel="phone", title="Telecom Manager")
    TicketFactory(account=people.ours, external_id="TCK-1", severity=1, subject="Phones down",
                  contact=dolores, opened_at=datetime(2026, 11, 21, 8, 30, tzinfo=UTC))
    scan(as_of=AS_OF, rules=["support.ticket_opened"])
    acme = AccountFactory(external_id="ACC-ACME", name="Acme Freight", owner=people.rep)
    for account, rule, subject, title, priority in [
        (people.ours, "billing.spike", "invoice:INV-9", "October bill 212% above usual", 90),
        (acme, "contracts.renewal_due", "contract:CTR-1", "Maintenance ends in 40 days", 70),
        (acme, "team.site_never_visited", "owner:rep", "Visit Acme Freight: never been", 60),
        (people.ours, "catalog.whitespace", "family:Voice", "They may not know we offer Voice", 30),
    ]:
        Play.objects.create(
            rule=rule, account=account, subject=subject, owner=people.rep, priority=priority,
            title=title, explanation=f"{title}: the numbers.", facts={"days_left": 40},
            suggested_action="Call the owner of the budget.",
        )
    return {play.title: play for play in Play.objects.all()}


def open_count(page: Page) -> str:
    return page.locator('#today-counts [data-count="open"] strong').inner_text()


def test_a_reps_morning_on_today(page: Page, live_server, people, morning, screen: str) -> None:  # noqa: ANN001
    # given
    errors = watch_for_violations(page)
    urgent = Play.objects.get(rule="support.ticket_opened")
    spike = morning["October bill 212% above usual"]
    renewal = morning["Maintenance ends in 40 days"]
    # when: the rep logs in
    log_in(page, live_server, "rep", landing="")
    # then: they land on Today, the urgent play first, each play one line
    expect(page).to_have_url(f"{live_server.url}/today/")
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    assert open_count(page) == "5"
    first = page.locator(".today-line").first
    expect(first).to_have_id(f"line-{urgent.pk}")
    expect(first).to_contain_text("Severity-1 ticket opened")
    expect(first).to_contain_text("Ours Telecom")
    line_height = page.locator(f"#line-{spike.pk}").bounding_box()["height"]
    assert line_height < (70 if screen == "phone" else 45), line_height
    page.evaluate("window.stillTheSamePage = true")

    # when: they open the urgent play in place
    first.get_by_role("link").first.click()
    # then: why, the facts and whom to call, with a link that dials
    panel = page.locator(f"#panel-{urgent.pk}")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text('Severity-1 ticket TCK-1 "Phones down" was opened on 21 Nov 2026')
    expect(panel.get_by_role("heading", name="Whom to reach")).to_be_visible()
    expect(panel).to_contain_text("Dolores Nuñez")
    expect(panel).to_contain_text("Prefers phone")
    call = panel.locator('a[href^="tel:"]')
    expect(call).to_have_attribute("href", "tel:+1 617 363 3437")
    expect(call).to_be_visible()

    # when: the call is made and the play marked done
    panel.get_by_label("Outcome").fill("Called Lola: engineer on site by noon.")
    panel.get_by_role("button", name="Done").click()
    # then: it leaves the list and the counts change, without a page load
    expect(page.locator(f"#line-{urgent.pk}")).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("Marked done: Severity-1 ticket opened")
    assert open_count(page) == "4"
    expect(page.locator("#today-counts")).not_to_contain_text("urgent")

    # when: they snooze the bill spike (opened in place, the default date a week ahead)
    page.locator(f"#line-{spike.pk} .today-open").click()
    page.locator(f"#panel-{spike.pk}").get_by_role("button", name="Snooze").click()
    # then
    expect(page.locator(f"#line-{spike.pk}")).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("Snoozed until")
    assert open_count(page) == "3"

    # when: they dismiss the renewal with a reason
    page.locator(f"#line-{renewal.pk} .today-open").click()
    renewal_panel = page.locator(f"#panel-{renewal.pk}")
    renewal_panel.get_by_label("Reason").fill("Renewed last week; the contract is not loaded yet.")
    renewal_panel.get_by_role("button", name="Dismiss").click()
    # then
    expect(page.locator(f"#line-{renewal.pk}")).to_have_count(0)
    assert open_count(page) == "2"
    assert page.evaluate("window.stillTheSamePage") is True

    # and what they did is recorded with the play services' own history
    assert Play.objects.get(pk=urgent.pk).status == PlayStatus.DONE
    assert Play.objects.get(pk=spike.pk).snoozed_until == timezone.localdate() + timedelta(days=7)
    assert Play.objects.get(pk=renewal.pk).status == PlayStatus.DISMISSED
    assert set(PlayEvent.objects.filter(user=people.rep).values_list("action", flat=True)) == {
        PlayAction.DONE, PlayAction.SNOOZED, PlayAction.DISMISSED}
    assert violations(page) == [] and errors == []


def test_a_rep_works_today_from_the_keyboard(page: Page, live_server, people, morning) -> None:  # noqa: ANN001
    # given
    log_in(page, live_server, "rep", landing="")
    lines = page.locator(".today-line")
    second_id = lines.nth(1).get_attribute("id")
    third_id = lines.nth(2).get_attribute("id")
    # when: ? shows the keys, Escape hides them
    page.keyboard.press("?")
    expect(page.locator("#today-help")).to_be_visible()
    expect(page.locator("#today-help")).to_contain_text("snooze a week")
    page.keyboard.press("Escape")
    expect(page.locator("#today-help")).to_be_hidden()
    # when: j moves down twice, k back up once, and o opens the play there
    page.keyboard.press("j")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("k")
    expect(lines.nth(1)).to_have_class(re.compile(r"\bis-current\b"))
    expect(lines.nth(1).locator(".today-open")).to_be_focused()
    page.keyboard.press("o")
    expect(lines.nth(1).locator(".today-panel")).to_be_visible()
    # when: Enter closes it again, then s snoozes it
    page.keyboard.press("Enter")
    expect(lines.nth(1).locator(".today-panel")).to_be_hidden()
    page.keyboard.press("s")
    # then: it leaves the list and the next play takes its place, current
    expect(page.locator(f"#{second_id}")).to_have_count(0)
    assert open_count(page) == "4"
    expect(page.locator(f"#{third_id}")).to_have_class(re.compile(r"\bis-current\b"))
    # when: d opens the current play at its outcome; typing and Enter mark it done
    page.keyboard.press("d")
    outcome = page.locator(f"#{third_id} input[name=outcome]")
    expect(outcome).to_be_focused()
    outcome.fill("Booked the visit for Thursday.")
    outcome.press("Enter")
    # then
    expect(page.locator(f"#{third_id}")).to_have_count(0)
    assert open_count(page) == "3"
    assert Play.objects.filter(status=PlayStatus.SNOOZED).count() == 1
    assert Play.objects.get(outcome="Booked the visit for Thursday.").status == PlayStatus.DONE


def test_without_javascript_a_line_opens_the_play_page_with_whom_to_reach(
    browser, live_server, people, morning  # noqa: ANN001
) -> None:
    # given
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, "rep", landing="")
    urgent = Play.objects.get(rule="support.ticket_opened")
    # when
    page.locator(f"#line-{urgent.pk} .today-open").click()
    # then
    expect(page).to_have_url(f"{live_server.url}/plays/{urgent.pk}/")
    expect(page.get_by_role("heading", name="Whom to reach")).to_be_visible()
    expect(page.locator('a[href="tel:+1 617 363 3437"]')).to_be_visible()
    context.close()


def test_a_manager_lands_on_the_team_view_and_opens_a_reps_today(
    page: Page, live_server, people, morning, screen: str  # noqa: ANN001
) -> None:
    # given: the rep closed two plays this month, and one play is ten days old
    spike = morning["October bill 212% above usual"]
    Play.objects.filter(pk=spike.pk).update(created_at=timezone.now() - timedelta(days=10))
    for title, action in [("Maintenance ends in 40 days", PlayAction.DONE),
                          ("They may not know we offer Voice", PlayAction.DISMISSED)]:
        play = morning[title]
        play.status = PlayStatus.DONE if action == PlayAction.DONE else PlayStatus.DISMISSED
        play.save()
        PlayEvent.objects.create(play=play, action=action, user=people.rep,
                                 at=timezone.now() - timedelta(days=3))
    # when
    log_in(page, live_server, "manager", landing="")
    # then: the team view, with the rep's numbers
    expect(page).to_have_url(f"{live_server.url}/plays/team/")
    expect(page.get_by_role("heading", name="Your team's plays")).to_be_visible()
    row = page.locator('tr[data-username="rep"]')
    expected = {"open": "3", "overdue": "1", "urgent": "1", "oldest": "10 days", "done": "1",
                "dismissed": "1"}
    for column, value in expected.items():
        expect(row.locator(f"td.col-{column}")).to_have_text(value)
    # when: the manager opens the rep's Today
    row.get_by_role("link", name=people.rep.display_name).click()
    # then
    expect(page.get_by_role("heading", name=f"Today of {people.rep.display_name}")).to_be_visible()
    expect(page.locator(".today-line")).to_have_count(3)
    expect(page.locator(".today-line").first).to_contain_text("Severity-1 ticket opened")
