"""The sponsor programme and customer time, for leadership (managers, executives, admins and
senior people); anyone else is answered 404. Figures cover the accounts the viewer sees."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from heedful.accounts import services as accounts_services
from heedful.core.exceptions import InvalidInput
from heedful.core.models import User
from heedful.core.sorting import sort_columns
from heedful.lib import clock
from heedful.programs import services

PAIR_COLUMNS = (("sponsor", "Sponsor"), ("account", "Account"), ("last", "Last visit"),
                ("due", "Next visit due"))
UNSPONSORED_COLUMNS = (("name", "Account"), ("tier", "Tier"), ("revenue", "Revenue, last year",
                                                                "-revenue"))


def _leader(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not services.is_leader(user):
        raise Http404("The programme pages are for leadership.")
    return user


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 10 else 1


@login_required
def sponsors(request: HttpRequest) -> HttpResponse:
    viewer = _leader(request)
    sort = request.GET.get("sort", services.DEFAULT_PAIR_SORT)
    if sort not in services.PAIR_SORTS:
        sort = services.DEFAULT_PAIR_SORT
    programme = services.get_programme(viewer=viewer, as_of=clock.today(), sort=sort)
    page = Paginator(programme.pairs, settings.HEEDFUL_PAGE_SIZE).get_page(
        _page_number(request.GET.get("page"))
    )
    services.attach_heard(list(page.object_list))
    return render(request, "programs/sponsors.html", {
        "programme": programme, "page": page,
        "columns": sort_columns(PAIR_COLUMNS, sort),
        "top_unsponsored": services.unsponsored_accounts(viewer=viewer, as_of=clock.today())[:5],
    })


@login_required
def unsponsored(request: HttpRequest) -> HttpResponse:
    viewer = _leader(request)
    sort = request.GET.get("sort", "-revenue")
    if sort not in services.UNSPONSORED_SORTS:
        sort = "-revenue"
    # The list's sort names run the other way round for revenue: "-revenue" is highest first.
    order = {"-revenue": "revenue", "revenue": "-revenue"}.get(sort, sort)
    accounts = services.unsponsored_accounts(viewer=viewer, as_of=clock.today(), sort=order)
    tier = request.GET.get("tier", "")
    if tier:
        accounts = accounts.filter(segment=tier)
    page = Paginator(accounts, settings.HEEDFUL_PAGE_SIZE).get_page(
        _page_number(request.GET.get("page"))
    )
    return render(request, "programs/unsponsored.html", {
        "page": page, "tier": tier, "columns": sort_columns(UNSPONSORED_COLUMNS, sort),
        "reporting_currency": services.reporting_currency(),
    })


@login_required
def customer_time(request: HttpRequest) -> HttpResponse:
    viewer = _leader(request)
    quarter = request.GET.get("quarter") or services.quarter_of(clock.today())
    error = ""
    try:
        shown = services.get_customer_time(viewer=viewer, quarter=quarter)
    except InvalidInput as refusal:
        error = str(refusal)
        quarter = services.quarter_of(clock.today())
        shown = services.get_customer_time(viewer=viewer, quarter=quarter)
    department = request.GET.get("department", "")
    people = [row for row in shown.people if not department or row.person.department == department]
    page = Paginator(people, settings.HEEDFUL_PAGE_SIZE).get_page(
        _page_number(request.GET.get("page"))
    )
    only_sales = Paginator(services.accounts_meeting_only_sales(viewer=viewer),
                           settings.HEEDFUL_PAGE_SIZE).get_page(
        _page_number(request.GET.get("sales_page"))
    )
    return render(request, "programs/customer_time.html", {
        "shown": shown, "page": page, "department": department, "error": error,
        "quarters": services.recent_quarters(clock.today()), "only_sales": only_sales,
        "departments": services.Department.choices,
    }, status=422 if error else 200)


@login_required
@require_POST
def ask_to_join(request: HttpRequest, external_id: str) -> HttpResponse:
    """"Take me along": one click, a task (play) for the account owner."""
    leader = _leader(request)
    try:
        account = accounts_services.get_or_raise(user=leader, external_id=external_id)
        services.ask_to_join(leader=leader, account=account, note=request.POST.get("note", ""))
    except InvalidInput as refusal:
        messages.error(request, str(refusal))
    else:
        owner = account.owner.display_name if account.owner else "the account owner"
        messages.success(request, f"{owner} has been asked to take you to {account.name}.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("programs:sponsors")
    return HttpResponseRedirect(back)


@login_required
def praise(request: HttpRequest) -> HttpResponse:
    """The team page of praise shared with the customer's words (everyone reads it); a
    manager shares what the customers said of their people from here."""
    user: User = request.user  # type: ignore[assignment]
    errors: dict[str, list[str]] = {}
    error, failed = "", ""
    if request.method == "POST":
        raw = request.POST.get("interaction", "")
        failed = raw
        try:
            services.share_praise(
                manager=user, interaction_id=int(raw) if raw.isascii() and raw.isdigit() else 0,
                customer_words=request.POST.get("customer_words", ""),
                customer_agreed=request.POST.get("customer_agreed") == "yes",
            )
        except InvalidInput as refusal:
            error, errors = str(refusal), refusal.errors
        else:
            messages.success(request, "Shared with the team. Thank the customer for letting us.")
            return HttpResponseRedirect(reverse("programs:praise"))
    page = Paginator(services.shared_praise(), settings.HEEDFUL_PAGE_SIZE).get_page(
        _page_number(request.GET.get("page"))
    )
    to_share = services.praise_to_share(manager=user)[:20] if user.role != "rep" else []
    return render(request, "programs/praise.html", {
        "page": page, "to_share": to_share, "error": error, "errors": errors,
        "failed": failed,
    }, status=422 if error else 200)
