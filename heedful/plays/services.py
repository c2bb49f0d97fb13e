"""Plays: what a person does with one (done, snooze, dismiss, reopen), the queries pages and
commands need, and the admin-editable thresholds of the rules.

Permission is the caller's job: pass only plays of accounts the user may see
(``heedful.accounts.visibility.visible_accounts``); ``get_all(user=...)`` does that for lists.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from heedful.accounts.visibility import report_ids, visible_accounts
from heedful.core.exceptions import InvalidInput, NotFound, StaleVersion
from heedful.core.models import Role, User
from heedful.core.versions import version_of_values
from heedful.lib import clock, words
from heedful.lib.text import fold
from heedful.plays import changes as play_changes
from heedful.plays.models import (
    ACTIVE_PLAY_STATUSES,
    ClosedReason,
    Play,
    PlayAction,
    PlayEvent,
    PlayStatus,
    RuleSetting,
)

# -- rule settings -------------------------------------------------------------------------
#
# A rule's thresholds have one source: the defaults declared on the rule in code, under what an
# admin overrode. The database holds only the overrides (``RuleSetting``: a rule switched off,
# thresholds that differ from the code's), so a default changed in code takes effect wherever
# no admin overrode it. The engine, the settings page and the Account 360 highlights all read
# the effective values here.


def get_rule_settings() -> dict[str, tuple[bool, dict[str, Any]]]:
    """Each rule's effective ``(enabled, thresholds)``: the code's defaults under the admin's
    overrides. Reads one table; writes nothing."""
    from heedful.plays.rules import ALL_RULES

    stored = {setting.rule: setting for setting in RuleSetting.objects.all()}
    answer = {}
    for rule in ALL_RULES:
        setting = stored.get(rule.key)
        if setting is None:
            answer[rule.key] = (True, rule.thresholds(None))
        else:
            answer[rule.key] = (setting.enabled, rule.thresholds(setting.thresholds))
    return answer


def rule_setting_version(enabled: bool, thresholds: dict[str, Any]) -> str:
    """The version of a rule's effective setting, as the settings page carries it: equal for
    equal values, so that a save made from a page opened before another admin's change is
    refused (``update_rule_setting(expected_version=...)``)."""
    return version_of_values({"enabled": enabled, "thresholds": thresholds})


def overrides_only(rule_key: str, thresholds: dict[str, Any]) -> dict[str, Any]:
    """The thresholds that differ from the code's defaults: a value equal to its default is
    no override, and follows the default from then on."""
    from heedful.plays.rules import RULES_BY_KEY

    defaults = RULES_BY_KEY[rule_key].defaults
    return {
        name: value for name, value in thresholds.items()
        if name not in defaults or value != defaults[name]
    }


def update_rule_setting(
    *, rule: str, enabled: bool | None = None, thresholds: dict[str, Any] | None = None,
    user: User | None = None, expected_version: str | None = None,
) -> RuleSetting | None:
    """Change one rule's switch or thresholds (merged onto the admin's earlier overrides);
    validated. Only what differs from the code's defaults is stored; the rule's row is
    deleted when nothing does (the answer is then None). With ``user``, the change is written
    to the audit log (who, and the effective values before and after) in the same
    transaction. With ``expected_version`` (``rule_setting_version`` of what the caller
    showed), StaleVersion and nothing written when the setting changed since."""
    from heedful.core import audit
    from heedful.plays.rules import RULES_BY_KEY

    if rule not in RULES_BY_KEY:
        raise InvalidInput(f"{rule!r} is not a rule key.", {"rule": ["unknown rule"]})
    with transaction.atomic():
        setting = RuleSetting.objects.select_for_update().filter(rule=rule).first()
        if setting is None:
            setting = RuleSetting(rule=rule, thresholds={})
        code = RULES_BY_KEY[rule]
        # The audit log says what the rule used before and after (effective values).
        in_force = code.thresholds(setting.thresholds)
        before = {"enabled": setting.enabled, "thresholds": in_force}
        current = rule_setting_version(setting.enabled, in_force)
        if expected_version is not None and expected_version != current:
            raise StaleVersion(
                f"Another admin changed “{code.name}” since you opened this page; nothing was "
                "saved. The form now shows the values in force: re-apply your change.",
                current_version=current,
            )
        if enabled is not None:
            setting.enabled = enabled
        if thresholds:
            setting.thresholds = {**setting.thresholds, **thresholds}
        try:
            setting.full_clean()
        except ValidationError as error:
            raise InvalidInput("Invalid rule setting.", error.message_dict) from None
        setting.thresholds = overrides_only(rule, setting.thresholds)
        after = {"enabled": setting.enabled, "thresholds": code.thresholds(setting.thresholds)}
        overridden = not setting.enabled or bool(setting.thresholds)
        if not overridden:
            if setting.pk is not None:
                setting.delete()
            answer = None
        else:
            setting.save()
            answer = setting
        if user is not None and after != before:
            audit.record(
                user=user, action="rulesetting.update", subject=f"rule setting {rule}",
                detail={"before": before, "after": after},
            )
    return answer


# -- queries -------------------------------------------------------------------------------


def get_all(
    *, user: User | None = None, statuses: Iterable[str] = (PlayStatus.OPEN,),
    account_ids: Sequence[int] | None = None, rules: Iterable[str] | None = None,
) -> QuerySet[Play]:
    """Plays by priority, highest first; only accounts ``user`` may see when given."""
    plays = Play.objects.filter(status__in=list(statuses)).select_related("account", "owner")
    if user is not None:
        plays = plays.filter(account__in=visible_accounts(user))
    if account_ids is not None:
        plays = plays.filter(account_id__in=list(account_ids))
    if rules is not None:
        plays = plays.filter(rule__in=list(rules))
    return plays.order_by("-priority", "-urgent", "created_at", "id")


def as_contract(play: Play) -> dict[str, Any]:
    """A play as CONTRACTS.md describes it for ``heedful scan --json`` and the API."""
    return {
        "rule": play.rule,
        "account_external_id": play.account.external_id,
        "account_name": play.account.name,
        "owner": play.owner.username if play.owner else None,
        "priority": play.priority,
        "urgent": play.urgent,
        "title": play.title,
        "explanation": play.explanation,
        "facts": play.facts,
        "suggested_action": play.suggested_action,
        "status": play.status,
        "created_at": play.created_at.isoformat(),
    }


# -- what a person does with a play --------------------------------------------------------


def _locked(play: Play) -> Play:
    return Play.objects.select_for_update().get(pk=play.pk)


def _require_active(play: Play, verb: str) -> None:
    if play.status not in ACTIVE_PLAY_STATUSES:
        raise InvalidInput(
            f"This play is already {play.status}; only an open or snoozed play can be {verb}.",
            {"status": [f"is {play.status}"]},
        )


def _required_text(value: str, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"Say {label}.", {field: ["This field is required."]})
    return text


@dataclass(frozen=True)
class _Closing:
    """One way a person closes a play for good: done (saying what happened) or dismissed
    (saying why). It does not come back for the same subject and period either way."""

    status: PlayStatus
    closed_reason: ClosedReason
    action: PlayAction
    text_field: str
    """The play's field that keeps what the person said."""
    input_name: str
    """The input that carries it: the key of its error and of the event's detail."""
    asked_for: str
    """What the person is asked to say when they said nothing."""
    verb: str
    """How the refusal of a play already closed names the action."""


