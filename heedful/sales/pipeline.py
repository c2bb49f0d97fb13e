"""The pipeline report: per rep, team or territory, what is open, won and lost, and how fast.

One grouped query does the work (aggregates in SQL): opportunities are grouped by the
group's key, currency, status as of the day (open, won, lost), stage, whether the deal is
to close in the quarter, and the cycle length in whole days (closed deals only). Python then
adds up those few thousand groups: the median cycle comes from the per-day counts (a
histogram), never from a row per deal.

Money: amounts in different currencies are never summed as they are. Each currency's sum is
converted to the reporting currency (``HEEDFUL_REPORTING_CURRENCY``) with the rate an admin
set (``billing.ExchangeRate``, ADR 0020); a currency without a rate is left out of the sums
and named in ``unconverted_currencies``.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from django.db import connections, router
from django.db.models import Case, CharField, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import RawSQL

from heedful.billing.models import ExchangeRate
from heedful.billing.services import reporting_currency
from heedful.core.models import User
from heedful.lib.money import Money
from heedful.sales.models import Opportunity, Quota, Stage, Territory

GroupBy = Literal["rep", "team", "territory"]
GROUPINGS: tuple[GroupBy, ...] = ("rep", "team", "territory")
CENT = Decimal("0.01")


def quarter_of(day: date) -> tuple[date, date]:
    first_month = (day.month - 1) // 3 * 3 + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + (first_month + 2) // 12, (first_month + 2) % 12 + 1, 1) - timedelta(1)
    return start, end


@dataclass
class PipelineRow:
    """One rep, team or territory. Money is in ``currency`` (the reporting currency)."""

    key: str
    label: str
    currency: str
    opportunities: int = 0
    open: int = 0
    won: int = 0
    lost: int = 0
    won_value: Decimal = Decimal(0)
    open_value: Decimal = Decimal(0)
    weighted_value: Decimal = Decimal(0)
    closing_this_quarter_value: Decimal = Decimal(0)
    won_with_amount: int = 0
    cycle_days: dict[int, int] = field(default_factory=dict)
    """Closed deals by their cycle length in days (a histogram)."""
    by_stage: dict[str, list[Any]] = field(default_factory=dict)
    """Open deals per stage: [count, value]."""
    unconverted_currencies: set[str] = field(default_factory=set)
    quota: Money | None = None

    @property
    def closed(self) -> int:
        return self.won + self.lost

    @property
    def win_rate(self) -> float | None:
        """Won ÷ (won + lost); None before any deal closed."""
        return self.won / self.closed if self.closed else None

    @property
    def avg_won_deal(self) -> Decimal | None:
        if not self.won_with_amount:
            return None
        return (self.won_value / self.won_with_amount).quantize(CENT)

    @property
    def median_cycle_days(self) -> float | None:
        return median_of_counts(self.cycle_days)

    @property
    def velocity_per_day(self) -> Decimal | None:
        """Pipeline velocity: open deals × win rate × average won deal ÷ cycle length (the
        median, in days): what the pipeline is expected to bring in per day."""
        cycle, rate, average = self.median_cycle_days, self.win_rate, self.avg_won_deal
        if not cycle or rate is None or average is None:
            return None
        return (Decimal(self.open) * Decimal(str(rate)) * average / Decimal(str(cycle))).quantize(
            CENT
        )

    @property
    def coverage(self) -> float | None:
        """Open value closing this quarter ÷ the quarter's quota (same currency only)."""
        if self.quota is None or not self.quota.amount or self.quota.currency != self.currency:
            return None
        return float(self.closing_this_quarter_value / self.quota.amount)

    def as_json(self, group_by: GroupBy) -> dict[str, Any]:
        def number(value: Decimal | None) -> float | None:
            return None if value is None else float(value.quantize(CENT))

        return {
            group_by: self.key,
            "name": self.label,
            "opportunities": self.opportunities,
            "open": self.open,
            "won": self.won,
            "lost": self.lost,
            "win_rate": None if self.win_rate is None else round(self.win_rate, 4),
            "won_value": number(self.won_value),
            "avg_won_deal": number(self.avg_won_deal),
            "median_cycle_days": self.median_cycle_days,
            "open_value": number(self.open_value),
            "weighted_value": number(self.weighted_value),
            "velocity_per_day": number(self.velocity_per_day),
            "quota": number(self.quota.amount) if self.quota else None,
            "coverage": None if self.coverage is None else round(self.coverage, 4),
            "currency": self.currency,
            "unconverted_currencies": sorted(self.unconverted_currencies),
        }


