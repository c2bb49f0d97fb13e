"""Reading and writing meetings, as the user may see them."""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q, QuerySet

from heedful.accounts import records
from heedful.accounts.models import Account, Channel, Contact, TeamMembership
from heedful.accounts.visibility import manager_chain_ids, visible_accounts, visible_users
from heedful.conversations.cues import Cue, TranscriptError
from heedful.conversations.reading import read_transcript
from heedful.core import audit
from heedful.core.exceptions import InvalidInput, NotFound, StaleVersion
from heedful.core.models import User
from heedful.core.versions import lock_if_unchanged
from heedful.interactions import services as interactions_services
from heedful.interactions.models import Direction, Interaction, InteractionKind
from heedful.lib import clock, secret_links, words
from heedful.lib.charts import (
    Lane,
    Point,
    ShareRow,
    Span,
    line_chart_svg,
    share_bars_svg,
    timeline_svg,
)
from heedful.meetings.bands import Bands, current_bands
from heedful.meetings.forms import ActionItemForm, MeetingForm
from heedful.meetings.models import (
    ActionItem,
    ActionSource,
    ActionStatus,
    AgendaItem,
    Attendee,
    AttendeeRole,
    Meeting,
    MeetingStatus,
    RaisedBy,
    SharedPage,
    Transcript,
)
from heedful.meetings.transcripts import UnknownSpeaker, match_speakers, unknown_speakers
from heedful.meetings.trends import TrendPoint, rep_trends


