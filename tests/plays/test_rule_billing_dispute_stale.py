from datetime import date
from decimal import Decimal

from tests.factories import DisputeFactory, InvoiceFactory

RULE = "billing.dispute_stale"


def dispute(account, opened_on, **fields):  # noqa: ANN001, ANN201
    bill = InvoiceFactory(account=account, invoice_number=f"INV-D-{opened_on}")
    return DisputeFactory(invoice=bill, opened_on=opened_on, **fields)


def test_dispute_open_more_than_30_days_fires(people, findings) -> None:  # noqa: ANN001
    # given
    dispute(people.ours, date(2026, 10, 1), amount=Decimal("5300.00"))
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert play.subject == "dispute:INV-D-2026-10-01:2026-10-01"
    assert "invoice INV-D-2026-10-01 ($5,300.00) has been open 52 days" in play.explanation
    assert "since 1 Oct 2026" in play.explanation
    assert play.facts == {
        "invoice_number": "INV-D-2026-10-01", "opened_on": "2026-10-01", "days_open": 52,
        "amount": "5300.00", "currency": "USD", "threshold_days": 30,
    }


def test_dispute_open_exactly_30_days_stays_quiet(people, findings) -> None:  # noqa: ANN001
    dispute(people.ours, date(2026, 10, 23))
    assert findings(RULE) == []


def test_dispute_open_31_days_fires(people, findings) -> None:  # noqa: ANN001
    dispute(people.ours, date(2026, 10, 22))
    assert len(findings(RULE)) == 1


def test_resolved_dispute_stays_quiet(people, findings) -> None:  # noqa: ANN001
    dispute(people.ours, date(2026, 9, 1), status="resolved", resolved_on=date(2026, 9, 20))
    assert findings(RULE) == []


def test_dispute_without_amount_explains_itself_without_one(people, findings) -> None:  # noqa: ANN001
    dispute(people.ours, date(2026, 9, 1), amount=None)
    found = findings(RULE)
    assert "()" not in found[0].explanation
    assert found[0].facts["amount"] is None
