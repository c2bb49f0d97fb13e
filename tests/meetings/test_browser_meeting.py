"""A meeting prepared, held, summarised and followed up in Debian's Chromium, and the
customer's shared page taking a "done" until the link is withdrawn or expires; on a laptop
and on a 390 px phone. With ``HEEDFUL_SCREENSHOTS=DIR`` each page is saved there as a picture."""

import os
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from heedful.meetings.models import ActionItem, SharedPage
from tests.browser import log_in
from tests.core.test_content_security import violations, watch_for_violations
from tests.factories import (
    AdverseChangeFactory,
    ContractFactory,
    InteractionFactory,
    InvoiceFactory,
    ServiceMetricFactory,
    TicketFactory,
)
from tests.meetings.test_meeting_conversation import REVIEW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(SCREENS))
def screen(request, page: Page) -> str:  # noqa: ANN001
    page.set_viewport_size(SCREENS[request.param])
    return request.param


@pytest.fixture
def account_history(people, meeting):  # noqa: ANN001, ANN201
    """What the prep brief shows first: phones down, a missed target, a bill three times the
    contracted rate, a renewal and a price increase ahead, and a recent call."""
    contract = ContractFactory(account=people.ours, name="Managed voice",
                               end_date=date(2027, 1, 7), notice_days=30)
    InvoiceFactory(account=people.ours, contract=contract, amount=Decimal("7800.00"))
    TicketFactory(account=people.ours, external_id="TCK-1", severity=1, status="open",
                  subject="Phones down", opened_at=datetime(2026, 11, 21, 8, 0, tzinfo=UTC))
    ServiceMetricFactory(account=people.ours, period="2026-10", metric="Uptime",
                         target=99.9, actual=98.2, higher_is_better=True)
    ServiceMetricFactory(account=people.ours, period="2026-10", metric="First response hours",
                         target=4, actual=2, higher_is_better=False)
    AdverseChangeFactory(account=people.ours, effective_on=date(2027, 1, 1),
                         summary="List prices rise 8%")
    call = InteractionFactory(account=people.ours, kind="call", user=people.rep,
                              subject="Lola called about the outage")
    call.contacts.add(meeting.giulia)


def picture(page: Page, name: str, screen: str) -> None:
    folder = os.environ.get("HEEDFUL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}-{screen}.png"), full_page=True)


