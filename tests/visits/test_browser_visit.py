"""A visit planned, announced and checked by the customer in Debian's Chromium, on a laptop
and a 390 px phone: the customer's page works without a login, shows only what the customer
needs, refuses a wrong code and an unknown link in the same words, takes the customer's
answer after the visit, and opens no more once it is over. With ``HEEDFUL_SCREENSHOTS=DIR``
each page is saved there as a picture."""

import base64
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from heedful.visits.models import Visit
from tests.browser import log_in
from tests.core.test_content_security import violations, watch_for_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# A 1×1 PNG: the visitor's photo.
PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture(params=list(SCREENS))
def screen(request, page: Page) -> str:  # noqa: ANN001
    page.set_viewport_size(SCREENS[request.param])
    return request.param


def picture(page: Page, name: str, screen: str) -> None:
    folder = os.environ.get("HEEDFUL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"visit-{name}-{screen}.png"), full_page=True)


def test_a_visit_announced_checked_by_the_customer_answered_and_expired(
    page: Page, browser: Browser, live_server, people, visit, screen: str,  # noqa: ANN001
) -> None:
    errors = watch_for_violations(page)
    # the rep opens the visit, adds the engineer's photo and announces it
    log_in(page, live_server, "rep", landing=f"/visits/account/{people.ours.external_id}/")
    expect(page.get_by_role("heading", name="Visits to Ours Telecom")).to_be_visible()
    picture(page, "list", screen)
    page.get_by_role("link", name=timezone.localtime(visit.window_start).strftime("%-d %b %Y"),
                     exact=False).first.click()
    page.locator("#photo").set_input_files(files=[{
        "name": "hannah.png", "mimeType": "image/png", "buffer": PHOTO,
    }])
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("button", name="Announce the visit").click()
    expect(page.get_by_role("heading", name="Announced to Richard Hale by E-mail")).to_be_visible()
    code = page.locator(".verification-code").inner_text()
    link = page.locator(".announcement").inner_text().split(" at ", 1)[1].split(" with ", 1)[0]
    assert link.startswith(live_server.url + "/visit/")
    picture(page, "announced", screen)

    # the customer, not logged in, opens the link
    customer = browser.new_page(viewport=SCREENS[screen])
    customer_errors = watch_for_violations(customer)
    customer.goto(link)
    expect(customer.get_by_role("heading", name="Check who is visiting you")).to_be_visible()
    picture(customer, "ask-code", screen)
    # a wrong code, and the right code on a link that does not exist: the same refusal
    customer.get_by_label("Code").fill("999999" if code != "999999" else "888888")
    customer.get_by_role("button", name="Check").click()
    refusal = customer.get_by_role("alert").inner_text()
    assert "does not open a visit" in refusal
    picture(customer, "wrong-code", screen)
    customer.goto(live_server.url + "/visit/" + "A" * 43 + "/")
    customer.get_by_label("Code").fill(code)
    customer.get_by_role("button", name="Check").click()
    assert customer.get_by_role("alert").inner_text() == refusal

    # the right code: who, role, photo, work order, window, our phone; nothing internal
    customer.goto(link)
    customer.get_by_label("Code").fill(code)
    customer.get_by_role("button", name="Check").click()
    expect(customer.get_by_role("heading", name="Hannah Schmid")).to_be_visible()
    body = customer.locator("main").inner_text()
    assert "Field engineer" in body and "WO-2291" in body and "+1 415 555 0100" in body
    expect(customer.get_by_role("img", name="Photo of Hannah Schmid")).to_be_visible()
    for private in ("Margin on this job", "Ours Telecom", "rich@ours.example", "Theirs",
                    "Log out", "Alex"):
        assert private not in body
    assert customer.locator(".topbar").count() == 0
    picture(customer, "verified", screen)

    # after the visit the customer says whether it happened as announced
    past = timezone.now() - timedelta(hours=3)
    Visit.objects.filter(pk=visit.pk).update(window_start=past,
                                             window_end=past + timedelta(hours=2))
    customer.goto(link)
    customer.get_by_label("Code").fill(code)
    customer.get_by_role("button", name="Check").click()
    expect(customer.get_by_role("heading", name="Hannah Schmid")).to_have_count(0)
    customer.get_by_label("Yes, as announced").check()
    picture(customer, "answer", screen)
    customer.get_by_role("button", name="Send").click()
    expect(customer.get_by_role("heading", name="Thank you")).to_be_visible()
    assert Visit.objects.get(pk=visit.pk).happened == "yes"

    # two weeks after the window the link opens nothing, with the same refusal
    gone = timezone.now() - timedelta(days=20)
    Visit.objects.filter(pk=visit.pk).update(window_start=gone,
                                             window_end=gone + timedelta(hours=2))
    customer.goto(link)
    customer.get_by_label("Code").fill(code)
    customer.get_by_role("button", name="Check").click()
    assert customer.get_by_role("alert").inner_text() == refusal

    # the team sees the customer's answer
    page.goto(f"{live_server.url}/visits/{visit.pk}/")
    expect(page.locator("main")).to_contain_text("Yes, as announced")
    assert errors == []
    # a refused code is answered 403, which the browser notes; nothing else went wrong
    assert [error for error in customer_errors if "status of 403" not in error] == []
    assert violations(page) == [] and violations(customer) == []
