"""Focus groups and webinars: the list, a new event, one event (guests, invitations, who
came, what they said) and the feedback by theme and family. Guests and feedback show only
the customers the viewer may see."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from heedful.accounts.visibility import visible_accounts
from heedful.catalog.models import ProductFamily
from heedful.core.exceptions import InvalidInput
from heedful.core.models import User
from heedful.events import services
from heedful.events.kinds import EVENT, FEEDBACK_ITEM
from heedful.events.models import Event, InvitationStatus

ATTENDANCE_LIMIT_BYTES = 5 * 1024 * 1024
EVENT_FIELDS = tuple(name for name in EVENT.form_fields if name != "host")
"""What the new-event page posts (its host is whoever plans it)."""
FEEDBACK_FIELDS = tuple(FEEDBACK_ITEM.form_fields)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _event(event_id: int) -> Event:
    return services.get_or_raise(id=event_id)


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 10 else 1


def _back(event: Event, section: str = "") -> HttpResponseRedirect:
    url = reverse("events:detail", kwargs={"event_id": event.pk})
    return HttpResponseRedirect(f"{url}#{section}" if section else url)


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(services.get_all().order_by("-starts_at", "-pk"),
                     settings.HEEDFUL_PAGE_SIZE).get_page(_page_number(request.GET.get("page")))
    return render(request, "events/list.html", {"page": page})


@login_required
def new_event(request: HttpRequest) -> HttpResponse:
    posted = {name: request.POST.get(name, "") for name in EVENT_FIELDS}
    errors: dict[str, list[str]] = {}
    error = ""
    if request.method == "POST":
        try:
            event = services.create(user=_user(request), data=posted)
        except InvalidInput as refusal:
            error, errors = str(refusal), refusal.errors
        else:
            return _back(event)
    return render(request, "events/new.html", {
        "posted": posted, "errors": errors, "error": error, "formats": services.FORMATS,
        "families": ProductFamily.objects.order_by("name"),
    }, status=422 if error else 200)


def _detail(
    request: HttpRequest, event: Event, *, status: int = 200, **extra: object
) -> HttpResponse:
    guests = services.guests(user=_user(request), event=event)
    user = _user(request)
    return render(request, "events/detail.html", {
        "event": event, "guests": guests,
        "counts": {status: sum(g.invitation.status == status for g in guests)
                   for status in InvitationStatus.values},
        "no_shows": sum(guest.is_no_show for guest in guests),
        "unsent": sum(guest.invitation.emailed_at is None for guest in guests),
        "segments": visible_accounts(user).exclude(segment="").order_by("segment")
        .values_list("segment", flat=True).distinct(),
        "families": ProductFamily.objects.order_by("name"),
        "themes": services.THEMES, "statuses": InvitationStatus.choices,
        "feedback": services.get_feedback(user=user).filter(event=event)[:50],
        **extra,
    }, status=status)


@login_required
def detail(request: HttpRequest, event_id: int) -> HttpResponse:
    return _detail(request, _event(event_id))


@login_required
@require_POST
def invite(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(event_id)
    named = [key.strip() for key in request.POST.get("contacts", "").replace(";", ",").split(",")]
    try:
        added = services.invite(
            user=_user(request), event=event, segment=request.POST.get("segment", ""),
            family=request.POST.get("family", ""), contact_ids=[key for key in named if key],
        )
    except InvalidInput as refusal:
        return _detail(request, event, status=422, invite_error=str(refusal))
    messages.success(request, f"{added} guest{'s' if added != 1 else ''} added.")
    return _back(event, "guests")


@login_required
@require_POST
def send_invitations(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(event_id)
    sent = services.send_invitations(user=_user(request), event=event)
    messages.success(request, f"{sent} invitation{'s' if sent != 1 else ''} e-mailed.")
    return _back(event, "guests")


@login_required
@require_POST
def import_attendance(request: HttpRequest, event_id: int) -> HttpResponse:
    """The attendee CSV of a webinar tool: all-or-nothing, every bad row named."""
    event = _event(event_id)
    upload = request.FILES.get("attendees")
    if upload is None:
        return _detail(request, event, status=422,
                       import_error="Choose the attendee CSV file.", import_problems=[])
    if upload.size is not None and upload.size > ATTENDANCE_LIMIT_BYTES:
        return _detail(request, event, status=422, import_problems=[],
                       import_error="That file is larger than 5 MB: not an attendee list.")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name or "attendees.csv").name
        path.write_bytes(upload.read())
        try:
            result = services.import_attendance(user=_user(request), event=event, path=path)
        except InvalidInput as refusal:
            return _detail(request, event, status=422, import_error=str(refusal),
                           import_problems=refusal.errors.get("file", []))
    messages.success(request, f"Attendance recorded: {result.attended} came, "
                              f"{result.registered_not_attended} registered and did not.")
    return _back(event, "guests")


@login_required
@require_POST
def mark(request: HttpRequest, event_id: int, invitation_id: int) -> HttpResponse:
    event = _event(event_id)
    visible = visible_accounts(_user(request))
    if not event.invitations.filter(pk=invitation_id, account__in=visible).exists():
        raise Http404("No such guest.")
    try:
        services.mark(user=_user(request), event=event, invitation_id=invitation_id,
                      status=request.POST.get("status", ""))
    except InvalidInput as refusal:
        messages.error(request, str(refusal))
    return _back(event, "guests")


@login_required
@require_POST
def add_feedback(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(event_id)
    posted = {name: request.POST.get(name, "") for name in FEEDBACK_FIELDS}
    try:
        services.add_feedback(user=_user(request), event=event, data=posted)
    except InvalidInput as refusal:
        return _detail(request, event, status=422, feedback_error=str(refusal),
                       feedback_errors=refusal.errors, posted=posted)
    return _back(event, "feedback")


@login_required
def feedback(request: HttpRequest) -> HttpResponse:
    """What customers said, by theme and by product family (leadership and product read it
    here; an account's timeline links to its own items)."""
    user = _user(request)
    theme, family, account = (request.GET.get(name, "") for name in ("theme", "family", "account"))
    items = services.get_feedback(user=user, theme=theme, family=family, account=account)
    page = Paginator(items, settings.HEEDFUL_PAGE_SIZE).get_page(
        _page_number(request.GET.get("page"))
    )
    shown_account = (
        visible_accounts(user).filter(external_id=account).first() if account else None
    )
    return render(request, "events/feedback.html", {
        "page": page, "theme": theme, "family": family, "account": shown_account,
        "counts": services.feedback_counts(user=user), "themes": services.THEMES,
        "theme_label": dict(services.THEMES).get(theme, ""),
    })
