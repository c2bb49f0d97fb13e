"""The bill trend draws one series per contract: a monthly and a quarterly contract on one
account (Pinecrest in the demo) never share a line, so no month appears twice and each
contracted line runs unbroken. Months read as months ("Nov 2025")."""

import re
from datetime import date
from decimal import Decimal

from heedful.account360.services import InvoiceLine, bill_series
from heedful.billing.models import Invoice
from heedful.catalog.models import Contract
from heedful.lib.charts import period_label
from heedful.lib.words import format_month

MONTHLY = Contract(
    pk=1, external_id="CTR-1", name="Maintenance & support", billing_period="monthly",
    recurring_amount=Decimal("9400.00"), currency="USD",
    start_date=date(2024, 1, 1), end_date=date(2027, 1, 14),
)
QUARTERLY = Contract(
    pk=2, external_id="CTR-2", name="Managed services agreement", billing_period="quarterly",
    recurring_amount=Decimal("6900.00"), currency="USD",
    start_date=date(2025, 1, 1), end_date=date(2028, 3, 31),
)


def month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def line(contract: Contract | None, start: date, end: date, amount: str,
         currency: str = "USD", number: int = 0) -> InvoiceLine:
    invoice = Invoice(
        pk=number, invoice_number=f"INV-{number}", contract=contract, period_start=start,
        period_end=end, amount=Decimal(amount), currency=currency,
    )
    contracted = contract.recurring_amount if contract else None
    return InvoiceLine(
        invoice=invoice, contracted_amount=contracted, ratio_to_contract=None,
        differs_from_contract=False,
    )


def pinecrest() -> list[InvoiceLine]:
    """Twelve monthly invoices (Nov 2025 to Oct 2026) and three quarterly ones, interleaved
    as the database returns them (by period start)."""
    lines = []
    for index in range(12):
        year, month = divmod(2025 * 12 + 10 + index, 12)
        start = date(year, month + 1, 1)
        lines.append(line(MONTHLY, start, month_end(year, month + 1), "9400.00", number=index + 1))
    for index, (year, month) in enumerate(((2026, 1), (2026, 4), (2026, 7))):
        lines.append(line(
            QUARTERLY, date(year, month, 1), month_end(year, month + 2), "6900.00",
            number=100 + index,
        ))
    return sorted(lines, key=lambda one: one.invoice.period_start)


def bar_labels(svg: str) -> list[str]:
    return re.findall(r'<text class="chart-axis" x="[\d.]+" y="\d+" text-anchor="middle">([^<]+)<',
                      svg)


def reference_heights(svg: str) -> set[str]:
    """The y of every segment of the contracted line (the legend's sample excluded)."""
    return {
        y for x1, y in re.findall(r'<line class="chart-reference" x1="([\d.]+)" x2="[\d.]+" '
                                  r'y1="([\d.]+)"', svg)
        if y != "12"
    }


def test_a_monthly_and_a_quarterly_contract_are_two_series() -> None:
    # when
    series = bill_series(pinecrest())
    # then
    assert [one.name for one in series] == ["Maintenance & support", "Managed services agreement"]
    monthly, quarterly = series
    assert [one.invoice.pk for one in monthly.lines] == list(range(1, 13))
    assert [one.invoice.pk for one in quarterly.lines] == [100, 101, 102]
    assert (monthly.billing_period, quarterly.billing_period) == ("Monthly", "Quarterly")


def test_no_month_appears_twice_in_a_series() -> None:
    # when
    monthly, quarterly = bill_series(pinecrest())
    # then
    monthly_labels = [
        period_label(one.invoice.period_start, one.invoice.period_end) for one in monthly.lines
    ]
    assert len(set(monthly_labels)) == 12
    assert monthly_labels[0] == "Nov 2025" and monthly_labels[-1] == "Oct 2026"
    assert [
        period_label(one.invoice.period_start, one.invoice.period_end) for one in quarterly.lines
    ] == ["Jan–Mar 2026", "Apr–Jun 2026", "Jul–Sep 2026"]


def test_each_contracted_line_runs_unbroken_at_its_own_rate() -> None:
    # when
    monthly, quarterly = bill_series(pinecrest())
    # then: every bar carries a segment of the line, all at one height
    for one in (monthly, quarterly):
        segments = one.chart_svg.count('class="chart-reference"') - 1  # less the legend's
        assert segments == len(one.lines)
        assert len(reference_heights(one.chart_svg)) == 1
    assert reference_heights(monthly.chart_svg) != reference_heights(quarterly.chart_svg)


def test_each_series_is_its_own_chart_with_its_own_title_and_ids() -> None:
    # when
    monthly, quarterly = bill_series(pinecrest())
    # then
    assert "Maintenance &amp; support (monthly), USD" in monthly.chart_svg
    assert "Managed services agreement (quarterly), USD" in quarterly.chart_svg
    assert 'id="bill-chart-0-title"' in monthly.chart_svg
    assert 'id="bill-chart-1-title"' in quarterly.chart_svg
    assert "Nov 2025" in bar_labels(monthly.chart_svg)
    assert "Jan–Mar 2026" in bar_labels(quarterly.chart_svg)


def test_the_series_with_the_latest_invoice_comes_first() -> None:
    # given: the quarterly contract billed last
    lines = pinecrest()[:4] + [
        line(QUARTERLY, date(2026, 10, 1), date(2026, 12, 31), "6900.00", number=200)
    ]
    # when
    series = bill_series(lines)
    # then
    assert [one.name for one in series] == ["Managed services agreement", "Maintenance & support"]


def test_invoices_without_a_contract_form_one_series_per_currency() -> None:
    # given
    lines = [
        line(None, date(2026, 9, 1), date(2026, 9, 30), "100.00", "USD", number=1),
        line(None, date(2026, 10, 1), date(2026, 10, 31), "90.00", "EUR", number=2),
        line(None, date(2026, 10, 1), date(2026, 10, 31), "120.00", "USD", number=3),
    ]
    # when
    series = bill_series(lines)
    # then
    assert [(one.name, one.currency, len(one.lines)) for one in series] == [
        ("Invoices without a contract", "USD", 2),
        ("Invoices without a contract", "EUR", 1),
    ]
    assert all('class="chart-reference"' not in one.chart_svg for one in series)


def test_no_invoices_no_series() -> None:
    assert bill_series([]) == []


def test_months_read_as_months_not_as_days() -> None:
    assert format_month(date(2025, 11, 3)) == "Nov 2025"
    assert period_label(date(2025, 11, 1), date(2025, 11, 30)) == "Nov 2025"
    assert period_label(date(2026, 7, 1), date(2026, 9, 30)) == "Jul–Sep 2026"
    assert period_label(date(2025, 12, 1), date(2026, 2, 28)) == "Dec 2025–Feb 2026"
