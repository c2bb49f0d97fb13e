"""``heedful import ics FILE``: meetings from calendar invitations (RFC 5545, iTIP RFC 5546).

Reading, in three steps:

1. *Lines*: the file is unfolded into content lines, each remembering the line of the file
   it starts on, and each is checked (``NAME;PARAM=VALUE:value``, ``BEGIN``/``END`` that
   match). icalendar skips a line it cannot read without a word and its errors carry no
   line; this step is what lets a refusal name the line.
2. *Events*: icalendar reads the calendars (several back to back, or a bare VEVENT), and
   each VEVENT is paired with its ``BEGIN:VEVENT`` line. A recurring one (RRULE or RDATE,
   or any occurrence edited by a RECURRENCE-ID) is expanded by recurring-ical-events within
   the window; a single event is imported whatever its date. Times are read with their
   zone: an IANA name, a Windows name ("W. Europe Standard Time", by icalendar's own table),
   Exchange's "(UTC-05:00) Eastern Time (US & Canada)" (the offset it states), a VTIMEZONE
   of the file, or none (the site's zone). An all-day event runs from midnight to midnight
   in the site's zone.
3. *Meetings*, in one transaction: each invitation is a meeting keyed by its UID (and, for
   an occurrence, the UID and the occurrence's original start in UTC) in
   ``Meeting.calendar_key``; it is written through ``MeetingForm`` (the one declaration of a
   valid meeting) and its attendees through ``Attendee``'s own checks. Any problem anywhere
   and nothing is saved; ``--dry-run`` always rolls back.

Cancellations: an event with STATUS:CANCELLED, every event of a METHOD:CANCEL calendar, and
an occurrence of a series stored earlier that the series no longer has within the window
(an EXDATE, a shortened RRULE) mark the meeting cancelled; nothing is deleted. A cancellation
of a meeting never imported creates nothing.

Linking (``heedful.meetings.linking``): a new meeting's account comes from its attendees'
e-mails; an event whose addresses name no account is skipped with a warning naming it.
Re-importing changes a meeting only where the invitation changed, never what people wrote
(objective, notes, summary). When its attendees' e-mails now name another account, the
meeting moves there with that account's open deals, unless a person set its account by hand
or gave its action items to that account's contacts (then a warning says so). Someone the
invitation no longer names is taken off the meeting if an import put them there, unless the
meeting has started or a transcript's speaker is them (ADR 0029, which amends 0024).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from datetime import timezone as fixed_timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import recurring_ical_events
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from icalendar.parser import Contentline
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from heedful.accounts.models import Account
from heedful.core import audit
from heedful.core.models import Role, User
from heedful.meetings.forms import MeetingForm
from heedful.meetings.linking import Directory, normalize_email, open_opportunities
from heedful.meetings.models import (
    ActionItem,
    Attendee,
    AttendeeRole,
    Meeting,
    MeetingStatus,
    Response,
    SpeakerFigures,
    SpeakerName,
)

DAYS_BACK = 90
DAYS_AHEAD = 180
"""The default window recurring events are expanded in: 90 days before the import's date
to 180 days after it (a quarter of history, two quarters of plans)."""

ANSWER_METHODS = {"REPLY", "COUNTER", "DECLINECOUNTER", "REFRESH"}
"""iTIP methods of someone's answer to an invitation, not an invitation: passed over. Every
other method (PUBLISH, REQUEST, ADD, CANCEL, none, an old CAP "CREATE") carries events."""

PARTSTAT_RESPONSES = {
    "ACCEPTED": Response.ACCEPTED,
    "TENTATIVE": Response.TENTATIVE,
    "DECLINED": Response.DECLINED,
}
NOT_PEOPLE = {"ROOM", "RESOURCE"}
OPTIONAL_ROLES = {"OPT-PARTICIPANT", "NON-PARTICIPANT"}
EXCHANGE_OFFSET = re.compile(
    r"^\((?:UTC|GMT)\s*(?:(?P<sign>[+-])(?P<hours>\d{1,2}):(?P<minutes>\d{2}))?\)"
)
PROPERTY_NAME = re.compile(r"^[A-Za-z0-9-]+$")
# The key adds "/" and the occurrence's start (at most 16 characters) to the UID.
UID_LENGTH = (Meeting._meta.get_field("calendar_key").max_length or 500) - 17
TITLE_LENGTH = Meeting._meta.get_field("title").max_length or 300
LOCATION_LENGTH = Meeting._meta.get_field("location").max_length or 300


@dataclass(frozen=True)
class IcsProblem:
    """One thing wrong with the file, printed ``FILE:LINE: reason``."""

    file: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.reason}"
        return f"{self.file}:{self.line}: {self.reason}"


class IcsRejected(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, problems: list[IcsProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the calendar; nothing was written")
        self.problems = problems


@dataclass
class IcsResult:
    file: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    skipped: int = 0
    account_ids: set[int] = field(default_factory=set)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "kind": "ics", "created": self.created, "updated": self.updated,
            "unchanged": self.unchanged, "cancelled": self.cancelled, "skipped": self.skipped,
        }


@dataclass
class Invited:
    email: str
    name: str
    role: str
    response: str


@dataclass
class Invitation:
    """One meeting as the file describes it (an occurrence, for a recurring event)."""

    key: str
    uid: str
    line: int
    title: str
    start: datetime
    end: datetime
    location: str
    description: str
    organizer_email: str
    people: list[Invited]
    is_cancelled: bool
    order: tuple[int, str, int]
    """(SEQUENCE, DTSTAMP, position in the file): of two versions, the higher wins."""

    @property
    def addresses(self) -> list[str]:
        return [self.organizer_email, *(person.email for person in self.people)]


@dataclass
class Reading:
    invitations: dict[str, Invitation] = field(default_factory=dict)
    series_in_window: dict[str, set[str]] = field(default_factory=dict)
    """Each recurring UID whose rule (RRULE, RDATE) the file holds → the keys of its
    occurrences within the window. A file with only an edited occurrence (Outlook sends one
    when a single date moves) says nothing of the others, and is not listed."""
    cancelled_series: dict[str, int] = field(default_factory=dict)
    """UIDs a METHOD:CANCEL cancels whole → the line of the cancelling event."""
    problems: list[IcsProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- step 1: content lines -------------------------------------------------------------------


@dataclass(frozen=True)
class ContentLine:
    number: int
    text: str
    name: str


def content_lines(text: str, file: str, problems: list[IcsProblem]) -> list[ContentLine]:
    """The unfolded content lines, each checked; blank lines are passed over (several
    calendars back to back are often separated by one)."""
    unfolded: list[tuple[int, str]] = []
    for number, physical in enumerate(re.split(r"\r\n|\n|\r", text), start=1):
        if physical[:1] in (" ", "\t") and unfolded:
            start, so_far = unfolded[-1]
            unfolded[-1] = (start, so_far + physical[1:])
        elif physical.strip():
            unfolded.append((number, physical))
    lines: list[ContentLine] = []
    open_blocks: list[tuple[str, int]] = []
    for number, line in unfolded:
        try:
            name, _, value = Contentline(line).parts()
        except ValueError:
            shown = line if len(line) <= 60 else line[:57] + "..."
            problems.append(IcsProblem(
                file, number, f"not an iCalendar content line (NAME;PARAM=VALUE:value): {shown!r}"
            ))
            continue
        name = name.upper()
        if not PROPERTY_NAME.match(name):
            problems.append(IcsProblem(file, number, f"{name!r} is not a property name"))
            continue
        if name == "BEGIN":
            open_blocks.append((value.upper(), number))
        elif name == "END":
            if not open_blocks:
                problems.append(IcsProblem(file, number, f"END:{value} without a BEGIN"))
            elif open_blocks[-1][0] != value.upper():
                block, began = open_blocks.pop()
                problems.append(IcsProblem(
                    file, number, f"END:{value} closes BEGIN:{block} of line {began}"
                ))
            else:
                open_blocks.pop()
        lines.append(ContentLine(number, line, name))
    for block, began in open_blocks:
        problems.append(IcsProblem(file, began, f"BEGIN:{block} is never closed (no END:{block})"))
    if not problems and not any(line.name == "BEGIN" for line in lines):
        problems.append(IcsProblem(file, None, "no calendar in the file (no BEGIN:VCALENDAR)"))
    return lines


@dataclass
class EventLines:
    """Where a VEVENT and each of its own properties (not its alarms') start."""

    begin: int
    properties: dict[str, int] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)

    def of(self, name: str) -> int:
        return self.properties.get(name.upper(), self.begin)


