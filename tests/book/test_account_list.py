from datetime import UTC, date, datetime
from decimal import Decimal

from django.test import override_settings
from django.urls import reverse

from heedful.billing.models import ExchangeRate
from heedful.plays.models import Play
from tests.factories import (
    AccountFactory,
    ContractFactory,
    InteractionFactory,
    InvoiceFactory,
    TicketFactory,
    UserFactory,
)

URL = reverse("accounts:list")


def names(response) -> list[str]:  # noqa: ANN001
    return [account.name for account in response.context["page"].object_list]


def make_play(account, *, urgent: bool = False, status: str = "open", rule: str = "x.y") -> Play:  # noqa: ANN001
    return Play.objects.create(
        account=account, rule=rule, subject=f"{rule}:{Play.objects.count()}", owner=account.owner,
        priority=50, urgent=urgent, title="Do it", explanation="Why.", suggested_action="Act.",
        status=status,
    )


def row_of(body: str, external_id: str) -> str:
    """The HTML of the list's row for one account."""
    start = body.index(f'href="/accounts/{external_id}/"')
    return body[body.rindex("<tr", 0, start):body.index("</tr>", start)]


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
            InvoiceFactory(account=account, currency="EUR")
            make_play(account, urgent=True)
            InteractionFactory(account=account)
            ContractFactory(account=account)
            other_owner = UserFactory()
            AccountFactory(owner=other_owner).team.create(user=people.rep, role="csm")

    add_accounts(2)
    # when / then: session, user, reports, the visible ids, count, the page's rows, their
    # columns, owners, segments, currencies without a rate
    with django_assert_num_queries(10):
        client.get(URL)
    add_accounts(10)
    with django_assert_num_queries(10):
        response = client.get(URL, {"sort": "-latest_invoice"})
    assert len(response.context["page"].object_list) == 25


# --- What needs doing, when we last talked, what ends next --------------------------------


def test_shows_open_plays_with_the_urgent_ones_apart(client, people) -> None:  # noqa: ANN001
    # given: two open plays, one urgent; a snoozed and a done one do not count
    make_play(people.ours, urgent=True)
    make_play(people.ours)
    make_play(people.ours, status="snoozed")
    make_play(people.ours, status="done", urgent=True)
    quiet = AccountFactory(name="Quiet", owner=people.rep)
    client.force_login(people.rep)
    # when
    response = client.get(URL)
    # then
    row = row_of(response.content.decode(), "ACC-OURS")
    urgent = '<span class="badge badge-danger">1 urgent</span>'
    assert f'data-label="Open plays" class="num">2 {urgent}' in row
    assert 'data-label="Open plays" class="num">0</td>' in row_of(
        response.content.decode(), quiet.external_id
    )


def test_sorts_by_open_plays_urgent_ones_first(client, people) -> None:  # noqa: ANN001
    # given: Busy has three routine plays, Ours one urgent one
    busy = AccountFactory(name="Busy", owner=people.rep)
    for _ in range(3):
        make_play(busy)
    make_play(people.ours, urgent=True)
    AccountFactory(name="Quiet", owner=people.rep)
    client.force_login(people.rep)
    # then
    assert names(client.get(URL, {"sort": "-open_plays"})) == ["Ours Telecom", "Busy", "Quiet"]
    assert names(client.get(URL, {"sort": "open_plays"})) == ["Quiet", "Busy", "Ours Telecom"]


def test_last_contact_is_the_last_two_way_conversation_in_one_date_format(client, people) -> None:  # noqa: ANN001
    # given: a call in October, a newsletter (outbound e-mail) after it, a meeting booked for
    # after today
    InteractionFactory(
        account=people.ours, kind="call", direction="",
        occurred_at=datetime(2026, 10, 5, 9, 0, tzinfo=UTC),
    )
    InteractionFactory(
        account=people.ours, kind="email", direction="outbound",
        occurred_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
    )
    InteractionFactory(
        account=people.ours, kind="meeting", direction="two_way",
        occurred_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
    )
    never = AccountFactory(name="Never Called", owner=people.rep)
    client.force_login(people.rep)
    # when
    body = client.get(URL).content.decode()
    # then
    assert '<time datetime="2026-10-05">5 Oct 2026</time>' in row_of(body, "ACC-OURS")
    assert "none on record" in row_of(body, never.external_id)