def get_all(*, user: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(account__in=visible_accounts(user)).select_related(
        "account", "organizer"
    )


def get_or_raise(*, user: User, id: int) -> Meeting:  # noqa: A002
    return records.get_or_raise(get_all(user=user), pk=id)


def create(*, user: User, data: Mapping[str, Any]) -> Meeting:
    """A new meeting; its organizer is ``user`` unless ``data`` says."""
    return records.create_with_form(
        MeetingForm, user=user, data={"organizer": user.username, **data}
    )


def update(*, user: User, id: int, changes: Mapping[str, Any]) -> Meeting:  # noqa: A002
    return records.update_with_form(
        MeetingForm, user=user, queryset=get_all(user=user), lookup={"pk": id}, changes=changes
    )


# -- the account's meetings ----------------------------------------------------------------

_SORTED_BY = {"start": "scheduled_start", "title": "title", "status": "status"}
MEETING_SORTS: dict[str, tuple[str, ...]] = {
    **{key: (field, "scheduled_start", "pk") for key, field in _SORTED_BY.items()},
    **{f"-{key}": (f"-{field}", "-scheduled_start", "-pk") for key, field in _SORTED_BY.items()},
}
"""How an account's meetings can be listed, by the name the page's links carry; ``pk`` breaks
ties so that paging never shows a row twice."""
DEFAULT_MEETING_SORT = "-start"


def get_for_account(
    *, user: User, account: Account, sort: str = DEFAULT_MEETING_SORT
) -> QuerySet[Meeting]:
    """The meetings of ``account`` (one the user may see), in ``sort`` order (the newest
    first for an unknown sort), with what the list shows in one query."""
    order = MEETING_SORTS.get(sort, MEETING_SORTS[DEFAULT_MEETING_SORT])
    return (
        get_all(user=user).filter(account=account)
        .annotate(
            open_action_count=Count(
                "action_items", filter=Q(action_items__status=ActionStatus.OPEN)
            ),
        )
        .order_by(*order)
    )


# -- one meeting and its version -----------------------------------------------------------


def _locked(meeting: Meeting, expected_version: str | None) -> Meeting:
    """The meeting's row locked for the caller's transaction; StaleVersion (nothing written)
    when ``expected_version`` is given and the meeting changed since it was read."""
    if expected_version:
        return lock_if_unchanged(meeting, expected=expected_version)
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def update_meeting(
    *, user: User, meeting: Meeting, changes: Mapping[str, Any], expected_version: str | None
) -> Meeting:
    """``update`` of a meeting the page showed at ``expected_version``: when someone changed
    it since, StaleVersion and nothing is written (two people taking notes at once never
    overwrite each other silently)."""
    with transaction.atomic():
        _locked(meeting, expected_version)
        return update(user=user, id=meeting.pk, changes=changes)


NOTE_FIELDS = ("notes", "playback_summary")


def notes_version(meeting: Meeting) -> str:
    """The version of the meeting's notes and playback alone: taking notes is not refused
    because someone pressed "start now" or changed the title meanwhile, only when the
    notes themselves changed."""
    text = "\x1f".join(getattr(meeting, name) for name in NOTE_FIELDS)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def update_notes(
    *, user: User, meeting: Meeting, changes: Mapping[str, Any], expected_version: str | None
) -> Meeting:
    """Save the notes and playback the page showed at ``expected_version``
    (``notes_version``); StaleVersion, nothing written, when someone saved theirs since."""
    unknown = set(changes) - set(NOTE_FIELDS)
    if unknown:
        raise InvalidInput("Only the notes and the playback are saved here.")
    with transaction.atomic():
        locked = _locked(meeting, None)
        current = notes_version(locked)
        if expected_version and expected_version != current:
            raise StaleVersion(
                "Someone saved the notes since you opened the page; nothing was saved. "
                "Your text is kept below: add it to theirs and save again.",
                current_version=current, record=locked,
            )
        return update(user=user, id=meeting.pk, changes=changes)


def start_now(*, user: User, meeting: Meeting) -> Meeting:
    """Record that the meeting starts now (``clock.now``): a start later than planned is
    the late start. Refused once it has started."""
    with transaction.atomic():
        locked = _locked(meeting, None)
        if locked.actual_start is not None:
            raise InvalidInput(
                f"This meeting started already, at {words.format_moment(locked.actual_start)}.",
                {"actual_start": ["Started already."]},
            )
        return update(user=user, id=meeting.pk, changes={"actual_start": clock.now()})


def end_now(*, user: User, meeting: Meeting) -> Meeting:
    """Record that the meeting ends now: it is held, and an end past the planned one is the
    overrun. A meeting not started yet is taken to have started on time."""
    with transaction.atomic():
        locked = _locked(meeting, None)
        if locked.actual_end is not None:
            raise InvalidInput(
                f"This meeting ended already, at {words.format_moment(locked.actual_end)}.",
                {"actual_end": ["Ended already."]},
            )
        now = clock.now()
        changes: dict[str, Any] = {"actual_end": now, "status": MeetingStatus.HELD}
        if locked.actual_start is None:
            changes["actual_start"] = min(locked.scheduled_start, now)
        return update(user=user, id=meeting.pk, changes=changes)


def timing_in_words(meeting: Meeting) -> list[str]:
    """The meeting's timing as a person says it: "Started 12 minutes late", "Ran 5 minutes
    over", "Started on time"; empty until it has started."""
    said = []
    late = meeting.late_start
    if late is not None:
        on_time = late < ON_TIME_WITHIN
        said.append("Started on time" if on_time else f"Started {_duration(late)} late")
    overrun = meeting.overrun
    if overrun is not None:
        on_time = overrun < ON_TIME_WITHIN
        said.append("Ended on time" if on_time else f"Ran {_duration(overrun)} over")
    return said


ON_TIME_WITHIN = timedelta(minutes=1)
"""A start or end less than a minute off the plan is on time."""


def _duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes < 60:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    hours, rest = divmod(minutes, 60)
    hours_text = "1 hour" if hours == 1 else f"{hours} hours"
    return hours_text if not rest else f"{hours_text} {rest} minute{'s' if rest != 1 else ''}"


# -- attendees -----------------------------------------------------------------------------


def _save_new(record: Any, *, user: User, action: str, detail: dict[str, Any] | None = None) -> Any:
    """Validate ``record`` by its model's declaration (``full_clean``), save it and write the
    audit entry, in one transaction; InvalidInput with per-field reasons otherwise."""
    try:
        record.full_clean()
    except ValidationError as error:
        raise InvalidInput(
            f"The {record._meta.verbose_name} was not saved.", error.message_dict
        ) from None
    with transaction.atomic():
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            raise InvalidInput(
                f"The {record._meta.verbose_name} was not saved: it is there already.",
                {"__all__": [f"That {record._meta.verbose_name} is there already."]},
            ) from None
        audit.record(
            user=user, action=action, subject=audit.subject_of(record), detail=detail or {}
        )
        records.tell_written(record)
    return record


def add_attendee(
    *, user: User, meeting: Meeting, username: str = "", contact_external_id: str = "",
    name: str = "", email: str = "", role: str = AttendeeRole.REQUIRED,
) -> Attendee:
    """Add one of our people (by username, among those the user may see), one of the
    account's contacts (by external id), or someone known only by name (an interpreter)."""
    attendee = Attendee(meeting=meeting, role=role, name=name.strip(), email=email.strip())
    if username:
        person = visible_users(user).filter(username=username, is_active=True).first()
        if person is None:
            raise InvalidInput("Nobody by that name.", {"user": ["Choose one of our people."]})
        attendee.user = person
    if contact_external_id:
        contact = meeting.account.contacts.filter(external_id=contact_external_id).first()
        if contact is None:
            raise InvalidInput(
                "That contact is not on this account.",
                {"contact": ["Choose one of the account's contacts."]},
            )
        attendee.contact = contact
    return _save_new(attendee, user=user, action="attendee.create", detail={"meeting": meeting.pk})


def remove_attendee(*, user: User, meeting: Meeting, attendee_id: int) -> None:
    with transaction.atomic():
        attendee = records.get_or_raise(meeting.attendees.select_for_update(), pk=attendee_id)
        audit.record(
            user=user, action="attendee.delete", subject=audit.subject_of(attendee),
            detail={"meeting": meeting.pk, "who": str(attendee)},
        )
        attendee.delete()


def get_attendees(*, meeting: Meeting) -> list[Attendee]:
    """The customer's people first, then interpreters and guests, then ours."""
    attendees = meeting.attendees.select_related("user", "contact").order_by("pk")
    return sorted(
        attendees,
        key=lambda attendee: (
            0 if attendee.contact_id else 2 if attendee.user_id else 1, attendee.pk
        ),
    )


# -- the agenda ----------------------------------------------------------------------------


def add_agenda_item(
    *, user: User, meeting: Meeting, topic: str, minutes: int | None = None,
    raised_by: str = RaisedBy.US,
) -> AgendaItem:
    with transaction.atomic():
        _locked(meeting, None)  # two items added at once get two positions
        last = meeting.agenda_items.aggregate(last=Max("position"))["last"]
        item = AgendaItem(
            meeting=meeting, topic=topic.strip(), minutes=minutes, raised_by=raised_by,
            position=(last or 0) + 1,
        )
        return _save_new(
            item, user=user, action="agendaitem.create", detail={"meeting": meeting.pk}
        )


def move_agenda_item(*, user: User, meeting: Meeting, item_id: int, direction: str) -> None:
    """Swap an agenda item with its neighbour above (``up``) or below (``down``); nothing
    at the top or bottom. Positions are renumbered 1, 2, 3… so that they stay distinct."""
    with transaction.atomic():
        _locked(meeting, None)
        items = list(meeting.agenda_items.order_by("position", "pk"))
        index = next((i for i, item in enumerate(items) if item.pk == item_id), None)
        if index is None:
            raise NotFound("No such agenda item on this meeting.")
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
        for position, item in enumerate(items, start=1):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])
        audit.record(
            user=user, action="agendaitem.move", subject=f"meeting #{meeting.pk}",
            detail={"item": item_id, "direction": direction},
        )


