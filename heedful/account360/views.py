"""The Account 360 page at /accounts/<external_id>/: parse, call the service, render.

The interactions section pages and sorts in place: an htmx request aimed at it (other than a
history restore) gets that section alone, every other request the whole page, so paging
works without JavaScript too."""

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from heedful.account360 import services
from heedful.accounts import services as accounts_services
from heedful.core.models import Role
from heedful.health import services as health_services
from heedful.health.forms import OwnerSentimentForm
from heedful.plays.forms import default_snooze_until

INTERACTIONS_TARGET = "interactions-results"


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 10 else 1


def _wants_interactions_alone(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request and htmx.target == INTERACTIONS_TARGET


@login_required
def account_detail(request: HttpRequest, external_id: str) -> HttpResponse:
    account = accounts_services.get_or_raise(user=request.user, external_id=external_id)  # type: ignore[arg-type]
    page = _page_number(request.GET.get("interactions_page"))
    sort = request.GET.get("interactions_sort", services.DEFAULT_INTERACTION_SORT)
    if _wants_interactions_alone(request):
        response = render(request, "account360/_interactions.html", {
            "account": account,
            "interactions": services.get_interactions_page(account=account, page=page, sort=sort),
        })
    else:
        overview = services.get_account_360(
            account=account, as_of=timezone.localdate(), interactions_page=page,
            interactions_sort=sort,
        )
        user = request.user
        health = replace(
            overview.health,
            may_set_sentiment=health_services.may_set_sentiment(user, account),  # type: ignore[arg-type]
            may_change_weights=getattr(user, "role", None) == Role.ADMIN,
            sentiment_form=OwnerSentimentForm(),
        )
        response = render(request, "account360/detail.html", {
            "overview": overview, "account": account, "interactions": overview.interactions,
            "health": health,
            "return_to": request.get_full_path(), "default_snooze_until": default_snooze_until(),
        })
    # The same URL answers the page or its interactions section: caches key on the header.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
