"""The Account 360: everything about one customer account on one page, composed from every
record app (accounts, catalog, billing, orders, support, interactions, sales) and the
attention engine's open plays. It lives above all of them so that none of them imports
another's pages (tests/test_layering.py).

What it highlights, it highlights by the rules' own effective thresholds
(``plays.services.get_rule_settings``): an invoice the contract-deviation rule would flag, a
scope the scope-overrun rule would flag, a contract or maintenance within the renewal rule's
window; never a constant of its own.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, F, IntegerField, Value, When

from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership
from heedful.billing.models import Invoice
from heedful.catalog.models import AdverseChange, Contract, Holding
from heedful.interactions.models import Interaction
from heedful.lib import words
from heedful.lib.charts import Bar, bar_chart_svg
from heedful.lib.money import format_money
from heedful.orders.models import Order
from heedful.plays import services as plays_services
from heedful.plays.models import Play
from heedful.sales.models import Opportunity
from heedful.support.models import OPEN_TICKET_STATUSES, ScopeRecord, ServiceMetric, Ticket

BILL_RULE = "billing.contract_deviation"
"""The rule that compares a bill with its contract: its ``change_percent`` marks a bill."""
SCOPE_RULE = "service.scope_overrun"
"""The rule that compares delivered with contracted scope: its ``overrun_percent`` marks one."""
RENEWAL_RULE = "contracts.renewal_due"
"""The rule that raises renewals: its ``days_ahead`` marks a contract or maintenance ending."""
HUNDRED = Decimal(100)


RECENT_MONTHS = 6


@dataclass(frozen=True)
class HoldingLine:
    holding: Holding
    maintenance_days_left: int | None
    is_ending: bool
    """Maintenance ended, or ends within the renewal rule's ``days_ahead``."""


@dataclass(frozen=True)
class ContractLine:
    contract: Contract
    days_left: int
    notice_by: date | None
    """The last day to give notice, or None when the contract names no notice period."""
    notice_days_left: int | None
    is_ending: bool
    """Ends within the renewal rule's ``days_ahead`` (and has not ended)."""


@dataclass(frozen=True)
class AdverseChangeLine:
    change: AdverseChange
    days_until: int


@dataclass(frozen=True)
class OrderLine:
    order: Order
    status: str
    """ordered, shipped or delivered."""
    days_since_shipped: int | None


@dataclass(frozen=True)
class InvoiceLine:
    invoice: Invoice
    contracted_amount: Decimal | None
    ratio_to_contract: Decimal | None
    """The amount over the contracted rate, e.g. 3.12; None without a contracted rate."""
    differs_from_contract: bool
    """Further from the contracted rate than the contract-deviation rule allows."""


@dataclass(frozen=True)
class Account360:
    account: Account
    as_of: date
    team: list[TeamMembership]
    past_team: list[TeamMembership]
    contacts: list[Contact]
    holdings: list[HoldingLine]
    contracts: list[ContractLine]
    adverse_changes: list[AdverseChangeLine]
    orders: list[OrderLine]
    invoices: list[InvoiceLine]
    invoice_chart_svg: str
    tickets: list[Ticket]
    open_ticket_count: int
    service_metrics: list[ServiceMetric]
    missed_metric_count: int
    scope_lines: list["ScopeLine"]
    renewal_days_ahead: int
    """The renewal rule's effective ``days_ahead``, which marks what ends soon."""
    bill_change_percent: Any
    """The contract-deviation rule's effective threshold, which marks a bill."""
    scope_overrun_percent: Any
    """The scope-overrun rule's effective threshold, which marks a scope line."""
    interactions: list[Interaction]
    opportunities: list[Opportunity]
    news: list[NewsItem]
    plays: list[Play]
    """The account's open plays, urgent and highest priority first."""


def _months_before(as_of: date, months: int) -> str:
    """The YYYY-MM period ``months`` months before ``as_of`` (service metrics and scope use it)."""
    index = as_of.year * 12 + as_of.month - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class ScopeLine:
    record: ScopeRecord
    is_overrun: bool
    """Delivered further above contracted than the scope-overrun rule allows."""


def _invoice_lines(invoices: list[Invoice], change_percent: Any) -> list[InvoiceLine]:
    limit = Decimal(str(change_percent))
    lines = []
    for invoice in invoices:
        contract = invoice.contract
        contracted = contract.recurring_amount if contract else None
        ratio = (invoice.amount / contracted).quantize(Decimal("0.01")) if contracted else None
        differs = bool(
            contract is not None and contracted and contracted > 0
            and invoice.currency == contract.currency and invoice.amount > 0
            and abs(invoice.amount - contracted) / contracted * HUNDRED > limit
        )
        lines.append(
            InvoiceLine(
                invoice=invoice, contracted_amount=contracted, ratio_to_contract=ratio,
                differs_from_contract=differs,
            )
        )
    return lines


def _maintenance_is_ending(days_left: int | None, days_ahead: int) -> bool:
    return days_left is not None and days_left <= days_ahead


def _scope_lines(records: list[ScopeRecord], overrun_percent: Any) -> list[ScopeLine]:
    limit = Decimal(str(overrun_percent))
    return [
        ScopeLine(
            record=record,
            is_overrun=bool(
                record.contracted_quantity and record.contracted_quantity > 0
                and (record.delivered_quantity - record.contracted_quantity)
                / record.contracted_quantity * HUNDRED > limit
            ),
        )
        for record in records
    ]


