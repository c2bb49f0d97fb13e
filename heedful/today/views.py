"""Today's pages: the landing redirect, the page, one play opened in place, and acting on it.

Every line of Today is a link to the play page, so the page works without JavaScript;
``today.js`` opens the play in place instead (the ``panel`` fragment) and adds the keys. An
action posted from an opened play goes through the play pages' own ``act_on_play`` (its
forms, the version check, the services); on success htmx gets the whole list back, the play
gone from it and the counts changed, and on failure only the play, with its errors.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from heedful.accounts.visibility import visible_users
from heedful.core.models import User
from heedful.plays import services as plays_services
from heedful.plays.forms import default_snooze_until
from heedful.plays.models import Play
from heedful.plays.people import get_people_to_reach
from heedful.plays.views import PLAY_ACTIONS, act_on_play
from heedful.today import services

DONE_WORDS = {
    "done": "Marked done", "snooze": "Snoozed", "dismiss": "Dismissed", "reopen": "Reopened",
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """``/`` and where a login lands: Today for reps, the team view for those who lead one."""
    return redirect(services.landing_page_name(_user(request)))


def _owner(request: HttpRequest, source: Any, *, strict: bool = True) -> User:
    """Whose Today: the user's own, or ``owner=`` someone they may see; anyone else is 404
    (``strict``) or, after an action already allowed on the play, the user's own Today."""
    user = _user(request)
    raw = str(source.get("owner", ""))
    if not raw or raw == str(user.pk):
        return user
    owner = None
    if raw.isascii() and raw.isdigit() and len(raw) < 19:
        owner = visible_users(user).filter(pk=int(raw)).first()
    if owner is None:
        if strict:
            raise Http404("No such person.")
        return user
    return owner


def _page_url(request: HttpRequest, owner: User) -> str:
    return reverse("today:page") + ("" if owner.pk == request.user.pk else f"?owner={owner.pk}")


def _page_context(request: HttpRequest, owner: User, **extra: Any) -> dict[str, Any]:
    user = _user(request)
    return {
        "today": services.get_today(user=user, owner=owner), "is_own": owner.pk == user.pk,
        "owner": owner, "can_see_team": plays_services.can_see_team(user), **extra,
    }


@login_required
def page(request: HttpRequest) -> HttpResponse:
    owner = _owner(request, request.GET)
    context = _page_context(request, owner)
    template = "today/_body.html" if _is_htmx(request) else "today/page.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _visible_play(request: HttpRequest, play_id: int) -> Play:
    return plays_services.get_or_raise(user=_user(request), id=play_id)


def _panel_context(play: Play, **extra: Any) -> dict[str, Any]:
    return {
        "play": play, "people": get_people_to_reach([play])[play.pk],
        "default_snooze_until": default_snooze_until(), **extra,
    }


@login_required
def panel(request: HttpRequest, play_id: int) -> HttpResponse:
    """One play opened in place: its explanation, facts, whom to reach, and the actions. A
    request that is not htmx's (a link opened in a new tab) goes to the play page."""
    if not _is_htmx(request):
        return HttpResponseRedirect(reverse("plays:detail", args=[play_id]))
    play = _visible_play(request, play_id)
    response = render(request, "today/_panel.html", _panel_context(play))
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def act(request: HttpRequest, play_id: int, action: str) -> HttpResponse:
    if action not in PLAY_ACTIONS:
        raise Http404("No such action on a play.")
    play = _visible_play(request, play_id)
    result = act_on_play(request, play, action)
    owner = _owner(request, request.POST, strict=False)
    if not _is_htmx(request):
        if result.failed:
            # The play page shows the form again with its errors (no JavaScript: rare).
            return HttpResponseRedirect(reverse("plays:detail", args=[play.pk]))
        return HttpResponseRedirect(_page_url(request, owner))
    if result.failed:
        context = _panel_context(
            play, form=result.form, failed_action=action, error=result.error,
        )
        return render(request, "today/_panel.html", context)
    context = _page_context(request, owner, acted={
        "play": play, "words": DONE_WORDS[action], "action": action,
    })
    response = render(request, "today/_body.html", context)
    response["HX-Retarget"] = "#today-body"
    response["HX-Reswap"] = "outerHTML"
    return response