def event_lines(lines: list[ContentLine]) -> list[EventLines]:
    events: list[EventLines] = []
    depth_in_event = 0
    for line in lines:
        value = line.text.partition(":")[2].strip().upper()
        if line.name == "BEGIN" and value == "VEVENT":
            events.append(EventLines(line.number))
            depth_in_event = 1
        elif line.name == "BEGIN" and depth_in_event:
            depth_in_event += 1
        elif line.name == "END" and depth_in_event:
            depth_in_event -= 1
        elif depth_in_event == 1 and line.name not in events[-1].properties:
            events[-1].properties[line.name] = line.number
            events[-1].values[line.name] = Contentline(line.text).parts()[2]
    return events


# --- step 2: events ------------------------------------------------------------------------


def _zone_named(tzid: str) -> Any:
    """The zone a TZID names, or None: a Windows name, an IANA name, or Exchange's
    "(UTC+01:00) Amsterdam, Berlin, …" (its stated offset; Exchange writes the wall time)."""
    name = tzid.strip().strip('"')
    if name in WINDOWS_TO_OLSON:
        return ZoneInfo(WINDOWS_TO_OLSON[name])
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    match = EXCHANGE_OFFSET.match(name)
    if match:
        if not match["sign"]:
            return UTC
        offset = timedelta(hours=int(match["hours"]), minutes=int(match["minutes"]))
        return fixed_timezone(offset if match["sign"] == "+" else -offset, name)
    return None


