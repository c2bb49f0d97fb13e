from decimal import Decimal

from django.test import override_settings
from django.urls import reverse

from tests.factories import AccountFactory, InvoiceFactory, TicketFactory, UserFactory

URL = reverse("accounts:list")


def names(response) -> list[str]:  # noqa: ANN001
    return [account.name for account in response.context["page"].object_list]


def test_login_is_required(client, people) -> None:  # noqa: ANN001
    # when
    response = client.get(URL)
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_rep_sees_only_their_accounts(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    response = client.get(URL)
    # then
    assert names(response) == ["Ours Telecom"]
    assert "Theirs Utilities" not in response.content.decode()


def test_manager_sees_their_reports_accounts(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.manager)
    # when
    response = client.get(URL)
    # then
    assert names(response) == ["Ours Telecom"]


def test_executive_sees_every_account(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.executive)
    # when
    response = client.get(URL)
    # then
    assert names(response) == ["Ours Telecom", "Theirs Utilities"]


def test_text_filter_matches_name_alias_and_external_id(client, people) -> None:  # noqa: ANN001
    # given
    AccountFactory(name="Zoë Telecom", external_id="ACC-ZOE", owner=people.rep)
    AccountFactory(name="Acme", aliases="Acme Corp; Road Runner Inc", owner=people.rep)
    AccountFactory(name="Globex", external_id="SF-0042", owner=people.rep)
    client.force_login(people.rep)
    # then
    assert names(client.get(URL, {"q": "zoe"})) == ["Zoë Telecom"]
    assert names(client.get(URL, {"q": "road runner"})) == ["Acme"]
    assert names(client.get(URL, {"q": "sf-0042"})) == ["Globex"]


def test_filters_by_owner_status_and_segment(client, people) -> None:  # noqa: ANN001
    # given
    AccountFactory(name="Prospect Co", status="prospect", segment="mid-market", owner=people.rep)
    client.force_login(people.executive)
    # then
    assert names(client.get(URL, {"owner": people.other_rep.pk})) == ["Theirs Utilities"]
    assert names(client.get(URL, {"status": "prospect"})) == ["Prospect Co"]
    assert names(client.get(URL, {"segment": "mid-market"})) == ["Prospect Co"]
    assert names(client.get(URL, {"segment": "enterprise", "owner": people.rep.pk})) == [
        "Ours Telecom"
    ]


def test_owner_and_segment_choices_come_from_visible_accounts(client, people) -> None:  # noqa: ANN001
    # given
    AccountFactory(segment="secret-segment", owner=people.other_rep)
    client.force_login(people.rep)
    # when
    listing = client.get(URL).context["listing"]
    # then
    assert listing.owners == [people.rep]
    assert listing.segments == ["enterprise"]


def test_unknown_filter_values_are_ignored(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    response = client.get(URL, {"owner": "nobody", "status": "bogus", "sort": "password"})
    # then
    assert response.status_code == 200
    assert names(response) == ["Ours Telecom"]


def test_sorts_by_open_tickets_and_latest_invoice_both_ways(client, people) -> None:  # noqa: ANN001
    # given
    busy = AccountFactory(name="Busy", owner=people.rep)
    TicketFactory.create_batch(3, account=busy)
    TicketFactory(account=busy, status="closed")
    TicketFactory(account=people.ours)
    InvoiceFactory(account=busy, amount=Decimal("100.00"))
    InvoiceFactory(account=people.ours, amount=Decimal("900.00"))
    AccountFactory(name="Quiet", owner=people.rep)
    client.force_login(people.rep)
    # then
    assert names(client.get(URL, {"sort": "-open_tickets"})) == ["Busy", "Ours Telecom", "Quiet"]
    assert names(client.get(URL, {"sort": "open_tickets"})) == ["Quiet", "Ours Telecom", "Busy"]
    assert names(client.get(URL, {"sort": "-latest_invoice"})) == ["Ours Telecom", "Busy", "Quiet"]
    assert names(client.get(URL, {"sort": "latest_invoice"})) == ["Busy", "Ours Telecom", "Quiet"]


def test_sort_header_offers_the_other_direction(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    response = client.get(URL, {"sort": "owner"})
    # then
    owner_column = next(c for c in response.context["columns"] if c.key == "owner")
    assert owner_column.aria_sort == "ascending"
    assert owner_column.sort == "-owner"
    assert 'aria-sort="ascending"' in response.content.decode()


def test_sorts_by_owner_name(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.executive)
    # when
    ascending = names(client.get(URL, {"sort": "owner"}))
    descending = names(client.get(URL, {"sort": "-owner"}))
    # then: "Other Rep" sorts before "Rep"
    assert ascending == ["Theirs Utilities", "Ours Telecom"]
    assert descending == ["Ours Telecom", "Theirs Utilities"]


@override_settings(HEEDFUL_PAGE_SIZE=2)
def test_paginates_and_keeps_filters_in_page_links(client, people) -> None:  # noqa: ANN001
    # given
    for number in range(4):
        AccountFactory(name=f"Telecom {number}", owner=people.rep)
    client.force_login(people.rep)
    # when
    first = client.get(URL, {"q": "telecom"})
    last = client.get(URL, {"q": "telecom", "page": 3})
    # then
    assert names(first) == ["Ours Telecom", "Telecom 0"]
    assert names(last) == ["Telecom 3"]
    assert "?q=telecom&amp;page=2" in first.content.decode()


def test_htmx_request_gets_only_the_rows_fragment(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    response = client.get(URL, {"sort": "-name"}, headers={"HX-Request": "true"})
    # then
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="account-rows"' in body
    assert 'id="sort-input" name="sort" hx-swap-oob="true"' in body
    assert "HX-Request" in response["Vary"]
    assert [t.name for t in response.templates][0] == "book/_rows.html"


def test_history_restore_gets_the_full_page(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    response = client.get(
        URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    # then
    assert "<html" in response.content.decode()


def test_page_without_javascript_has_plain_links_and_a_get_form(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    body = client.get(URL).content.decode()
    # then
    assert 'method="get" action="/accounts/"' in body
    assert 'href="/accounts/?sort=-name"' in body
    assert 'href="/accounts/ACC-OURS/"' in body


@override_settings(HEEDFUL_PAGE_SIZE=100)
def test_query_count_does_not_grow_with_rows(
    client, people, django_assert_num_queries  # noqa: ANN001
) -> None:
    # given
    client.force_login(people.rep)

    def add_accounts(count: int) -> None:
        for _ in range(count):
            account = AccountFactory(owner=people.rep)
            TicketFactory(account=account, severity=1)
            InvoiceFactory(account=account)
            other_owner = UserFactory()
            AccountFactory(owner=other_owner).team.create(user=people.rep, role="csm")

    add_accounts(2)
    # when / then: session, user, reports, count, rows, owners, segments
    with django_assert_num_queries(7):
        client.get(URL)
    add_accounts(10)
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 25
