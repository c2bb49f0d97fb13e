"""The pipeline report: per rep, team or territory, what is open, won and lost, and how fast.

One pass over the opportunities does the work, in SQL: a query grouped by the group's key and
currency, each figure a conditional aggregate (open, won and lost as of the day, their sums, the
pipeline weighted by the stages' probabilities) and, on PostgreSQL, the median cycle too (the
ordered-set aggregate ``percentile_cont``, read in the covering index's order). A group whose
deals are in several currencies needs its median over all of them: a second query asks for
those groups only. SQLite has no median aggregate: a second query reads the middle rows of a
window function. Python adds up the currencies of each group, converted. By rep over every
opportunity, the owners whose figures the last scan kept and that still hold are read from
those summaries instead (``pipeline_summary``, ADR 0039).

Money: amounts in different currencies are never summed as they are. Each currency's sum is
converted to the reporting currency (``HEEDFUL_REPORTING_CURRENCY``) with the rate an admin
set (``billing.ExchangeRate``, ADR 0020); a currency without a rate is left out of the sums
and named in ``unconverted_currencies``.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from django.db import connections, router
from django.db.models import (
    Aggregate,
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from heedful.billing.models import ExchangeRate
from heedful.billing.services import reporting_currency
from heedful.core.models import User
from heedful.lib.money import Money
from heedful.sales.models import Opportunity, Stage, Territory
from heedful.sales.pipeline_summary import groups_by_owner, is_every_opportunity
from heedful.sales.services import quotas_for

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
    median: float | None = None
    """The median cycle of the closed deals, created to closed, in days."""
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
        return self.median

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


def _as_of_filters(as_of: date) -> tuple[Q, Q, Q, Q]:
    """(existed on the day, open, won, lost) as of ``as_of``."""
    existed = Q(created_on__isnull=True) | Q(created_on__lte=as_of)
    closed = Q(closed_on__isnull=False, closed_on__lte=as_of)
    return existed, ~closed, closed & Q(won=True), closed & Q(won=False)


class _Median(Aggregate):
    """PostgreSQL's median of a group (``percentile_cont(0.5)``, an ordered-set aggregate)."""

    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _vendor() -> str:
    return connections[router.db_for_read(Opportunity)].vendor


def grouped(
    queryset: QuerySet[Opportunity], *, as_of: date, key: str | None,
    probabilities: Mapping[str, int],
) -> list[dict[str, Any]]:
    """One dict per (group key, currency) of the opportunities of ``queryset`` that existed
    on ``as_of``: counts and sums by status, each a conditional aggregate of one grouped
    query. On PostgreSQL each dict also holds ``median``, the median cycle of the group's
    closed deals in that currency (None when none closed)."""
    quarter_start, quarter_end = quarter_of(as_of)
    existed, is_open, is_won, is_lost = _as_of_filters(as_of)
    probability = Case(
        *[When(stage=name, then=Value(percent)) for name, percent in probabilities.items()],
        default=Value(0), output_field=IntegerField(),
    )
    keys = ["currency"] if key is None else [key, "currency"]
    medians: dict[str, Any] = {}
    if _vendor() == "postgresql":
        medians["median"] = _Median(
            _cycle_days(queryset), filter=(is_won | is_lost) & Q(created_on__isnull=False)
        )
    return list(
        queryset.filter(existed)
        .order_by()
        .values(*keys)
        .annotate(
            # Counts the owner (never empty), not the key: the key is not in the covering
            # index, and reading it would make PostgreSQL visit every row, not the index only.
            count=Count("owner"),
            # Not named like the model's fields: a later filter on ``won`` would read it.
            open_count=Count("owner", filter=is_open),
            won_count=Count("owner", filter=is_won),
            lost_count=Count("owner", filter=is_lost),
            won_value=Sum("amount", filter=is_won),
            won_priced=Count("amount", filter=is_won),
            open_value=Sum("amount", filter=is_open),
            weighted=Sum(F("amount") * probability, filter=is_open),
            this_quarter=Sum(
                "amount",
                filter=is_open & Q(close_date__gte=quarter_start, close_date__lte=quarter_end),
            ),
            **medians,
        )
    )