_CLOSINGS = {
    PlayStatus.DONE: _Closing(
        status=PlayStatus.DONE, closed_reason=ClosedReason.MARKED_DONE, action=PlayAction.DONE,
        text_field="outcome", input_name="outcome", asked_for="what happened",
        verb="marked done",
    ),
    PlayStatus.DISMISSED: _Closing(
        status=PlayStatus.DISMISSED, closed_reason=ClosedReason.DISMISSED,
        action=PlayAction.DISMISSED, text_field="dismiss_reason", input_name="reason",
        asked_for="why it is dismissed", verb="dismissed",
    ),
}


def close(*, play: Play, user: User | None, status: PlayStatus, text: str) -> Play:
    """Close the play as ``status`` (done or dismissed) with the person's ``text`` (what
    happened, or why it is not worth doing)."""
    closing = _CLOSINGS[status]
    text = _required_text(text, closing.input_name, closing.asked_for)
    with transaction.atomic():
        locked = _locked(play)
        _require_active(locked, closing.verb)
        now = timezone.now()
        previous = locked.status
        locked.status = closing.status
        setattr(locked, closing.text_field, text)
        locked.snoozed_until = None
        locked.closed_at = now
        locked.closed_reason = closing.closed_reason
        locked.updated_at = now
        locked.save(update_fields=[
            "status", closing.text_field, "snoozed_until", "closed_at", "closed_reason",
            "updated_at",
        ])
        PlayEvent.objects.create(
            play=locked, at=now, user=user, action=closing.action,
            detail={closing.input_name: text, "previous_status": previous},
        )
        play_changes.tell(closed=[locked.pk])
    play.refresh_from_db()
    return play