def remove_agenda_item(*, user: User, meeting: Meeting, item_id: int) -> None:
    with transaction.atomic():
        item = records.get_or_raise(meeting.agenda_items.select_for_update(), pk=item_id)
        audit.record(
            user=user, action="agendaitem.delete", subject=audit.subject_of(item),
            detail={"meeting": meeting.pk, "topic": item.topic},
        )
        item.delete()


def confirm_agenda(*, user: User, meeting: Meeting, customer_topics: Sequence[str] = ()) -> None:
    """The agenda as agreed with the customer at the start: every item is confirmed, and the
    customer's own topics (one per entry, blank ones ignored) are added first, since their
    issues come before ours."""
    topics = [topic.strip() for topic in customer_topics if topic.strip()]
    with transaction.atomic():
        _locked(meeting, None)
        ours = list(meeting.agenda_items.order_by("position", "pk"))
        added = [
            AgendaItem(meeting=meeting, topic=topic, raised_by=RaisedBy.CUSTOMER)
            for topic in topics
        ]
        for item in added:
            try:
                item.full_clean(exclude=["position"])
            except ValidationError as error:
                raise InvalidInput(
                    "The customer's topic was not added.", error.message_dict
                ) from None
        for position, item in enumerate([*added, *ours], start=1):
            item.position = position
            item.confirmed_with_customer = True
            item.save()
        audit.record(
            user=user, action="meeting.agenda_confirmed", subject=audit.subject_of(meeting),
            detail={"customer_topics": topics},
        )


def get_agenda(*, meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.agenda_items.order_by("position", "pk"))


# -- action items --------------------------------------------------------------------------


def _action_item_form(meeting: Meeting) -> type[ActionItemForm]:
    """The action item form bound to ``meeting``, in the shape the record helpers call."""

    class ActionItemOfMeetingForm(ActionItemForm):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, meeting=meeting, **kwargs)

    return ActionItemOfMeetingForm


def _mark_done_time(form: Any, item: ActionItem) -> None:
    """``done_at`` follows the status: set when an item becomes done, cleared if reopened."""
    done_at = item.done_at
    if item.status == ActionStatus.DONE and done_at is None:
        done_at = clock.now()
    elif item.status != ActionStatus.DONE:
        done_at = None
    if done_at != item.done_at:
        item.done_at = done_at
        item.save(update_fields=["done_at"])


def add_action_item(*, user: User, meeting: Meeting, data: Mapping[str, Any]) -> ActionItem:
    """A new action item: ``data`` in the declaration's fields (``what``, ``user`` as a
    username or ``contact`` as a contact's external id, ``due_on``, ``status``)."""
    return records.create_with_form(
        _action_item_form(meeting), user=user, data=data, after_save=_mark_done_time
    )


