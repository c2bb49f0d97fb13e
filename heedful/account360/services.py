"""The Account 360: everything about one customer account on one page, composed from every
record app (accounts, catalog, billing, orders, support, interactions, sales) and the
attention engine's open plays. It lives above all of them so that none of them imports
another's pages (tests/test_layering.py).

What it highlights, it highlights by the rules' own effective thresholds
(``plays.services.get_rule_settings``): an invoice the contract-deviation rule would flag, a
scope the scope-overrun rule would flag, a contract or maintenance within the renewal rule's
window; never a constant of its own.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Min, Value, When

from heedful.accounts import services as accounts_services
from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership
from heedful.billing.models import Invoice
from heedful.catalog.models import AdverseChange, Contract, Holding
from heedful.health import services as health_services
from heedful.health.components import STALE_SETTING
from heedful.health.models import HealthScore, OwnerSentimentEntry
from heedful.interactions.models import TWO_WAY_CONVERSATION, Interaction
from heedful.lib.charts import (
    Bar,
    Point,
    bar_chart_svg,
    line_chart_svg,
    period_label,
)
from heedful.lib.money import format_money
from heedful.lib.words import format_day, format_month
from heedful.orders.models import Order
from heedful.plays import services as plays_services
from heedful.plays.models import Play
from heedful.plays.rules.base import end_of
from heedful.sales.models import Opportunity
from heedful.support.models import OPEN_TICKET_STATUSES, ScopeRecord, ServiceMetric, Ticket

BILL_RULE = "billing.contract_deviation"
"""The rule that compares a bill with its contract: its ``change_percent`` marks a bill."""
SCOPE_RULE = "service.scope_overrun"
"""The rule that compares delivered with contracted scope: its ``overrun_percent`` marks one."""
RENEWAL_RULE = "contracts.renewal_due"
SCORE_DROP_RULE = "health.score_drop"
HEALTH_TREND_DAYS = 180
HEALTHY_FROM = 85  # a score from here up reads "healthy"; below AT_RISK_BELOW, "at risk"
AT_RISK_BELOW = 70
"""The rule that raises renewals: its ``days_ahead`` marks a contract or maintenance ending."""
HUNDRED = Decimal(100)


INVOICES_LISTED = 12
"""The invoice table lists the latest twelve invoices of every contract together."""
TREND_MONTHS = 12
"""The bill, SLA and scope trends cover the twelve months up to the latest record."""
INTERACTIONS_PER_PAGE = 10
INTERACTION_SORTS: dict[str, tuple[str, ...]] = {
    "newest": ("-occurred_at", "-pk"),
    "oldest": ("occurred_at", "pk"),
    "kind": ("kind", "-occurred_at", "-pk"),
}
"""How the interactions can be ordered, by the name the page's links carry; ``pk`` breaks
ties so that paging never shows a row twice."""
DEFAULT_INTERACTION_SORT = "newest"


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
    org_chart: list[accounts_services.OrgChartNode]
    """Who reports to whom among the contacts; empty when no contact reports to another."""
    holdings: list[HoldingLine]
    contracts: list[ContractLine]
    adverse_changes: list[AdverseChangeLine]
    orders: list[OrderLine]
    invoices: list[InvoiceLine]
    bill_series: list["BillSeries"]
    """The bill trend: one series per contract (and one per currency for invoices without a
    contract), the series with the latest invoice first."""
    tickets: list[Ticket]
    open_ticket_count: int
    worst_open_severity: int | None
    """The most severe open ticket's severity (1 is the worst); None without open tickets."""
    service_metrics: list[ServiceMetric]
    missed_metric_count: int
    sla_status: "SlaStatus | None"
    """The latest measured month against its targets; None without service metrics."""
    metric_trends: list["Trend"]
    scope_lines: list["ScopeLine"]
    scope_trends: list["Trend"]
    renewal_days_ahead: int
    """The renewal rule's effective ``days_ahead``, which marks what ends soon."""
    bill_change_percent: Any
    """The contract-deviation rule's effective threshold, which marks a bill."""
    scope_overrun_percent: Any
    """The scope-overrun rule's effective threshold, which marks a scope line."""
    interactions: "InteractionPage"
    last_two_way: Interaction | None
    """The latest conversation (two-way, or a call, meeting or visit) up to ``as_of``, as the
    gone-cold rule counts one."""
    next_end: "EndLine | None"
    """The next contract or maintenance end on or after ``as_of``."""
    opportunities: list[Opportunity]
    news: list[NewsItem]
    plays: list[Play]
    """The account's open plays, urgent and highest priority first."""
    health: "AccountHealth"

    @property
    def owner_membership(self) -> TeamMembership | None:
        return next((m for m in self.team if m.role == "owner"), None)

    @property
    def team_without_owner(self) -> list[TeamMembership]:
        return [m for m in self.team if m.role != "owner"]


