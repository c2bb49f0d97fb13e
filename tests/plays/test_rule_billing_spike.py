from datetime import date
from decimal import Decimal

from tests.factories import ContractFactory, InvoiceFactory

RULE = "billing.spike"


def monthly_invoices(account, contract, amounts, *, currency="USD", first_month=7):  # noqa: ANN001, ANN201
    """Invoices for consecutive months of 2026 starting at ``first_month``."""
    invoices = []
    for offset, amount in enumerate(amounts):
        month = first_month + offset
        invoices.append(InvoiceFactory(
            account=account, contract=contract, currency=currency,
            invoice_number=f"INV-{account.pk}-{month:02d}-{currency}",
            period_start=date(2026, month, 1), period_end=date(2026, month, 28),
            amount=Decimal(amount),
        ))
    return invoices


def test_spike_fires_above_half_again_the_median(people, findings) -> None:  # noqa: ANN001
    # given
    contract = ContractFactory(account=people.ours)
    monthly_invoices(people.ours, contract, ["2500.00", "2400.00", "2600.00", "7800.00"])
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert play.account_id == people.ours.pk
    assert play.owner_id == people.rep.pk
    assert play.subject == f"invoice:INV-{people.ours.pk}-10-USD"
    assert "$7,800.00" in play.explanation
    assert "212% above" in play.explanation
    assert "median $2,500.00" in play.explanation
    assert "previous 3 invoices" in play.explanation
    assert play.facts["amount"] == "7800.00"
    assert play.facts["median_previous"] == "2500.00"
    assert play.facts["previous_amounts"] == ["2600.00", "2400.00", "2500.00"]
    assert play.facts["change_percent"] == 212
    assert "review it with them" in play.suggested_action


def test_spike_fires_on_a_drop_too(people, findings) -> None:  # noqa: ANN001
    contract = ContractFactory(account=people.ours)
    monthly_invoices(people.ours, contract, ["2500.00", "2500.00", "1000.00"], first_month=8)
    found = findings(RULE)
    assert [f.facts["direction"] for f in found] == ["below"]
    assert "60% below the median $2,500.00 of the previous 2 invoices" in found[0].explanation


def test_spike_stays_quiet_at_exactly_half_again(people, findings) -> None:  # noqa: ANN001
    contract = ContractFactory(account=people.ours)
    monthly_invoices(people.ours, contract, ["2000.00", "2000.00", "2000.00", "3000.00"])
    assert findings(RULE) == []


def test_spike_fires_just_above_half_again(people, findings) -> None:  # noqa: ANN001
    contract = ContractFactory(account=people.ours)
    monthly_invoices(people.ours, contract, ["2000.00", "2000.00", "2000.00", "3000.02"])
    assert len(findings(RULE)) == 1


def test_spike_needs_two_previous_invoices(people, findings) -> None:  # noqa: ANN001
    contract = ContractFactory(account=people.ours)
    monthly_invoices(people.ours, contract, ["2500.00", "7800.00"], first_month=9)
    assert findings(RULE) == []


def test_spike_is_quiet_on_a_single_invoice(people, findings) -> None:  # noqa: ANN001
    monthly_invoices(people.ours, None, ["7800.00"], first_month=10)
    assert findings(RULE) == []


def test_spike_ignores_previous_invoices_older_than_six_months(people, findings) -> None:  # noqa: ANN001
    # given two old invoices (more than 6 months before) and one recent spike
    contract = ContractFactory(account=people.ours)
    for number, month in (("OLD-1", 1), ("OLD-2", 2)):
        InvoiceFactory(account=people.ours, contract=contract, invoice_number=number,
                       period_start=date(2026, month, 1), period_end=date(2026, month, 28),
                       amount=Decimal("2500.00"))
    InvoiceFactory(account=people.ours, contract=contract, invoice_number="NEW",
                   period_start=date(2026, 10, 1), period_end=date(2026, 10, 31),
                   amount=Decimal("7800.00"))
    # then
    assert findings(RULE) == []


def test_spike_ignores_zero_negative_and_credit_invoices(people, findings) -> None:  # noqa: ANN001
    contract = ContractFactory(account=people.ours)
    monthly_invoices(people.ours, contract, ["2500.00", "0.00", "-2500.00", "2500.00", "2600.00"],
                     first_month=6)
    assert findings(RULE) == []


