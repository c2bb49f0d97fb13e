"""The pipeline page: the report by rep, team or territory over the deals the reader may
see, the open deals per stage with stage-to-stage conversion, and what moved since a day."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from heedful.core.models import User
from heedful.lib import clock
from heedful.sales import services
from heedful.sales.models import Stage, StageChange
from heedful.sales.pipeline import GROUPINGS, open_by_stage, pipeline_report

SORTS = {
    "name": lambda row: row.label.lower(),
    "open": lambda row: row.open,
    "won": lambda row: row.won,
    "win_rate": lambda row: row.win_rate if row.win_rate is not None else -1,
    "won_value": lambda row: row.won_value,
    "open_value": lambda row: row.open_value,
    "weighted_value": lambda row: row.weighted_value,
    "cycle": lambda row: row.median_cycle_days if row.median_cycle_days is not None else -1,
    "coverage": lambda row: row.coverage if row.coverage is not None else -1,
}


COLUMNS = (
    ("name", "Name"), ("open", "Open"), ("won", "Won"), ("win_rate", "Win rate"),
    ("won_value", "Won value"), ("open_value", "Open value"), ("weighted_value", "Weighted"),
    ("cycle", "Median days to close"), ("coverage", "Coverage"),
)


def _day(raw: str | None, default: date) -> tuple[date, str]:
    """The day asked for, or ``default`` and why when it cannot be read."""
    if not raw:
        return default, ""
    try:
        return date.fromisoformat(raw), ""
    except ValueError:
        return default, f"“{raw}” is not a date; showing {default.isoformat()} (use YYYY-MM-DD)."


@login_required
def pipeline(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    problems = []
    as_of, problem = _day(request.GET.get("as_of"), clock.today())
    problems += [problem] if problem else []
    since, problem = _day(request.GET.get("since"), as_of - timedelta(days=30))
    problems += [problem] if problem else []
    group_by = request.GET.get("by", "rep")
    if group_by not in GROUPINGS:
        group_by = "rep"
    sort = request.GET.get("sort", "-open_value")
    descending = sort.startswith("-")
    if sort.lstrip("-") not in SORTS:
        sort, descending = "-open_value", True
    deals = services.get_all(user=user)
    report = pipeline_report(deals, as_of=as_of, group_by=group_by)  # type: ignore[arg-type]
    rows = sorted(report.rows, key=SORTS[sort.lstrip("-")], reverse=descending)
    page = Paginator(rows, settings.HEEDFUL_PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "report": report, "page": page, "as_of": as_of, "since": since, "by": group_by,
        "groupings": GROUPINGS, "sort": sort, "columns": COLUMNS, "problems": problems,
        "stages": _funnel(deals, as_of=as_of), "movement": _movement(deals, since, as_of),
    }
    return render(request, "sales/pipeline.html", context)


def _funnel(deals: Any, *, as_of: date) -> list[dict[str, Any]]:
    """Each stage in order: the open deals in it (per currency), how many deals ever entered
    it, and the share of those that went on to enter the next stage."""
    stages = list(Stage.objects.all())
    entered = dict(
        StageChange.objects.filter(opportunity__in=deals, changed_at__date__lte=as_of)
        .order_by().values("stage").annotate(count=Count("opportunity", distinct=True))
        .values_list("stage", "count")
    )
    open_now: dict[str, list[tuple[str, int, Any]]] = {}
    for stage, currency, count, value in open_by_stage(deals, as_of=as_of):
        open_now.setdefault(stage, []).append((currency, count, value))
    names = [stage.name for stage in stages]
    names += sorted(name for name in open_now if name not in names)
    funnel = []
    for index, name in enumerate(names):
        following = names[index + 1] if index + 1 < len(names) else None
        reached, went_on = entered.get(name, 0), entered.get(following, 0) if following else 0
        funnel.append({
            "name": name,
            "open": sum(count for _currency, count, _value in open_now.get(name, [])),
            "amounts": [(value, currency) for currency, _count, value in open_now.get(name, [])
                        if value is not None],
            "entered": reached,
            "conversion": went_on / reached if following and reached else None,
            "next": following,
        })
    return funnel


def _movement(deals: Any, since: date, as_of: date) -> dict[str, int]:
    """What changed after ``since`` up to ``as_of``: new deals, deals that moved to a later
    stage (advanced) or an earlier one (slipped) by the stages' order, won and lost, and the
    open ones past their close date."""
    order = {stage.name: stage.order for stage in Stage.objects.all()}

    def stage_on(day: date) -> Subquery:
        return Subquery(
            StageChange.objects.filter(opportunity=OuterRef("pk"), changed_at__date__lte=day)
            .order_by("-changed_at").values("stage")[:1]
        )

    window = Q(changed_at__date__gt=since, changed_at__date__lte=as_of)
    moved = (
        deals.filter(Exists(StageChange.objects.filter(window, opportunity=OuterRef("pk"))))
        .annotate(before=stage_on(since), after=stage_on(as_of))
        .order_by().values_list("before", "after")
    )
    advanced = slipped = 0
    for before, after in moved:
        if before is None or before == after or before not in order or after not in order:
            continue
        advanced += order[after] > order[before]
        slipped += order[after] < order[before]
    return {
        "new": deals.filter(created_on__gt=since, created_on__lte=as_of).count(),
        "advanced": advanced,
        "slipped": slipped,
        "won": deals.filter(closed_on__gt=since, closed_on__lte=as_of, won=True).count(),
        "lost": deals.filter(closed_on__gt=since, closed_on__lte=as_of, won=False).count(),
        "overdue": deals.filter(closed_on__isnull=True, close_date__lt=as_of).count(),
    }