def test_a_meeting_prepared_held_summarised_followed_up_and_shared(
    page: Page, browser: Browser, live_server, people, meeting, account_history,  # noqa: ANN001
    screen: str,
) -> None:
    errors = watch_for_violations(page)
    # given: the rep opens the account and its meetings
    log_in(page, live_server, "rep", landing="/accounts/ACC-OURS/")
    page.get_by_role("link", name="Meetings", exact=True).click()
    expect(page.get_by_role("heading", name="Meetings with Ours Telecom")).to_be_visible()
    picture(page, "list", screen)
    page.get_by_role("link", name="New meeting").click()
    expect(page.get_by_role("heading", name="New meeting with Ours Telecom")).to_be_visible()
    picture(page, "new", screen)
    page.go_back()
    page.get_by_role("link", name="Quarterly review").click()
    expect(page.get_by_role("heading", name="Quarterly review")).to_be_visible()

    # prepared: the brief says whom to call what, and their issues first
    page.get_by_role("link", name="Prep brief").click()
    expect(page.locator("#prep-people")).to_contain_text("Call them Rich")
    expect(page.locator("#prep-people")).to_contain_text("Avoid: golf, phone calls")
    expect(page.locator("#prep-language")).to_contain_text("Interpreter: Marco Bianchi")
    expect(page.locator("#prep-agenda li").first).to_contain_text("Where we are on “Phones down”")
    expect(page.locator("#prep-service li").first).to_contain_text(
        "Uptime, Oct 2026: 98.2 against a target of at least 99.9: missed"
    )
    expect(page.locator("#prep-billing")).to_contain_text(
        "$7,800.00 against a contracted $2,500.00"
    )
    picture(page, "prep", screen)
    page.get_by_role("link", name="Printable view").click()
    expect(page.locator(".topbar")).to_have_count(0)
    picture(page, "prep-print", screen)
    page.emulate_media(media="print")
    picture(page, "prep-printed", screen)
    page.emulate_media(media="screen")
    page.go_back()
    page.get_by_role("link", name="Back to the meeting").click()

    # held: our topic, the start, the agenda confirmed with a topic of theirs, notes
    page.get_by_label("Topic", exact=True).fill("Roadmap 2027")
    page.get_by_role("button", name="Add to the agenda").click()
    page.get_by_role("button", name="Start now").click()
    expect(page.locator("#timing")).to_contain_text("Started on time")
    page.get_by_label("Their own topics").fill("Outage on 3 Nov")
    page.get_by_role("button", name="Agenda confirmed with the customer").click()
    first = page.locator(".agenda-item").first
    expect(first).to_contain_text("Outage on 3 Nov")
    expect(first).to_contain_text("their topic")
    expect(first).to_contain_text("confirmed")
    page.get_by_label("Notes (for our team only)").fill("Giulia asked twice about the outage.")

    # summarised: the playback and who does what by when
    page.get_by_label("Playback: what we heard").fill(
        "You need the outage report before the board meets."
    )
    page.get_by_role("button", name="Save notes and playback").click()
    expect(page.get_by_label("Playback: what we heard")).to_have_value(
        "You need the outage report before the board meets."
    )
    for what, owner, due in [
        ("Send the outage report", "Rep", "2026-11-27"),
        ("Send the usage export", "Richard Hale", "2026-11-30"),
    ]:
        new_item = page.locator("form", has=page.locator("#i-what"))
        new_item.get_by_label("What", exact=True).fill(what)
        page.locator("#i-owner").select_option(label=owner)
        new_item.get_by_label("Due", exact=True).fill(due)
        page.get_by_role("button", name="Add the action item").click()
        expect(page.locator(".action-table")).to_contain_text(what)
    # the transcript: figures against the bands, an unknown speaker named in one step
    page.locator("#t-file").set_input_files(files=[{
        "name": "review.vtt", "mimeType": "text/vtt", "buffer": REVIEW.encode(),
    }])
    page.get_by_role("button", name="Upload the transcript").click()
    expect(page.locator("#unknown-speakers")).to_contain_text("And the invoices were wrong")
    page.locator("#unknown-speakers").get_by_label("This is …").select_option(
        label="Giulia Rossi"
    )
    page.get_by_role("button", name="Name them").click()
    expect(page.locator("#unknown-speakers")).to_have_count(0)
    expect(page.locator("#conversation-figures")).to_contain_text("outside the band")
    expect(page.locator(".speaker-table")).to_contain_text("Giulia Rossi")
    page.get_by_role("button", name="End now").click()
    expect(page.get_by_role("heading", name="Quarterly review")).to_contain_text("Held")
    picture(page, "meeting", screen)
    if os.environ.get("HEEDFUL_SCREENSHOTS"):
        page.locator("#conversation").screenshot(
            path=str(Path(os.environ["HEEDFUL_SCREENSHOTS"]) / f"conversation-{screen}.png")
        )
    page.locator(".speaker-table").get_by_role("link", name="trends").click()
    expect(page.get_by_role("heading", name="How Rep listens")).to_be_visible()
    picture(page, "trends", screen)
    page.go_back()

    # followed up: e-mail for Rich, a call for Giulia
    page.get_by_role("link", name="Follow-up").click()
    expect(page.locator(".follow-up").first).to_contain_text("Dear Rich,")
    picture(page, "follow-up", screen)
    page.get_by_role("button", name="Send the follow-up").click()
    expect(page.locator("#follow-up-sent")).to_contain_text("E-mailed to Richard Hale")
    expect(page.locator("#follow-up-sent")).to_contain_text("To call: Giulia Rossi")
    page.get_by_role("link", name="Back to the meeting").click()

    # shared: a link shown once, opened by the customer without a login
    page.get_by_role("button", name="Make a link for the customer").click()
    link = page.get_by_label("The customer's link").input_value()
    customer = browser.new_page(viewport=SCREENS[screen])
    customer.goto(link)
    expect(customer.get_by_role("heading", name="What we agreed to do")).to_be_visible()
    expect(customer.locator("body")).to_contain_text("Send the outage report")
    expect(customer.locator("body")).to_contain_text("27 Nov 2026")
    expect(customer.locator("body")).not_to_contain_text("Giulia asked twice")
    picture(customer, "shared", screen)
    customer.get_by_label("A comment for your account team").fill("Sent to Anna in finance.")
    customer.get_by_role("button", name="Mark done").click()
    expect(customer.get_by_role("status")).to_contain_text("marked done")
    theirs = ActionItem.objects.get(what="Send the usage export")
    assert (theirs.status, theirs.customer_comment) == ("done", "Sent to Anna in finance.")

    # withdrawn: the customer's page shows nothing any more
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Withdraw the link").click()
    expect(page.locator(".shared-pages")).to_contain_text("withdrawn")
    customer.reload()
    expect(customer.get_by_role("heading", name="This page is not available")).to_be_visible()
    expect(customer.locator("body")).not_to_contain_text("Send the outage report")
    picture(customer, "shared-gone", screen)

    # expired: a new link works until its expiry passes, then shows nothing either
    page.get_by_role("button", name="Make a link for the customer").click()
    customer.goto(page.get_by_label("The customer's link").input_value())
    expect(customer.locator("body")).to_contain_text("Send the outage report")
    SharedPage.objects.filter(revoked_at__isnull=True).update(
        expires_at=datetime(2020, 1, 1, tzinfo=UTC)
    )
    customer.reload()
    expect(customer.get_by_role("heading", name="This page is not available")).to_be_visible()
    expect(customer.locator("body")).not_to_contain_text("Send the outage report")
    customer.close()
    assert errors == [] and violations(page) == []
