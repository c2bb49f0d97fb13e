"""What moved in the pipeline since a day: on the pipeline page and in ``heedful report
pipeline --since``. Kept apart from the report's aggregates (``pipeline.py``): a handful of
set-based queries over the window, whatever the number of groups.

The words, as the page explains them:

- ``new``: created in the window;
- ``advanced`` / ``slipped``: the stage on the last day comes later / earlier in the stages'
  order than the stage on ``since`` (slipped is a move *back a stage*; the close date plays
  no part in it);
- ``pushed_out``: the close date on the last day is later than it was on ``since``, read from
  the close-date history (``CloseDateChange``): a first close date or one cleared is no push,
  and a date moved out and back in again within the window is none either;
- ``won`` / ``lost``: closed in the window;
- ``overdue``: open on the last day with its close date before it (a state, not a move).

The window is the days after ``since`` up to and including ``as_of``.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery

from heedful.sales.models import CloseDateChange, Opportunity, Stage, StageChange


@dataclass
class Movement:
    new: int = 0
    advanced: int = 0
    slipped: int = 0
    pushed_out: int = 0
    won: int = 0
    lost: int = 0
    overdue: int = 0

    def as_json(self, since: date) -> dict[str, Any]:
        return {"since": since.isoformat(), **asdict(self)}


COUNTED = ("new", "won", "lost", "overdue")


def movement(
    deals: QuerySet[Opportunity], *, since: date, as_of: date, key: str | None = None
) -> dict[Any, Movement]:
    """The movement of ``deals`` per value of ``key`` (a path such as ``owner__username``),
    or ``{None: the movement of them all}`` without one. Groups where nothing moved may be
    missing (read them as zeros)."""
    found: dict[Any, Movement] = defaultdict(Movement)
    existed = Q(created_on__isnull=True) | Q(created_on__lte=as_of)
    is_open = ~Q(closed_on__isnull=False, closed_on__lte=as_of)
    closed_in_window = Q(closed_on__gt=since, closed_on__lte=as_of)
    # Not named like the model's fields (``won``): an annotation may not shadow one.
    counts = {
        "new_count": Count("pk", filter=Q(created_on__gt=since, created_on__lte=as_of)),
        "won_count": Count("pk", filter=closed_in_window & Q(won=True)),
        "lost_count": Count("pk", filter=closed_in_window & Q(won=False)),
        "overdue_count": Count("pk", filter=existed & is_open & Q(close_date__lt=as_of)),
    }
    rows: Iterable[dict[str, Any]] = (
        deals.order_by().values(key).annotate(**counts) if key
        else [deals.order_by().aggregate(**counts)]
    )
    for row in rows:
        group = found[row[key] if key else None]
        for name in COUNTED:
            setattr(group, name, row[f"{name}_count"])
    order = {stage.name: stage.order for stage in Stage.objects.all()}
    for group_key, before, after in _stage_moves(deals, since=since, as_of=as_of, key=key):
        if before is None or after is None or before not in order or after not in order:
            continue
        found[group_key].advanced += order[after] > order[before]
        found[group_key].slipped += order[after] < order[before]
    for group_key, count in _pushed_out(deals, since=since, as_of=as_of, key=key):
        found[group_key].pushed_out = count
    return dict(found)


def _stage_moves(
    deals: QuerySet[Opportunity], *, since: date, as_of: date, key: str | None
) -> Iterable[tuple[Any, str | None, str | None]]:
    """(group, stage on ``since``, stage on ``as_of``) of each deal whose stage changed in
    the window."""

    def stage_on(day: date) -> Subquery:
        return Subquery(
            StageChange.objects.filter(opportunity=OuterRef("pk"), changed_at__date__lte=day)
            .order_by("-changed_at").values("stage")[:1]
        )

    window = Q(changed_at__date__gt=since, changed_at__date__lte=as_of)
    moved = (
        deals.filter(Exists(StageChange.objects.filter(window, opportunity=OuterRef("pk"))))
        .annotate(before=stage_on(since), after=stage_on(as_of))
        .order_by()
    )
    if key:
        return moved.values_list(key, "before", "after")
    return ((None, before, after) for before, after in moved.values_list("before", "after"))


def _pushed_out(
    deals: QuerySet[Opportunity], *, since: date, as_of: date, key: str | None
) -> Iterable[tuple[Any, int]]:
    """(group, how many deals) whose close date on ``as_of`` (the window's last move's
    "to") is later than on ``since`` (its first move's "from")."""
    in_window = CloseDateChange.objects.filter(
        opportunity=OuterRef("pk"), changed_at__date__gt=since, changed_at__date__lte=as_of
    )
    first_from = in_window.order_by("changed_at", "pk").values("close_date_from")[:1]
    last_to = in_window.order_by("-changed_at", "-pk").values("close_date_to")[:1]
    pushed = (
        deals.filter(Exists(in_window))
        .annotate(first_from=Subquery(first_from), last_to=Subquery(last_to))
        .filter(first_from__isnull=False, last_to__gt=F("first_from"))
        .order_by()
    )
    if key:
        return pushed.values(key).annotate(count=Count("pk")).values_list(key, "count")
    return [(None, pushed.count())]
