"""Focus groups and webinars: planning one, inviting customers (by segment, by a product
family they own, or by hand), e-mailing the invitations, recording who came (a webinar
tool's attendee CSV, all-or-nothing, or by hand) and what they said.

Attending is an interaction on the account's timeline, and so is each feedback item (a note
tagged ``feedback``), so the timeline leads to what the customer said. A registered guest
who did not come gets a follow-up play (``programs.event_no_show``).
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from heedful.accounts import records
from heedful.accounts.models import Account, AccountStatus, Contact
from heedful.accounts.record_forms import HeedfulModelForm
from heedful.accounts.visibility import visible_accounts
from heedful.catalog.models import Holding
from heedful.core import audit
from heedful.core.exceptions import InvalidInput, NotFound
from heedful.core.models import User
from heedful.events.forms import EventForm, FeedbackItemForm, feedback_form_at
from heedful.events.models import (
    Event,
    EventFormat,
    FeedbackItem,
    FeedbackTheme,
    Invitation,
    InvitationStatus,
)
from heedful.interactions.models import Direction, Interaction, InteractionKind, normalize_tags
from heedful.lib import clock, words
from heedful.lib.csvfile import CsvFileError, Problem, read_csv

ATTENDANCE_COLUMNS = {
    "email": ("email", "e-mail", "email address", "attendee email"),
    "attended": ("attended", "attendance"),
    "minutes": ("minutes", "time in session (minutes)", "duration (minutes)"),
}
"""The attendee CSV's columns and the names webinar tools give them (any case)."""
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


def get_all() -> QuerySet[Event]:
    return Event.objects.select_related("family", "host")


def get_or_raise(*, id: int) -> Event:  # noqa: A002
    return records.get_or_raise(get_all(), pk=id)


def get_all_events(*, user: User) -> QuerySet[Event]:
    """Every event: they are on no account, so everyone signed in sees them all."""
    return get_all()


def get_event_or_raise(*, user: User, id: int) -> Event:  # noqa: A002
    return get_or_raise(id=id)


def create(*, user: User, data: Mapping[str, Any]) -> Event:
    """A new event (``EventForm``'s fields: ``topic``, ``format``, ``starts_at``, ``ends_at``,
    ``location``, ``family`` by name, optional); its host is ``user`` unless ``data`` says."""
    return records.create_with_form(EventForm, user=user, data={"host": user.username, **data})


def update(*, user: User, id: int, changes: Mapping[str, Any]) -> Event:  # noqa: A002
    return records.update_with_form(
        EventForm, user=user, queryset=get_all(), lookup={"pk": id}, changes=changes
    )


# -- inviting ------------------------------------------------------------------------------


def invitable_contacts(
    *, user: User, segment: str = "", family: str = "", contact_ids: Iterable[str] = ()
) -> QuerySet[Contact]:
    """Contacts to invite, among the customers ``user`` sees: the key contacts of the
    customers of ``segment`` or owning a product of ``family``, and the contacts named by
    external id; only those who may be contacted and have an e-mail address."""
    chosen = Q(pk__in=[])
    customers = visible_accounts(user).filter(status=AccountStatus.CUSTOMER)
    if segment or family:
        accounts = customers
        if segment:
            accounts = accounts.filter(segment=segment)
        if family:
            owns = Holding.objects.filter(account_id=OuterRef("pk"), product__family__name=family)
            accounts = accounts.filter(Exists(owns))
        chosen |= Q(account__in=accounts.values("pk"), is_key=True)
    named = [key for key in contact_ids if key]
    if named:
        chosen |= Q(external_id__in=named, account__in=visible_accounts(user).values("pk"))
    return Contact.objects.filter(chosen, do_not_contact=False).exclude(email="")


def invite(
    *, user: User, event: Event, segment: str = "", family: str = "",
    contact_ids: Iterable[str] = (),
) -> int:
    """Add the chosen contacts to ``event``'s guests; those invited already stay as they
    are. Returns how many were added."""
    contact_ids = list(contact_ids)
    if not (segment or family or contact_ids):
        raise InvalidInput("Choose whom to invite: a segment, a product family or contacts.")
    contacts = list(invitable_contacts(
        user=user, segment=segment, family=family, contact_ids=contact_ids
    ).values_list("pk", "account_id"))
    with transaction.atomic():
        before = event.invitations.count()
        Invitation.objects.bulk_create(
            [Invitation(event=event, contact_id=pk, account_id=account_id)
             for pk, account_id in contacts],
            ignore_conflicts=True,
        )
        added = event.invitations.count() - before
        audit.record(user=user, action="event.invite", subject=audit.subject_of(event),
                     detail={"segment": segment, "family": family, "added": added})
    return added


