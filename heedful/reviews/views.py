"""The service review pages: an account's reviews, the review of a period (the records alone
until someone prepares it), a draft with its commentary and topic forms, a sent review as the
customer saw it, its PDF, and the customer's link.

Views parse the form, call a service and render. Every page but the customer's needs a login
and an account the user may see: anything else is answered 404. Forms that change what two
people may edit at once carry the version the page showed; when the record changed since,
nothing is written and the page says so (409), keeping what the person typed. Every form
works without JavaScript: a POST answers a redirect back to the section it changed.

The customer's link (``/shared/reviews/<token>/``) needs no login: an unknown, withdrawn or
expired token gets the same bare "not found" page.
"""

import dataclasses
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from heedful.accounts.models import Account
from heedful.core import shared_links
from heedful.core.exceptions import InvalidInput, NotFound, StaleVersion
from heedful.core.models import User
from heedful.core.sorting import sort_columns
from heedful.core.versions import version_of
from heedful.lib import clock
from heedful.reviews import services
from heedful.reviews.models import Review, TopicKind
from heedful.reviews.pdf import render_pdf
from heedful.reviews.periods import Period, month_before, parse_period, quarter_of
from heedful.reviews.present import ReviewView, health_trend, present


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _account(request: HttpRequest, external_id: str) -> Account:
    return services.get_account(user=_user(request), external_id=external_id)


def _review(request: HttpRequest, review_id: int) -> Review:
    return services.get_review(user=_user(request), review_id=review_id)


def _period(raw: str) -> Period:
    try:
        return parse_period(raw)
    except InvalidInput as error:
        raise Http404(str(error)) from None


def _back_to(review: Review, section: str = "") -> HttpResponseRedirect:
    url = reverse("reviews:detail", kwargs={"review_id": review.pk})
    return HttpResponseRedirect(f"{url}#{section}" if section else url)


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 10 else 1


# -- the account's reviews -----------------------------------------------------------------

SORTS = {"period": ("period_to", "pk"), "status": ("status", "-period_to", "-pk")}
SORT_LINKS = [("period", "Period", "-period"), ("status", "Status", "status")]
DEFAULT_SORT = "-period"


def _last_quarter(today: date) -> Period:
    return parse_period(quarter_of(month_before(f"{today:%Y-%m}", 3)))


@login_required
def review_list(request: HttpRequest, external_id: str, *, error: str = "",
                typed_period: str = "") -> HttpResponse:
    account = _account(request, external_id)
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort.removeprefix("-") not in SORTS:
        sort = DEFAULT_SORT
    order = SORTS[sort.removeprefix("-")]
    if sort.startswith("-"):
        order = tuple(key[1:] if key.startswith("-") else f"-{key}" for key in order)
    reviews = services.get_all(account=account).order_by(*order)
    page = Paginator(reviews, settings.HEEDFUL_PAGE_SIZE).get_page(
        _page_number(request.GET.get("page"))
    )
    for review in page:
        review.period_words = parse_period(review.period).words  # type: ignore[attr-defined]
    return render(request, "reviews/list.html", {
        "account": account, "page": page, "columns": sort_columns(SORT_LINKS, sort),
        "error": error, "typed_period": typed_period,
        "suggested": _last_quarter(clock.today()),
    }, status=422 if error else 200)


@login_required
def open_period(request: HttpRequest, external_id: str) -> HttpResponse:
    """The period form of the list: to the review of the period typed, or back with why not."""
    account = _account(request, external_id)
    typed = request.GET.get("period", "")
    try:
        period = parse_period(typed)
    except InvalidInput as error:
        return review_list(request, external_id, error=str(error), typed_period=typed)
    return HttpResponseRedirect(reverse("reviews:period", kwargs={
        "external_id": account.external_id, "period": period.key}))


@login_required
def period(request: HttpRequest, external_id: str, period: str) -> HttpResponse:
    """The review of a period: its draft when one is being prepared, else what the records
    say, with a button to prepare it (plays link here)."""
    account = _account(request, external_id)
    wanted = _period(period)
    draft = services.get_draft(account=account, period=wanted)
    if draft is not None:
        return _back_to(draft)
    content = services.build_content(account=account, period=wanted, as_of=clock.today())
    return render(request, "reviews/review.html", {
        "account": account, "review": None, "view": present(content),
        "period_key": wanted.key,
        "previous": services.get_previous_sent(account=account, period=wanted),
    })


@login_required
@require_POST
def prepare(request: HttpRequest, external_id: str, period: str) -> HttpResponse:
    account = _account(request, external_id)
    review = services.prepare(user=_user(request), account=account, period=_period(period))
    return _back_to(review)


# -- a review --------------------------------------------------------------------------------


def review_context(request: HttpRequest, review: Review, **extra: Any) -> dict[str, Any]:
    content = services.get_content(review=review)
    view = present(content)
    editing = not review.is_sent
    topic_rows: list[Any] = []
    if editing:
        versions = {
            comment.metric: version_of(comment) for comment in review.comments.all()
        }
        view = dataclasses.replace(view, metrics=[
            dataclasses.replace(metric, comment_version=versions.get(metric.name, ""))
            for metric in view.metrics
        ])
        topic_rows = list(review.topics.select_related("carried_from").order_by("position", "pk"))
        for topic in topic_rows:
            topic.version = version_of(topic)
    return {
        "account": review.account, "review": review, "view": view, "editing": editing,
        "topic_rows": topic_rows, "topic_kinds": TopicKind.choices,
        "review_version": services.review_version(review),
        "links": services.get_links(review=review) if review.is_sent else [],
        "link_days": shared_links.LINK_DAYS, "default_link_days": shared_links.DEFAULT_LINK_DAYS,
        "now": clock.now(),
        "health": health_trend(review, clock.today()) if editing else None, **extra,
    }