def update_action_item(
    *, user: User, meeting: Meeting, item_id: int, changes: Mapping[str, Any],
    expected_version: str | None = None,
) -> ActionItem:
    """Change one of the meeting's action items; StaleVersion when it changed since the page
    showed it at ``expected_version``."""
    with transaction.atomic():
        if expected_version:
            item = records.get_or_raise(meeting.action_items.all(), pk=item_id)
            lock_if_unchanged(item, expected=expected_version)
        return records.update_with_form(
            _action_item_form(meeting), user=user, queryset=meeting.action_items.all(),
            lookup={"pk": item_id}, changes=changes, after_save=_mark_done_time,
        )


def get_action_items(*, meeting: Meeting) -> list[ActionItem]:
    return list(
        meeting.action_items.select_related("user", "contact").order_by(
            F("due_on").asc(nulls_last=True), "pk"
        )
    )


def _agreed_items(meeting: Meeting) -> list[ActionItem]:
    """The action items agreed at the meeting: every one but those cancelled."""
    return [
        item for item in get_action_items(meeting=meeting)
        if item.status != ActionStatus.CANCELLED
    ]


def owner_name(item: ActionItem) -> str:
    """Who owns an action item, by the name people use."""
    if item.user is not None:
        return item.user.display_name
    if item.contact is not None:
        return item.contact.full_name
    return "nobody"


# -- the follow-up -------------------------------------------------------------------------


class FollowUpWay(StrEnum):
    EMAIL = "email"
    CALL = "call"


@dataclass(frozen=True)
class FollowUp:
    """What one customer attendee gets after the meeting: an e-mail when they prefer e-mail
    (and we have their address), otherwise a call to make."""

    contact: Contact
    way: FollowUpWay
    subject: str
    body: str

    @property
    def why_a_call(self) -> str:
        if self.way == FollowUpWay.EMAIL:
            return ""
        if self.contact.preferred_channel and self.contact.preferred_channel != Channel.EMAIL:
            return f"prefers {self.contact.get_preferred_channel_display().lower()}"
        return "no e-mail address on record" if not self.contact.email else "prefers a call"


def _prefers_email(contact: Contact) -> bool:
    return bool(contact.email) and contact.preferred_channel in ("", Channel.EMAIL)


def draft_follow_ups(*, meeting: Meeting, sender: User) -> list[FollowUp]:
    """The follow-up for each customer attendee who may be contacted: greeted by the name
    they like to be called, with the playback of what we heard and the action items on
    both sides (owner, what, due date), signed by ``sender``."""
    items = _agreed_items(meeting)
    lines = [
        f"- {owner_name(item)}: {item.what}"
        + (f" (by {words.format_day(item.due_on)})" if item.due_on else "")
        for item in items
    ]
    follow_ups = []
    contacts = [
        attendee.contact for attendee in get_attendees(meeting=meeting)
        if attendee.contact is not None and not attendee.contact.do_not_contact
    ]
    for contact in contacts:
        held_on = words.format_day(meeting.actual_start or meeting.scheduled_start)
        parts = [
            f"Dear {contact.address_as},", "",
            f"Thank you for your time at {meeting.title} on {held_on}.",
        ]
        if meeting.playback_summary.strip():
            parts += ["", "What we heard:", meeting.playback_summary.strip()]
        if lines:
            parts += ["", "What we agreed, who does it and by when:", *lines]
        parts += [
            "", "If we missed or misheard anything, tell us and we will put it right.", "",
            sender.display_name,
        ]
        follow_ups.append(
            FollowUp(
                contact=contact,
                way=FollowUpWay.EMAIL if _prefers_email(contact) else FollowUpWay.CALL,
                subject=f"Our meeting: {meeting.title}",
                body="\n".join(parts),
            )
        )
    return follow_ups


@dataclass(frozen=True)
class FollowUpSent:
    emailed: list[Contact]
    to_call: list[Contact]