def mark_done(*, play: Play, user: User | None, outcome: str) -> Play:
    """Close the play as handled, with what happened."""
    return close(play=play, user=user, status=PlayStatus.DONE, text=outcome)


def dismiss(*, play: Play, user: User | None, reason: str) -> Play:
    """Close the play as not worth doing, with why."""
    return close(play=play, user=user, status=PlayStatus.DISMISSED, text=reason)


def snooze(*, play: Play, user: User | None, until: date, today: date | None = None) -> Play:
    """Hide the play until ``until``; the scan on or after that date opens it again (if its
    condition still holds)."""
    today = today or timezone.localdate()
    if until <= today:
        raise InvalidInput(
            f"Snooze until a later day than {words.format_day(today)}.",
            {"until": ["must be later"]},
        )
    with transaction.atomic():
        locked = _locked(play)
        _require_active(locked, "snoozed")
        now = timezone.now()
        locked.status = PlayStatus.SNOOZED
        locked.snoozed_until = until
        locked.updated_at = now
        locked.save(update_fields=["status", "snoozed_until", "updated_at"])
        PlayEvent.objects.create(
            play=locked, at=now, user=user, action=PlayAction.SNOOZED,
            detail={"until": until.isoformat()},
        )
        play_changes.tell(changed=[locked.pk])
    play.refresh_from_db()
    return play


def reopen(*, play: Play, user: User | None) -> Play:
    """Open a snoozed, done or dismissed play again (a wrong click, or news)."""
    with transaction.atomic():
        locked = _locked(play)
        if locked.status == PlayStatus.OPEN:
            raise InvalidInput("This play is already open.", {"status": ["is open"]})
        now = timezone.now()
        previous = locked.status
        locked.status = PlayStatus.OPEN
        locked.snoozed_until = None
        locked.closed_at = None
        locked.closed_reason = ""
        locked.updated_at = now
        try:
            with transaction.atomic():
                locked.save(update_fields=[
                    "status", "snoozed_until", "closed_at", "closed_reason", "updated_at",
                ])
        except IntegrityError:
            raise InvalidInput(
                "A newer play for the same subject is already open.", {"status": ["duplicate"]}
            ) from None
        PlayEvent.objects.create(
            play=locked, at=now, user=user, action=PlayAction.REOPENED,
            detail={"previous_status": previous},
        )
        play_changes.tell(changed=[locked.pk])
    play.refresh_from_db()
    return play


# -- the attention queue, one play, the team view ------------------------------------------

QUEUE_ORDER = ("-urgent", "-priority", "created_at", "id")
"""The queue's own order: urgent first, then the highest priority, then the oldest."""

QUEUE_SORTS: dict[str, tuple[str, ...]] = {
    "priority": ("priority", "-urgent", "created_at"),
    "account": ("account__name_folded", "-urgent", "-priority"),
    "rule": ("rule", "-urgent", "-priority"),
    "age": ("-created_at",),
}
"""The sorts a person may choose, ascending; a leading ``-`` on the key reverses the first
column (``-priority``: highest first; ``-age``: oldest first)."""


def queue_sort(sort: str) -> str:
    """``sort`` if it names a sort of ``QUEUE_SORTS`` (with or without ``-``), else ``""``
    (the queue's own order)."""
    return sort if sort.removeprefix("-") in QUEUE_SORTS else ""


