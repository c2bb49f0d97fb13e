"""The pipeline report's cache (ADR 0039): per owner and currency, the figures of
``pipeline.grouped`` and the owner's median cycle, as the scan computed them on a day.

One truth: a summary is the scan's own output, kept, never a figure added up write by write.
It is read only while it is still true, which three things decide:
- the owner's opportunities have not changed since: database triggers count every insert,
  delete and change of a reported column in ``PipelineChange`` (migrations
  ``0005_pipeline_summary`` and ``0009_pipeline_changes``), and a summary carries the count it
  was computed at;
- the day asked for is in its window: no opportunity of the owner was created or closed
  between the day it was computed for and the day asked for, both in the same quarter;
- the stages' probabilities are those it weighted with.
The report reads the summaries still true and scans the other owners only, keeping what it
found. ``tests/sales/test_pipeline_summary.py`` holds the report equal to the scan."""

import hashlib
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Max, Min, Q, QuerySet, Sum

from heedful.sales.models import Opportunity, PipelineChange, PipelineSummary

FIGURES = (
    "count", "open_count", "won_count", "lost_count", "won_value", "won_priced", "open_value",
    "weighted", "this_quarter",
)
# Above this many owners to scan, one scan of every opportunity beats a long IN list.
SCAN_ALL_ABOVE = 500
# Fold the changes' rows once there are this many more than owners (PostgreSQL: one row per
# owner and transaction until folded).
FOLD_ABOVE = 1000


def is_every_opportunity(queryset: QuerySet[Opportunity]) -> bool:
    """True when ``queryset`` is every opportunity, unfiltered: what the summaries hold."""
    query = queryset.query
    return (
        queryset.model is Opportunity and not query.where and not query.is_sliced
        and query.combinator is None and not query.distinct
    )


def digest(probabilities: Mapping[str, int]) -> str:
    text = "\n".join(f"{name}\t{percent}" for name, percent in sorted(probabilities.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def groups_by_owner(*, as_of: date, probabilities: Mapping[str, int]) -> list[dict[str, Any]]:
    """``pipeline.grouped`` over every opportunity by owner, each group also holding
    ``median``, its owner's median cycle: from the summaries still true on ``as_of``, the
    other owners scanned (and their summaries kept)."""
    from heedful.sales.pipeline import grouped, medians_of, quarter_of

    signature = digest(probabilities)
    # Read before the opportunities: a write that lands in between leaves a summary marked
    # older than it is (scanned again next time), never one marked newer.
    counts = counted_changes()
    kept = [
        row for row in PipelineSummary.objects.filter(
            valid_from__lte=as_of, valid_until__gte=as_of, probabilities=signature
        ).values("owner_id", "currency", "version", "median", *FIGURES)
        if counts.get(row["owner_id"]) == row["version"]
    ]
    current = {row["owner_id"] for row in kept}
    stale = [owner for owner in counts if owner not in current]
    if not stale:
        return kept
    scanned = Opportunity.objects.all()
    if len(stale) <= SCAN_ALL_ABOVE:
        scanned = scanned.filter(owner_id__in=stale)
    groups = [
        group for group in grouped(
            scanned, as_of=as_of, key="owner_id", probabilities=probabilities
        )
        if group["owner_id"] not in current
    ]
    medians = medians_of(scanned, groups, as_of=as_of, key="owner_id")
    for group in groups:
        group["median"] = medians.get(group["owner_id"])
    windows = _windows(scanned, as_of=as_of, quarter=quarter_of(as_of))
    _keep(groups, stale=stale, counts=counts, windows=windows, signature=signature)
    return kept + groups


def counted_changes() -> dict[int, int]:
    """Each owner's count of changes (the weights of their ``PipelineChange`` rows); folds
    the rows of finished transactions first when there are many more rows than owners."""
    rows = (PipelineChange.objects.order_by().values("owner_id")
            .annotate(count=Sum("weight"), rows=Count("id")))
    counts = {row["owner_id"]: row["count"] for row in rows}
    if sum(row["rows"] for row in rows) - len(counts) > FOLD_ABOVE:
        fold_changes()
    return counts


def fold_changes() -> None:
    """Sum each owner's rows into their row of transaction 0, every owner's count unchanged.
    One statement: it folds exactly the rows it deleted, never a row a transaction commits
    meanwhile. Only PostgreSQL has rows to fold. A fold that cannot run (another one holds
    the rows) is left to the next report."""
    if connection.vendor != "postgresql":
        return
    table = PipelineChange._meta.db_table
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"WITH folded AS (DELETE FROM {table} WHERE transaction_number <> 0 "
                "RETURNING owner_id, weight) "
                f"INSERT INTO {table} (owner_id, transaction_number, weight) "
                "SELECT owner_id, 0, SUM(weight) FROM folded GROUP BY owner_id "
                "ON CONFLICT (owner_id, transaction_number) "
                f"DO UPDATE SET weight = {table}.weight + EXCLUDED.weight"
            )
    except DatabaseError:
        pass


def _windows(
    scanned: QuerySet[Opportunity], *, as_of: date, quarter: tuple[date, date]
) -> dict[int, tuple[date, date]]:
    """Per owner, the days the figures of ``as_of`` hold for: from the last day on or before
    it when one of the owner's opportunities was created or closed, to the day before the
    next such day, within ``as_of``'s quarter (the quarter decides what closes "this
    quarter")."""
    windows = {}
    for row in scanned.order_by().values("owner_id").annotate(
        last_created=Max("created_on", filter=Q(created_on__lte=as_of)),
        last_closed=Max("closed_on", filter=Q(closed_on__lte=as_of)),
        next_created=Min("created_on", filter=Q(created_on__gt=as_of)),
        next_closed=Min("closed_on", filter=Q(closed_on__gt=as_of)),
    ):
        starts = [quarter[0], row["last_created"], row["last_closed"]]
        ends = [quarter[1]] + [
            day - timedelta(days=1) for day in (row["next_created"], row["next_closed"]) if day
        ]
        windows[row["owner_id"]] = (max(day for day in starts if day), min(ends))
    return windows


def _keep(
    groups: list[dict[str, Any]], *, stale: list[int], counts: Mapping[int, int],
    windows: Mapping[int, tuple[date, date]], signature: str,
) -> None:
    """Replace the summaries of the ``stale`` owners by ``groups``. A cache that cannot be
    written (the database busy, another report keeping the same owner) only makes the next
    report scan."""
    summaries = [
        PipelineSummary(
            owner_id=group["owner_id"], currency=group["currency"],
            version=counts[group["owner_id"]], valid_from=windows[group["owner_id"]][0],
            valid_until=windows[group["owner_id"]][1], probabilities=signature,
            median=group["median"], **{name: group[name] for name in FIGURES},
        )
        for group in groups
        if group["owner_id"] in counts and group["owner_id"] in windows
    ]
    try:
        with transaction.atomic():
            PipelineSummary.objects.filter(owner_id__in=stale).delete()
            PipelineSummary.objects.bulk_create(summaries, ignore_conflicts=True)
    except DatabaseError:
        pass


def stamp_every_owner() -> None:
    """After writes that went past the triggers (a bulk load that dropped them for speed):
    forget every summary, and stamp the owners the triggers never saw."""
    with transaction.atomic():
        owners = Opportunity.objects.order_by().values_list("owner_id", flat=True).distinct()
        known = set(PipelineChange.objects.values_list("owner_id", flat=True))
        PipelineChange.objects.bulk_create(
            [PipelineChange(owner_id=owner) for owner in set(owners) - known]
        )
        PipelineSummary.objects.all().delete()