def invitation_text(event: Event, contact: Contact) -> tuple[str, str]:
    where = f" at {event.location}" if event.location else ""
    subject = f"You are invited: {event.topic}, {words.format_day(event.starts_at)}"
    body = (
        f"Dear {contact.address_as},\n\n"
        f"We would like to hear from you at our {event.get_format_display().lower()} "
        f"“{event.topic}” on {words.format_moment(event.starts_at)}{where}. It is about your "
        "problems, what our products do well and what they need to do: we come to listen.\n\n"
        "Reply to this e-mail to register.\n"
    )
    return subject, body


def send_invitations(*, user: User, event: Event) -> int:
    """E-mail every guest not e-mailed yet of the customers ``user`` sees (after the
    commit), each recorded on their account's timeline. Returns how many went."""
    now = clock.now()
    with transaction.atomic():
        pending = list(
            event.invitations.select_for_update(of=("self",)).filter(
                emailed_at__isnull=True, account__in=visible_accounts(user).values("pk"),
            ).select_related("contact", "account")
        )
        for invitation in pending:
            contact = invitation.contact
            if contact.do_not_contact or not contact.email:
                continue
            subject, body = invitation_text(event, contact)
            _log(invitation.account, now, InteractionKind.EMAIL, Direction.OUTBOUND, user,
                 f"Invitation to “{event.topic}”: {contact.full_name}", contact, ["event"])
            invitation.emailed_at = now
            invitation.save(update_fields=["emailed_at"])
            message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [contact.email],
                                   reply_to=[user.email] if user.email else None)
            transaction.on_commit(message.send, robust=True)
        sent = sum(1 for invitation in pending if invitation.emailed_at == now)
        audit.record(user=user, action="event.send_invitations",
                     subject=audit.subject_of(event), detail={"sent": sent})
    return sent


def _log(
    account: Account, occurred_at: datetime, kind: str, direction: str, user: User | None,
    subject: str, contact: Contact | None, tags: list[str],
) -> Interaction:
    """One entry on the account's timeline, once: the same entry again (a re-import) is the
    one stored."""
    entry = Interaction(account=account, occurred_at=occurred_at, kind=kind,
                        direction=direction, user=user, subject=subject[:500],
                        tags=normalize_tags(tags))
    entry.natural_key = Interaction.compute_natural_key(
        account_external_id=account.external_id, occurred_at_iso=occurred_at.isoformat(),
        kind=kind, username=user.username if user else "", subject=entry.subject,
    )
    stored = Interaction.objects.filter(natural_key=entry.natural_key).first()
    if stored is not None:
        return stored
    entry.full_clean(exclude=["natural_key"])
    entry.save()
    if contact is not None:
        entry.contacts.add(contact)
    records.tell_written(entry)
    return entry


# -- who came ------------------------------------------------------------------------------


def _attended(event: Event, invitation: Invitation, minutes: int | None) -> None:
    invitation.status = InvitationStatus.ATTENDED
    invitation.attended_minutes = minutes
    invitation.save(update_fields=["status", "attended_minutes"])
    kind = InteractionKind.MEETING
    _log(invitation.account, event.starts_at, kind, Direction.TWO_WAY, event.host,
         f"Attended “{event.topic}”: {invitation.contact.full_name}", invitation.contact,
         ["event", event.format])
    records.tell_written(invitation)


@dataclass(frozen=True)
class AttendanceImported:
    attended: int
    registered_not_attended: int


