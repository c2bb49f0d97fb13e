"""The meeting pages: an account's meetings, a new meeting, the meeting itself (before,
during and after), the follow-up, and the customer's shared page.

Views parse the form, call a service and render. Every page but the shared one needs a login
and a meeting on an account the user may see: anything else is answered 404, as if it did
not exist. Forms that change what two people may edit at once (details, notes and playback,
an action item) carry the version the page showed; when the record changed since, nothing is
written and the page says so, keeping what the person typed. Each form works without
JavaScript: a POST answers a redirect back to the section it changed (or the page with the
refusal next to the form).

The shared page (``/shared/meetings/<token>/``) needs no login: an unknown, revoked or expired
token gets the same bare "not found" page, and the page shows nothing internal.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from heedful.accounts import services as accounts_services
from heedful.accounts.models import Account
from heedful.accounts.visibility import visible_users
from heedful.conversations.cues import TranscriptError
from heedful.core import shared_links
from heedful.core.exceptions import InvalidInput, NotFound, StaleVersion
from heedful.core.models import User
from heedful.core.sorting import sort_columns
from heedful.core.versions import version_of
from heedful.lib import clock
from heedful.meetings import services
from heedful.meetings.models import (
    ActionStatus,
    AttendeeRole,
    Meeting,
    SharedPage,
)
from heedful.meetings.transcripts import name_speaker, store_transcript

DETAIL_FIELDS = (
    "title", "scheduled_start", "scheduled_end", "location", "language", "objective",
    "customer_value",
)
"""The meeting's details as the new-meeting and edit forms post them."""
NOTE_FIELDS = services.NOTE_FIELDS


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _account(request: HttpRequest, external_id: str) -> Account:
    return accounts_services.get_or_raise(user=_user(request), external_id=external_id)


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return services.get_or_raise(user=_user(request), id=meeting_id)


def _back_to(meeting: Meeting, section: str = "") -> HttpResponseRedirect:
    url = reverse("meetings:detail", kwargs={"meeting_id": meeting.pk})
    return HttpResponseRedirect(f"{url}#{section}" if section else url)


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 10 else 1


# -- the account's meetings ----------------------------------------------------------------

SORT_LINKS = [
    # key, label, the first direction a click asks for
    ("start", "When", "-start"),
    ("title", "Meeting", "title"),
    ("status", "Status", "status"),
]


@login_required
def account_meetings(request: HttpRequest, external_id: str) -> HttpResponse:
    account = _account(request, external_id)
    sort = request.GET.get("sort", services.DEFAULT_MEETING_SORT)
    if sort not in services.MEETING_SORTS:
        sort = services.DEFAULT_MEETING_SORT
    meetings = services.get_for_account(user=_user(request), account=account, sort=sort)
    page = Paginator(meetings, settings.HEEDFUL_PAGE_SIZE).get_page(
        _page_number(request.GET.get("page"))
    )
    return render(request, "meetings/list.html", {
        "account": account, "page": page, "sort": sort,
        "columns": sort_columns(SORT_LINKS, sort), "now": clock.now(),
    })


# -- a new meeting -------------------------------------------------------------------------


def _details_from(request: HttpRequest) -> dict[str, str]:
    return {name: request.POST.get(name, "").strip() for name in DETAIL_FIELDS}


