"""An outsourcing account with mixed results in Q3 2026 (July to September), the clock on
23 Nov 2026:

- First-call resolution % (target 80, higher is better): 82, 74, 71: missed in Aug and Sep;
  Average speed of answer (s) (target 30, lower is better): 25, 28, 41: missed in Sep;
  Tickets resolved within SLA % (target 95): 96, 97, 95.5: met. Three months before too.
- Service desk tickets, 4,000 a month contracted: 4,100, 5,420, 5,600 delivered (2.5%, 35.5%
  and 40% over; 3,120 or 26% over the quarter); Desk-side visits, 250 contracted: 240, 250,
  245 (never over, and an overrun never below zero).
- Tickets: a severity 1 resolved in 5 hours, two severity 3 resolved in 10 and 20 hours, a
  severity 2 still open. Invoices of $14,000 each month, August's disputed.
- A quarterly meeting in September with its playback and two action items.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from heedful.accounts.models import TeamMembership
from heedful.lib import clock
from heedful.meetings.models import ActionItem, Meeting, MeetingStatus
from tests.factories import (
    ContactFactory,
    DisputeFactory,
    InvoiceFactory,
    ScopeRecordFactory,
    ServiceMetricFactory,
    TicketFactory,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
METRICS = {
    "First-call resolution %": (80, True, [84, 83, 81, 82, 74, 71]),
    "Average speed of answer (s)": (30, False, [22, 24, 26, 25, 28, 41]),
    "Tickets resolved within SLA %": (95, True, [96, 97, 98, 96, 97, "95.5"]),
}
MONTHS = ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"]
SCOPE = {
    "Service desk tickets": (4000, [4000, 4050, 4080, 4100, 5420, 5600]),
    "Desk-side visits": (250, [250, 240, 250, 240, 250, 245]),
}


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(clock, "today", lambda: NOW.date())
    return NOW


@pytest.fixture
def mixed(people, now):  # noqa: ANN001, ANN201
    """The account ``people.ours`` with Q3 2026's mixed results (see the module)."""
    account = people.ours
    account.name = "Evergreen Property Management"
    account.save(update_fields=["name"])
    TeamMembership.objects.create(account=account, user=people.manager, role="csm",
                                  start_date=date(2025, 1, 1))
    for metric, (target, higher, values) in METRICS.items():
        for month, value in zip(MONTHS, values, strict=True):
            ServiceMetricFactory(account=account, metric=metric, period=month,
                                 target=Decimal(target), actual=Decimal(str(value)),
                                 higher_is_better=higher)
    for function, (contracted, values) in SCOPE.items():
        for month, value in zip(MONTHS, values, strict=True):
            ScopeRecordFactory(account=account, function=function, period=month,
                               contracted_quantity=Decimal(contracted),
                               delivered_quantity=Decimal(value))
    TicketFactory(account=account, external_id="TCK-1", severity=1, status="resolved",
                  subject="Phones down", opened_at=datetime(2026, 8, 3, 8, 0, tzinfo=UTC),
                  resolved_at=datetime(2026, 8, 3, 13, 0, tzinfo=UTC))
    TicketFactory(account=account, external_id="TCK-2", severity=3, status="resolved",
                  opened_at=datetime(2026, 7, 6, 8, 0, tzinfo=UTC),
                  resolved_at=datetime(2026, 7, 6, 18, 0, tzinfo=UTC))
    TicketFactory(account=account, external_id="TCK-3", severity=3, status="closed",
                  opened_at=datetime(2026, 9, 1, 8, 0, tzinfo=UTC),
                  resolved_at=datetime(2026, 9, 2, 4, 0, tzinfo=UTC))
    TicketFactory(account=account, external_id="TCK-4", severity=2, status="open",
                  subject="Printers offline at the Phoenix office",
                  opened_at=datetime(2026, 9, 10, 8, 0, tzinfo=UTC))
    for month in (7, 8, 9):
        invoice = InvoiceFactory(
            account=account, invoice_number=f"INV-2026-{month:02d}",
            period_start=date(2026, month, 1),
            period_end=date(2026, month, 30 if month == 9 else 31),
            issued_on=date(2026, month, 5), amount=Decimal("14000.00"), currency="USD",
        )
        if month == 8:
            DisputeFactory(invoice=invoice, opened_on=date(2026, 8, 20),
                           amount=Decimal("2000.00"), status="open")
    contact = ContactFactory(account=account, external_id="CON-DANA", full_name="Dana Reyes")
    meeting = Meeting.objects.create(
        account=account, title="Quarterly service meeting", organizer=people.rep,
        status=MeetingStatus.HELD,
        scheduled_start=datetime(2026, 9, 15, 15, 0, tzinfo=UTC),
        scheduled_end=datetime(2026, 9, 15, 16, 0, tzinfo=UTC),
        playback_summary="The service desk is busier than planned and they feel it in the "
        "response times.",
    )
    ActionItem.objects.create(meeting=meeting, what="Send the volume report by function",
                              user=people.rep, due_on=date(2026, 9, 22))
    ActionItem.objects.create(meeting=meeting, what="Share the new-site opening plan",
                              contact=contact, due_on=date(2026, 9, 30))
    return account
