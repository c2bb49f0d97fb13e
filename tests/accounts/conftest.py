"""Fixtures of the account pages: a pinned "today" and a fully furnished Account 360."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.conftest import AS_OF
from tests.factories import (
    AccountFactory,
    AdverseChangeFactory,
    ContactFactory,
    ContractFactory,
    DisputeFactory,
    HoldingFactory,
    InteractionFactory,
    InvoiceFactory,
    NewsItemFactory,
    OpportunityFactory,
    OrderFactory,
    ScopeRecordFactory,
    ServiceMetricFactory,
    TeamMembershipFactory,
    TicketFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    """Views ask ``timezone.localdate()`` for "as of"; pin it so day counts are stable."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: AS_OF)
    return AS_OF


def furnish(account, *, months: int = 12, extra: int = 0):  # noqa: ANN001, ANN201
    """Give ``account`` something in every section of the Account 360; ``extra`` adds that
    many more rows to each list (for query-count tests)."""
    csm_manager = UserFactory(username=f"csm_boss_{account.pk}", full_name="Maria Boss")
    csm = UserFactory(username=f"csm_{account.pk}", full_name="Carla Success", manager=csm_manager)
    TeamMembershipFactory(account=account, user=csm, role="csm", start_date=date(2025, 3, 1))
    former = UserFactory(username=f"former_{account.pk}", full_name="Frank Former")
    TeamMembershipFactory(
        account=account, user=former, role="owner",
        start_date=date(2022, 1, 1), end_date=date(2023, 12, 31),
    )
    rich = ContactFactory(
        account=account, full_name="Richard Stone", preferred_name="Rich",
        pronunciation="RICH-erd", title="CIO", role_type="executive", is_key=True,
        preferred_channel="email", language="English", likes="skiing; boating",
        dislikes="golf; phone calls", phone="+1 555 010 2000",
    )
    ContactFactory(
        account=account, full_name="Tina Tech", role_type="technical", do_not_contact=True
    )
    contract = ContractFactory(
        account=account, name="Managed voice", recurring_amount=Decimal("2500.00"),
        end_date=date(2027, 1, 6), notice_days=30,
    )
    HoldingFactory(
        account=account, maintenance_tier="8x5", maintenance_end=date(2027, 1, 6),
    )
    AdverseChangeFactory(account=account, kind="price_increase", summary="List price +8%")
    OrderFactory(
        account=account, description="200 handsets", ordered_on=date(2026, 11, 1),
        shipped_on=date(2026, 11, 12), amount=Decimal("48000.00"),
    )
    for index in range(months):
        year, month = divmod(2025 * 12 + 11 + index, 12)
        InvoiceFactory(
            account=account, contract=contract,
            amount=Decimal("7800.00") if index == months - 2 else Decimal("2500.00"),
            period_start=date(year, month + 1, 1), period_end=date(year, month + 1, 28),
        )
    spike = account.invoices.get(amount=Decimal("7800.00"))
    DisputeFactory(invoice=spike, amount=Decimal("5300.00"))
    TicketFactory(account=account, severity=1, subject="Phones are down", contact=rich)
    TicketFactory(account=account, severity=3, subject="Old question", status="closed")
    ServiceMetricFactory(account=account, metric="First-call resolution %", actual=Decimal("82"))
    ServiceMetricFactory(
        account=account, metric="Average handle time (min)", target=Decimal("6"),
        actual=Decimal("5"), higher_is_better=False,
    )
    ScopeRecordFactory(account=account, delivered_quantity=Decimal("1800"))
    interaction = InteractionFactory(
        account=account, kind="email", subject="Renewal options", user=csm, tags=";renewal;",
    )
    interaction.contacts.add(rich)
    OpportunityFactory(account=account, name="Contact-centre expansion", owner=csm)
    NewsItemFactory(
        account=account, sentiment="negative", headline="Closing 30% of its offices",
    )
    for index in range(extra):
        ContactFactory(account=account)
        TicketFactory(account=account, severity=2)
        OrderFactory(account=account)
        other = InteractionFactory(
            account=account, user=csm,
            occurred_at=datetime(2026, 10, 1 + index, 9, 0, tzinfo=UTC),
        )
        other.contacts.add(rich)
        OpportunityFactory(account=account, owner=csm)
        NewsItemFactory(account=account)
        TeamMembershipFactory(account=account, role="se")
        HoldingFactory(account=account)
        ContractFactory(account=account)
    return account


@pytest.fixture
def furnished(people):  # noqa: ANN001, ANN201
    """``people.ours`` with something in every section."""
    return furnish(people.ours)


@pytest.fixture
def ours(people):  # noqa: ANN001, ANN201
    """``people.ours`` furnished and placed (city, phone, website, aliases), beside two more
    accounts of the rep's: what the list and search pages show."""
    account = furnish(people.ours)
    account.city, account.country = "Denver", "United States"
    account.phone, account.website = "+1 303 555 0100", "ours-telecom.example"
    account.industry, account.aliases = "Telecommunications", "Ours; Ours Tel"
    account.save()
    AccountFactory(name="Acme Freight", segment="mid-market", owner=people.rep)
    AccountFactory(name="Birch Bank", status="prospect", owner=people.rep)
    return account