def send_follow_up(*, user: User, meeting: Meeting) -> FollowUpSent:
    """Send the follow-up once: an e-mail to each attendee who prefers e-mail, recorded on
    the account's timeline; for the others a call to make, which the attention engine
    raises as a play in the owner's queue until a call with them is logged
    (``meetings.follow_up_call``). Sets ``follow_up_sent_at``; a second send is refused, so
    nobody gets the e-mail twice."""
    with transaction.atomic():
        locked = _locked(meeting, None)
        if locked.follow_up_sent_at is not None:
            raise InvalidInput(
                "The follow-up was sent already, on "
                f"{words.format_moment(locked.follow_up_sent_at)}.",
                {"__all__": ["Sent already."]},
            )
        follow_ups = draft_follow_ups(meeting=locked, sender=user)
        if not follow_ups:
            raise InvalidInput(
                "Nobody to follow up with: add the customer's attendees first.",
                {"__all__": ["No customer attendee."]},
            )
        now = clock.now()
        emailed = [f for f in follow_ups if f.way == FollowUpWay.EMAIL]
        for follow_up in emailed:
            interactions_services.create(
                user=user,
                data={
                    "account": locked.account.external_id, "occurred_at": now,
                    "kind": InteractionKind.EMAIL, "direction": Direction.OUTBOUND,
                    "contacts": [follow_up.contact.external_id],
                    "subject": follow_up.subject, "tags": "follow-up",
                },
            )
        locked.follow_up_sent_at = now
        locked.save(update_fields=["follow_up_sent_at"])
        records.tell_written(locked)
        audit.record(
            user=user, action="meeting.follow_up_sent", subject=audit.subject_of(locked),
            detail={
                "emailed": [f.contact.external_id for f in emailed],
                "to_call": [f.contact.external_id for f in follow_ups if f.way == FollowUpWay.CALL],
            },
        )
        # Sent after the commit, so that a failed write sends nothing; from Heedful's
        # address (the rep's may not be ours to send from), answered to the rep.
        for follow_up in emailed:
            message = EmailMessage(
                follow_up.subject, follow_up.body, settings.DEFAULT_FROM_EMAIL,
                [follow_up.contact.email], reply_to=[user.email] if user.email else None,
            )
            transaction.on_commit(message.send, robust=True)
    meeting.follow_up_sent_at = now
    return FollowUpSent(
        emailed=[f.contact for f in emailed],
        to_call=[f.contact for f in follow_ups if f.way == FollowUpWay.CALL],
    )


# -- the customer's shared page ------------------------------------------------------------

SHARED_PAGE_DAYS = (7, 14, 30, 90)
"""How long a shared link may stay open, in days; the page offers these."""
DEFAULT_SHARED_PAGE_DAYS = 30


def create_shared_page(
    *, user: User, meeting: Meeting, days: int = DEFAULT_SHARED_PAGE_DAYS
) -> tuple[SharedPage, str]:
    """A new link for the customer, open ``days`` days: the page and its token. Only the
    token's hash is stored, so the caller shows the link once and it cannot be shown again."""
    if days not in SHARED_PAGE_DAYS:
        raise InvalidInput(
            "Choose how long the link stays open.",
            {"days": [f"One of {', '.join(str(d) for d in SHARED_PAGE_DAYS)} days."]},
        )
    token = SharedPage.new_token()
    now = clock.now()
    with transaction.atomic():
        page = SharedPage.objects.create(
            meeting=meeting, token_hash=SharedPage.hash(token), created_by=user,
            created_at=now, expires_at=now + timedelta(days=days),
        )
        audit.record(
            user=user, action="sharedpage.create", subject=audit.subject_of(meeting),
            detail={"shared_page": page.pk, "expires_at": page.expires_at.isoformat()},
        )
    return page, token


def revoke_shared_page(*, user: User, meeting: Meeting, page_id: int) -> SharedPage:
    with transaction.atomic():
        page = records.get_or_raise(meeting.shared_pages.select_for_update(), pk=page_id)
        if page.revoked_at is None:
            page.revoked_at = clock.now()
            page.save(update_fields=["revoked_at"])
            audit.record(
                user=user, action="sharedpage.revoke", subject=audit.subject_of(meeting),
                detail={"shared_page": page.pk},
            )
    return page


def get_shared_pages(*, meeting: Meeting) -> list[SharedPage]:
    return list(meeting.shared_pages.select_related("created_by").order_by("-created_at", "-pk"))


def get_open_shared_page(*, token: str) -> SharedPage:
    """The shared page of ``token`` while it is open; NotFound for an unknown, revoked or
    expired token alike, so that the answer tells a guesser nothing."""
    offered = secret_links.hash_of_offered(token)
    if offered is None:
        raise NotFound("No such page.")
    page = (
        SharedPage.objects.filter(token_hash=offered)
        .select_related("meeting__account__owner__manager")
        .first()
    )
    if page is None or not page.is_open(clock.now()):
        raise NotFound("No such page.")
    return page


@dataclass(frozen=True)
class SharedView:
    """What the customer sees: the agreed action items on both sides, their account team
    with roles, and whom to write to with feedback. No notes, figures or plays."""

    meeting: Meeting
    ours: list[ActionItem]
    theirs: list[ActionItem]
    team: list[TeamMembership]
    feedback_to: User | None
    """The account owner's manager."""


def get_shared_view(*, page: SharedPage) -> SharedView:
    meeting = page.meeting
    items = _agreed_items(meeting)
    team = list(
        TeamMembership.objects.active(clock.today()).filter(account=meeting.account)
        .select_related("user").order_by("role", "pk")
    )
    owner = meeting.account.owner
    return SharedView(
        meeting=meeting,
        ours=[item for item in items if not item.is_customers],
        theirs=[item for item in items if item.is_customers],
        team=team,
        feedback_to=owner.manager if owner is not None else None,
    )