def import_attendance(*, user: User, event: Event, path: str | Path) -> AttendanceImported:
    """Who came, from a webinar tool's attendee CSV (``email``, ``attended`` yes/no,
    optionally ``minutes``). All-or-nothing: any bad row and nothing is written; the refusal
    lists each as ``FILE:LINE: column: reason``. Importing the same file again changes
    nothing. A guest in the file who did not attend counts as registered. Only guests of
    the customers ``user`` sees are matched."""
    name = Path(path).name
    try:
        table = read_csv(path)
    except CsvFileError as error:
        raise InvalidInput(str(error), {"file": [str(error)]}) from None
    header = {cell.strip().lower(): cell for cell in table.header}
    found = {
        column: next((header[alias] for alias in aliases if alias in header), None)
        for column, aliases in ATTENDANCE_COLUMNS.items()
    }
    problems: list[Problem] = [
        Problem(name, 1, column, "required column missing")
        for column in ("email", "attended") if found[column] is None
    ]
    invitations = {
        invitation.contact.email.lower(): invitation
        for invitation in event.invitations.filter(
            account__in=visible_accounts(user).values("pk")
        ).select_related("contact", "account")
    }
    parsed: list[tuple[Invitation, bool, int | None]] = []
    seen: dict[str, int] = {}
    if not problems:
        for row in table.rows:
            email = row.cells[found["email"]].strip().lower()  # type: ignore[index]
            attended_text = row.cells[found["attended"]].strip().lower()  # type: ignore[index]
            minutes_text = row.cells[found["minutes"]].strip() if found["minutes"] else ""
            row_problems = []
            invitation = invitations.get(email)
            if not email:
                row_problems.append(Problem(name, row.line, "email", "empty"))
            elif invitation is None:
                row_problems.append(Problem(
                    name, row.line, "email", f"{email} was not invited to this event"
                ))
            elif email in seen:
                row_problems.append(Problem(
                    name, row.line, "email", f"{email} is on line {seen[email]} already"
                ))
            if attended_text not in YES | NO:
                row_problems.append(Problem(
                    name, row.line, "attended", f"expected yes or no, not “{attended_text}”"
                ))
            minutes = None
            if minutes_text:
                if not (minutes_text.isascii() and minutes_text.isdigit()
                        and int(minutes_text) < 100_000):
                    row_problems.append(Problem(
                        name, row.line, "minutes", f"expected whole minutes, not “{minutes_text}”"
                    ))
                else:
                    minutes = int(minutes_text)
            seen.setdefault(email, row.line)
            if row_problems:
                problems.extend(row_problems)
            elif invitation is not None:
                parsed.append((invitation, attended_text in YES, minutes))
    if problems:
        lines = [str(problem) for problem in problems]
        raise InvalidInput(
            f"{name}: nothing was imported; correct these rows and import the file again.",
            {"file": lines},
        )
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        attended = 0
        for invitation, came, minutes in parsed:
            if came:
                attended += 1
                _attended(event, invitation, minutes)
            elif invitation.status != InvitationStatus.ATTENDED:
                invitation.status = InvitationStatus.REGISTERED
                invitation.save(update_fields=["status"])
                records.tell_written(invitation)
        event.attendance_recorded_at = event.attendance_recorded_at or clock.now()
        event.save(update_fields=["attendance_recorded_at"])
        audit.record(user=user, action="event.import_attendance", subject=audit.subject_of(event),
                     detail={"file": name, "rows": len(parsed), "attended": attended})
    return AttendanceImported(attended=attended, registered_not_attended=len(parsed) - attended)


def mark(*, user: User, event: Event, invitation_id: int, status: str) -> Invitation:
    """Mark one guest by hand: registered, attended or declined."""
    if status not in InvitationStatus.values or status == InvitationStatus.INVITED:
        raise InvalidInput("Choose registered, attended or declined.")
    with transaction.atomic():
        invitation = records.get_or_raise(
            event.invitations.select_for_update(of=("self",)).select_related("contact", "account"),
            pk=invitation_id,
        )
        if status == InvitationStatus.ATTENDED:
            _attended(event, invitation, None)
            event.attendance_recorded_at = event.attendance_recorded_at or clock.now()
            event.save(update_fields=["attendance_recorded_at"])
        else:
            invitation.status = status
            invitation.save(update_fields=["status"])
            records.tell_written(invitation)
        audit.record(user=user, action="event.mark", subject=audit.subject_of(invitation),
                     detail={"status": status})
    return invitation


# -- what they said ------------------------------------------------------------------------


