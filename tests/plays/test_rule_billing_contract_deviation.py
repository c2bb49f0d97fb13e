from datetime import date
from decimal import Decimal

from tests.factories import ContractFactory, InvoiceFactory

RULE = "billing.contract_deviation"


def invoice(account, contract, amount, *, currency="USD", month=10, number=None):  # noqa: ANN001, ANN201
    return InvoiceFactory(
        account=account, contract=contract, currency=currency, amount=Decimal(amount),
        invoice_number=number or f"DEV-{month}-{amount}",
        period_start=date(2026, month, 1), period_end=date(2026, month, 28),
    )


def test_deviation_fires_when_the_bill_is_far_from_the_contracted_rate(people, findings) -> None:  # noqa: ANN001
    # given a contract of $2,500 a month billed $7,800
    contract = ContractFactory(account=people.ours, name="Managed voice")
    invoice(people.ours, contract, "7800.00", number="INV-7800")
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert play.subject == "invoice:INV-7800"
    assert play.owner_id == people.rep.pk
    assert "$7,800.00" in play.explanation
    assert "Managed voice contract says $2,500.00" in play.explanation
    assert "212% above the contracted rate" in play.explanation
    assert play.facts["contracted_amount"] == "2500.00"
    assert play.facts["amount"] == "7800.00"
    assert play.facts["change_percent"] == 212
    assert "open a dispute on their behalf" in play.suggested_action


def test_deviation_fires_below_the_rate_too(people, findings) -> None:  # noqa: ANN001
    contract = ContractFactory(account=people.ours)
    invoice(people.ours, contract, "2000.00")
    found = findings(RULE)
    assert [f.facts["direction"] for f in found] == ["below"]
    assert "20% below" in found[0].explanation


def test_deviation_stays_quiet_at_ten_percent(people, findings) -> None:  # noqa: ANN001
    contract = ContractFactory(account=people.ours)
    invoice(people.ours, contract, "2750.00")
    invoice(people.ours, contract, "2250.00", month=9)
    assert findings(RULE) == []


def test_deviation_fires_just_over_ten_percent(people, findings) -> None:  # noqa: ANN001
    contract = ContractFactory(account=people.ours)
    invoice(people.ours, contract, "2750.01")
    assert len(findings(RULE)) == 1


def test_deviation_needs_the_same_currency_as_the_contract(people, findings) -> None:  # noqa: ANN001
    contract = ContractFactory(account=people.ours, currency="USD")
    invoice(people.ours, contract, "2300.00", currency="EUR")
    assert findings(RULE) == []


def test_deviation_ignores_credits_zero_and_contracts_without_rate(people, findings) -> None:  # noqa: ANN001
    contract = ContractFactory(account=people.ours)
    invoice(people.ours, contract, "-2500.00", number="CREDIT")
    invoice(people.ours, contract, "0.00", number="ZERO")
    no_rate = ContractFactory(account=people.ours, recurring_amount=None)
    zero_rate = ContractFactory(account=people.ours, recurring_amount=Decimal("0"))
    invoice(people.ours, no_rate, "9999.00", number="NO-RATE")
    invoice(people.ours, zero_rate, "9999.00", number="ZERO-RATE")
    invoice(people.ours, None, "9999.00", number="NO-CONTRACT")
    assert findings(RULE) == []


def test_deviation_looks_only_at_recent_invoices(people, findings) -> None:  # noqa: ANN001
    contract = ContractFactory(account=people.ours)
    invoice(people.ours, contract, "7800.00", month=5)
    assert findings(RULE) == []
