"""What every rule shares: the ``Finding`` it reports, the ``Rule`` shape, and small helpers for
time windows, scoping and wording.

A rule is set-based: ``evaluate`` runs one query, or a few, over every account in scope and
never queries once per account.
"""

import calendar
import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any, ClassVar

from django.db.models import Q, QuerySet
from django.utils import timezone

from heedful.accounts.models import AccountStatus
from heedful.interactions.models import InteractionKind
from heedful.lib import words
from heedful.lib.money import format_money
from heedful.plays.facts import Fact

Thresholds = dict[str, Any]

# Former customers get no plays; prospects and customers do.
ACCOUNT_STATUSES_WITH_PLAYS = (AccountStatus.PROSPECT, AccountStatus.CUSTOMER)

# A note is written for ourselves; every other kind of interaction reached the customer.
CUSTOMER_CONTACT_KINDS = (
    InteractionKind.EMAIL, InteractionKind.CALL, InteractionKind.MEETING,
    InteractionKind.VISIT, InteractionKind.CHAT,
)
FACE_TO_FACE_KINDS = (InteractionKind.MEETING, InteractionKind.VISIT)


@dataclass(slots=True)  # not frozen: a full scan builds half a million, and frozen is slower
class Finding:
    """One situation a rule found. ``subject`` is stable across scans ("invoice:INV-1");
    ``period`` tells one occurrence of it from the next (e.g. a contract's end date)."""

    account_id: int
    subject: str
    owner_id: int | None
    priority: int
    urgent: bool
    title: str
    explanation: str
    facts: dict[str, Any]
    suggested_action: str
    period: str = ""
    label: str = ""
    """How this finding reads as one part of a play that names several (rules with
    ``one_play_per_account``), e.g. "Rich by e-mail"; unused otherwise."""


class Rule:
    """Base of every rule: ``key``, ``defaults`` (editable per rule by an admin) and
    ``evaluate``. Rules that hold others back (health.business_change) say which in
    ``suppresses`` and answer ``suppressed_account_ids``. ``reads`` names the kinds of
    record (model names) the rule looks at besides the account and users, which every rule
    reads: a change to other kinds cannot change its findings (see ``rules_affected_by``)."""

    key: ClassVar[str]
    name: ClassVar[str]
    defaults: ClassVar[Thresholds]
    reads: ClassVar[frozenset[str]] = frozenset()
    suppresses: ClassVar[tuple[str, ...]] = ()
    declared_facts: ClassVar[dict[str, Fact]] = {}
    """How each fact the rule stores reads (label and kind), next to the code that stores it;
    see ``heedful.plays.facts``."""
    threshold_labels: ClassVar[dict[str, str]] = {}
    """What each threshold in ``defaults`` means, in words, for the settings page."""
    is_pitch: ClassVar[bool] = False
    """Offers the customer something more (a product, a briefing): held back while the
    account is hurting (bad news, an urgent play, a severity-1 or 2 ticket, an SLA miss)."""
    one_play_per_account: ClassVar[bool] = False
    """Finds parts (each cold contact, each family) that ``combine`` makes one play per
    account; a person who closes that play closes it for each part it named."""
    same_record_as: ClassVar[tuple[str, ...]] = ()
    """Rules whose findings about the same record (the same subject on the same account)
    this rule's play tells too, as one play (``merge``): a bill that spikes and deviates
    from its contract is one play."""
    priority_bumps: ClassVar[tuple[int, int]] = (0, 0)
    """The least and the most a finding adds to the ``priority`` threshold (e.g. a bigger
    spike, a nearer date), so the settings page can say which priorities the plays carry."""

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterable[Finding]:
        raise NotImplementedError

    def prepare(
        self, *, as_of: date, account_ids: Sequence[int] | None, thresholds: Thresholds
    ) -> None:
        """Called by the scan before any rule is evaluated, whether this rule is switched on
        or not: derive what the rule reads (the health score of the day)."""

    def suppressed_account_ids(
        self, *, as_of: date, account_ids: Sequence[int] | None, thresholds: Thresholds
    ) -> set[int]:
        return set()

    def hurting_account_ids(
        self, *, as_of: date, account_ids: Sequence[int] | None
    ) -> set[int]:
        """Accounts this rule's records say are hurting whether or not it raises a play about
        them (an open severity-1 ticket of any age): their pitches are held back."""
        return set()

    def holds_pitches(self, finding: Finding) -> bool:
        """Whether ``finding`` holds back the account's pitching plays while it is open: an
        urgent one does."""
        return finding.urgent

    def rank_for_owner(self, finding: Finding) -> tuple[Any, ...]:
        """Which findings of one owner come first when the ``plays_per_owner`` threshold keeps
        only some: the highest priority."""
        return (-finding.priority,)

    def combine(self, parts: list[Finding], thresholds: Thresholds) -> Finding:
        """One play of an account from its parts (``one_play_per_account`` rules), highest
        priority first; its ``period`` is ``parts_period`` of the parts it names."""
        raise NotImplementedError

    def merge(self, finding: Finding, other: Finding) -> Finding:
        """``finding`` telling what ``other`` (of a ``same_record_as`` rule, about the same
        record) tells too: both explanations, the facts of both (``finding``'s where both have
        one), the higher priority, urgent if either is."""
        facts = {**other.facts, **finding.facts}
        actions = [finding.suggested_action]
        if other.suggested_action and other.suggested_action != finding.suggested_action:
            actions.append(other.suggested_action)
        return Finding(
            account_id=finding.account_id, subject=finding.subject,
            owner_id=finding.owner_id if finding.owner_id is not None else other.owner_id,
            priority=max(finding.priority, other.priority),
            urgent=finding.urgent or other.urgent,
            title=finding.title,
            explanation=f"{finding.explanation} {other.explanation}",
            facts=facts, suggested_action=" ".join(actions),
            period=merged_period(finding, other),
        )

    def thresholds(self, overrides: Thresholds | None) -> Thresholds:
        """The defaults with an admin's overrides; unknown keys are ignored."""
        merged = dict(self.defaults)
        for name, value in (overrides or {}).items():
            if name in merged and isinstance(value, int | float) and not isinstance(value, bool):
                merged[name] = value
        return merged

    def threshold_label(self, name: str) -> str:
        if name in self.threshold_labels:
            return self.threshold_labels[name]
        return COMMON_THRESHOLD_LABELS.get(name, name.replace("_", " ").capitalize())

    def priority(self, thresholds: Thresholds, bump: int = 0) -> int:
        return clamp_priority(int(thresholds.get("priority", 50)) + bump)

    def bumps(self, thresholds: Thresholds) -> tuple[int, int]:
        """``priority_bumps``, for rules whose bumps depend on their thresholds to override."""
        return self.priority_bumps

    def priority_range(self, thresholds: Thresholds) -> tuple[int, int]:
        """The lowest and the highest priority this rule's plays carry with ``thresholds``
        (the effective ones)."""
        low, high = self.bumps(thresholds)
        return self.priority(thresholds, low), self.priority(thresholds, high)