def add_feedback(
    *, user: User, event: Event | None, data: Mapping[str, Any]
) -> FeedbackItem:
    """One thing a customer said at ``event`` (``account`` and optional ``contact`` by
    external id, ``family`` by name, ``theme``, ``said``), also a note on the account's
    timeline. The event's page names the account by hand: one the user cannot see is an
    answer on the form (as a mistyped one), not a missing page."""
    try:
        return records.create_with_form(
            feedback_form_at(event), user=user, data=data, after_save=_feedback_on_timeline
        )
    except NotFound as error:
        raise InvalidInput(f"The feedback was not saved: {error} Check the id.") from None


def create_feedback_item(*, user: User, data: Mapping[str, Any]) -> FeedbackItem:
    """What a customer said, said elsewhere than at an event (the API)."""
    return records.create_with_form(
        feedback_form_at(None), user=user, data=data, after_save=_feedback_on_timeline
    )


def update_feedback_item(
    *, user: User, id: int, changes: Mapping[str, Any]  # noqa: A002
) -> FeedbackItem:
    """A correction of what was recorded; the note already on the timeline stays as written."""
    return records.update_with_form(
        FeedbackItemForm, user=user, queryset=get_all_feedback_items(user=user),
        lookup={"pk": id}, changes=changes,
    )


def get_all_feedback_items(*, user: User) -> QuerySet[FeedbackItem]:
    return FeedbackItem.objects.filter(account__in=visible_accounts(user)).select_related(
        "account", "contact", "family"
    )


def get_feedback_item_or_raise(*, user: User, id: int) -> FeedbackItem:  # noqa: A002
    return records.get_or_raise(get_all_feedback_items(user=user), pk=id)


def _feedback_on_timeline(form: HeedfulModelForm, item: FeedbackItem) -> None:
    theme = item.get_theme_display()
    about = f" about {item.family.name}" if item.family else ""
    _log(item.account, item.recorded_at, InteractionKind.NOTE, Direction.INBOUND, form.user,
         f"Feedback{about} ({theme}): {item.said}", item.contact, ["feedback", item.theme])


def get_feedback(*, user: User, theme: str = "", family: str = "", account: str = "") -> QuerySet[
    FeedbackItem
]:
    """Feedback items of the customers ``user`` sees, newest first, by theme, family
    (a name, or "none") and account (an external id) when given."""
    items = FeedbackItem.objects.filter(account__in=visible_accounts(user)).select_related(
        "account", "contact", "family", "event"
    )
    if theme:
        items = items.filter(theme=theme)
    if family == "none":
        items = items.filter(family__isnull=True)
    elif family:
        items = items.filter(family__name=family)
    if account:
        items = items.filter(account__external_id=account)
    return items.order_by("-recorded_at", "-pk")


@dataclass(frozen=True)
class FeedbackCounts:
    by_theme: list[tuple[str, str, int]]
    """(theme, its label, items)."""
    by_family: list[tuple[str, int]]
    """(family name or "", items)."""


def feedback_counts(*, user: User) -> FeedbackCounts:
    items = FeedbackItem.objects.filter(account__in=visible_accounts(user))
    themes = Counter(items.values_list("theme", flat=True))
    families = Counter(items.values_list("family__name", flat=True))
    labels = dict(FeedbackTheme.choices)
    return FeedbackCounts(
        by_theme=[(theme, labels[theme], themes[theme]) for theme in labels if themes[theme]],
        by_family=sorted(((name or "", count) for name, count in families.items()),
                         key=lambda pair: (-pair[1], pair[0])),
    )


@dataclass(frozen=True)
class Guest:
    invitation: Invitation
    is_no_show: bool


def guests(*, user: User, event: Event) -> list[Guest]:
    """The event's guests from the customers ``user`` sees, by account and name."""
    recorded = event.attendance_recorded_at is not None and event.ends_at <= clock.now()
    return [
        Guest(invitation=invitation,
              is_no_show=recorded and invitation.status == InvitationStatus.REGISTERED)
        for invitation in event.invitations.filter(account__in=visible_accounts(user))
        .select_related("contact", "account").order_by("account__name", "contact__full_name")
    ]


FORMATS = EventFormat.choices
THEMES = FeedbackTheme.choices
