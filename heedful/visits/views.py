"""The team plans and announces a visit; the customer checks it without a login.

The customer's page (``/visit/<token>/``) asks for the code first. A wrong code, a link
that does not exist and one whose visit is over get the same page with the same words, so
the answer says nothing of whether there is a visit. It shows only what the customer needs:
the visitor's name, role and photo, the work order, the window and our phone number.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from heedful.accounts import services as accounts_services
from heedful.accounts.models import Account
from heedful.core.exceptions import InvalidInput
from heedful.core.models import User
from heedful.lib import clock
from heedful.visits import services
from heedful.visits.kinds import VISIT
from heedful.visits.models import ANNOUNCE_AHEAD_HOURS, HappenedAsAnnounced, Visit

FORM_FIELDS = tuple(name for name in VISIT.form_fields if name != "account")
"""The plan's fields the page posts (the account is the page's own)."""


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _account(request: HttpRequest, external_id: str) -> Account:
    return accounts_services.get_or_raise(user=_user(request), external_id=external_id)


def _visit(request: HttpRequest, visit_id: int) -> Visit:
    return services.get_or_raise(user=_user(request), id=visit_id)


@login_required
def account_visits(request: HttpRequest, external_id: str) -> HttpResponse:
    """An account's visits, and the form to plan one."""
    account = _account(request, external_id)
    errors: dict[str, list[str]] = {}
    error = ""
    posted: dict[str, str] = {}
    if request.method == "POST":
        posted = {name: request.POST.get(name, "") for name in FORM_FIELDS}
        try:
            visit = services.create_at(user=_user(request), account=account, data=posted)
        except InvalidInput as refusal:
            error, errors = str(refusal), refusal.errors
        else:
            return HttpResponseRedirect(reverse("visits:detail", kwargs={"visit_id": visit.pk}))
    now = clock.now()
    visits = list(services.get_for_account(user=_user(request), account=account)[:100])
    return render(request, "visits/account.html", {
        "account": account, "visits": [(visit, visit.is_flagged(now)) for visit in visits],
        "contacts": account.contacts.order_by("full_name"),
        "visitors": User.objects.filter(is_active=True).order_by("full_name", "username"),
        "posted": posted, "errors": errors, "error": error,
        "ahead_hours": ANNOUNCE_AHEAD_HOURS,
    }, status=422 if error else 200)


def _detail_context(request: HttpRequest, visit: Visit, **extra: object) -> dict[str, object]:
    now = clock.now()
    return {
        "visit": visit, "account": visit.account, "is_flagged": visit.is_flagged(now),
        "announce_by": visit.announce_by(), "ahead_hours": ANNOUNCE_AHEAD_HOURS,
        "is_over": visit.window_end <= now, **extra,
    }


@login_required
def detail(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = _visit(request, visit_id)
    return render(request, "visits/detail.html", _detail_context(request, visit))


@login_required
@require_POST
def announce(request: HttpRequest, visit_id: int) -> HttpResponse:
    """Announce the visit: the code and link are on the page this answers, once."""
    visit = _visit(request, visit_id)
    try:
        announcement = services.announce(
            user=_user(request), visit=visit,
            link_for=lambda token: request.build_absolute_uri(
                reverse("verify_visit", kwargs={"token": token})
            ),
        )
    except InvalidInput as refusal:
        return render(request, "visits/detail.html",
                      _detail_context(request, visit, error=str(refusal)), status=422)
    response = render(request, "visits/detail.html", _detail_context(
        request, announcement.visit, announcement=announcement,
    ))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def photo(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = _visit(request, visit_id)
    upload = request.FILES.get("photo")
    try:
        if upload is None:
            raise InvalidInput("Choose a photo of the visitor (JPEG or PNG).")
        if upload.size is not None and upload.size > services.PHOTO_LIMIT_BYTES:
            raise InvalidInput("The photo is larger than 2 MB: choose a smaller one.")
        services.set_photo(user=_user(request), visit=visit, content=upload.read())
    except InvalidInput as refusal:
        return render(request, "visits/detail.html",
                      _detail_context(request, visit, error=str(refusal)), status=422)
    return HttpResponseRedirect(reverse("visits:detail", kwargs={"visit_id": visit.pk}))


# -- the customer's page (no login) --------------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    """As a meeting's shared page: never cached, never indexed, its address never sent on."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _ask_code(request: HttpRequest, token: str, *, refused: str = "") -> HttpResponse:
    return _private(render(request, "visits/verify.html", {
        "token": token, "refused": refused,
    }, status=403 if refused else 200))


@never_cache
def customer_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for the code (for any link alike); POST with the right code shows the visit."""
    if request.method != "POST":
        return _ask_code(request, token)
    code = request.POST.get("code", "")
    try:
        visit = services.verify(token=token, code=code)
    except services.Refused as refusal:
        return _ask_code(request, token, refused=str(refusal))
    return _private(render(request, "visits/verified.html", {
        "view": services.customer_view(visit), "token": token, "code": code,
        "choices": HappenedAsAnnounced.choices,
    }))


@never_cache
@require_POST
def customer_answer(request: HttpRequest, token: str) -> HttpResponse:
    code = request.POST.get("code", "")
    try:
        services.customer_answers(
            token=token, code=code, happened=request.POST.get("happened", ""),
            comment=request.POST.get("comment", ""),
        )
    except services.Refused as refusal:
        return _ask_code(request, token, refused=str(refusal))
    except InvalidInput as refusal:
        visit = services.verify(token=token, code=code)
        return _private(render(request, "visits/verified.html", {
            "view": services.customer_view(visit), "token": token, "code": code,
            "choices": HappenedAsAnnounced.choices, "error": str(refusal),
        }, status=422))
    return _private(render(request, "visits/thanks.html", {}))
