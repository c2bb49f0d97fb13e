"""The Account 360 is set-based: its query count does not grow with the account's rows
(contracts, invoices, metrics, scope, interactions, tickets, plays, team), and every list it
reads is bounded."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heedful.plays.models import Play
from tests.accounts.conftest import furnish
from tests.factories import (
    AccountFactory,
    ContractFactory,
    InteractionFactory,
    InvoiceFactory,
    ScopeRecordFactory,
    ServiceMetricFactory,
    TicketFactory,
)

MOST_QUERIES = 30
"""Today's page takes 27, sessions and the user included; more means a new list joined the
page, which is fine while the count stays flat."""


def months(count: int) -> list[tuple[date, date, str]]:
    """The ``count`` months up to Oct 2026, oldest first: (first day, last day, "YYYY-MM")."""
    found = []
    for back in range(count, 0, -1):
        index = 2026 * 12 + 10 - back
        start = date(index // 12, index % 12 + 1, 1)
        following = date((index + 1) // 12, (index + 1) % 12 + 1, 1)
        found.append((start, following - timedelta(days=1), f"{start:%Y-%m}"))
    return found


def grow(account) -> None:  # noqa: ANN001
    """Many more rows of every kind the first screen and the charts read."""
    for name, period, currency in (("Voice", "monthly", "USD"), ("Desk", "quarterly", "USD"),
                                   ("Network", "monthly", "EUR")):
        contract = ContractFactory(account=account, name=name, billing_period=period,
                                   currency=currency)
        for start, end, _ in months(24):
            InvoiceFactory(account=account, contract=contract, period_start=start,
                           period_end=end, currency=currency)
    for _, _, period in months(12):
        for metric in ("Resolved first time %", "Tickets within SLA %", "Answer (s)"):
            ServiceMetricFactory(account=account, period=period, metric=metric)
        for function in ("Service desk tickets", "Desk-side visits"):
            ScopeRecordFactory(account=account, period=period, function=function)
    for day in range(40):
        InteractionFactory(account=account, kind="call",
                           occurred_at=datetime(2026, 9, 1, tzinfo=UTC) + timedelta(days=day))
        TicketFactory(account=account, severity=1 + day % 4)
    for index in range(8):
        Play.objects.create(
            rule="billing.spike", account=account, subject=f"invoice:{index}",
            owner=account.owner, priority=50 + index, urgent=index == 0, title=f"Play {index}",
            explanation="Why.", facts={"amount": "7800.00"}, suggested_action="Call.",
        )


def queries(client, external_id: str, **headers: str) -> int:  # noqa: ANN001
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("accounts:detail", args=[external_id]), headers=headers)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_page_takes_as_many_queries_for_a_large_account_as_for_a_small_one(
    client, people  # noqa: ANN001
) -> None:
    # given
    small = furnish(AccountFactory(external_id="ACC-SMALL", owner=people.rep))
    large = furnish(AccountFactory(external_id="ACC-LARGE", owner=people.rep), months=24,
                    extra=8)
    grow(large)
    ServiceMetricFactory(account=small, period="2026-10", metric="Answer (s)",
                         target=Decimal("30"), actual=Decimal("20"))
    client.force_login(people.rep)
    queries(client, "ACC-SMALL")  # the session and the user, read once
    # when
    for_small = queries(client, "ACC-SMALL")
    for_large = queries(client, "ACC-LARGE")
    # then
    assert for_small == for_large <= MOST_QUERIES


def test_the_interactions_section_alone_takes_as_many_queries_whatever_the_history(
    client, people  # noqa: ANN001
) -> None:
    # given
    small = AccountFactory(external_id="ACC-SMALL", owner=people.rep)
    InteractionFactory(account=small)
    large = AccountFactory(external_id="ACC-LARGE", owner=people.rep)
    grow(large)
    client.force_login(people.rep)
    section = {"HX-Request": "true", "HX-Target": "interactions-results"}
    queries(client, "ACC-SMALL", **section)
    # when
    for_small = queries(client, "ACC-SMALL", **section)
    for_large = queries(client, "ACC-LARGE", **section)
    # then
    assert for_small == for_large <= 8