COMMON_THRESHOLD_LABELS = {
    "priority": "Priority of its plays (0 to 100)",
}


def clamp_priority(value: int) -> int:
    return max(0, min(100, value))


def parts_period(parts: Sequence[Finding]) -> str:
    """The period of a play that names several parts: each part's subject and period, so
    that closing the play remembers each (``part_keys`` reads it back)."""
    return json.dumps(sorted([part.subject, part.period] for part in parts))


def merged_period(finding: Finding, other: Finding) -> str:
    """The period of one play telling two findings: the parts of both when either names
    parts (so closing it holds for each), else ``finding``'s."""
    if finding.period.startswith("[[") or other.period.startswith("[["):
        parts = {*part_keys(finding.subject, finding.period), *part_keys(other.subject,
                                                                          other.period)}
        return json.dumps(sorted([subject, period] for subject, period in parts))
    return finding.period


def listed(words: Sequence[str], last: str = "and") -> str:
    """["a", "b", "c"] → "a, b and c"."""
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} {words[-1]}"


def part_keys(subject: str, period: str) -> list[tuple[str, str]]:
    """(subject, period) of each part a play named; a play of one part (as every play was
    before plays named several) is that part."""
    if period.startswith("[["):
        try:
            return [(str(part_subject), str(part_period))
                    for part_subject, part_period in json.loads(period)]
        except (ValueError, TypeError):
            pass
    return [(subject, period)]


# -- scope ---------------------------------------------------------------------------------


def scoped(queryset: QuerySet, account_ids: Sequence[int] | None, via: str = "account") -> QuerySet:
    """Rows of accounts that can have plays, limited to ``account_ids`` when given."""
    return queryset.filter(account_filter(account_ids, via))


def account_filter(account_ids: Sequence[int] | None, via: str = "account") -> Q:
    prefix = f"{via}__" if via else ""
    condition = Q(**{f"{prefix}status__in": ACCOUNT_STATUSES_WITH_PLAYS})
    if account_ids is not None:
        condition &= Q(**{f"{prefix}id__in": list(account_ids)})
    return condition


# -- time ----------------------------------------------------------------------------------


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of(day: date) -> datetime:
    """Midnight after ``day``: use as an exclusive upper bound (``__lt``)."""
    return start_of(day + timedelta(days=1))


def add_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def local_date(moment: datetime, zone: tzinfo | None = None) -> date:
    """``moment``'s day in ``zone``, by default the current time zone (looking it up costs a
    few microseconds: a rule that reads a day per row looks it up once and passes it)."""
    return timezone.localtime(moment, zone).date()


# -- wording -------------------------------------------------------------------------------


def money(amount: Decimal | None, currency: str) -> str:
    return format_money(amount, currency)


def number(value: Decimal | int | float) -> str:
    """1450.00 → "1,450"; 82.5 → "82.5"."""
    return words.format_number(value)


def decimal_fact(value: Decimal | None) -> str | None:
    """Amounts in facts are strings so JSON keeps every digit."""
    return None if value is None else str(value)


def days_phrase(days: int) -> str:
    return _days_phrase(days, words.locale())


def day(value: date | datetime) -> str:
    """A date in an explanation or title, as every page writes it: "28 Nov 2026"."""
    if type(value) is date:  # a moment's day depends on the time zone: not remembered
        return _day(value, words.locale())
    return words.format_day(value)


# A full scan words a few hundred thousand findings with a few thousand distinct day counts
# and dates; babel parses the locale again for each (27 s of a profiled 81 s scan). The
# locale is an argument only to be part of the key: a changed HEEDFUL_LOCALE words afresh.
@functools.lru_cache(maxsize=4096)
def _days_phrase(days: int, locale: str) -> str:
    return words.format_days(days)


@functools.lru_cache(maxsize=4096)
def _day(value: date, locale: str) -> str:
    return words.format_day(value)


def month_words(period: date | str) -> str:
    """"2026-11" or a date → "Nov 2026"."""
    return words.format_month(period)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def display_name(full_name: str | None, username: str | None) -> str:
    return (full_name or "").strip() or (username or "someone")


def tag_filter(tag: str, field_name: str = "tags") -> Q:
    """Interactions carrying ``tag`` (tags are stored ";a;b;" in lower case)."""
    return Q(**{f"{field_name}__contains": f";{tag.strip().lower()};"})
