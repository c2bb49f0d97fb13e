"""The forecast pages: a rep's own forecast (the reminder, the form, the history of
submissions), the manager's roll-up with adjustments kept apart, and accuracy over time."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from heedful.accounts.visibility import managed_users
from heedful.core.exceptions import InvalidInput, NotFound
from heedful.core.models import User
from heedful.forecasts import services
from heedful.forecasts.models import SUBMITTED_CATEGORIES, ForecastPeriod
from heedful.lib import clock


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _chosen_period(request: HttpRequest) -> ForecastPeriod | None:
    raw = request.GET.get("period") or request.POST.get("period")
    if raw:
        return services.get_period_or_raise(name=raw)
    return services.current_period(as_of=clock.today())


def _manages_anyone(user: User) -> bool:
    return managed_users(user).exclude(pk=user.pk).exists()


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    period = _chosen_period(request)
    errors: dict[str, list[str]] = {}
    message = ""
    values: dict[str, Any] = {}
    if request.method == "POST" and period is not None:
        values = {name: request.POST.get(name, "") for name in
                  ("commit", "best_case", "pipeline", "note")}
        try:
            submission = services.submit(user=user, period=period, **values)
            messages.success(request, f"Your {period.name} forecast is submitted"
                             + (" (after the due date)." if submission.is_late else "."))
            return HttpResponseRedirect(reverse("forecasts:mine") + f"?period={period.name}")
        except InvalidInput as error:
            errors, message = error.errors, str(error)
    history = services.history(rep=user, period=period) if period else []
    if not values and history:
        latest = history[0]
        values = {"commit": latest.commit, "best_case": latest.best_case,
                  "pipeline": latest.pipeline, "note": ""}
    return render(request, "forecasts/mine.html", {
        "period": period, "periods": services.get_periods(), "history": history,
        "reminder": services.reminder(rep=user, as_of=clock.today()),
        "values": values, "errors": errors, "message": message,
        "manages_anyone": _manages_anyone(user), "today": clock.today(),
    }, status=400 if errors else 200)


@login_required
def team(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    period = _chosen_period(request)
    return render(request, "forecasts/team.html", _team_context(request, user, period))


def _team_context(request: HttpRequest, user: User, period: ForecastPeriod | None,
                  **extra: Any) -> dict[str, Any]:
    return {
        "period": period, "periods": services.get_periods(),
        "roll_up": services.roll_up(user=user, period=period) if period else None,
        "categories": SUBMITTED_CATEGORIES, "errors": {}, "values": {}, **extra,
    }


@login_required
@require_POST
def adjust(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    period = _chosen_period(request)
    if period is None:
        raise Http404("No forecast period.")
    values = {name: request.POST.get(name, "") for name in ("rep", "category", "change",
                                                             "reason")}
    try:
        rep = services.get_person_or_raise(user=user, username=values["rep"])
        services.adjust(user=user, rep=rep, period=period, category=values["category"],
                        change=values["change"], reason=values["reason"])
    except (InvalidInput, NotFound) as error:
        errors = error.errors if isinstance(error, InvalidInput) else {}
        return render(request, "forecasts/team.html", _team_context(
            request, user, period, errors=errors, values=values, message=str(error)),
            status=400)
    messages.success(request, "The adjustment is saved, apart from the rep's own figures.")
    return HttpResponseRedirect(reverse("forecasts:team") + f"?period={period.name}")


@login_required
def accuracy(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    people = list(managed_users(user).filter(role="rep").order_by("full_name", "username"))
    rows = services.accuracy(rep_ids=[person.pk for person in people], as_of=clock.today())
    by_rep: dict[int, list[services.Accuracy]] = {person.pk: [] for person in people}
    for row in rows:
        by_rep[row.rep_id].append(row)
    period_names = sorted({row.period.name for row in rows})
    return render(request, "forecasts/accuracy.html", {
        "lines": [(person, by_rep[person.pk]) for person in people],
        "period_names": period_names,
    })