def customer_marks_done(*, page: SharedPage, item_id: int, comment: str = "") -> ActionItem:
    """The customer marks one of THEIR action items done from the shared page, with an
    optional comment: recorded on the item, in the audit log and on the account's timeline,
    so that the team sees it. Our own items cannot be touched (NotFound, as for a missing
    one)."""
    comment = comment.strip()[:2000]
    now = clock.now()
    with transaction.atomic():
        locked_page = SharedPage.objects.select_for_update().get(pk=page.pk)
        if not locked_page.is_open(now):
            raise NotFound("No such page.")
        item = records.get_or_raise(
            page.meeting.action_items.select_for_update().filter(contact__isnull=False)
            .exclude(status=ActionStatus.CANCELLED).select_related("contact"),
            pk=item_id,
        )
        item.status = ActionStatus.DONE
        item.done_at = item.done_at or now
        if comment:
            item.customer_comment = comment
        item.full_clean()
        item.save(update_fields=["status", "done_at", "customer_comment"])
        audit.record(
            user=None, action="actionitem.done_by_customer", subject=audit.subject_of(item),
            detail={"meeting": page.meeting_id, "shared_page": page.pk, "comment": comment},
        )
        assert item.contact is not None  # filtered above
        note = Interaction(
            account=page.meeting.account, occurred_at=now, kind=InteractionKind.NOTE,
            direction=Direction.INBOUND,
            subject=(
                f"{item.contact.full_name} marked done on the shared page: {item.what}"
                + (f". Their comment: {comment}" if comment else "")
            )[:500],
            tags=";shared-page;",
        )
        note.full_clean()
        note.save()
        note.contacts.add(item.contact)
        records.tell_written(item)
    return item


# -- the conversation: the transcript's figures as the meeting page shows them -------------


@dataclass(frozen=True)
class SpeakerLine:
    label: str
    """The name the transcript gives."""
    name: str
    """Who it is, when matched to an attendee; else the label."""
    is_internal: bool
    figures: dict[str, Any]
    """The speaker's figures as ``heedful transcript analyze`` gives them."""
    is_monologue_too_long: bool
    username: str = ""
    """Set for one of our people: their trends page's address."""


@dataclass(frozen=True)
class Figure:
    """One figure in words, read against its band where it has one."""

    label: str
    value: str
    in_band: bool | None
    """True inside its band, False outside, None when it has no band or no value."""
    band: str = ""


@dataclass(frozen=True)
class Conversation:
    transcript: Any
    bands: Bands
    speakers: list[SpeakerLine]
    figures: list[Figure]
    share_chart: str
    timeline_chart: str
    unknown: list[UnknownSpeaker]
    suggested_actions: list[dict[str, Any]]
    """Commitments the transcript holds that are not action items yet: ``text``, ``owner``
    (as said), ``due`` (YYYY-MM-DD or None)."""


def _seconds_in_words(seconds: float | None) -> str:
    if seconds is None:
        return "not measured"
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest:02d} s" if rest else f"{minutes} min"