def _new_meeting_defaults() -> dict[str, str]:
    start = (clock.now() + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    local = timezone.localtime(start)
    return {
        "scheduled_start": f"{local:%Y-%m-%dT%H:%M}",
        "scheduled_end": f"{local + timedelta(hours=1):%Y-%m-%dT%H:%M}",
    }


@login_required
def new_meeting(request: HttpRequest, external_id: str) -> HttpResponse:
    account = _account(request, external_id)
    values: dict[str, str] = _new_meeting_defaults()
    errors: dict[str, list[str]] = {}
    message = ""
    if request.method == "POST":
        values = _details_from(request)
        try:
            meeting = services.create(
                user=_user(request), data={"account": account.external_id, **values}
            )
        except InvalidInput as invalid:
            errors, message = invalid.errors, str(invalid)
        else:
            return _back_to(meeting)
    return render(request, "meetings/new.html", {
        "account": account, "values": values, "errors": errors, "message": message,
    }, status=422 if errors else 200)


# -- the meeting page ----------------------------------------------------------------------


def _local_input(value: Any) -> str:
    """A stored moment as a ``datetime-local`` input's value, in the site's time zone."""
    return f"{timezone.localtime(value):%Y-%m-%dT%H:%M}" if value else ""


def meeting_context(request: HttpRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    """What the meeting page shows; ``extra`` carries a refusal and what the person typed."""
    user = _user(request)
    items = services.get_action_items(meeting=meeting)
    attendees = services.get_attendees(meeting=meeting)
    contacts = list(meeting.account.contacts.order_by("full_name"))
    our_people = list(
        visible_users(user).filter(is_active=True).order_by("full_name", "username")
    )
    context: dict[str, Any] = {
        "meeting": meeting,
        "account": meeting.account,
        "version": version_of(meeting),
        "notes_version": services.notes_version(meeting),
        "timing": services.timing_in_words(meeting),
        "attendees": attendees,
        "agenda": services.get_agenda(meeting=meeting),
        "action_items": [(item, version_of(item)) for item in items],
        "contacts": contacts,
        "our_people": our_people,
        "contacts_not_attending": [
            contact for contact in contacts
            if contact.pk not in {attendee.contact_id for attendee in attendees}
        ],
        "our_people_not_attending": [
            person for person in our_people
            if person.pk not in {attendee.user_id for attendee in attendees}
        ],
        "shared_pages": services.get_shared_pages(meeting=meeting),
        "shared_page_days": services.SHARED_PAGE_DAYS,
        "default_shared_page_days": services.DEFAULT_SHARED_PAGE_DAYS,
        "now": clock.now(),
        "roles": [(value, label) for value, label in AttendeeRole.choices],
        "statuses": ActionStatus.choices,
        "details": {
            **{name: getattr(meeting, name) for name in DETAIL_FIELDS},
            "scheduled_start": _local_input(meeting.scheduled_start),
            "scheduled_end": _local_input(meeting.scheduled_end),
        },
        "notes_values": {name: getattr(meeting, name) for name in NOTE_FIELDS},
        "conversation": services.get_conversation(meeting=meeting),
        "speaker_choices": [attendee for attendee in attendees if attendee.user or attendee.contact]
        + [attendee for attendee in attendees if not (attendee.user or attendee.contact)],
        "error": "", "errors": {}, "failed": "",
    }
    context.update(extra)
    return context


@login_required
def detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    return render(request, "meetings/detail.html", meeting_context(request, meeting))


def _refused(
    request: HttpRequest, meeting: Meeting, error: Exception, *, failed: str, status: int = 422,
    **kept: Any,
) -> HttpResponse:
    """The meeting page again, with the refusal next to the form ``failed`` and the
    person's input kept."""
    meeting.refresh_from_db()
    errors = error.errors if isinstance(error, InvalidInput) else {}
    if isinstance(error, StaleVersion):
        status = 409
    context = meeting_context(
        request, meeting, error=str(error), errors=errors, failed=failed, **kept
    )
    return render(request, "meetings/detail.html", context, status=status)


@login_required
@require_POST
def edit_details(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    values = _details_from(request)
    try:
        services.update_meeting(
            user=_user(request), meeting=meeting, changes=values,
            expected_version=request.POST.get("version", ""),
        )
    except (InvalidInput, StaleVersion) as error:
        return _refused(request, meeting, error, failed="details", details=values)
    return _back_to(meeting, "details")


@login_required
@require_POST
def edit_notes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    values = {name: request.POST.get(name, "") for name in NOTE_FIELDS if name in request.POST}
    try:
        services.update_notes(
            user=_user(request), meeting=meeting, changes=values,
            expected_version=request.POST.get("version", ""),
        )
    except (InvalidInput, StaleVersion) as error:
        kept = {name: getattr(meeting, name) for name in NOTE_FIELDS}
        return _refused(
            request, meeting, error, failed="notes", notes_values={**kept, **values}
        )
    return _back_to(meeting, "notes")


@login_required
@require_POST
def start_or_end(request: HttpRequest, meeting_id: int, moment: str) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    if moment not in ("start", "end"):
        raise Http404("No such step.")
    try:
        if moment == "start":
            services.start_now(user=_user(request), meeting=meeting)
        else:
            services.end_now(user=_user(request), meeting=meeting)
    except InvalidInput as error:
        return _refused(request, meeting, error, failed="timing")
    return _back_to(meeting)


# -- attendees -----------------------------------------------------------------------------


@login_required
@require_POST
def add_attendee(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    who = request.POST.get("who", "")
    kind, _, key = who.partition(":")
    try:
        services.add_attendee(
            user=_user(request), meeting=meeting,
            username=key if kind == "user" else "",
            contact_external_id=key if kind == "contact" else "",
            name=request.POST.get("name", "") if kind not in ("user", "contact") else "",
            email=request.POST.get("email", "") if kind not in ("user", "contact") else "",
            role=request.POST.get("role") or AttendeeRole.REQUIRED,
        )
    except InvalidInput as error:
        return _refused(request, meeting, error, failed="attendees")
    return _back_to(meeting, "attendees")


@login_required
@require_POST
def remove_attendee(request: HttpRequest, meeting_id: int, attendee_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    services.remove_attendee(user=_user(request), meeting=meeting, attendee_id=attendee_id)
    return _back_to(meeting, "attendees")


# -- agenda --------------------------------------------------------------------------------


def _minutes(raw: str) -> int | None:
    raw = raw.strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 5 else None


@login_required
@require_POST
def add_agenda_item(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    try:
        services.add_agenda_item(
            user=_user(request), meeting=meeting, topic=request.POST.get("topic", ""),
            minutes=_minutes(request.POST.get("minutes", "")),
        )
    except InvalidInput as error:
        return _refused(request, meeting, error, failed="agenda")
    return _back_to(meeting, "agenda")


@login_required
@require_POST
def move_agenda_item(
    request: HttpRequest, meeting_id: int, item_id: int, direction: str
) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    if direction not in ("up", "down"):
        raise Http404("No such direction.")
    services.move_agenda_item(
        user=_user(request), meeting=meeting, item_id=item_id, direction=direction
    )
    return _back_to(meeting, "agenda")


@login_required
@require_POST
def remove_agenda_item(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    services.remove_agenda_item(user=_user(request), meeting=meeting, item_id=item_id)
    return _back_to(meeting, "agenda")


@login_required
@require_POST
def confirm_agenda(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    topics = request.POST.get("customer_topics", "").splitlines()
    try:
        services.confirm_agenda(user=_user(request), meeting=meeting, customer_topics=topics)
    except InvalidInput as error:
        return _refused(request, meeting, error, failed="agenda")
    return _back_to(meeting, "agenda")


# -- action items --------------------------------------------------------------------------


def _action_item_data(request: HttpRequest) -> dict[str, Any]:
    owner = request.POST.get("owner", "")
    kind, _, key = owner.partition(":")
    return {
        "what": request.POST.get("what", "").strip(),
        "user": key if kind == "user" else "",
        "contact": key if kind == "contact" else "",
        "due_on": request.POST.get("due_on", "").strip(),
    }


@login_required
@require_POST
def add_action_item(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    data = _action_item_data(request)
    try:
        services.add_action_item(
            user=_user(request), meeting=meeting,
            data={**data, "status": ActionStatus.OPEN},
        )
    except NotFound as error:
        return _refused(request, meeting, InvalidInput(str(error)), failed="actions")
    except InvalidInput as error:
        return _refused(
            request, meeting, error, failed="actions",
            new_action={**data, "owner": request.POST.get("owner", "")},
        )
    return _back_to(meeting, "actions")


@login_required
@require_POST
def set_action_status(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    status = request.POST.get("status", "")
    if status not in ActionStatus.values:
        return _refused(request, meeting, InvalidInput("Choose a status."), failed="actions")
    try:
        services.update_action_item(
            user=_user(request), meeting=meeting, item_id=item_id,
            changes={"status": status}, expected_version=request.POST.get("version", ""),
        )
    except (InvalidInput, StaleVersion) as error:
        return _refused(request, meeting, error, failed="actions")
    return _back_to(meeting, "actions")


@login_required
@require_POST
def edit_action_item(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    """Change what an action item says, who owns it and when it is due, from the version
    the page showed."""
    meeting = _meeting(request, meeting_id)
    data = _action_item_data(request)
    try:
        services.update_action_item(
            user=_user(request), meeting=meeting, item_id=item_id, changes=data,
            expected_version=request.POST.get("version", ""),
        )
    except (InvalidInput, StaleVersion) as error:
        return _refused(request, meeting, error, failed="actions")
    return _back_to(meeting, "actions")


# -- the follow-up -------------------------------------------------------------------------


@login_required
def follow_up(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The follow-up as each customer attendee will get it (GET), and sending it (POST)."""
    meeting = _meeting(request, meeting_id)
    error = ""
    sent = None
    if request.method == "POST":
        try:
            sent = services.send_follow_up(user=_user(request), meeting=meeting)
        except InvalidInput as refusal:
            error = str(refusal)
    return render(request, "meetings/follow_up.html", {
        "meeting": meeting, "account": meeting.account, "error": error, "sent": sent,
        "follow_ups": services.draft_follow_ups(meeting=meeting, sender=_user(request)),
        "action_items": services.get_action_items(meeting=meeting),
    }, status=422 if error else 200)


# -- shared pages, as the team makes and revokes them --------------------------------------


@login_required
@require_POST
def share(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A new link for the customer, shown once on the page this answers (never again: only
    its hash is kept)."""
    meeting = _meeting(request, meeting_id)
    days = shared_links.days_from_form(request.POST.get("days", ""))
    try:
        page, token = services.create_shared_page(user=_user(request), meeting=meeting, days=days)
    except InvalidInput as error:
        return _refused(request, meeting, error, failed="share")
    link = request.build_absolute_uri(reverse("shared_meeting", kwargs={"token": token}))
    context = meeting_context(request, meeting, new_link=link, new_page=page)
    response = render(request, "meetings/detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, meeting_id: int, page_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    services.revoke_shared_page(user=_user(request), meeting=meeting, page_id=page_id)
    return _back_to(meeting, "share")


# -- the customer's shared page (no login) -------------------------------------------------


_private = shared_links.private


def _gone(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "meetings/shared_gone.html", status=404))


@never_cache
def shared(request: HttpRequest, token: str) -> HttpResponse:
    try:
        page = services.get_open_shared_page(token=token)
    except NotFound:
        return _gone(request)
    view = services.get_shared_view(page=page)
    return _private(render(request, "meetings/shared.html", {
        "view": view, "token": token, "page": page, "done": request.GET.get("done") == "1",
    }))


@never_cache
@require_POST
def shared_done(request: HttpRequest, token: str, item_id: int) -> HttpResponse:
    """The customer marks one of their action items done, with an optional comment."""
    try:
        page: SharedPage = services.get_open_shared_page(token=token)
        services.customer_marks_done(
            page=page, item_id=item_id, comment=request.POST.get("comment", "")
        )
    except NotFound:
        return _gone(request)
    url = reverse("shared_meeting", kwargs={"token": token})
    return _private(HttpResponseRedirect(f"{url}?done=1#item-{item_id}"))


# -- the transcript ------------------------------------------------------------------------

TRANSCRIPT_LIMIT_BYTES = 5 * 1024 * 1024
"""An hour's WebVTT is about 70 kB; anything past 5 MB is not a meeting's transcript."""


@login_required
@require_POST
def upload_transcript(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Read an uploaded transcript (WebVTT, SRT, plain text, RTTM or JSON), store it with its
    figures (replacing an earlier one); a file that cannot be read is refused naming the
    line, and nothing is saved."""
    meeting = _meeting(request, meeting_id)
    upload = request.FILES.get("transcript")
    if upload is None:
        return _refused(request, meeting, InvalidInput("Choose a transcript file."),
                        failed="transcript")
    if upload.size is not None and upload.size > TRANSCRIPT_LIMIT_BYTES:
        return _refused(request, meeting, InvalidInput(
            "That file is larger than 5 MB: not a meeting's transcript."), failed="transcript")
    raw = upload.read()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _refused(request, meeting, InvalidInput(
            f"{upload.name}: not UTF-8 text."), failed="transcript")
    try:
        store_transcript(
            user=_user(request), meeting=meeting, file_name=upload.name or "transcript.txt",
            content=content,
        )
    except TranscriptError as error:
        return _refused(request, meeting, InvalidInput(
            f"{upload.name}: {error}. Nothing was saved."), failed="transcript")
    except InvalidInput as error:
        return _refused(request, meeting, error, failed="transcript")
    return _back_to(meeting, "conversation")


@login_required
@require_POST
def name_transcript_speaker(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """"This is …": a transcript's unknown speaker named as one of the attendees, once."""
    meeting = _meeting(request, meeting_id)
    label = request.POST.get("label", "")
    raw = request.POST.get("attendee", "")
    attendee = (
        meeting.attendees.filter(pk=int(raw)).first()
        if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
    )
    if attendee is None or not label:
        return _refused(request, meeting, InvalidInput("Choose who it is."),
                        failed="conversation")
    try:
        name_speaker(user=_user(request), meeting=meeting, label=label, attendee=attendee)
    except (InvalidInput, TranscriptError) as error:
        return _refused(request, meeting, InvalidInput(str(error)), failed="conversation")
    return _back_to(meeting, "conversation")


@login_required
@require_POST
def accept_suggested_action(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A commitment found in the transcript, accepted as an action item in one click."""
    meeting = _meeting(request, meeting_id)
    try:
        services.accept_suggested_action(
            user=_user(request), meeting=meeting, text=request.POST.get("text", ""),
            owner=request.POST.get("owner", ""), due=request.POST.get("due", ""),
        )
    except (InvalidInput, NotFound) as error:
        return _refused(request, meeting, InvalidInput(str(error)), failed="conversation")
    return _back_to(meeting, "actions")


# -- a rep's trends ------------------------------------------------------------------------


@login_required
def trends(request: HttpRequest, username: str = "") -> HttpResponse:
    """A rep's conversation figures month by month: for the rep and their managers; anyone
    else is answered 404."""
    user = _user(request)
    shown = services.get_rep_trends(
        viewer=user, username=username or user.username, as_of=clock.today()
    )
    return render(request, "meetings/trends.html", {"trends": shown})