class _TimeProblem(ValueError):
    pass


def moment(prop: Any) -> tuple[datetime, bool]:
    """A DTSTART/DTEND/RECURRENCE-ID as an aware datetime, and whether it was a whole day."""
    value = prop.dt
    if not isinstance(value, datetime):
        if isinstance(value, date):
            return timezone.make_aware(datetime.combine(value, time.min)), True
        raise _TimeProblem(f"{value!r} is not a date or a time")
    tzid = prop.params.get("TZID") if hasattr(prop, "params") else None
    zone = _zone_named(str(tzid)) if tzid else None
    if zone is not None and not isinstance(value.tzinfo, ZoneInfo | fixed_timezone):
        # A Windows or Exchange name: the IANA zone keeps today's rules, where the file's
        # VTIMEZONE (when there is one) often states only one year's.
        return value.replace(tzinfo=zone), False
    if value.tzinfo is None:
        if tzid:
            raise _TimeProblem(f"unknown time zone {str(tzid)!r}")
        return timezone.make_aware(value), False
    return value, False


def _key_time(moment_value: datetime, whole_day: bool) -> str:
    if whole_day:
        return timezone.localtime(moment_value).strftime("%Y%m%d")
    return moment_value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _listed(component: Any, name: str) -> list[Any]:
    value = component.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _people(component: Any) -> tuple[str, list[Invited]]:
    """The organizer's address and every person invited (rooms and resources left out), the
    organizer first; one entry per address."""
    people: dict[str, Invited] = {}
    organizer = component.get("ORGANIZER")
    organizer_email = ""
    if organizer is not None:
        organizer_email = normalize_email(str(organizer))
        name = str(organizer.params.get("CN", "")).strip().strip('"')
        people[organizer_email or name.lower()] = Invited(
            organizer_email, name, AttendeeRole.ORGANIZER, ""
        )
    for attendee in _listed(component, "ATTENDEE"):
        params = attendee.params
        if str(params.get("CUTYPE", "")).upper() in NOT_PEOPLE:
            continue
        email = normalize_email(str(attendee))
        name = str(params.get("CN", "")).strip().strip('"')
        if normalize_email(name) == email:
            name = ""  # Apple writes the address as the name
        key = email or name.lower()
        if not key:
            continue
        role = (
            AttendeeRole.OPTIONAL if str(params.get("ROLE", "")).upper() in OPTIONAL_ROLES
            else AttendeeRole.REQUIRED
        )
        response = PARTSTAT_RESPONSES.get(str(params.get("PARTSTAT", "")).upper(), Response.NONE)
        if key in people:
            people[key].response = response
            people[key].name = people[key].name or name
        else:
            people[key] = Invited(email, name, role, response)
    return organizer_email, list(people.values())


