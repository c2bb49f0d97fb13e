"""A stored external id holding "/", "?", "#" or spaces stays reachable: its pages list and
link it, the Account 360 opens, the API reaches it, and the urgent e-mail links to it."""

import json
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from heedful.accounts.models import Account
from heedful.plays.models import Play
from heedful.plays.notifications import urgent_email
from tests.api.conftest import API, client_for
from tests.factories import AccountFactory, ContactFactory

AWKWARD_IDS = ["ACME/EU", "a b?c#d"]


def _account(people, external_id: str) -> Account:  # noqa: ANN001
    account = AccountFactory(
        external_id=external_id, name=f"Awkward {external_id} Holdings", owner=people.rep
    )
    Play.objects.create(
        rule="support.ticket_opened", account=account, subject="ticket:T-1", owner=people.rep,
        priority=95, urgent=True, title=f"Severity 1 at {external_id}",
        explanation="Phones down.", suggested_action="Call now.",
    )
    return account


def _page_client(user) -> Client:  # noqa: ANN001
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize("external_id", AWKWARD_IDS)
@pytest.mark.parametrize("url", ["/accounts/", "/plays/", "/accounts/search/?q=Awkward"])
def test_pages_list_the_account_with_a_link_that_opens_it(people, external_id: str, url: str) -> None:  # noqa: ANN001, E501
    # given
    account = _account(people, external_id)
    client = _page_client(people.rep)
    link = reverse("accounts:detail", kwargs={"external_id": external_id})
    # when
    response = client.get(url)
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{link}"' in page
    opened = client.get(link)
    assert opened.status_code == 200
    assert account.name in opened.content.decode()


@pytest.mark.parametrize("external_id", AWKWARD_IDS)
def test_the_link_percent_encodes_what_a_url_cannot_hold(people, external_id: str) -> None:  # noqa: ANN001
    link = reverse("accounts:detail", kwargs={"external_id": external_id})
    assert link == "/accounts/" + quote(external_id, safe="/") + "/"


@pytest.mark.parametrize("external_id", AWKWARD_IDS)
@pytest.mark.parametrize("encode_slash", [False, True])
def test_api_gets_and_patches_the_account(people, external_id: str, encode_slash: bool) -> None:  # noqa: ANN001
    # given
    _account(people, external_id)
    client = client_for(people.rep)
    url = f"{API}/accounts/" + quote(external_id, safe="" if encode_slash else "/")
    # when
    got = client.get(url)
    patched = client.patch(url, json.dumps({"city": "Lyon"}), content_type="application/json")
    # then
    assert got.status_code == 200 and got.json()["external_id"] == external_id
    assert patched.status_code == 200, patched.json()
    assert Account.objects.get(external_id=external_id).city == "Lyon"


def test_api_reaches_a_contact_whose_id_holds_a_slash(people) -> None:  # noqa: ANN001
    # given
    ContactFactory(account=people.ours, external_id="CON/1", full_name="Ada Lovelace")
    client = client_for(people.rep)
    # when
    got = client.get(f"{API}/contacts/CON/1")
    patched = client.patch(
        f"{API}/contacts/CON%2F1", json.dumps({"title": "CTO"}), content_type="application/json"
    )
    # then
    assert got.status_code == 200 and got.json()["full_name"] == "Ada Lovelace"
    assert patched.status_code == 200 and patched.json()["title"] == "CTO"


def test_api_answers_404_for_a_hidden_account_whose_id_holds_a_slash(people) -> None:  # noqa: ANN001
    # given
    AccountFactory(external_id="THEIRS/EU", owner=people.other_rep)
    # when
    response = client_for(people.rep).get(f"{API}/accounts/THEIRS/EU")
    # then
    assert response.status_code == 404


@pytest.mark.parametrize("external_id", AWKWARD_IDS)
def test_urgent_email_links_to_the_account(people, settings, external_id: str) -> None:  # noqa: ANN001
    # given
    settings.HEEDFUL_BASE_URL = "https://heedful.example"
    account = _account(people, external_id)
    play = Play.objects.get(account=account)
    # when
    subject, body = urgent_email(play)
    # then
    link = next(line for line in body.splitlines() if line.startswith("Open the account: "))
    url = link.removeprefix("Open the account: ")
    assert url == "https://heedful.example/accounts/" + quote(external_id, safe="/") + "/"
    opened = _page_client(people.rep).get(url.removeprefix("https://heedful.example"))
    assert opened.status_code == 200