def medians_of(
    queryset: QuerySet[Opportunity], groups: list[dict[str, Any]], *, as_of: date,
    key: str | None,
) -> dict[Any, float]:
    """The median cycle per group key of ``groups`` (from ``grouped`` over ``queryset``):
    taken from the groups where PostgreSQL computed it in the same pass and the key has one
    currency; asked of the database for the other keys only (every key on SQLite)."""
    if _vendor() != "postgresql":
        return median_cycles(queryset, as_of=as_of, key=key)
    currencies: dict[Any, int] = defaultdict(int)
    for group in groups:
        currencies[group[key] if key else None] += 1
    medians = {
        group[key] if key else None: group["median"]
        for group in groups
        if currencies[group[key] if key else None] == 1 and group["median"] is not None
    }
    several = [value for value, count in currencies.items() if count > 1]
    if not several:
        return medians
    if key is None:
        return medians | median_cycles(queryset, as_of=as_of, key=None)
    known = [value for value in several if value is not None]
    of_several = Q(**{f"{key}__in": known})
    if None in several:
        of_several |= Q(**{f"{key}__isnull": True})
    return medians | median_cycles(queryset.filter(of_several), as_of=as_of, key=key)


def median_cycles(
    queryset: QuerySet[Opportunity], *, as_of: date, key: str | None
) -> dict[Any, float]:
    """The median cycle (created to closed, in days) of the deals closed by ``as_of``, per
    group key, computed in SQL: PostgreSQL's ``percentile_cont``, elsewhere the middle rows
    of a window function."""
    existed, _is_open, is_won, is_lost = _as_of_filters(as_of)
    closed = queryset.filter(existed & (is_won | is_lost), created_on__isnull=False)
    vendor = _vendor()
    if key is None:
        return _overall_median(closed, vendor)
    inner, params = (
        closed.annotate(cycle=_cycle_days(queryset), group=F(key))
        .order_by()
        .values("group", "cycle")
        .query.sql_with_params()
    )
    if vendor == "postgresql":
        sql = (
            "SELECT grp, percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle) "
            f"FROM (SELECT \"group\" AS grp, cycle FROM ({inner}) AS closed) AS deals "
            "GROUP BY grp"
        )
    else:
        sql = (
            "SELECT grp, AVG(cycle) FROM ("
            "  SELECT grp, cycle, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY cycle) AS place,"
            "         COUNT(*) OVER (PARTITION BY grp) AS deals"
            f"  FROM (SELECT \"group\" AS grp, cycle FROM ({inner}) AS closed)"
            ") WHERE place IN ((deals + 1) / 2, (deals + 2) / 2) GROUP BY grp"
        )
    with connections[router.db_for_read(Opportunity)].cursor() as cursor:
        cursor.execute(sql, params)
        medians = {grp: float(value) for grp, value in cursor.fetchall()}
    return medians


def _overall_median(closed: QuerySet[Opportunity], vendor: str) -> dict[Any, float]:
    """``{None: the median cycle}`` of every deal of ``closed`` ({} when there is none)."""
    inner, params = (
        closed.annotate(cycle=_cycle_days(closed)).order_by().values("cycle")
        .query.sql_with_params()
    )
    if vendor == "postgresql":
        sql = f"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle) FROM ({inner}) AS c"
    else:
        sql = (
            "SELECT AVG(cycle) FROM (SELECT cycle, ROW_NUMBER() OVER (ORDER BY cycle) AS place,"
            f" COUNT(*) OVER () AS deals FROM ({inner})) "
            "WHERE place IN ((deals + 1) / 2, (deals + 2) / 2)"
        )
    with connections[router.db_for_read(Opportunity)].cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()
    return {} if found is None or found[0] is None else {None: float(found[0])}