def _text(component: Any, name: str) -> str:
    value = component.get(name)
    return str(value).strip() if value is not None else ""


def read_calendar(
    text: str, *, file: str, window: tuple[date, date]
) -> Reading:
    reading = Reading()
    lines = content_lines(text, file, reading.problems)
    if reading.problems:
        return reading
    try:
        components = icalendar.Component.from_ical(text, multiple=True)
    except ValueError as error:
        reading.problems.append(IcsProblem(file, _line_named_in(str(error), lines), str(error)))
        return reading
    positions = event_lines(lines)
    position = 0
    for top in components:
        calendar = top
        if top.name == "VEVENT":  # a bare event, as some mail programs attach one
            calendar = icalendar.Calendar()
            calendar.add_component(top)
        method = _text(calendar, "METHOD").upper()
        events = list(calendar.walk("VEVENT"))
        where = positions[position:position + len(events)]
        position += len(events)
        if method in ANSWER_METHODS:
            if events:
                reading.warnings.append(
                    f"{file}:{where[0].begin}: skipped a METHOD:{method} calendar "
                    "(an answer to an invitation, not one)"
                )
            continue
        _read_events(calendar, events, where, method, file, window, reading)
    return reading


def _line_named_in(message: str, lines: list[ContentLine]) -> int | None:
    for line in lines:
        if line.text and line.text in message:
            return line.number
    return None


def _read_events(
    calendar: Any, events: list[Any], where: list[EventLines], method: str, file: str,
    window: tuple[date, date], reading: Reading,
) -> None:
    series: dict[str, list[tuple[Any, EventLines]]] = {}
    for index, (event, lines) in enumerate(zip(events, where, strict=True)):
        problem_count = len(reading.problems)
        for name, message in getattr(event, "errors", []):
            reading.problems.append(IcsProblem(
                file, lines.of(name),
                f"{name}: cannot read its value ({message})" if lines.values.get(name)
                else f"{name} has no value after the colon (is a quote in its parameters "
                "left open?)",
            ))
        uid = _text(event, "UID")
        if len(uid) > UID_LENGTH:
            reading.problems.append(IcsProblem(
                file, lines.of("UID"), f"the UID is longer than {UID_LENGTH} characters"
            ))
        if not uid:
            reading.problems.append(IcsProblem(
                file, lines.begin,
                "the event has no UID (without one, importing it again could not find it)",
            ))
        cancels_whole = method == "CANCEL" and event.get("RECURRENCE-ID") is None
        if event.get("DTSTART") is None and not cancels_whole:
            reading.problems.append(IcsProblem(
                file, lines.begin, "the event has no DTSTART (a meeting needs a start)"
            ))
        if len(reading.problems) > problem_count:
            continue
        if cancels_whole:
            reading.cancelled_series[uid] = lines.begin
            if event.get("DTSTART") is None:
                continue
        is_recurring = any(event.get(name) for name in ("RRULE", "RDATE", "RECURRENCE-ID"))
        if is_recurring:
            series.setdefault(uid, []).append((event, lines))
        else:
            _add(reading, event, lines, uid, None, method, file, index)
    if not series or reading.problems:
        return  # the expansion would stumble on the same problems
    with_rule = {
        uid for uid, parts in series.items()
        if any(event.get("RECURRENCE-ID") is None for event, _ in parts)
    }
    lines_by_uid = {uid: parts[0][1] for uid, parts in series.items()}
    edited_lines = {
        (uid, _text(event, "RECURRENCE-ID")): lines
        for uid, parts in series.items() for event, lines in parts
    }
    try:
        occurrences = list(
            recurring_ical_events.of(calendar).between(window[0], window[1] + timedelta(days=1))
        )
    except Exception as error:  # noqa: BLE001 (the library's errors have no common base)
        first = next(iter(lines_by_uid.values()))
        reading.problems.append(IcsProblem(
            file, first.begin, f"the recurrence cannot be expanded: {error}"
        ))
        return
    for index, occurrence in enumerate(occurrences):
        uid = _text(occurrence, "UID")
        if uid not in series:
            continue
        recurrence = occurrence.get("RECURRENCE-ID") or occurrence.get("DTSTART")
        lines = edited_lines.get((uid, _text(occurrence, "RECURRENCE-ID")), lines_by_uid[uid])
        try:
            original, whole_day = moment(recurrence)
        except _TimeProblem as error:
            reading.problems.append(IcsProblem(file, lines.of("DTSTART"), str(error)))
            continue
        key = f"{uid}/{_key_time(original, whole_day)}"
        if uid in with_rule:
            reading.series_in_window.setdefault(uid, set()).add(key)
        _add(reading, occurrence, lines, uid, key, method, file, index)