def test_spike_is_quiet_when_the_median_comes_from_credits_only(people, findings) -> None:  # noqa: ANN001
    contract = ContractFactory(account=people.ours)
    monthly_invoices(people.ours, contract, ["-100.00", "-100.00", "0.00", "500.00"])
    assert findings(RULE) == []


def test_spike_never_compares_different_currencies(people, findings) -> None:  # noqa: ANN001
    # given the same contract billed in euros (small numbers) and then in yen
    contract = ContractFactory(account=people.ours)
    monthly_invoices(people.ours, contract, ["2500.00", "2500.00", "2500.00"], currency="EUR",
                     first_month=7)
    monthly_invoices(people.ours, contract, ["390000.00"], currency="JPY", first_month=10)
    # then
    assert findings(RULE) == []


def test_spike_compares_within_one_contract(people, findings) -> None:  # noqa: ANN001
    small = ContractFactory(account=people.ours, name="Small")
    large = ContractFactory(account=people.ours, name="Large")
    monthly_invoices(people.ours, small, ["100.00", "100.00", "100.00"], first_month=7)
    for month, number in ((9, "L-9"), (10, "L-10")):
        InvoiceFactory(account=people.ours, contract=large, invoice_number=number,
                       period_start=date(2026, month, 1), period_end=date(2026, month, 28),
                       amount=Decimal("9000.00"))
    assert findings(RULE) == []


def test_spike_only_looks_at_recent_invoices(people, findings) -> None:  # noqa: ANN001
    contract = ContractFactory(account=people.ours)
    monthly_invoices(people.ours, contract, ["2500.00", "2500.00", "7800.00"], first_month=3)
    assert findings(RULE) == []


def test_spike_limits_to_the_given_accounts(people, findings) -> None:  # noqa: ANN001
    for account in (people.ours, people.theirs):
        monthly_invoices(account, None, ["2500.00", "2500.00", "7800.00"], first_month=8)
    found = findings(RULE, [people.theirs.pk])
    assert [f.account_id for f in found] == [people.theirs.pk]


def test_spike_threshold_is_editable(people, findings) -> None:  # noqa: ANN001
    contract = ContractFactory(account=people.ours)
    monthly_invoices(people.ours, contract, ["2000.00", "2000.00", "2000.00", "2500.00"])
    assert findings(RULE) == []
    assert len(findings(RULE, change_percent=20)) == 1


def test_spike_thresholds_above_one_hundred_percent_still_fire(people, findings) -> None:  # noqa: ANN001
    # given a threshold of 150%: only a bill over 2.5x the median is a spike, and no drop can be
    contract = ContractFactory(account=people.ours)
    monthly_invoices(people.ours, contract, ["1000.00", "1000.00", "1000.00", "2600.00"])
    other = ContractFactory(account=people.theirs)
    monthly_invoices(people.theirs, other, ["1000.00", "1000.00", "1000.00", "2400.00"])
    # then
    found = findings(RULE, change_percent=150)
    assert [f.facts["change_percent"] for f in found] == [160]
    assert found[0].facts["contract_external_id"] == contract.external_id


def test_spike_finds_a_deep_drop_at_a_high_threshold(people, findings) -> None:  # noqa: ANN001
    contract = ContractFactory(account=people.ours)
    monthly_invoices(people.ours, contract, ["1000.00", "1000.00", "150.00"], first_month=8)
    found = findings(RULE, change_percent=80)
    assert [(f.facts["direction"], f.facts["change_percent"]) for f in found] == [("below", 85)]


def test_spike_reads_the_accounts_in_batches(people, findings, monkeypatch) -> None:  # noqa: ANN001
    # given two spiking accounts and batches of one account
    from heedful.plays.rules import billing

    monkeypatch.setattr(billing, "ACCOUNTS_PER_QUERY", 1)
    for account in (people.ours, people.theirs):
        monthly_invoices(account, ContractFactory(account=account), ["100.00", "100.00", "900.00"],
                         first_month=8)
    # then each is found, with its own owner and contract
    found = sorted(findings(RULE), key=lambda f: f.account_id)
    assert [(f.account_id, f.owner_id) for f in found] == sorted([
        (people.ours.pk, people.rep.pk), (people.theirs.pk, people.other_rep.pk)])
    assert all(f.facts["contract_external_id"] for f in found)