def _ratio(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


def _share(value: float | None) -> str:
    return "not measured" if value is None else words.format_percent(round(value * 100, 1))


def get_conversation(*, meeting: Meeting) -> Conversation | None:
    """The meeting's transcript figures against the bands, a talk-share chart and a timeline
    of who spoke when (monologues past the band in the warning colour), the speakers nobody
    could match with a few lines each, and commitments not yet action items. None without a
    transcript."""
    transcript = Transcript.objects.filter(meeting=meeting).first()
    if transcript is None:
        return None
    bands = current_bands()
    figures: dict[str, Any] = transcript.figures or {}
    rows = {
        row.label: row
        for row in transcript.speakers.select_related("attendee__user", "attendee__contact")
    }
    speakers = []
    for speaker in figures.get("speakers", []):
        row = rows.get(speaker["name"])
        attendee = row.attendee if row is not None else None
        longest = speaker.get("longest_monologue_seconds")
        speakers.append(SpeakerLine(
            label=speaker["name"],
            name=_attendee_name(attendee) if attendee is not None
            else (speaker["name"] or "Unnamed"),
            is_internal=bool(speaker.get("internal")),
            figures=speaker,
            is_monologue_too_long=bool(speaker.get("internal"))
            and bands.monologue_in_band(longest) is False,
            username=attendee.user.username
            if attendee is not None and attendee.user is not None else "",
        ))
    internal = figures.get("internal") or {}
    longest = figures.get("longest_monologue") or {}
    low, high = bands.internal_talk_share_low, bands.internal_talk_share_high
    said = [
        Figure(
            "Our talk share", _share(internal.get("talk_share")),
            bands.talk_share_in_band(internal.get("talk_share")),
            f"{_share(low)} to {_share(high)}",
        ),
        Figure(
            "Our questions per statement", _ratio(internal.get("question_ratio")),
            bands.question_ratio_in_band(internal.get("question_ratio")),
            f"at least {_ratio(bands.minimum_question_ratio)}",
        ),
        Figure(
            "Longest monologue",
            f"{_seconds_in_words(longest.get('seconds'))}"
            + (f" ({longest['speaker']})" if longest.get("speaker") else ""),
            bands.monologue_in_band(longest.get("seconds")),
            f"under {_seconds_in_words(bands.longest_monologue_seconds)}",
        ),
        Figure("Customer's talk share", _share(figures.get("customer_talk_share")), None),
        Figure(
            "Longest customer story",
            _seconds_in_words(figures.get("longest_customer_story_seconds")), None,
        ),
        Figure("Patience", _seconds_in_words(figures.get("patience_seconds")), None),
        Figure(
            "Interruptions",
            "not measured" if figures.get("interruptions") is None
            else str(figures["interruptions"]), None,
        ),
        Figure(
            "Speaker changes per minute",
            "not measured" if figures.get("interactivity") is None
            else _ratio(round(figures["interactivity"], 1)), None,
        ),
    ]
    return Conversation(
        transcript=transcript,
        bands=bands,
        speakers=speakers,
        figures=said,
        share_chart=_share_chart(speakers, internal.get("talk_share"), bands),
        timeline_chart=_timeline_chart(transcript, speakers, figures, bands),
        unknown=unknown_speakers(meeting),
        suggested_actions=_suggested_actions(meeting, figures),
    )


def _attendee_name(attendee: Attendee) -> str:
    if attendee.user is not None:
        return attendee.user.display_name
    return str(attendee)


def _share_chart(speakers: list[SpeakerLine], our_share: float | None, bands: Bands) -> str:
    rows = []
    if our_share is not None:
        rows.append(ShareRow(
            label="Our side", share=our_share, side="ours",
            band=(bands.internal_talk_share_low, bands.internal_talk_share_high),
            is_highlighted=bands.talk_share_in_band(our_share) is False,
        ))
    rows += [
        ShareRow(
            label=speaker.name[:24], share=speaker.figures["talk_share"],
            side="ours" if speaker.is_internal else "theirs",
        )
        for speaker in speakers if speaker.figures.get("talk_share") is not None
    ]
    return share_bars_svg(
        rows=rows, identifier="talk-share",
        title="Talk share: our side against its band, then each speaker",
    )


def _timeline_chart(
    transcript: Any, speakers: list[SpeakerLine], figures: dict[str, Any], bands: Bands
) -> str:
    duration = figures.get("duration_seconds")
    if not duration:
        return ""
    try:
        cues = read_transcript(Path(transcript.file_name), text=transcript.content)
    except TranscriptError:
        return ""
    by_label: dict[str, list[Cue]] = {}
    for cue in cues:
        if cue.start is not None and cue.end is not None:
            by_label.setdefault(cue.speaker, []).append(cue)
    lanes = []
    for speaker in speakers:
        spans = [
            Span(start=cue.start, end=cue.end)  # type: ignore[arg-type]
            for cue in by_label.get(speaker.label, [])
        ]
        lanes.append(Lane(
            label=speaker.name[:24], side="ours" if speaker.is_internal else "theirs",
            spans=_mark_monologues(spans, bands.longest_monologue_seconds)
            if speaker.is_internal else spans,
        ))
    return timeline_svg(
        lanes=lanes, duration=float(duration), identifier="who-spoke-when",
        title="Who spoke when; our monologues past the band in red",
    )


def _mark_monologues(spans: list[Span], limit: float) -> list[Span]:
    """Mark runs of one speaker's cues (gaps under 2 s) that last ``limit`` seconds or more:
    a near enough reading of the monologue on a lane of its own."""
    marked: list[Span] = []
    run: list[Span] = []

    def close() -> None:
        too_long = bool(run) and run[-1].end - run[0].start >= limit
        marked.extend(Span(s.start, s.end, is_highlighted=too_long) for s in run)

    for span in sorted(spans, key=lambda one: one.start):
        if run and span.start - run[-1].end >= 2.0:
            close()
            run = []
        run.append(span)
    close()
    return marked


def _suggested_actions(meeting: Meeting, figures: dict[str, Any]) -> list[dict[str, Any]]:
    taken = {item.what.strip().lower() for item in meeting.action_items.all()}
    return [
        found for found in figures.get("action_items", [])
        if found.get("text", "").strip().lower() not in taken
    ]


def owner_for(meeting: Meeting, said: str) -> Attendee | None:
    """The attendee a transcript names as a commitment's owner (by full, preferred or first
    name, no case or accents; a speaker label named for this meeting too); None when it fits
    nobody or several."""
    if not said:
        return None
    attendees = [
        attendee for attendee in meeting.attendees.select_related("user", "contact")
        if attendee.user_id or attendee.contact_id
    ]
    matched = match_speakers(meeting, [said], attendees)
    return matched.get(said)


def accept_suggested_action(
    *, user: User, meeting: Meeting, text: str, owner: str, due: str
) -> ActionItem:
    """Accept a commitment found in the transcript as an action item, owned by the attendee
    it names (else by ``user``), in one click."""
    attendee = owner_for(meeting, owner)
    data: dict[str, Any] = {"what": text.strip()[:500], "due_on": due or "", "status": "open"}
    if attendee is not None and attendee.contact is not None:
        data["contact"] = attendee.contact.external_id
    elif attendee is not None and attendee.user is not None:
        data["user"] = attendee.user.username
    else:
        data["user"] = user.username
    item = add_action_item(user=user, meeting=meeting, data=data)
    item.source = ActionSource.TRANSCRIPT
    item.save(update_fields=["source"])
    return item


# -- a rep's conversation trends -----------------------------------------------------------

TREND_MONTHS = 6


def may_see_trends_of(viewer: User, rep: User) -> bool:
    """A rep's trends are for the rep and those they report to (and executives and admins,
    who see every account)."""
    return viewer.is_active and (
        viewer.pk == rep.pk or viewer.sees_every_account or viewer.pk in manager_chain_ids(rep)
    )


@dataclass(frozen=True)
class TrendChart:
    title: str
    chart: str
    latest: str
    """The latest measured value in words, or "not measured yet"."""


@dataclass(frozen=True)
class RepTrends:
    rep: User
    points: list[TrendPoint]
    charts: list[TrendChart]
    bands: Bands
    reports: list[User]
    """The people whose trends the viewer may open from here (their reports)."""


def _trend_chart(
    points: list[TrendPoint], attribute: str, *, title: str, identifier: str,
    reference: float | None = None, reference_label: str = "Band",
    format_value: Any = None, highlight: Any = None,
) -> TrendChart:
    shown = [
        Point(
            label=words.format_month(point.period_start),
            value=Decimal(str(getattr(point, attribute))),
            reference=Decimal(str(reference)) if reference is not None else None,
            is_highlighted=bool(highlight and highlight(getattr(point, attribute))),
        )
        for point in points if getattr(point, attribute) is not None
    ]
    formatter = format_value or (lambda value: words.format_number(round(value, 2)))
    return TrendChart(
        title=title,
        chart=line_chart_svg(
            points=shown, title=title, format_value=formatter, reference_label=reference_label,
            identifier=identifier, max_labels=6, width=640, height=200,
        ),
        latest=f"{shown[-1].label}: {formatter(shown[-1].value)}" if shown else "not measured yet",
    )


def get_rep_trends(*, viewer: User, username: str, as_of: date) -> RepTrends:
    """The rep's figures month by month over the last six months; NotFound when the viewer
    may not see them (as for a rep who does not exist)."""
    rep = User.objects.filter(username=username).first()
    if rep is None or not may_see_trends_of(viewer, rep):
        raise NotFound("No trends of that person that you can see.")
    first = date(as_of.year, as_of.month, 1)
    for _ in range(TREND_MONTHS - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    points = rep_trends(user_ids=[rep.pk], first=first, last=as_of)[rep.pk]
    bands = current_bands()
    percent = lambda value: words.format_percent(round(value * 100, 1))  # noqa: E731
    seconds = lambda value: (  # noqa: E731
        f"{float(value):.1f} s" if float(value) < 10 else _seconds_in_words(float(value))
    )
    charts = [
        _trend_chart(
            points, "question_ratio", title="Questions per statement", identifier="trend-ratio",
            reference=bands.minimum_question_ratio, reference_label="At least",
            highlight=lambda value: bands.question_ratio_in_band(value) is False,
        ),
        _trend_chart(
            points, "talk_share", title=f"Talk share (band {percent(bands.internal_talk_share_low)}"
            f" to {percent(bands.internal_talk_share_high)})", identifier="trend-share",
            format_value=percent,
            highlight=lambda value: bands.talk_share_in_band(value) is False,
        ),
        _trend_chart(
            points, "longest_monologue_seconds", title="Longest monologue",
            identifier="trend-monologue", reference=bands.longest_monologue_seconds,
            reference_label="Under", format_value=seconds,
            highlight=lambda value: bands.monologue_in_band(value) is False,
        ),
        _trend_chart(
            points, "interruptions_per_meeting", title="Interruptions per meeting",
            identifier="trend-interruptions",
        ),
        _trend_chart(
            points, "patience_seconds", title="Patience (seconds before answering the customer)",
            identifier="trend-patience", format_value=seconds,
        ),
        _trend_chart(
            points, "on_time_share", title="Meetings started on time",
            identifier="trend-on-time", format_value=percent,
        ),
    ]
    reports = list(
        User.objects.filter(manager=rep, is_active=True).order_by("full_name", "username")
    ) if viewer.pk in manager_chain_ids(rep) or viewer.sees_every_account else []
    return RepTrends(rep=rep, points=points, charts=charts, bands=bands, reports=reports)