def _invoice_chart(lines: list[InvoiceLine]) -> str:
    chronological = list(reversed(lines))
    if not chronological:
        return ""
    currency = chronological[-1].invoice.currency
    bars = [
        Bar(
            label=words.format_month(line.invoice.period_start),
            value=line.invoice.amount,
            reference=line.contracted_amount,
            is_highlighted=line.differs_from_contract,
        )
        for line in chronological
    ]
    return bar_chart_svg(
        bars=bars,
        title=f"Invoiced per period ({currency}), latest {len(bars)}",
        format_value=lambda amount: format_money(amount, currency).removesuffix(".00"),
        reference_label="Contracted rate",
    )


def get_account_360(*, account: Account, as_of: date) -> Account360:
    """Everything the Account 360 page shows, in a fixed number of queries whatever the size
    of the account. Lists are bounded: the latest 12 invoices, 50 interactions, 30 tickets
    (open ones first), 20 orders, 10 news items, the last six months of metrics, and every
    open play; one more query reads the rules' thresholds that mark bills and scope."""
    effective = plays_services.get_rule_settings()
    bill_change_percent = effective[BILL_RULE][1]["change_percent"]
    scope_overrun_percent = effective[SCOPE_RULE][1]["overrun_percent"]
    renewal_days_ahead = int(effective[RENEWAL_RULE][1]["days_ahead"])
    memberships = list(
        TeamMembership.objects.filter(account=account)
        .select_related("user__manager")
        .order_by("role", "start_date", "pk")
    )
    team = [membership for membership in memberships if membership.is_active(as_of)]
    past_team = sorted(
        (m for m in memberships if m.end_date is not None and m.end_date < as_of),
        key=lambda m: m.end_date or as_of, reverse=True,
    )
    contacts = list(account.contacts.order_by("-is_key", "full_name"))
    holdings = [
        HoldingLine(
            holding=h, maintenance_days_left=h.maintenance_days_left(as_of),
            is_ending=_maintenance_is_ending(h.maintenance_days_left(as_of), renewal_days_ahead),
        )
        for h in account.holdings.select_related("product__family").order_by(
            F("maintenance_end").asc(nulls_last=True), "product__name"
        )
    ]
    contracts = []
    for contract in account.contracts.order_by("end_date"):
        notice_by = (
            contract.end_date - timedelta(days=contract.notice_days)
            if contract.notice_days is not None else None
        )
        contracts.append(
            ContractLine(
                contract=contract, days_left=contract.days_left(as_of), notice_by=notice_by,
                notice_days_left=(notice_by - as_of).days if notice_by else None,
                is_ending=0 <= contract.days_left(as_of) <= renewal_days_ahead,
            )
        )
    adverse_changes = [
        AdverseChangeLine(change=change, days_until=(change.effective_on - as_of).days)
        for change in account.adverse_changes.filter(effective_on__gte=as_of).order_by(
            "effective_on"
        )
    ]
    orders = [
        OrderLine(
            order=order,
            status="delivered" if order.delivered_on else "shipped" if order.shipped_on
            else "ordered",
            days_since_shipped=(as_of - order.shipped_on).days if order.shipped_on else None,
        )
        for order in account.orders.order_by("-ordered_on", "-pk")[:20]
    ]
    invoices = _invoice_lines(
        list(
            account.invoices.select_related("contract")
            .prefetch_related("disputes")
            .order_by("-period_start", "-pk")[:12]
        ),
        bill_change_percent,
    )
    tickets: list[Ticket] = list(
        account.tickets.select_related("contact")
        .annotate(
            is_open_rank=Case(
                When(status__in=OPEN_TICKET_STATUSES, then=Value(0)),
                default=Value(1), output_field=IntegerField(),
            )
        )
        .order_by("is_open_rank", "severity", "-opened_at")[:30]
    )
    since = _months_before(as_of, RECENT_MONTHS)
    service_metrics = list(
        account.service_metrics.filter(period__gte=since).order_by("metric", "-period")
    )
    scope_records = list(
        account.scope_records.filter(period__gte=since).order_by("function", "-period")
    )
    interactions = list(
        account.interactions.select_related("user")
        .prefetch_related("contacts")
        .order_by("-occurred_at")[:50]
    )
    opportunities = list(
        account.opportunities.select_related("owner").order_by(
            F("closed_on").desc(nulls_first=True), "close_date"
        )
    )
    news = list(account.news.order_by("-occurred_on")[:10])
    return Account360(
        account=account,
        as_of=as_of,
        team=team,
        past_team=past_team,
        contacts=contacts,
        holdings=holdings,
        contracts=contracts,
        adverse_changes=adverse_changes,
        orders=orders,
        invoices=invoices,
        invoice_chart_svg=_invoice_chart(invoices),
        tickets=tickets,
        open_ticket_count=account.tickets.filter(status__in=OPEN_TICKET_STATUSES).count(),
        service_metrics=service_metrics,
        missed_metric_count=sum(1 for metric in service_metrics if not metric.met_target),
        scope_lines=_scope_lines(scope_records, scope_overrun_percent),
        renewal_days_ahead=renewal_days_ahead,
        bill_change_percent=bill_change_percent,
        scope_overrun_percent=scope_overrun_percent,
        interactions=interactions,
        opportunities=opportunities,
        news=news,
        plays=plays_services.get_for_account(account_id=account.pk),
    )
