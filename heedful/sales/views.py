"""The pipeline page: the report by rep, team or territory over the deals the reader may
see, the open deals per stage with stage-to-stage conversion, and what moved since a day;
and an opportunity's page: its facts, its products, and the history of its stage and close
date."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from heedful.catalog.models import Product
from heedful.core.exceptions import InvalidInput, NotFound
from heedful.core.models import User
from heedful.lib import clock
from heedful.sales import services
from heedful.sales.models import ForecastCategory, Opportunity, Stage, StageChange
from heedful.sales.movement import movement
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
        "stages": _funnel(deals, as_of=as_of),
        "movement": movement(deals, since=since, as_of=as_of)[None],
    }
    return render(request, "sales/pipeline.html", context)


FINAL_CATEGORIES = (ForecastCategory.CLOSED, ForecastCategory.OMITTED)


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
    # A deal goes no further than a closed stage (won, or lost: "omitted" in Salesforce).
    final = {stage.name for stage in stages if stage.forecast_category in FINAL_CATEGORIES}
    funnel = []
    for index, name in enumerate(names):
        following = names[index + 1] if index + 1 < len(names) and name not in final else None
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


# --- One opportunity -----------------------------------------------------------------------

PRODUCT_FIELDS = ("product", "quantity", "unit_price")


def _opportunity(request: HttpRequest, external_id: str) -> Opportunity:
    user = request.user
    assert isinstance(user, User)
    return services.get_or_raise(user=user, external_id=external_id)


def _opportunity_context(opportunity: Opportunity, **extra: Any) -> dict[str, Any]:
    lines = list(opportunity.products.select_related("product").order_by("product__name"))
    return {
        "opportunity": opportunity,
        # Shown when the rep chose no category: the category the stage's set-up gives.
        "stage_setup": Stage.objects.filter(name=opportunity.stage).first(),
        "lines": lines,
        "products_total": services.products_total(opportunity),
        "catalogue": Product.objects.order_by("name").only("sku", "name"),
        "close_date_changes": services.get_all_close_date_changes(opportunity=opportunity),
        "stage_changes": opportunity.stage_changes.order_by("-changed_at"),
        "product_values": {"quantity": "1"},
        "errors": {},
        **extra,
    }


@login_required
def opportunity(request: HttpRequest, external_id: str) -> HttpResponse:
    deal = _opportunity(request, external_id)
    return render(request, "sales/opportunity.html", _opportunity_context(deal))


@login_required
@require_POST
def add_product(request: HttpRequest, external_id: str) -> HttpResponse:
    deal = _opportunity(request, external_id)
    user = request.user
    assert isinstance(user, User)
    values = {name: request.POST.get(name, "").strip() for name in PRODUCT_FIELDS}
    try:
        services.create_opportunity_product(
            user=user, data={"opportunity": deal.external_id, **values}
        )
    except (InvalidInput, NotFound) as error:
        errors = dict(getattr(error, "errors", {}) or {"product": [str(error)]})
        # A product on the deal already, or another clash of the whole line: said by the
        # product's choice, where the user can change it.
        errors.setdefault("product", []).extend(errors.pop("__all__", []))
        return render(request, "sales/opportunity.html", _opportunity_context(
            deal, product_values=values, errors=errors, product_message=str(error),
        ), status=400)
    return HttpResponseRedirect(
        reverse("sales:opportunity", args=[deal.external_id]) + "#products"
    )


@login_required
@require_POST
def remove_product(request: HttpRequest, external_id: str, line_id: int) -> HttpResponse:
    deal = _opportunity(request, external_id)
    user = request.user
    assert isinstance(user, User)
    if not deal.products.filter(pk=line_id).exists():
        raise Http404("This product is not on this opportunity.")
    services.delete_opportunity_product(user=user, id=line_id)
    return HttpResponseRedirect(
        reverse("sales:opportunity", args=[deal.external_id]) + "#products"
    )