def _add(row: PipelineRow, group: Mapping[str, Any], rates: Mapping[str, Decimal]) -> None:
    row.opportunities += group["count"]
    row.open += group["open_count"]
    row.won += group["won_count"]
    row.lost += group["lost_count"]
    rate = rates.get(group["currency"])
    sums = ("won_value", "open_value", "weighted", "this_quarter")
    if rate is None:
        if any(group[name] for name in sums):
            row.unconverted_currencies.add(group["currency"])
        return
    row.won_value += (group["won_value"] or 0) * rate
    row.won_with_amount += group["won_priced"]
    row.open_value += (group["open_value"] or 0) * rate
    row.weighted_value += (group["weighted"] or 0) * rate / 100
    row.closing_this_quarter_value += (group["this_quarter"] or 0) * rate


def open_by_stage(
    queryset: QuerySet[Opportunity], *, as_of: date
) -> list[tuple[str, str, int, Decimal | None]]:
    """(stage, currency, open deals, their amount) as of ``as_of``: the funnel's open part."""
    existed, is_open, _is_won, _is_lost = _as_of_filters(as_of)
    return [
        (row["stage"], row["currency"], row["count"], row["value"])
        for row in queryset.filter(existed & is_open).order_by().values("stage", "currency")
        .annotate(count=Count("pk"), value=Sum("amount"))
    ]


def pipeline_report(
    opportunities: QuerySet[Opportunity], *, as_of: date, group_by: GroupBy = "rep",
    with_totals: bool = True, summaries: bool = True,
) -> PipelineReport:
    """The report over ``opportunities`` (already limited to what the reader may see).
    Territories may overlap, so their total is taken over every opportunity, not added up;
    ``with_totals`` False skips the overall median (the command line does not print it).
    By rep over every opportunity, the summaries still true are read instead of scanning
    their owners' deals again (``pipeline_summary``, ADR 0039); ``summaries`` False scans all."""
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
            inside = opportunities.filter(_in_territory(territory))
            groups = grouped(inside, as_of=as_of, key=None, probabilities=probabilities)
            for group in groups:
                _add(row, group, rates)
            row.median = medians_of(inside, groups, as_of=as_of, key=None).get(None)
    else:
        key = "owner_id" if group_by == "rep" else "owner__manager_id"
        if group_by == "rep" and summaries and is_every_opportunity(opportunities):
            groups = groups_by_owner(as_of=as_of, probabilities=probabilities)
            medians = {group[key]: group["median"] for group in groups}
        else:
            groups = grouped(opportunities, as_of=as_of, key=key, probabilities=probabilities)
            medians = medians_of(opportunities, groups, as_of=as_of, key=key)
        for group in groups:
            if group[key] not in rows:
                rows[group[key]] = PipelineRow(key="", label="", currency=currency)
            _add(rows[group[key]], group, rates)
        for pk, median in medians.items():
            if pk in rows and median is not None:
                rows[pk].median = median
        people = User.objects.only(
            "username", "full_name", "first_name", "last_name"
        ).in_bulk([pk for pk in rows if pk is not None])
        for pk, row in rows.items():
            person = people.get(pk)
            row.key = person.username if person else ""
            if group_by == "rep":
                row.label = person.display_name if person else "Nobody"
            else:
                row.label = f"Team of {person.display_name}" if person else "No manager"
        if group_by == "rep":
            start, end = quarter_of(as_of)
            quotas = quotas_for([pk for pk in rows if pk is not None], date_from=start,
                                date_to=end).money
            for pk, row in rows.items():
                row.quota = quotas.get(pk)
            if quotas and {quota.currency for quota in quotas.values()} == {currency}:
                summed = sum((quota.amount for quota in quotas.values()), Decimal(0))
                total.quota = Money(summed, currency)
    if group_by == "territory":
        for group in grouped(opportunities, as_of=as_of, key=None, probabilities=probabilities):
            _add(total, group, rates)
    for row in rows.values() if group_by != "territory" else ():
        for name in (
            "opportunities", "open", "won", "lost", "won_value", "won_with_amount",
            "open_value", "weighted_value", "closing_this_quarter_value",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.unconverted_currencies |= row.unconverted_currencies
    if with_totals:
        total.median = median_cycles(opportunities, as_of=as_of, key=None).get(None)
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