@dataclass(frozen=True)
class EndLine:
    """A contract or a product's maintenance that ends, for "next renewal" on the first screen."""

    kind: str
    """"contract" or "maintenance"."""
    name: str
    ends_on: date
    days_left: int
    notice_by: date | None
    is_ending: bool
    """Within the renewal rule's ``days_ahead``."""


@dataclass(frozen=True)
class SlaStatus:
    period: str
    """The latest month measured, YYYY-MM."""
    month: str
    """The same month as a person reads it: "Oct 2026"."""
    measured_count: int
    missed: list[str]
    """The metrics that missed their target that month, by name."""
    months_with_a_miss: int
    """Of the months in the trend, how many missed at least one target."""
    month_count: int


@dataclass(frozen=True)
class BillSeries:
    name: str
    contract: Contract | None
    currency: str
    billing_period: str
    """The contract's billing period label ("Monthly", "Quarterly"); empty without a contract."""
    lines: list[InvoiceLine]
    """Oldest first, one per invoice."""
    chart_svg: str


@dataclass(frozen=True)
class Trend:
    """One SLA metric or scope function over the months, charted against its target."""

    name: str
    chart_svg: str
    missed_count: int
    """Months that missed the target (SLA) or ran over the contracted scope (scope)."""
    month_count: int
    latest: str
    """The latest month in words: "Oct 2026: 82 against a target of 90"."""


@dataclass(frozen=True)
class InteractionPage:
    items: list[Interaction]
    number: int
    count: int
    page_count: int
    sort: str

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.page_count

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


