"""The Account 360's first screen answers "what is going on with this customer" before any
scrolling: owner and team, the open plays one line each, the next renewal, the last real
conversation, the open tickets, the SLA and the bill trend. Below it, SLA and scope read as
trend charts, and the interactions page in place."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import count

from django.urls import reverse

from heedful.plays.models import Play
from tests.factories import (
    AdverseChangeFactory,
    ContactFactory,
    ContractFactory,
    HoldingFactory,
    InteractionFactory,
    InvoiceFactory,
    ScopeRecordFactory,
    ServiceMetricFactory,
    TeamMembershipFactory,
    TicketFactory,
    UserFactory,
)

_serial = count(1)


def url(external_id: str = "ACC-OURS", **query: str) -> str:
    address = reverse("accounts:detail", args=[external_id])
    if query:
        address += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return address


def page(client, people, **query: str) -> str:  # noqa: ANN001
    client.force_login(people.rep)
    response = client.get(url(**query))
    assert response.status_code == 200
    return response.content.decode()


def tile(body: str, identifier: str) -> str:
    found = re.search(rf'id="{identifier}">(.*?)</div>', body, re.S)
    assert found, f"no {identifier} tile"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def make_play(account, **fields) -> Play:  # noqa: ANN001
    number = next(_serial)
    values = {
        "rule": "billing.spike", "subject": f"invoice:INV-{number}", "owner": account.owner,
        "priority": 50, "urgent": False, "title": f"Play {number} on {account.name}",
        "explanation": "The bill is 212% above the median of the previous three.",
        "facts": {"amount": "7800.00"}, "suggested_action": "Call before they call you.",
    }
    values.update(fields)
    return Play.objects.create(account=account, **values)


def months_back(months: int) -> tuple[date, date]:
    """The first and last day of the month ``months`` before Nov 2026."""
    index = 2026 * 12 + 10 - months
    start = date(index // 12, index % 12 + 1, 1)
    following = date((index + 1) // 12, (index + 1) % 12 + 1, 1)
    return start, following - timedelta(days=1)


def test_first_screen_names_the_owner_and_the_team(client, people) -> None:  # noqa: ANN001
    # given
    csm = UserFactory(username="carla", full_name="Carla Success")
    TeamMembershipFactory(account=people.ours, user=csm, role="csm", start_date=date(2025, 3, 1))
    # when
    body = page(client, people)
    # then
    header = body[body.index('id="summary"'):body.index('id="plays"')]
    assert f"Owner <strong>{people.rep.display_name}</strong>" in header
    assert "Customer success manager <strong>Carla Success</strong>" in header


def test_open_plays_are_one_line_each_with_a_link_to_the_play(client, people) -> None:  # noqa: ANN001
    # given
    urgent = make_play(people.ours, title="Severity-1 ticket: phones down", urgent=True,
                       priority=90, explanation="Opened yesterday; nobody has called.")
    quiet = make_play(people.ours, title="They may not know we offer Voice", priority=20)
    Play.objects.filter(pk=quiet.pk).update(created_at=datetime(2026, 11, 12, 9, tzinfo=UTC))
    # when
    body = page(client, people)
    # then: urgent first, each a line with its title linking to the play, why, and age
    lines = re.findall(r'<li class="play-line[^"]*">.*?</summary>', body, re.S)
    assert len(lines) == 2
    assert f'href="{reverse("plays:detail", args=[urgent.pk])}">{urgent.title}</a>' in lines[0]
    assert "Opened yesterday; nobody has called." in lines[0] and "play-line-urgent" in lines[0]
    assert f'href="{reverse("plays:detail", args=[quiet.pk])}">{quiet.title}</a>' in lines[1]
    assert ">10 days<" in lines[1]


def test_next_renewal_is_the_nearest_end_still_ahead(client, people) -> None:  # noqa: ANN001
    # given: a contract that ended last month, one ending next summer, maintenance in 45 days
    ContractFactory(account=people.ours, name="Old voice", end_date=date(2026, 10, 31))
    ContractFactory(account=people.ours, name="Managed voice", end_date=date(2027, 6, 30),
                    notice_days=90)
    HoldingFactory(account=people.ours, maintenance_tier="24x7",
                   maintenance_end=date(2027, 1, 6))
    # when
    body = page(client, people)
    # then
    assert tile(body, "next-renewal").startswith("Next maintenance end 6 Jan 2027 in 45 days")


def test_next_renewal_names_the_contract_and_its_notice_date(client, people) -> None:  # noqa: ANN001
    # given
    ContractFactory(account=people.ours, name="Managed voice", end_date=date(2027, 1, 6),
                    notice_days=30)
    # when
    body = page(client, people)
    # then
    assert tile(body, "next-renewal") == (
        "Next renewal 6 Jan 2027 in 45 days Managed voice · notice by 7 Dec 2026"
    )


def test_last_two_way_contact_skips_broadcasts_and_the_future(client, people) -> None:  # noqa: ANN001
    # given
    rich = ContactFactory(account=people.ours, full_name="Richard Stone")
    call = InteractionFactory(account=people.ours, kind="call", direction="two_way",
                              occurred_at=datetime(2026, 11, 2, 15, tzinfo=UTC), user=people.rep)
    call.contacts.add(rich)
    InteractionFactory(account=people.ours, kind="email", direction="outbound",
                       occurred_at=datetime(2026, 11, 15, 9, tzinfo=UTC))
    InteractionFactory(account=people.ours, kind="meeting", direction="two_way",
                       occurred_at=datetime(2026, 12, 3, 9, tzinfo=UTC))
    # when
    body = page(client, people)
    # then
    assert tile(body, "last-contact") == (
        f"Last two-way contact 2 Nov 2026 20 days ago Call with Richard Stone · "
        f"{people.rep.display_name}"
    )


def test_open_tickets_show_their_count_and_the_worst_severity(client, people) -> None:  # noqa: ANN001
    # given
    TicketFactory(account=people.ours, severity=3, subject="Slow portal")
    TicketFactory(account=people.ours, severity=2, subject="Calls drop")
    TicketFactory(account=people.ours, severity=1, subject="Was down", status="closed")
    # when
    body = page(client, people)
    # then
    assert tile(body, "open-tickets").startswith("Open tickets 2 open · worst severity 2")


def test_sla_status_reads_the_latest_month(client, people) -> None:  # noqa: ANN001
    # given
    for period, resolution, answer in (("2026-09", "92", "25"), ("2026-10", "82", "28")):
        ServiceMetricFactory(account=people.ours, period=period, actual=Decimal(resolution))
        ServiceMetricFactory(
            account=people.ours, period=period, metric="Average speed of answer (s)",
            target=Decimal("30"), actual=Decimal(answer), higher_is_better=False,
        )
    # when
    body = page(client, people)
    # then
    assert tile(body, "sla-status") == (
        "SLA 1 of 2 targets missed in Oct 2026 First-call resolution % · 1 of 2 months with a miss"
    )


def test_an_account_without_records_says_so_on_every_tile(client, people) -> None:  # noqa: ANN001
    # when
    body = page(client, people)
    # then
    assert "No contract or maintenance ahead" in tile(body, "next-renewal")
    assert "None on record" in tile(body, "last-contact")
    assert tile(body, "open-tickets") == "Open tickets 0 open"
    assert "No service targets recorded" in tile(body, "sla-status")
    assert "No invoices." in body and "Nothing needs attention on this account" in body


def test_sla_and_scope_are_trend_charts_against_their_targets_not_tables(client, people) -> None:  # noqa: ANN001
    # given: two metrics and one scope function over three months
    for back in (3, 2, 1):
        start, _ = months_back(back)
        period = f"{start:%Y-%m}"
        ServiceMetricFactory(account=people.ours, period=period,
                             actual=Decimal("95") if back > 1 else Decimal("80"))
        ServiceMetricFactory(account=people.ours, period=period, metric="Tickets within SLA %",
                             target=Decimal("95"), actual=Decimal("97"))
        ScopeRecordFactory(account=people.ours, period=period,
                           delivered_quantity=Decimal("1400") if back == 1 else Decimal("1000"))
    # when
    body = page(client, people)
    # then
    service = body[body.index('id="service"'):body.index('id="interactions"')]
    assert "<table" not in service
    assert service.count('class="chart chart-trend"') == 2
    assert service.count("chart-point-highlight") == 1
    assert "First-call resolution %</strong>: missed in 1 of 3 months" in service
    assert "Oct 2026: 80 against a target of 90" in service
    assert "Tickets within SLA %</strong>: met every month" in service
    scope = re.search(r'data-function="Service desk calls">(.*?)</figure>', service, re.S)
    assert scope and scope.group(1).count("chart-bar-highlight") == 1
    assert "Oct 2026: 1,400 delivered against 1,000 contracted (140% of scope)" in scope.group(1)
    assert ">Aug 2026<" in service and ">Oct 2026<" in service


def test_the_bill_trend_has_one_chart_per_contract(client, people) -> None:  # noqa: ANN001
    # given: a monthly and a quarterly contract billed over the same months
    monthly = ContractFactory(account=people.ours, name="Maintenance", billing_period="monthly",
                              recurring_amount=Decimal("9400.00"))
    quarterly = ContractFactory(account=people.ours, name="Managed services",
                                billing_period="quarterly", recurring_amount=Decimal("6900.00"))
    for back in range(6, 0, -1):
        start, end = months_back(back)
        InvoiceFactory(account=people.ours, contract=monthly, period_start=start,
                       period_end=end, amount=Decimal("9400.00"))
    for back in (6, 3):
        start, _ = months_back(back)
        _, end = months_back(back - 2)
        InvoiceFactory(account=people.ours, contract=quarterly, period_start=start,
                       period_end=end, amount=Decimal("6900.00"))
    # when
    body = page(client, people)
    # then
    first_screen = body[body.index('id="plays"'):body.index('id="contacts"')]
    charts = re.findall(r'<svg[^>]*aria-labelledby="(bill-chart-\d)-title".*?</svg>', first_screen,
                        re.S)
    assert charts == ["bill-chart-0", "bill-chart-1"]
    assert "Maintenance (monthly), USD" in first_screen
    assert "Managed services (quarterly), USD" in first_screen
    assert ">May 2026<" in first_screen and ">May–Jul 2026<" in first_screen


def test_a_price_increase_coming_shows_beside_the_renewal(client, people) -> None:  # noqa: ANN001
    # given
    ContractFactory(account=people.ours, name="Maintenance", end_date=date(2027, 1, 6))
    AdverseChangeFactory(account=people.ours, kind="price_increase",
                         effective_on=date(2027, 1, 7), summary="24x7 list price +22%")
    # when
    body = page(client, people)
    # then
    assert tile(body, "next-renewal").endswith(
        "Price increase on 7 Jan 2027: tell them in person first"
    )