def _add(
    reading: Reading, event: Any, lines: EventLines, uid: str, key: str | None, method: str,
    file: str, index: int,
) -> None:
    try:
        start, whole_day = moment(event["DTSTART"])
        if event.get("DTEND") is not None:
            end, _ = moment(event["DTEND"])
        elif event.get("DURATION") is not None:
            end = start + event["DURATION"].dt
        else:
            end = start + (timedelta(days=1) if whole_day else timedelta(0))
    except _TimeProblem as error:
        reading.problems.append(IcsProblem(file, lines.of("DTSTART"), str(error)))
        return
    except (KeyError, TypeError, AttributeError) as error:
        reading.problems.append(IcsProblem(file, lines.of("DTEND"), f"unreadable time: {error}"))
        return
    if end < start:
        reading.problems.append(IcsProblem(file, lines.of("DTEND"), "DTEND is before DTSTART"))
        return
    organizer_email, people = _people(event)
    sequence = event.get("SEQUENCE")
    invitation = Invitation(
        key=key or uid,
        uid=uid,
        line=lines.begin,
        title=(_text(event, "SUMMARY") or "(no title)")[:TITLE_LENGTH],
        start=start,
        end=end,
        location=_text(event, "LOCATION")[:LOCATION_LENGTH],
        description=_text(event, "DESCRIPTION"),
        organizer_email=organizer_email,
        people=people,
        is_cancelled=method == "CANCEL" or _text(event, "STATUS").upper() == "CANCELLED",
        order=(int(sequence) if str(sequence or "").isdigit() else 0,
               _text(event, "DTSTAMP"), index),
    )
    earlier = reading.invitations.get(invitation.key)
    if earlier is None or invitation.order[:2] >= earlier.order[:2]:
        reading.invitations[invitation.key] = invitation


# --- step 3: meetings ----------------------------------------------------------------------


def default_window(as_of: date) -> tuple[date, date]:
    return as_of - timedelta(days=DAYS_BACK), as_of + timedelta(days=DAYS_AHEAD)