def _month_start_before(day: date, months: int) -> date:
    """The first day of the month ``months`` months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


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


def _plain_number(value: Decimal) -> str:
    """82.5000 → "82.5", 4000.00 → "4,000": a metric or a volume as a person reads it."""
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def bill_series(lines: Sequence[InvoiceLine]) -> list[BillSeries]:
    """The bill trend split into one series per contract, so that a monthly and a quarterly
    contract never share a line (where months would appear twice and the contracted rate
    would jump between the two). Invoices without a contract form one series per currency.
    Each series runs oldest to newest; the series with the latest invoice comes first."""
    groups: dict[tuple[int | None, str], list[InvoiceLine]] = {}
    for line in lines:
        key = (line.invoice.contract_id, "" if line.invoice.contract_id else line.invoice.currency)
        groups.setdefault(key, []).append(line)
    series = []
    for members in groups.values():
        members.sort(key=lambda line: (line.invoice.period_start, line.invoice.pk or 0))
        contract = members[-1].invoice.contract
        series.append(
            BillSeries(
                name=contract.name if contract else "Invoices without a contract",
                contract=contract,
                currency=members[-1].invoice.currency,
                billing_period=contract.get_billing_period_display() if contract else "",
                lines=members,
                chart_svg="",
            )
        )
    series.sort(
        key=lambda one: (one.lines[-1].invoice.period_start, one.name), reverse=True
    )
    return [
        BillSeries(
            name=one.name, contract=one.contract, currency=one.currency,
            billing_period=one.billing_period, lines=one.lines,
            chart_svg=_bill_chart(one, identifier=f"bill-chart-{index}"),
        )
        for index, one in enumerate(series)
    ]


def _bill_chart(series: BillSeries, *, identifier: str) -> str:
    currency = series.currency
    bars = [
        Bar(
            label=period_label(line.invoice.period_start, line.invoice.period_end),
            value=line.invoice.amount,
            # A contracted rate in another currency is no line to compare a bill with.
            reference=line.contracted_amount
            if line.invoice.contract and line.invoice.contract.currency == currency else None,
            is_highlighted=line.differs_from_contract,
        )
        for line in series.lines
    ]
    every = f" ({series.billing_period.lower()})" if series.billing_period else ""
    return bar_chart_svg(
        bars=bars,
        title=f"Invoiced per period, {series.name}{every}, {currency}",
        format_value=lambda amount: format_money(amount, currency).removesuffix(".00"),
        reference_label="Contracted rate",
        identifier=identifier,
        max_labels=6,
        width=640,
        height=200,
    )


def _metric_trends(metrics: list[ServiceMetric]) -> list[Trend]:
    by_name: dict[str, list[ServiceMetric]] = {}
    for metric in metrics:
        by_name.setdefault(metric.metric, []).append(metric)
    trends = []
    for index, (name, rows) in enumerate(sorted(by_name.items())):
        rows.sort(key=lambda row: row.period)
        better = "higher" if rows[-1].higher_is_better else "lower"
        points = [
            Point(
                label=format_month(row.period), value=row.actual, reference=row.target,
                is_highlighted=not row.met_target,
            )
            for row in rows
        ]
        trends.append(
            Trend(
                name=name,
                chart_svg=line_chart_svg(
                    points=points, title=f"{name} per month against its target ({better} is "
                    "better)", format_value=_plain_number, reference_label="SLA target",
                    identifier=f"sla-chart-{index}", max_labels=6, width=640, height=200,
                ),
                missed_count=sum(1 for row in rows if not row.met_target),
                month_count=len(rows),
                latest=f"{format_month(rows[-1].period)}: {_plain_number(rows[-1].actual)} against "
                f"a target of {_plain_number(rows[-1].target)}",
            )
        )
    return trends


def _sla_status(metrics: list[ServiceMetric]) -> SlaStatus | None:
    if not metrics:
        return None
    latest = max(metric.period for metric in metrics)
    in_latest = [metric for metric in metrics if metric.period == latest]
    months = {metric.period for metric in metrics}
    missed_months = {metric.period for metric in metrics if not metric.met_target}
    return SlaStatus(
        period=latest,
        month=format_month(latest),
        measured_count=len(in_latest),
        missed=sorted(metric.metric for metric in in_latest if not metric.met_target),
        months_with_a_miss=len(missed_months),
        month_count=len(months),
    )


def _scope_trends(lines: list[ScopeLine]) -> list[Trend]:
    by_function: dict[str, list[ScopeLine]] = {}
    for line in lines:
        by_function.setdefault(line.record.function, []).append(line)
    trends = []
    for index, (name, rows) in enumerate(sorted(by_function.items())):
        rows.sort(key=lambda line: line.record.period)
        bars = [
            Bar(
                label=format_month(line.record.period), value=line.record.delivered_quantity,
                reference=line.record.contracted_quantity, is_highlighted=line.is_overrun,
            )
            for line in rows
        ]
        trends.append(
            Trend(
                name=name,
                chart_svg=bar_chart_svg(
                    bars=bars, title=f"{name}: delivered per month against contracted scope",
                    format_value=_plain_number, reference_label="Contracted",
                    identifier=f"scope-chart-{index}", max_labels=6, width=640, height=200,
                ),
                missed_count=sum(1 for line in rows if line.is_overrun),
                month_count=len(rows),
                latest=_scope_words(rows[-1].record),
            )
        )
    return trends


def _scope_words(record: ScopeRecord) -> str:
    words = (
        f"{format_month(record.period)}: {_plain_number(record.delivered_quantity)} delivered "
        f"against {_plain_number(record.contracted_quantity)} contracted"
    )
    ratio = record.overrun_ratio
    return f"{words} ({ratio * 100:.0f}% of scope)" if ratio is not None else words


def _next_end(
    contracts: list[ContractLine], holdings: list[HoldingLine], as_of: date
) -> EndLine | None:
    """The nearest end still ahead: a contract's end or a product's maintenance end."""
    candidates = [
        EndLine(
            kind="contract", name=line.contract.name, ends_on=line.contract.end_date,
            days_left=line.days_left, notice_by=line.notice_by, is_ending=line.is_ending,
        )
        for line in contracts
        if line.days_left >= 0
    ]
    candidates += [
        EndLine(
            kind="maintenance", name=line.holding.product.name,
            ends_on=line.holding.maintenance_end, days_left=line.maintenance_days_left,
            notice_by=None, is_ending=line.is_ending,
        )
        for line in holdings
        if line.holding.maintenance_end is not None and line.maintenance_days_left is not None
        and line.maintenance_days_left >= 0
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda end: (end.ends_on, end.kind != "contract", end.name))


def get_interactions_page(
    *, account: Account, page: int = 1, sort: str = DEFAULT_INTERACTION_SORT
) -> InteractionPage:
    """One page of the account's interactions in three queries (count, rows, their
    contacts), whatever the account's history: ``page`` outside the range gives the nearest
    page, an unknown ``sort`` the newest first."""
    if sort not in INTERACTION_SORTS:
        sort = DEFAULT_INTERACTION_SORT
    count = account.interactions.count()
    page_count = max(1, -(-count // INTERACTIONS_PER_PAGE))
    number = min(max(page, 1), page_count)
    start = (number - 1) * INTERACTIONS_PER_PAGE
    items = list(
        account.interactions.select_related("user")
        .prefetch_related("contacts")
        .order_by(*INTERACTION_SORTS[sort])[start:start + INTERACTIONS_PER_PAGE]
    ) if count else []
    return InteractionPage(
        items=items, number=number, count=count, page_count=page_count, sort=sort
    )


def get_account_360(
    *, account: Account, as_of: date, interactions_page: int = 1,
    interactions_sort: str = DEFAULT_INTERACTION_SORT,
) -> Account360:
    """Everything the Account 360 page shows, in a fixed number of queries whatever the size
    of the account. Lists are bounded: the latest 12 invoices, the invoices of the 12 months
    up to the latest one (for the bill trend), one page of interactions, 30 tickets (open
    ones first), 20 orders, 10 news items, the last 12 months of metrics and scope, and
    every open play; one more query reads the rules' thresholds that mark bills and scope."""
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
            .order_by("-period_start", "-pk")[:INVOICES_LISTED]
        ),
        bill_change_percent,
    )
    trend_invoices: list[InvoiceLine] = []
    if invoices:
        trend_start = _month_start_before(invoices[0].invoice.period_start, TREND_MONTHS - 1)
        trend_invoices = _invoice_lines(
            list(
                account.invoices.select_related("contract")
                .filter(period_start__gte=trend_start)
                .order_by("period_start", "pk")
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
    since = _months_before(as_of, TREND_MONTHS)
    service_metrics = list(
        account.service_metrics.filter(period__gte=since).order_by("metric", "-period")
    )
    scope_records = list(
        account.scope_records.filter(period__gte=since).order_by("function", "-period")
    )
    last_two_way = (
        account.interactions.filter(TWO_WAY_CONVERSATION, occurred_at__lt=end_of(as_of))
        .select_related("user")
        .prefetch_related("contacts")
        .order_by("-occurred_at")  # the timeline index's own order: no sort
        .first()
    )
    open_tickets = account.tickets.filter(status__in=OPEN_TICKET_STATUSES).aggregate(
        count=Count("pk"), worst=Min("severity")
    )
    scope_lines = _scope_lines(scope_records, scope_overrun_percent)
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
        org_chart=accounts_services.get_org_chart(contacts=contacts),
        holdings=holdings,
        contracts=contracts,
        adverse_changes=adverse_changes,
        orders=orders,
        invoices=invoices,
        bill_series=bill_series(trend_invoices),
        tickets=tickets,
        open_ticket_count=open_tickets["count"],
        worst_open_severity=open_tickets["worst"],
        service_metrics=service_metrics,
        missed_metric_count=sum(1 for metric in service_metrics if not metric.met_target),
        sla_status=_sla_status(service_metrics),
        metric_trends=_metric_trends(service_metrics),
        scope_lines=scope_lines,
        scope_trends=_scope_trends(scope_lines),
        renewal_days_ahead=renewal_days_ahead,
        bill_change_percent=bill_change_percent,
        scope_overrun_percent=scope_overrun_percent,
        interactions=get_interactions_page(
            account=account, page=interactions_page, sort=interactions_sort
        ),
        last_two_way=last_two_way,
        next_end=_next_end(contracts, holdings, as_of),
        opportunities=opportunities,
        news=news,
        plays=plays_services.get_for_account(account_id=account.pk),
        health=_health(account, as_of, effective[SCORE_DROP_RULE][1]),
    )


@dataclass(frozen=True)
class AccountHealth:
    explanation: health_services.Explanation | None
    """The latest score on or before the page's day, with its components; None before any."""
    trend_svg: str
    trend_days: int
    drop_points: int
    drop_days: int
    change_words: str
    """How the score moved since the scan before, in words; empty without one."""
    sentiment: OwnerSentimentEntry | None
    sentiment_is_stale: bool
    stale_days: int
    may_set_sentiment: bool = False
    may_change_weights: bool = False
    sentiment_form: Any = None

    @property
    def band(self) -> str:
        score = self.explanation.score if self.explanation else 0
        return "good" if score >= HEALTHY_FROM else "watch" if score >= AT_RISK_BELOW else "risk"

    @property
    def band_words(self) -> str:
        return {
            "good": "Healthy", "watch": "Needs watching", "risk": "At risk",
        }[self.band]


def _health(account: Account, as_of: date, drop_thresholds: dict[str, Any]) -> AccountHealth:
    """The score, its trend (one point per scan of the last ``HEALTH_TREND_DAYS`` days, a fall
    as the score-drop rule counts one highlighted) and the owner's sentiment: three queries and
    the score's settings."""
    history = health_services.score_history(
        account, as_of - timedelta(days=HEALTH_TREND_DAYS), as_of
    )
    latest: HealthScore | None = history[-1] if history else None
    drop_points = int(drop_thresholds["drop_points"])
    drop_days = max(1, int(drop_thresholds["days"]))
    points = []
    for index, snapshot in enumerate(history):
        earlier = [
            past.score for past in history[:index]
            if snapshot.on - timedelta(days=drop_days) <= past.on < snapshot.on
        ]
        fell = bool(earlier) and max(earlier) - snapshot.score > drop_points
        points.append(Point(
            label=format_day(snapshot.on), value=Decimal(snapshot.score), is_highlighted=fell,
        ))
    change_words = ""
    if len(history) > 1:
        before = history[-2]
        moved = history[-1].score - before.score
        change_words = (
            f"Unchanged since {format_day(before.on)}." if moved == 0 else
            f"{'Up' if moved > 0 else 'Down'} {abs(moved)} point{'' if abs(moved) == 1 else 's'}"
            f" since {format_day(before.on)}."
        )
    sentiment = health_services.latest_owner_sentiment(account, as_of)
    stale_days = health_services.get_score_settings()[STALE_SETTING]
    return AccountHealth(
        explanation=health_services.explanation_of(latest) if latest else None,
        trend_svg=line_chart_svg(
            points=points, title="Health score at each scan", identifier="health-chart",
            format_value=lambda value: str(int(value)), reference_label="", max_labels=6,
            width=640, height=180,
        ) if len(points) > 1 else "",
        trend_days=HEALTH_TREND_DAYS, drop_points=drop_points, drop_days=drop_days,
        change_words=change_words, sentiment=sentiment,
        sentiment_is_stale=sentiment is not None and (as_of - sentiment.set_on).days > stale_days,
        stale_days=stale_days,
    )
