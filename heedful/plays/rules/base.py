"""What every rule shares: the ``Finding`` it reports, the ``Rule`` shape, and small helpers for
time windows, scoping and wording.

A rule is set-based: ``evaluate`` runs one query, or a few, over every account in scope and
never queries once per account.
"""

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
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
    priority_bumps: ClassVar[tuple[int, int]] = (0, 0)
    """The least and the most a finding adds to the ``priority`` threshold (e.g. a bigger
    spike, a nearer date), so the settings page can say which priorities the plays carry."""

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterable[Finding]:
        raise NotImplementedError

    def suppressed_account_ids(
        self, *, as_of: date, account_ids: Sequence[int] | None, thresholds: Thresholds
    ) -> set[int]:
        return set()

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


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


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
    return words.format_days(days)


def day(value: date | datetime) -> str:
    """A date in an explanation or title, as every page writes it: "28 Nov 2026"."""
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