def test_next_renewal_is_the_first_contract_end_from_today(client, people) -> None:  # noqa: ANN001
    # given: one contract ended, two running
    ContractFactory(account=people.ours, start_date=date(2024, 1, 1), end_date=date(2026, 6, 30))
    ContractFactory(account=people.ours, start_date=date(2025, 1, 1), end_date=date(2027, 3, 31))
    ContractFactory(account=people.ours, start_date=date(2025, 1, 1), end_date=date(2028, 1, 31))
    later = AccountFactory(name="Later", owner=people.rep)
    ContractFactory(account=later, start_date=date(2025, 1, 1), end_date=date(2027, 9, 30))
    AccountFactory(name="No Contract", owner=people.rep)
    client.force_login(people.rep)
    # when
    response = client.get(URL, {"sort": "next_renewal"})
    # then
    assert '<time datetime="2027-03-31">31 Mar 2027</time>' in row_of(
        response.content.decode(), "ACC-OURS"
    )
    assert names(response) == ["Ours Telecom", "Later", "No Contract"]
    assert names(client.get(URL, {"sort": "-next_renewal"})) == [
        "Later", "Ours Telecom", "No Contract"
    ]


def test_sorts_by_last_contact_with_never_contacted_last(client, people) -> None:  # noqa: ANN001
    # given
    InteractionFactory(account=people.ours, occurred_at=datetime(2026, 11, 1, tzinfo=UTC))
    recent = AccountFactory(name="Recent", owner=people.rep)
    InteractionFactory(account=recent, occurred_at=datetime(2026, 11, 20, tzinfo=UTC))
    AccountFactory(name="Never", owner=people.rep)
    client.force_login(people.rep)
    # then
    assert names(client.get(URL, {"sort": "last_contact"})) == ["Ours Telecom", "Recent", "Never"]
    assert names(client.get(URL, {"sort": "-last_contact"})) == ["Recent", "Ours Telecom", "Never"]


# --- Money in different currencies -------------------------------------------------------


def book_in_four_currencies(people):  # noqa: ANN001, ANN201
    """The demo's ranking that misled: ¥10,593,600 and R$1,782,920 are worth less than
    $414,606. Rates: 1 JPY = 0.0067 USD, 1 BRL = 0.19 USD; no rate for CHF."""
    InvoiceFactory(account=people.ours, amount=Decimal("414606.00"), currency="USD")
    tokyo = AccountFactory(name="Tokyo Trading", owner=people.rep)
    InvoiceFactory(account=tokyo, amount=Decimal("10593600.00"), currency="JPY")
    rio = AccountFactory(name="Rio Rail", owner=people.rep)
    InvoiceFactory(account=rio, amount=Decimal("1782920.00"), currency="BRL")
    zurich = AccountFactory(name="Zurich Zinc", owner=people.rep)
    InvoiceFactory(account=zurich, amount=Decimal("9000000.00"), currency="CHF")
    AccountFactory(name="Unbilled", owner=people.rep)
    ExchangeRate.objects.create(currency="JPY", rate=Decimal("0.0067"), reporting_currency="USD")
    ExchangeRate.objects.create(currency="BRL", rate=Decimal("0.19"), reporting_currency="USD")
    return type("Book", (), dict(tokyo=tokyo, rio=rio, zurich=zurich))