def get_queue(
    *, user: User, owner_id: int | None = None, rule: str = "", account_text: str = "",
    sort: str = "",
) -> QuerySet[Play]:
    """The open plays on accounts ``user`` may see: of ``owner_id`` when given (everyone's
    otherwise), of one ``rule``, on accounts whose name or id contains ``account_text``;
    sorted by a key of ``QUEUE_SORTS`` or, by default, by ``QUEUE_ORDER``."""
    plays = get_all(user=user)
    if owner_id is not None:
        plays = plays.filter(owner_id=owner_id)
    if rule:
        plays = plays.filter(rule=rule)
    text = account_text.strip()
    if text:
        plays = plays.filter(
            Q(account__name_folded__contains=fold(text)) | Q(account__external_id__icontains=text)
        )
    sort = queue_sort(sort)
    if not sort:
        return plays.order_by(*QUEUE_ORDER)
    first, *rest = QUEUE_SORTS[sort.removeprefix("-")]
    if sort.startswith("-"):
        first = first.removeprefix("-") if first.startswith("-") else f"-{first}"
    return plays.order_by(first, *rest, "id")


LOW_PRIORITY_BELOW = 45
"""Plays under this priority (and not urgent) are shown grouped by rule in the queue's own
order, not one by one: a rep clears the few that matter first."""


@dataclass(frozen=True)
class PlayGroup:
    rule: str
    count: int


def split_low_priority(plays: QuerySet[Play]) -> tuple[QuerySet[Play], list[PlayGroup]]:
    """``plays`` less the low-priority ones, and those grouped by rule (the most first)."""
    low = Q(urgent=False, priority__lt=LOW_PRIORITY_BELOW)
    groups = [
        PlayGroup(rule=row["rule"], count=row["count"])
        for row in plays.filter(low).order_by().values("rule").annotate(count=Count("id"))
    ]
    groups.sort(key=lambda group: (-group.count, group.rule))
    return plays.exclude(low), groups


def get_or_raise(*, user: User, id: int) -> Play:  # noqa: A002
    """The play ``id`` in any status if ``user`` may see its account; NotFound otherwise."""
    try:
        return get_all(user=user, statuses=PlayStatus.values).get(pk=id)
    except Play.DoesNotExist:
        raise NotFound(f"No play {id} that you can see.") from None


def get_for_account(*, account_id: int) -> list[Play]:
    """The open plays of one account (whose visibility the caller checked), in queue order."""
    return list(get_all(account_ids=[account_id]).order_by(*QUEUE_ORDER))


TEAM_WINDOW_DAYS = 30

URGENT_DUE_DAYS = 1
"""An urgent play is overdue once it has waited this many days (it notified its owner at once)."""
DUE_DAYS = 7
"""Any other play is overdue once it has waited this many days: a week, the default snooze."""


def overdue_filter(now: datetime) -> Q:
    """Open plays that waited longer than they should: urgent ones ``URGENT_DUE_DAYS``, others
    ``DUE_DAYS``, counted from when the play was raised."""
    return (
        Q(urgent=True, created_at__lt=now - timedelta(days=URGENT_DUE_DAYS))
        | Q(urgent=False, created_at__lt=now - timedelta(days=DUE_DAYS))
    )


def is_overdue(play: Play, now: datetime | None = None) -> bool:
    """The same rule as ``overdue_filter``, for one play already in hand."""
    waited = (now or clock.now()) - play.created_at
    return waited > timedelta(days=URGENT_DUE_DAYS if play.urgent else DUE_DAYS)


@dataclass(frozen=True)
class TeamRow:
    person: User
    open_count: int
    overdue_count: int
    urgent_count: int
    oldest_open_days: int | None
    """Days since the oldest open play was raised; None without open plays."""
    done_count: int
    dismissed_count: int
    closed_count: int
    """Plays closed in the window by any means: done, dismissed or closed by themselves."""

    @property
    def done_rate(self) -> float | None:
        return self.done_count / self.closed_count if self.closed_count else None

    @property
    def dismissed_rate(self) -> float | None:
        return self.dismissed_count / self.closed_count if self.closed_count else None


@dataclass(frozen=True)
class TeamTotals:
    """The sums of the team view's rows (every person, not one page); the oldest of all."""

    people: int
    open_count: int
    overdue_count: int
    urgent_count: int
    oldest_open_days: int | None
    done_count: int
    dismissed_count: int

    @classmethod
    def of(cls, rows: Sequence[TeamRow]) -> "TeamTotals":
        ages = [row.oldest_open_days for row in rows if row.oldest_open_days is not None]
        return cls(
            people=len(rows),
            open_count=sum(row.open_count for row in rows),
            overdue_count=sum(row.overdue_count for row in rows),
            urgent_count=sum(row.urgent_count for row in rows),
            oldest_open_days=max(ages) if ages else None,
            done_count=sum(row.done_count for row in rows),
            dismissed_count=sum(row.dismissed_count for row in rows),
        )


