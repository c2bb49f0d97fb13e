"""Links built from user data on the Account 360 carry only http, https, mailto and tel."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser import log_in
from tests.factories import ContactFactory

SCRIPT_WEBSITE = "javascript:alert(1)//://x"


def test_a_script_website_is_shown_as_text_not_as_a_link(client, people) -> None:  # noqa: ANN001
    # given: a rep stored a script as the website (the API accepted it)
    people.ours.website = SCRIPT_WEBSITE
    people.ours.save()
    ContactFactory(account=people.ours, email="rita@ours.example", phone="javascript:alert(2)")
    client.force_login(people.executive)
    # when
    body = client.get(reverse("accounts:detail", args=["ACC-OURS"])).content.decode()
    # then
    assert SCRIPT_WEBSITE in body
    assert 'href="javascript' not in body.lower()
    assert '<a href="mailto:rita@ours.example" rel="noopener noreferrer">' in body
    assert '<a href="tel:javascript:alert(2)"' in body


def test_a_plain_website_and_phone_are_links(client, people) -> None:  # noqa: ANN001
    # given
    people.ours.website, people.ours.phone = "ours-telecom.example", "+1 303 555 0100"
    people.ours.save()
    client.force_login(people.rep)
    # when
    body = client.get(reverse("accounts:detail", args=["ACC-OURS"])).content.decode()
    # then
    assert (
        '<a href="https://ours-telecom.example" rel="noopener noreferrer">ours-telecom.example</a>'
        in body
    )
    assert '<a href="tel:+1 303 555 0100" rel="noopener noreferrer">+1 303 555 0100</a>' in body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_executive_cannot_click_a_script_website(page: Page, live_server, people) -> None:  # noqa: ANN001
    # given
    people.ours.website = SCRIPT_WEBSITE
    people.ours.save()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, live_server, "executive")
    # when
    page.goto(f"{live_server.url}{reverse('accounts:detail', args=['ACC-OURS'])}")
    # then: the website reads as written, and there is nothing to click
    website = page.locator("dt", has_text="Website").locator("xpath=following-sibling::dd")
    expect(website).to_have_text(SCRIPT_WEBSITE)
    expect(website.get_by_role("link")).to_have_count(0)
    website.click()
    assert dialogs == []