def test_latest_invoice_sorts_by_value_in_the_reporting_currency(client, people) -> None:  # noqa: ANN001
    # given
    book_in_four_currencies(people)
    client.force_login(people.rep)
    # then: $414,606 > R$1,782,920 (≈ $338,755) > ¥10,593,600 (≈ $70,977); CHF has no rate
    assert names(client.get(URL, {"sort": "-latest_invoice"})) == [
        "Ours Telecom", "Rio Rail", "Tokyo Trading", "Zurich Zinc", "Unbilled",
    ]
    assert names(client.get(URL, {"sort": "latest_invoice"})) == [
        "Tokyo Trading", "Rio Rail", "Ours Telecom", "Zurich Zinc", "Unbilled",
    ]


def test_shows_the_original_amount_with_its_value_in_the_reporting_currency(client, people) -> None:  # noqa: ANN001
    # given
    book = book_in_four_currencies(people)
    client.force_login(people.rep)
    # when
    body = client.get(URL).content.decode()
    # then
    tokyo = row_of(body, book.tokyo.external_id)
    assert "10,593,600" in tokyo and ("¥" in tokyo or "JPY" in tokyo)
    assert "≈ $70,977.12" in tokyo
    ours = row_of(body, "ACC-OURS")
    assert "$414,606.00" in ours and "≈" not in ours
    assert "no rate to USD" in row_of(body, book.zurich.external_id)


def test_page_names_the_currencies_without_a_rate(client, people) -> None:  # noqa: ANN001
    # given
    book_in_four_currencies(people)
    client.force_login(people.rep)
    # when
    body = client.get(URL).content.decode()
    # then
    assert "Invoices in CHF have no exchange rate to USD: they sort last by latest invoice" in body
    assert "an admin sets the rates" in body


def test_admin_is_pointed_to_the_exchange_rates(client, people) -> None:  # noqa: ANN001
    # given
    book_in_four_currencies(people)
    client.force_login(people.admin)
    # when
    body = client.get(URL).content.decode()
    # then
    assert 'href="/admin/billing/exchangerate/">a rate is set</a>' in body


def test_no_note_when_every_currency_has_a_rate(client, people) -> None:  # noqa: ANN001
    # given
    InvoiceFactory(account=people.ours, amount=Decimal("1.00"), currency="USD")
    InvoiceFactory(account=people.ours, amount=Decimal("1.00"), currency="EUR")
    ExchangeRate.objects.create(currency="EUR", rate=Decimal("1.08"))
    client.force_login(people.rep)
    # when
    body = client.get(URL).content.decode()
    # then
    assert 'id="missing-rates"' not in body


@override_settings(HEEDFUL_REPORTING_CURRENCY="EUR")
def test_rates_to_another_reporting_currency_do_not_apply(client, people) -> None:  # noqa: ANN001
    # given: rates set while the reporting currency was USD
    book_in_four_currencies(people)
    client.force_login(people.rep)
    # when
    body = client.get(URL).content.decode()
    # then
    assert "Invoices in BRL, CHF, JPY, USD have no exchange rate to EUR" in body


def test_owner_filter_offers_the_team_when_the_accounts_have_many_owners(
    client, people, monkeypatch  # noqa: ANN001
) -> None:
    # given: the manager's rep is also on the teams of two other owners' accounts
    monkeypatch.setattr("heedful.book.services.MANY_OWNERS", 2)
    for name in ("Nadia Strand", "Omar Vale"):
        stranger = UserFactory(full_name=name)
        AccountFactory(owner=stranger).team.create(user=people.rep, role="csm")
    client.force_login(people.manager)
    # when
    response = client.get(URL)
    # then: the rep is offered, the two other owners are not, and the page says why
    body = response.content.decode()
    assert [owner.username for owner in response.context["listing"].owners] == ["rep"]
    assert "Nadia Strand" not in body.split('id="filter-owner"')[1].split("</select>")[0]
    assert "Your team" in body
    # and their accounts are still listed
    assert len(names(response)) == 3