CLOSING_ACTIONS = (PlayAction.DONE, PlayAction.DISMISSED, PlayAction.AUTO_CLOSED)


def can_see_team(user: User) -> bool:
    return user.is_active and (user.sees_every_account or user.role == Role.MANAGER)


def get_team(*, user: User, now: datetime | None = None, sort: str = "name") -> list[TeamRow]:
    """For a manager, everyone who reports to them (transitively); for an executive or admin,
    every active rep and manager and anyone who owns a play. Per person: their open plays on
    accounts ``user`` may see, the overdue and urgent ones, the age of the oldest, and how
    many plays they marked done or dismissed in the last ``TEAM_WINDOW_DAYS`` days (from the
    play events). Three queries whatever the size of the team: the people, their open plays
    grouped by owner, and the closing events grouped by owner. Sorted by ``sort``
    (``TEAM_SORTS``, "-" for the other way)."""
    now = now or clock.now()
    since = now - timedelta(days=TEAM_WINDOW_DAYS)
    people = User.objects.filter(is_active=True)
    plays = Play.objects.filter(status=PlayStatus.OPEN, owner__isnull=False)
    events = PlayEvent.objects.filter(
        at__gte=since, at__lte=now, action__in=CLOSING_ACTIONS, play__owner__isnull=False
    )
    if user.sees_every_account:
        people = people.exclude(pk=user.pk).filter(
            Q(role__in=[Role.REP, Role.MANAGER]) | Exists(Play.objects.filter(owner=OuterRef("pk")))
        )
    else:
        reports = sorted(report_ids(user) - {user.pk})
        people = people.filter(pk__in=reports)
        visible = visible_accounts(user).values("pk")
        plays = plays.filter(owner_id__in=reports, account__in=visible)
        events = events.filter(play__owner_id__in=reports, play__account__in=visible)
    open_by_owner = {
        row["owner_id"]: row
        for row in plays.order_by().values("owner_id").annotate(
            open_count=Count("id"),
            overdue_count=Count("id", filter=overdue_filter(now)),
            urgent_count=Count("id", filter=Q(urgent=True)),
            oldest_open_at=Min("created_at"),
        )
    }
    closed_by_owner = {
        row["play__owner_id"]: row
        for row in events.order_by().values("play__owner_id").annotate(
            done_count=Count("play", distinct=True, filter=Q(action=PlayAction.DONE)),
            dismissed_count=Count("play", distinct=True, filter=Q(action=PlayAction.DISMISSED)),
            closed_count=Count("play", distinct=True),
        )
    }
    rows = []
    for person in people.order_by("full_name", "username"):
        opened = open_by_owner.get(person.pk, {})
        closing = closed_by_owner.get(person.pk, {})
        oldest = opened.get("oldest_open_at")
        rows.append(TeamRow(
            person=person,
            open_count=opened.get("open_count", 0),
            overdue_count=opened.get("overdue_count", 0),
            urgent_count=opened.get("urgent_count", 0),
            oldest_open_days=(now - oldest).days if oldest else None,
            done_count=closing.get("done_count", 0),
            dismissed_count=closing.get("dismissed_count", 0),
            closed_count=closing.get("closed_count", 0),
        ))
    value = TEAM_SORTS.get(sort.removeprefix("-"), TEAM_SORTS["name"])
    # Rows come in name order and the sort is stable: ties keep it; blanks go last either way.
    shown = [row for row in rows if value(row) is not None]
    shown.sort(key=value, reverse=sort.startswith("-"))
    return shown + [row for row in rows if value(row) is None]


TEAM_SORTS: dict[str, Callable[[TeamRow], Any]] = {
    "name": lambda row: (row.person.full_name or row.person.username).casefold(),
    "open": lambda row: row.open_count,
    "overdue": lambda row: row.overdue_count,
    "urgent": lambda row: row.urgent_count,
    "oldest": lambda row: row.oldest_open_days,
    "done": lambda row: row.done_count,
    "dismissed": lambda row: row.dismissed_count,
}
"""The team view's columns that sort, each by what it shows."""