def median_of_counts(counts: Mapping[int, int]) -> float | None:
    """The median of values given as value → how many times it occurs."""
    total = sum(counts.values())
    if not total:
        return None
    low_index, high_index = (total - 1) // 2, total // 2
    low = high = None
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if low is None and seen > low_index:
            low = value
        if seen > high_index:
            high = value
            break
    assert low is not None and high is not None
    return (low + high) / 2


@dataclass
class PipelineReport:
    as_of: date
    group_by: GroupBy
    currency: str
    rows: list[PipelineRow]
    stages: list[Stage]
    total: PipelineRow

    def as_json(self) -> list[dict[str, Any]]:
        return [row.as_json(self.group_by) for row in self.rows]


def _cycle_days(queryset: QuerySet[Opportunity]) -> RawSQL:
    """Whole days from created to closed, in SQL (``julianday`` on SQLite, date minus date
    on PostgreSQL)."""
    vendor = connections[router.db_for_read(queryset.model)].vendor
    table = Opportunity._meta.db_table
    if vendor == "sqlite":
        sql = (
            f'CAST(julianday("{table}"."closed_on") - julianday("{table}"."created_on") '
            "AS INTEGER)"
        )
    else:
        sql = f'("{table}"."closed_on" - "{table}"."created_on")'
    return RawSQL(sql, (), output_field=IntegerField())


def _rates(currency: str) -> dict[str, Decimal]:
    rates = dict(
        ExchangeRate.objects.filter(reporting_currency=currency).values_list("currency", "rate")
    )
    rates[currency] = Decimal(1)
    return rates


def grouped(
    queryset: QuerySet[Opportunity], *, as_of: date, key: str | None
) -> Iterable[dict[str, Any]]:
    """The opportunities of ``queryset`` that existed on ``as_of``, grouped: one dict per
    (group key, currency, status, stage, closes this quarter, cycle days)."""
    quarter_start, quarter_end = quarter_of(as_of)
    closed = Q(closed_on__isnull=False, closed_on__lte=as_of)
    status = Case(
        When(closed & Q(won=True), then=Value("won")),
        When(closed & Q(won=False), then=Value("lost")),
        When(closed, then=Value("closed")),
        default=Value("open"),
        output_field=CharField(),
    )
    cycle = Case(
        When(closed & Q(created_on__isnull=False), then=_cycle_days(queryset)),
        default=None, output_field=IntegerField(),
    )
    this_quarter = Case(
        When(close_date__gte=quarter_start, close_date__lte=quarter_end, then=Value(1)),
        default=Value(0), output_field=IntegerField(),
    )
    keys = ["currency", "status", "stage", "this_quarter", "cycle"]
    if key is not None:
        keys.insert(0, key)
    return (
        queryset.filter(Q(created_on__isnull=True) | Q(created_on__lte=as_of))
        .annotate(status=status, cycle=cycle, this_quarter=this_quarter)
        .order_by()
        .values(*keys)
        .annotate(count=Count("pk"), priced=Count("amount"), value=Sum("amount"))
    )