def import_ics(
    path: str | Path,
    *,
    dry_run: bool = False,
    as_of: date | None = None,
    window: tuple[date, date] | None = None,
    warn: Callable[[str], None] = lambda message: None,
) -> IcsResult:
    """Import one calendar file; ``IcsRejected`` (nothing written) on any problem."""
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        problem = IcsProblem(file, None, f"cannot read the file: {error.strerror}")
        raise IcsRejected([problem]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise IcsRejected([IcsProblem(file, line, "not UTF-8 text")]) from None
    today = as_of or timezone.localdate()
    reading = read_calendar(text, file=file, window=window or default_window(today))
    if reading.problems:
        raise IcsRejected(reading.problems)
    for message in reading.warnings:
        warn(message)
    result = IcsResult(file)
    with transaction.atomic():
        problems = _write(reading, file, result, window or default_window(today), warn)
        if problems:
            transaction.set_rollback(True)
            raise IcsRejected(problems)
        if dry_run:
            transaction.set_rollback(True)
        elif result.created or result.updated or result.cancelled:
            audit.record(
                user=None, action="meeting.import_ics", subject=file, detail=result.as_dict()
            )
    return result


def _importer() -> User:
    """Who the form validates for: the calendar sees every account (an unsaved user)."""
    return User(username="calendar-import", role=Role.ADMIN, is_active=True)


def _write(
    reading: Reading, file: str, result: IcsResult, window: tuple[date, date],
    warn: Callable[[str], None],
) -> list[IcsProblem]:
    problems: list[IcsProblem] = []
    invitations = sorted(reading.invitations.values(), key=lambda item: (item.line, item.start))
    directory = Directory.of(
        address for invitation in invitations for address in invitation.addresses
    )
    stored = {
        meeting.calendar_key: meeting
        for meeting in Meeting.objects.select_for_update(of=("self",)).filter(
            calendar_key__in=[invitation.key for invitation in invitations]
        )
    }
    attendees: dict[int, list[Attendee]] = {}
    for attendee in Attendee.objects.filter(meeting__in=list(stored.values())):
        attendees.setdefault(attendee.meeting_id, []).append(attendee)
    on_transcripts = _attendees_on_transcripts(list(stored.values()))
    moves = _moves(invitations, stored, directory, file, warn)
    new_accounts: dict[str, int] = {}
    for invitation in invitations:
        if invitation.key in stored or invitation.is_cancelled:
            continue
        account_id = directory.account_for(invitation.addresses)
        if account_id is None:
            warn(
                f"{file}:{invitation.line}: skipped \"{invitation.title}\" ({invitation.uid}): "
                "no attendee's e-mail is a contact's or on an account's website domain"
            )
            result.skipped += 1
            continue
        new_accounts[invitation.key] = account_id
    linked = {**new_accounts, **moves}
    external_ids = dict(
        Account.objects.filter(pk__in=set(linked.values())).values_list("pk", "external_id")
    )
    deals = open_opportunities(
        (account_id, timezone.localtime(reading.invitations[key].start).date())
        for key, account_id in linked.items()
    )
    usernames = dict(
        User.objects.filter(pk__in=set(directory.user_ids.values())).values_list("pk", "username")
    )
    importer = _importer()
    for invitation in invitations:
        meeting = stored.get(invitation.key)
        if meeting is None and invitation.key not in new_accounts:
            continue
        organizer_id = directory.user_id(invitation.organizer_email)
        changes: dict[str, Any] = {
            "title": invitation.title,
            "scheduled_start": invitation.start,
            "scheduled_end": invitation.end,
            "location": invitation.location,
            "organizer": usernames.get(organizer_id, "") if organizer_id else "",
        }
        if invitation.is_cancelled:
            changes["status"] = MeetingStatus.CANCELLED
        elif meeting is not None and meeting.status == MeetingStatus.CANCELLED:
            changes["status"] = MeetingStatus.SCHEDULED  # reinstated
        if meeting is None:
            account_id = new_accounts[invitation.key]
            day = timezone.localtime(invitation.start).date()
            data = {
                **MeetingForm.model_defaults(),
                **changes,
                "account": external_ids[account_id],
                "notes": invitation.description,
                "opportunities": [deal.external_id for deal in deals[(account_id, day)]],
            }
            form = MeetingForm(data=data, user=importer)
        else:
            if meeting.organizer_id is not None and not organizer_id:
                del changes["organizer"]  # set by hand; the invitation names nobody of ours
            if invitation.key in moves:
                account_id = moves[invitation.key]
                day = timezone.localtime(invitation.start).date()
                # The deals go with the account: those open on its date at the new one.
                changes["account"] = external_ids[account_id]
                changes["opportunities"] = [
                    deal.external_id for deal in deals[(account_id, day)]
                ]
                result.account_ids.add(meeting.account_id)
            current = MeetingForm(instance=meeting, user=importer).current_data()
            form = MeetingForm(data={**current, **changes}, instance=meeting, user=importer)
        if not form.is_valid():
            for name, errors in form.errors.items():
                for message in errors:
                    where = "" if name == "__all__" else f"{name}: "
                    problems.append(IcsProblem(file, invitation.line, f"{where}{message}"))
            continue
        changed = form.has_changed()
        if meeting is None or changed:
            form.instance.calendar_key = invitation.key
            meeting = form.save()
        people_changed = _write_attendees(
            meeting, invitation, attendees.get(meeting.pk, []), directory, file, problems,
            keep=on_transcripts,
        )
        if invitation.key not in stored:
            result.created += 1
        elif changed and "status" in form.changed_data and invitation.is_cancelled:
            result.cancelled += 1
        elif changed or people_changed:
            result.updated += 1
        else:
            result.unchanged += 1
        if meeting.pk and (invitation.key not in stored or changed or people_changed):
            result.account_ids.add(meeting.account_id)
    _cancel_missing(reading, window, result)
    return problems


def _cancel_missing(reading: Reading, window: tuple[date, date], result: IcsResult) -> None:
    """Occurrences stored earlier that their series no longer has within the window (an
    EXDATE, a shortened RRULE), and whole series cancelled by METHOD:CANCEL: cancelled."""
    start = timezone.make_aware(datetime.combine(window[0], time.min))
    end = timezone.make_aware(datetime.combine(window[1] + timedelta(days=1), time.min))
    to_cancel: list[int] = []
    account_ids: set[int] = set()
    for uid, keys in reading.series_in_window.items():
        for meeting_id, key, account_id in (
            Meeting.objects.filter(
                calendar_key__startswith=f"{uid}/", scheduled_start__gte=start,
                scheduled_start__lt=end,
            )
            .exclude(status=MeetingStatus.CANCELLED)
            .values_list("pk", "calendar_key", "account_id")
        ):
            if key not in keys:
                to_cancel.append(meeting_id)
                account_ids.add(account_id)
    for uid in reading.cancelled_series:
        for meeting_id, account_id in (
            Meeting.objects.filter(Q(calendar_key=uid) | Q(calendar_key__startswith=f"{uid}/"))
            .exclude(status=MeetingStatus.CANCELLED)
            .values_list("pk", "account_id")
        ):
            to_cancel.append(meeting_id)
            account_ids.add(account_id)
    if to_cancel:
        # The status alone, as the form would write it: a choice of the declaration.
        Meeting.objects.filter(pk__in=to_cancel).update(status=MeetingStatus.CANCELLED)
        result.cancelled += len(set(to_cancel))
        result.account_ids.update(account_ids)


def _moves(
    invitations: list[Invitation], stored: dict[str | None, Meeting], directory: Directory,
    file: str, warn: Callable[[str], None],
) -> dict[str, int]:
    """The stored meetings whose attendees' e-mails now name another account → that account.
    A meeting stays where it is when a person chose its account (``account_set_by_hand``) or
    gave one of its action items to a contact of that account (the meeting's work is with
    those people), with a warning; when the e-mails name no account; and when cancelled."""
    wanted: dict[str, int] = {}
    for invitation in invitations:
        meeting = stored.get(invitation.key)
        if meeting is None or invitation.is_cancelled:
            continue
        account_id = directory.account_for(invitation.addresses)
        if account_id is not None and account_id != meeting.account_id:
            wanted[invitation.key] = account_id
    if not wanted:
        return {}
    work_with_account = set(
        ActionItem.objects.filter(
            meeting__in=[stored[key] for key in wanted],
            contact__account_id=F("meeting__account_id"),
        ).values_list("meeting_id", flat=True)
    )
    names = dict(
        Account.objects.filter(
            pk__in={*wanted.values(), *(stored[key].account_id for key in wanted)}
        ).values_list("pk", "name")
    )
    moves: dict[str, int] = {}
    for key, account_id in wanted.items():
        meeting = stored[key]
        reason = (
            "a person set its account by hand" if meeting.account_set_by_hand
            else "its action items are owned by that account's contacts"
            if meeting.pk in work_with_account else ""
        )
        if not reason:
            moves[key] = account_id
            continue
        invitation = next(item for item in invitations if item.key == key)
        warn(
            f"{file}:{invitation.line}: \"{meeting.title}\" stays with "
            f"{names.get(meeting.account_id, meeting.account_id)} ({reason}), though its "
            f"attendees' e-mails now name {names.get(account_id, account_id)}; move it on its "
            "page if they are right"
        )
    return moves


def _attendees_on_transcripts(meetings: list[Meeting]) -> set[int]:
    """The attendees of ``meetings`` a transcript's speaker is matched or named to."""
    if not meetings:
        return set()
    matched = SpeakerFigures.objects.filter(
        transcript__meeting__in=meetings, attendee__isnull=False
    ).values_list("attendee_id", flat=True)
    named = SpeakerName.objects.filter(meeting__in=meetings).values_list(
        "attendee_id", flat=True
    )
    return {*matched, *named}


def _write_attendees(
    meeting: Meeting, invitation: Invitation, stored: list[Attendee], directory: Directory,
    file: str, problems: list[IcsProblem], *, keep: set[int],
) -> bool:
    """Add the people invited who are not on the meeting yet, update the role and response
    of those who are, and take off those the invitation no longer names; whether anything
    changed. Taken off are only people an import added (``from_invitation``: someone added
    by hand, an interpreter, stays), and never from a meeting that has started (who was
    there is history) nor anyone a transcript's speaker is (``keep``)."""
    changed = False
    named: set[int] = set()
    for person in invitation.people:
        user_id = directory.user_id(person.email) if person.email else None
        contact = directory.contact(person.email) if person.email else None
        contact_id = contact.id if contact else None
        match = next((
            attendee for attendee in stored
            if (user_id and attendee.user_id == user_id)
            or (contact_id and attendee.contact_id == contact_id)
            or (person.email and attendee.email.lower() == person.email)
            or (not person.email and person.name and attendee.name == person.name)
        ), None)
        if match is None:
            attendee = Attendee(
                meeting=meeting, user_id=user_id, contact_id=contact_id,
                name="" if user_id or contact_id else person.name[:200],
                email="" if user_id or contact_id else person.email,
                role=person.role, response=person.response, from_invitation=True,
            )
            if not _valid(attendee, invitation, file, problems):
                continue
            attendee.save()
            stored.append(attendee)
            named.add(attendee.pk)
            changed = True
            continue
        named.add(match.pk)
        updates = {}
        if match.role != AttendeeRole.INTERPRETER and match.role != person.role:
            updates["role"] = person.role
        if match.response != person.response:
            updates["response"] = person.response
        if updates:
            for name, value in updates.items():
                setattr(match, name, value)
            if _valid(match, invitation, file, problems):
                match.save(update_fields=list(updates))
                changed = True
    has_started = meeting.actual_start is not None or meeting.status == MeetingStatus.HELD
    uninvited = [
        attendee.pk for attendee in stored
        if attendee.from_invitation and attendee.pk not in named and attendee.pk not in keep
    ]
    if uninvited and not has_started:
        Attendee.objects.filter(pk__in=uninvited).delete()
        stored[:] = [attendee for attendee in stored if attendee.pk not in uninvited]
        changed = True
    return changed


def _valid(
    attendee: Attendee, invitation: Invitation, file: str, problems: list[IcsProblem]
) -> bool:
    from django.core.exceptions import ValidationError

    try:
        attendee.full_clean(exclude=["meeting"], validate_unique=False)
    except ValidationError as error:
        who = attendee.email or attendee.name
        for name, messages in error.message_dict.items():
            for message in messages:
                problems.append(IcsProblem(
                    file, invitation.line, f"attendee {who}: {name}: {message}"
                ))
        return False
    return True


def expanded_window(
    window_from: date | None, window_to: date | None, as_of: date
) -> tuple[date, date]:
    """The window recurring events are expanded in: the given ends, the defaults for the
    rest."""
    default_from, default_to = default_window(as_of)
    return window_from or default_from, window_to or default_to
