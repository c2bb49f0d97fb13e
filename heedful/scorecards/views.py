"""The scorecard pages: the team's scorecards, one rep's with their coaching history, putting
a below-standard dimension on the next review in one click, and the standards a manager sets.
A rep sees their own only; anyone else's is answered 404."""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from heedful.coaching import services as coaching_services
from heedful.core.exceptions import InvalidInput
from heedful.core.models import Role, User
from heedful.forecasts import periods
from heedful.forecasts.periods import Period
from heedful.lib import clock
from heedful.scorecards import services
from heedful.scorecards.dimensions import DIMENSIONS, DIMENSIONS_BY_KEY, formatted

SORTS = {"name": "name", "-name": "-name", "below": "below", "-below": "-below"}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _period(request: HttpRequest) -> tuple[Period, str]:
    raw = request.GET.get("period") or request.POST.get("period") or ""
    if raw:
        try:
            return periods.parse(raw), ""
        except InvalidInput as error:
            return periods.quarter_of(clock.today()), str(error)
    return periods.quarter_of(clock.today()), ""


def _rep(request: HttpRequest, username: str) -> User:
    return services.get_rep_or_raise(user=_user(request), username=username)


@login_required
def team(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role == Role.REP:
        return HttpResponseRedirect(reverse("scorecards:rep", args=[user.username]))
    period, period_error = _period(request)
    sort = request.GET.get("sort", "-below")
    sort = sort if sort in SORTS else "-below"
    cards = services.scorecards(reps=services.team_reps(user=user), period=period,
                                as_of=clock.today())
    key = (lambda card: len(card.below)) if sort.endswith("below") else (
        lambda card: card.rep.display_name.lower())
    cards.sort(key=key, reverse=sort.startswith("-"))
    return render(request, "scorecards/team.html", {
        "cards": cards, "period": period, "period_error": period_error,
        "dimensions": DIMENSIONS, "sort": sort,
        "previous": periods.previous(period).name,
    })


def _history(rep: User, current: dict[str, Any]) -> list[dict[str, Any]]:
    """Each review with, for each figure it was about, the figure then and now."""
    rows = []
    for review in coaching_services.history(rep=rep):
        figures = []
        for item in review.agenda.all():
            dimension = DIMENSIONS_BY_KEY.get(item.dimension)
            score = current.get(item.dimension)
            if dimension is None or score is None:
                continue
            moved = None
            if item.value is not None and score.value is not None:
                better = score.value > item.value if dimension.higher_is_better else (
                    score.value < item.value)
                worse = score.value < item.value if dimension.higher_is_better else (
                    score.value > item.value)
                moved = "better" if better else "worse" if worse else "unchanged"
            figures.append({
                "title": item.title, "then": formatted(dimension, item.value),
                "then_period": item.period, "now": score.shown_value, "moved": moved,
                "meets_now": score.meets,
            })
        rows.append({"review": review, "figures": figures})
    return rows


@login_required
def rep_scorecard(request: HttpRequest, username: str) -> HttpResponse:
    user = _user(request)
    rep = _rep(request, username)
    period, period_error = _period(request)
    as_of = clock.today()
    card = services.scorecards(reps=[rep], period=period, as_of=as_of)[0]
    current_period = periods.quarter_of(as_of)
    current = card if current_period == period else services.scorecards(
        reps=[rep], period=current_period, as_of=as_of)[0]
    next_review = coaching_services.next_review(rep=rep, as_of=as_of)
    return render(request, "scorecards/rep.html", {
        "card": card, "rep": rep, "period": period, "period_error": period_error,
        "can_set_agenda": services.can_set_agenda(user, rep),
        "next_review": next_review, "previous": periods.previous(period).name,
        "history": _history(rep, {score.dimension.key: score for score in current.scores}),
        "current_period": current_period,
    })


@login_required
@require_POST
def put_on_agenda(request: HttpRequest, username: str) -> HttpResponse:
    user = _user(request)
    rep = _rep(request, username)
    period, _ = _period(request)
    dimension = DIMENSIONS_BY_KEY.get(request.POST.get("dimension", ""))
    if dimension is None:
        raise Http404("No such dimension.")
    score = services.scorecards(reps=[rep], period=period, as_of=clock.today())[0].score(
        dimension.key)
    try:
        result = coaching_services.put_on_agenda(
            user=user, rep=rep, dimension=dimension.key,
            title=f"{dimension.label}: {score.shown_value} against a standard of "
                  f"{score.shown_standard}",
            period=period.name, value=score.value, standard=score.standard,
            detail=score.detail,
        )
    except InvalidInput as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("scorecards:rep", args=[rep.username]))
    if result.was_already_there:
        messages.info(request, f"{dimension.label} was already on this review's agenda.")
    else:
        messages.success(request, f"{dimension.label} is on the agenda of this review.")
    return HttpResponseRedirect(reverse("coaching:detail", args=[result.review.pk]) + "#agenda")


@login_required
def standards(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role not in (Role.MANAGER, Role.ADMIN):
        raise Http404("Only managers set standards.")
    errors: dict[str, list[str]] = {}
    message = ""
    if request.method == "POST":
        try:
            for dimension in DIMENSIONS:
                raw = request.POST.get(dimension.key, "").strip()
                if raw:
                    services.set_standard(user=user, dimension=dimension.key,
                                         value=_from_shown(dimension.key, raw))
            messages.success(request, "The standards are saved.")
            return HttpResponseRedirect(reverse("scorecards:standards"))
        except InvalidInput as error:
            errors, message = error.errors, str(error)
    own = {standard.dimension: standard.value for standard in user.standards_set.all()}
    rows = [{
        "dimension": dimension,
        "value": _to_shown(dimension.key, own.get(dimension.key, dimension.default_standard)),
        "is_own": dimension.key in own,
    } for dimension in DIMENSIONS]
    return render(request, "scorecards/standards.html", {
        "rows": rows, "errors": errors, "message": message,
    }, status=400 if errors else 200)


def _to_shown(key: str, value: Decimal) -> str:
    """Percent dimensions are entered as percents (90), stored as fractions (0.9)."""
    if DIMENSIONS_BY_KEY[key].unit == "percent":
        return f"{(value * 100).normalize():f}"
    return f"{value.normalize():f}"


def _from_shown(key: str, raw: str) -> Decimal | str:
    if DIMENSIONS_BY_KEY[key].unit != "percent":
        return raw
    try:
        return Decimal(raw.rstrip("%").strip()) / 100
    except ArithmeticError:
        return raw