def _add(
    row: PipelineRow, group: Mapping[str, Any], rates: Mapping[str, Decimal],
    probabilities: Mapping[str, int],
) -> None:
    count, status = group["count"], group["status"]
    row.opportunities += count
    rate = rates.get(group["currency"])
    value = group["value"]
    if value is not None and rate is None:
        row.unconverted_currencies.add(group["currency"])
        value = None
    converted = value * rate if value is not None and rate is not None else Decimal(0)
    if status == "open":
        row.open += count
        row.open_value += converted
        row.weighted_value += converted * probabilities.get(group["stage"], 0) / 100
        if group["this_quarter"]:
            row.closing_this_quarter_value += converted
        stage = row.by_stage.setdefault(group["stage"], [0, Decimal(0)])
        stage[0] += count
        stage[1] += converted
    elif status == "won":
        row.won += count
        row.won_value += converted
        row.won_with_amount += group["priced"] if value is not None else 0
    elif status == "lost":
        row.lost += count
    if status in ("won", "lost") and group["cycle"] is not None:
        row.cycle_days[group["cycle"]] = row.cycle_days.get(group["cycle"], 0) + count


def quotas_of(user_ids: Iterable[int], *, date_from: date, date_to: date) -> dict[int, Money]:
    """``services.quota_for`` for many users in one query; users whose quotas are in several
    currencies are left out (never summed)."""
    totals: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for user_id, start, end, amount, currency in Quota.objects.filter(
        user_id__in=list(user_ids), period_start__lte=date_to, period_end__gte=date_from
    ).values_list("user_id", "period_start", "period_end", "amount", "currency"):
        days = (end - start).days + 1
        inside = (min(end, date_to) - max(start, date_from)).days + 1
        totals[user_id][currency] += amount * inside / days
    return {
        user_id: Money(amount.quantize(CENT), currency)
        for user_id, by_currency in totals.items()
        if len(by_currency) == 1
        for currency, amount in by_currency.items()
    }


def pipeline_report(
    opportunities: QuerySet[Opportunity], *, as_of: date, group_by: GroupBy = "rep"
) -> PipelineReport:
    """The report over ``opportunities`` (already limited to what the reader may see)."""
    currency = reporting_currency()
    rates = _rates(currency)
    stages = list(Stage.objects.all())
    probabilities = {stage.name: stage.probability for stage in stages}
    rows: dict[Any, PipelineRow] = {}
    total = PipelineRow(key="", label="Everyone", currency=currency)
    if group_by == "territory":
        for territory in Territory.objects.all():
            row = rows[territory.pk] = PipelineRow(
                key=territory.name, label=territory.name, currency=currency
            )
            for group in grouped(
                opportunities.filter(_in_territory(territory)), as_of=as_of, key=None
            ):
                _add(row, group, rates, probabilities)
        for group in grouped(opportunities, as_of=as_of, key=None):
            _add(total, group, rates, probabilities)
    else:
        key = "owner_id" if group_by == "rep" else "owner__manager_id"
        for group in grouped(opportunities, as_of=as_of, key=key):
            if group[key] not in rows:
                rows[group[key]] = PipelineRow(key="", label="", currency=currency)
            _add(rows[group[key]], group, rates, probabilities)
            _add(total, group, rates, probabilities)
        people = User.objects.in_bulk([pk for pk in rows if pk is not None])
        for pk, row in rows.items():
            person = people.get(pk)
            row.key = person.username if person else ""
            if group_by == "rep":
                row.label = person.display_name if person else "Nobody"
            else:
                row.label = f"Team of {person.display_name}" if person else "No manager"
        if group_by == "rep":
            start, end = quarter_of(as_of)
            quotas = quotas_of([pk for pk in rows if pk is not None], date_from=start, date_to=end)
            for pk, row in rows.items():
                row.quota = quotas.get(pk)
            if quotas:
                amounts = {quota.currency for quota in quotas.values()}
                if amounts == {currency}:
                    total.quota = Money(sum((q.amount for q in quotas.values()), Decimal(0)), currency)
    ordered = sorted(rows.values(), key=lambda row: (row.key == "", row.key))
    return PipelineReport(
        as_of=as_of, group_by=group_by, currency=currency, rows=ordered, stages=stages,
        total=total,
    )


def _in_territory(territory: Territory) -> Q:
    condition = Q(
        account_id__in=Territory.accounts.through.objects.filter(
            territory_id=territory.pk
        ).values("account_id")
    )
    if territory.segment:
        condition |= Q(account__segment__iexact=territory.segment)
    if territory.country:
        condition |= Q(account__country__iexact=territory.country)
    return condition
