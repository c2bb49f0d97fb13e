"""The review pages: the reviews one may see, a new review, and the review itself with its
agenda, coaching points and action items. A review one may not see is answered 404; a form
refused by the service is shown again with what to correct."""

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from heedful.accounts.visibility import managed_users, visible_accounts
from heedful.coaching import services
from heedful.coaching.models import Direction, FollowUp, Review, ReviewKind, Skill
from heedful.core.exceptions import InvalidInput
from heedful.core.models import User
from heedful.core.sorting import sort_columns
from heedful.lib import clock, words
from heedful.sales.models import Opportunity

SORTS = {
    "held_on": ("held_on", "pk"), "-held_on": ("-held_on", "-pk"),
    "rep": ("rep__full_name", "rep__username", "-held_on", "pk"),
    "-rep": ("-rep__full_name", "-rep__username", "-held_on", "-pk"),
    "kind": ("kind", "-held_on", "pk"), "-kind": ("-kind", "-held_on", "-pk"),
}
SORT_LINKS = [("held_on", "Date", "-held_on"), ("rep", "Rep"), ("kind", "Kind")]
DEFAULT_SORT = "-held_on"
OPPORTUNITY_CHOICES = 200


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 10 else 1


def _review(request: HttpRequest, review_id: int) -> Review:
    return services.get_or_raise(user=_user(request), review_id=review_id)


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    reviews = services.get_all(user=user).order_by(*SORTS[sort])
    page = Paginator(reviews, settings.HEEDFUL_PAGE_SIZE).get_page(
        _page_number(request.GET.get("page")))
    return render(request, "coaching/list.html", {
        "page": page, "columns": sort_columns(SORT_LINKS, sort),
        "can_hold": managed_users(user).exclude(pk=user.pk).exists(),
    })


def _opportunities(user: User) -> list[Opportunity]:
    people = managed_users(user).exclude(pk=user.pk).values("pk")
    return list(
        Opportunity.objects.filter(owner__in=people, closed_on__isnull=True,
                                   account__in=visible_accounts(user))
        .select_related("owner", "account").order_by("owner__full_name", "name")[
            :OPPORTUNITY_CHOICES]
    )


def _day(raw: str | None) -> date | None:
    return words.parse_day(raw) if raw else None


@login_required
def new_review(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    reps = list(managed_users(user).exclude(pk=user.pk).order_by("full_name", "username"))
    values: dict[str, Any] = {"kind": request.GET.get("kind", ReviewKind.DEAL),
                              "rep": request.GET.get("rep", ""),
                              "held_on": clock.today().isoformat()}
    errors: dict[str, list[str]] = {}
    message = ""
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in
                  ("kind", "rep", "held_on", "subject", "notes", "opportunity")}
        rep = next((person for person in reps if person.username == values["rep"]), None)
        try:
            if rep is None:
                raise InvalidInput("Choose whose review it is.", {"rep": ["Choose a rep."]})
            review = services.create(
                user=user, rep=rep, kind=values["kind"], held_on=_day(values["held_on"]),
                subject=values["subject"], notes=values["notes"],
                opportunity_external_id=values["opportunity"],
            )
            return HttpResponseRedirect(reverse("coaching:detail", args=[review.pk]))
        except InvalidInput as error:
            errors, message = error.errors, str(error)
    return render(request, "coaching/new.html", {
        "reps": reps, "kinds": ReviewKind.choices, "opportunities": _opportunities(user),
        "values": values, "errors": errors, "message": message,
    }, status=400 if errors else 200)


def _detail_context(request: HttpRequest, review: Review, **extra: Any) -> dict[str, Any]:
    user = _user(request)
    return {
        "review": review, "can_coach": services.can_coach(user, review),
        "skills": Skill.choices, "directions": Direction.choices,
        "dimensions": [(item.dimension, item.title) for item in review.agenda.all()],
        "today": clock.today(), "point_values": {}, "follow_up_values": {}, "errors": {},
        **extra,
    }


@login_required
def detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    return render(request, "coaching/detail.html", _detail_context(request, review))


@login_required
@require_POST
def add_point(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    values = {name: request.POST.get(name, "") for name in
              ("skill", "observed", "direction", "dimension")}
    try:
        services.add_point(user=_user(request), review=review, **values)
    except InvalidInput as error:
        return render(request, "coaching/detail.html", _detail_context(
            request, review, point_values=values, errors=error.errors,
            point_message=str(error)), status=400)
    return HttpResponseRedirect(reverse("coaching:detail", args=[review.pk]) + "#points")


@login_required
@require_POST
def add_follow_up(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    values = {name: request.POST.get(name, "") for name in ("what", "owner", "due_on")}
    owner = {review.rep.username: review.rep, review.manager.username: review.manager}.get(
        values["owner"])
    try:
        services.add_follow_up(user=_user(request), review=review, what=values["what"],
                               owner=owner, due_on=_day(values["due_on"]))
    except InvalidInput as error:
        return render(request, "coaching/detail.html", _detail_context(
            request, review, follow_up_values=values, errors=error.errors,
            follow_up_message=str(error)), status=400)
    return HttpResponseRedirect(reverse("coaching:detail", args=[review.pk]) + "#follow-ups")


@login_required
@require_POST
def follow_up_done(request: HttpRequest, review_id: int, follow_up_id: int) -> HttpResponse:
    review = _review(request, review_id)
    follow_up = FollowUp.objects.filter(review=review, pk=follow_up_id).first()
    if follow_up is None:
        raise Http404("No such action item.")
    try:
        services.mark_follow_up_done(user=_user(request), follow_up=follow_up)
    except InvalidInput as error:
        return render(request, "coaching/detail.html", _detail_context(
            request, review, follow_up_message=str(error)), status=403)
    return HttpResponseRedirect(reverse("coaching:detail", args=[review.pk]) + "#follow-ups")


@login_required
@require_POST
def edit_notes(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    try:
        services.update_notes(user=_user(request), review=review,
                              notes=request.POST.get("notes", ""))
    except InvalidInput as error:
        return render(request, "coaching/detail.html", _detail_context(
            request, review, notes_message=str(error)), status=403)
    return HttpResponseRedirect(reverse("coaching:detail", args=[review.pk]) + "#notes")