@login_required
def detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    return render(request, "reviews/review.html", review_context(request, review))


def _refused(request: HttpRequest, review: Review, error: Exception, *, failed: str,
             **kept: Any) -> HttpResponse:
    """The review again with why nothing was saved next to the form, the person's input
    kept: 409 when someone changed it since, 422 for input to correct."""
    review.refresh_from_db()
    status = 409 if isinstance(error, StaleVersion) else 422
    context = review_context(request, review, error=str(error), failed=failed, **kept)
    return render(request, "reviews/review.html", context, status=status)


@login_required
def pdf(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    return _pdf_response(services.get_content(review=review), review)


def _pdf_response(content: dict[str, Any], review: Review) -> HttpResponse:
    response = HttpResponse(render_pdf(content), content_type="application/pdf")
    name = f"review-{review.account.external_id}-{review.period}.pdf".replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def comment(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    metric = request.POST.get("metric", "")
    typed = {
        "what_happened": request.POST.get("what_happened", ""),
        "what_we_are_doing": request.POST.get("what_we_are_doing", ""),
    }
    try:
        services.save_comment(
            user=_user(request), review=review, metric=metric,
            version=request.POST.get("version", ""), **typed,
        )
    except (InvalidInput, StaleVersion) as error:
        return _refused(request, review, error, failed="comment", failed_metric=metric,
                        typed=typed)
    return _back_to(review, "metrics")


def _topic_input(request: HttpRequest) -> dict[str, str]:
    return {name: request.POST.get(name, "") for name in ("kind", "title", "text")}


@login_required
@require_POST
def topic_add(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    typed = _topic_input(request)
    try:
        services.add_topic(user=_user(request), review=review, **typed)
    except InvalidInput as error:
        return _refused(request, review, error, failed="topic", typed=typed)
    return _back_to(review, "topics")


@login_required
@require_POST
def topic_update(request: HttpRequest, review_id: int, topic_id: int) -> HttpResponse:
    review = _review(request, review_id)
    typed = _topic_input(request)
    try:
        services.update_topic(
            user=_user(request), review=review, topic_id=topic_id,
            is_open=request.POST.get("is_open") == "1",
            version=request.POST.get("version", ""), **typed,
        )
    except (InvalidInput, StaleVersion) as error:
        return _refused(request, review, error, failed="topic", typed=typed)
    return _back_to(review, "topics")


@login_required
@require_POST
def topic_delete(request: HttpRequest, review_id: int, topic_id: int) -> HttpResponse:
    review = _review(request, review_id)
    try:
        services.delete_topic(user=_user(request), review=review, topic_id=topic_id,
                              version=request.POST.get("version", ""))
    except (InvalidInput, StaleVersion) as error:
        return _refused(request, review, error, failed="topic", typed={})
    return _back_to(review, "topics")


@login_required
@require_POST
def send(request: HttpRequest, review_id: int) -> HttpResponse:
    """Freeze the draft as the customer will see it and make their link, shown once."""
    review = _review(request, review_id)
    try:
        sent = services.send(
            user=_user(request), review=review, version=request.POST.get("version", ""),
            link_days=shared_links.days_from_form(request.POST.get("days", "")),
        )
    except (InvalidInput, StaleVersion) as error:
        return _refused(request, review, error, failed="send")
    return _with_new_link(request, sent.review, sent.token, sent.link)


def _with_new_link(request: HttpRequest, review: Review, token: str, link: Any) -> HttpResponse:
    url = request.build_absolute_uri(reverse("shared_review", kwargs={"token": token}))
    response = render(request, "reviews/review.html",
                      review_context(request, review, new_link=url, new_page=link))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def share(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    try:
        link, token = services.share(
            user=_user(request), review=review,
            days=shared_links.days_from_form(request.POST.get("days", "")),
        )
    except InvalidInput as error:
        return _refused(request, review, error, failed="share")
    return _with_new_link(request, review, token, link)


@login_required
@require_POST
def revoke(request: HttpRequest, review_id: int, link_id: int) -> HttpResponse:
    review = _review(request, review_id)
    services.revoke(user=_user(request), review=review, link_id=link_id)
    return _back_to(review)


# -- the customer's link (no login) --------------------------------------------------------


def _gone(request: HttpRequest) -> HttpResponse:
    return shared_links.private(render(request, "meetings/shared_gone.html", status=404))


def _shared_view(review: Review) -> ReviewView:
    return present(services.get_content(review=review))


@never_cache
def shared(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = services.get_open_link(token=token)
    except NotFound:
        return _gone(request)
    return shared_links.private(render(request, "reviews/shared.html", {
        "view": _shared_view(link.review), "token": token,
    }))


@never_cache
def shared_pdf(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = services.get_open_link(token=token)
    except NotFound:
        return _gone(request)
    return shared_links.private(
        _pdf_response(services.get_content(review=link.review), link.review)
    )
