"""The components of the account health score, declared once: what each measures (one
set-based query over every account in scope, never one per account), how its numbers become a
share of its weight (0 to 1), how they read in words, and its default weight.

A component measures ``numbers`` per account (plain JSON: counts, days, ISO dates), stored with
the score so that the explanation of a past score reads what was measured then. ``share`` of
None means "not measured" (no SLA metric in the window, no sentiment set or a stale one): its
weight goes to the components that were, so the points still add up to the score.

Apps above this one add components of their own with ``register`` (the attention engine adds
open urgent plays: this app cannot read plays, which read the score).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from heedful.accounts.models import AccountStatus, Contact, NewsItem, Sentiment
from heedful.billing.models import Dispute, DisputeStatus
from heedful.health.models import OwnerSentiment, OwnerSentimentEntry
from heedful.interactions.models import TWO_WAY_CONVERSATION, Interaction
from heedful.lib import words
from heedful.support.models import OPEN_TICKET_STATUSES, ScopeRecord, ServiceMetric, Ticket

Numbers = dict[str, Any]
Measure = Callable[[date, Sequence[int] | None], dict[int, Numbers]]

# Accounts with a health score: customers (a prospect has no service to be healthy with; a
# former customer is gone).
SCORED_STATUSES = (AccountStatus.CUSTOMER,)

SLA_MONTHS = 3
SCOPE_MONTHS = 3
SCOPE_OVERRUN_AT_ZERO = 50  # percent over the contracted volume that leaves no points
CONTACT_DAYS_FULL = 30  # a two-way conversation within this many days: every point
CONTACT_DAYS_ZERO = 120  # none for this long: no point
KEY_CONTACT_DAYS = 90
NEWS_DAYS = 90
STALE_SETTING = "sentiment_stale_days"


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    default_weight: int
    measure: Measure
    share: Callable[[Numbers, Mapping[str, int]], float | None]
    """0 (no point) to 1 (every point of its weight), or None when not measured; the second
    argument is the score's settings in force (``STALE_SETTING``)."""
    words: Callable[[Numbers], str]
    """The numbers as a sentence a person reads next to the points."""


# -- shared helpers ------------------------------------------------------------------------


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of(day: date) -> datetime:
    """Midnight after ``day``: an exclusive upper bound."""
    return start_of(day + timedelta(days=1))


def scoped(queryset: QuerySet, account_ids: Sequence[int] | None, via: str = "account") -> QuerySet:
    """Rows of ``account_ids`` when given, else of every account: which accounts are scored
    (customers) is decided once by ``compute_scores``, since joining the accounts table to
    every ticket and interaction to ask their status cost seconds at 100,000 accounts."""
    if account_ids is None:
        return queryset
    return queryset.filter(**{f"{via}_id__in": list(account_ids)})


def month_key(day: date, months_back: int = 0) -> str:
    index = day.year * 12 + day.month - 1 - months_back
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _fraction_left(count: float, count_at_zero: float) -> float:
    """1 with none, falling in a straight line to 0 at ``count_at_zero`` and beyond."""
    return max(0.0, 1.0 - count / count_at_zero)


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{words.format_number(count)} {singular if count == 1 else plural or singular + 's'}"


# -- SLA -----------------------------------------------------------------------------------


def measure_sla(as_of: date, account_ids: Sequence[int] | None) -> dict[int, Numbers]:
    """Metric-months met out of those recorded in the last ``SLA_MONTHS`` months up to the
    month of ``as_of``."""
    rows = (
        scoped(ServiceMetric.objects.all(), account_ids)
        .filter(period__gte=month_key(as_of, SLA_MONTHS - 1), period__lte=month_key(as_of))
        .values("account_id")
        .annotate(
            measured=Count("pk"),
            met=Count("pk", filter=(
                Q(higher_is_better=True, actual__gte=F("target"))
                | Q(higher_is_better=False, actual__lte=F("target"))
            )),
        )
        .order_by()
    )
    return {
        row["account_id"]: {"met": row["met"], "measured": row["measured"], "months": SLA_MONTHS}
        for row in rows
    }


def sla_share(numbers: Numbers, settings: Mapping[str, int]) -> float | None:
    if not numbers.get("measured"):
        return None
    return numbers["met"] / numbers["measured"]


def sla_words(numbers: Numbers) -> str:
    if not numbers.get("measured"):
        return f"No SLA metric recorded in the last {numbers.get('months', SLA_MONTHS)} months."
    return (
        f"{words.format_number(numbers['met'])} of {_plural(numbers['measured'], 'metric-month')}"
        f" met their target in the last {numbers['months']} months."
    )


# -- scope ---------------------------------------------------------------------------------


def measure_scope(as_of: date, account_ids: Sequence[int] | None) -> dict[int, Numbers]:
    """The function furthest over its contracted volume in the last ``SCOPE_MONTHS`` months
    (delivered and contracted summed over those months)."""
    rows = (
        scoped(ScopeRecord.objects.all(), account_ids)
        .filter(period__gte=month_key(as_of, SCOPE_MONTHS - 1), period__lte=month_key(as_of))
        .values("account_id", "function")
        .annotate(contracted=Sum("contracted_quantity"), delivered=Sum("delivered_quantity"))
        # In order, so that of functions equally far over (often all at 0%) the same one is
        # named on every database and every run (PostgreSQL hands groups out in any order).
        .order_by("account_id", "function")
    )
    worst: dict[int, Numbers] = {}
    for row in rows:
        contracted = Decimal(row["contracted"] or 0)
        delivered = Decimal(row["delivered"] or 0)
        if contracted > 0:
            overrun = max(Decimal(0), (delivered - contracted) / contracted * 100)
        else:
            overrun = Decimal(100) if delivered > 0 else Decimal(0)
        numbers = {
            "function": row["function"], "contracted": str(contracted.normalize()),
            "delivered": str(delivered.normalize()),
            "overrun_percent": float(round(overrun, 1)), "months": SCOPE_MONTHS,
        }
        kept = worst.get(row["account_id"])
        if kept is None or numbers["overrun_percent"] > kept["overrun_percent"]:
            worst[row["account_id"]] = numbers
    return worst


def scope_share(numbers: Numbers, settings: Mapping[str, int]) -> float | None:
    if "overrun_percent" not in numbers:
        return None
    return _fraction_left(numbers["overrun_percent"], SCOPE_OVERRUN_AT_ZERO)


def scope_words(numbers: Numbers) -> str:
    if "overrun_percent" not in numbers:
        return f"No contracted scope recorded in the last {SCOPE_MONTHS} months."
    if numbers["overrun_percent"] <= 0:
        return (f"Every function within its contracted volume over the last "
                f"{numbers['months']} months.")
    return (
        f"{numbers['function']}: {words.format_number(numbers['delivered'])} delivered against "
        f"{words.format_number(numbers['contracted'])} contracted over the last "
        f"{numbers['months']} months, {words.format_number(numbers['overrun_percent'])}% over "
        f"(no point at {SCOPE_OVERRUN_AT_ZERO}% over)."
    )


# -- severe tickets ------------------------------------------------------------------------


def measure_severe_tickets(as_of: date, account_ids: Sequence[int] | None) -> dict[int, Numbers]:
    """Tickets of severity 1 and 2 open at the end of ``as_of``."""
    end = end_of(as_of)
    rows = (
        scoped(Ticket.objects.all(), account_ids)
        .filter(severity__lte=2, opened_at__lt=end)
        .filter(Q(resolved_at__gte=end) | Q(resolved_at__isnull=True,
                                            status__in=OPEN_TICKET_STATUSES))
        .values("account_id")
        .annotate(
            severity_1=Count("pk", filter=Q(severity=1)),
            severity_2=Count("pk", filter=Q(severity=2)),
        )
        .order_by()
    )
    return {
        row["account_id"]: {"severity_1": row["severity_1"], "severity_2": row["severity_2"]}
        for row in rows
    }


def severe_tickets_share(numbers: Numbers, settings: Mapping[str, int]) -> float:
    # A severity-1 ticket weighs twice a severity-2 one: one severity-1 leaves no point.
    return _fraction_left(2 * numbers.get("severity_1", 0) + numbers.get("severity_2", 0), 2)


def severe_tickets_words(numbers: Numbers) -> str:
    first, second = numbers.get("severity_1", 0), numbers.get("severity_2", 0)
    if not first and not second:
        return "No severity-1 or 2 ticket open."
    return (f"{words.format_number(first)} severity-1 and {words.format_number(second)} "
            "severity-2 tickets open (no point with one severity-1 or two severity-2).")


# -- billing disputes ----------------------------------------------------------------------


def measure_disputes(as_of: date, account_ids: Sequence[int] | None) -> dict[int, Numbers]:
    """Billing disputes open at the end of ``as_of``."""
    rows = (
        scoped(Dispute.objects.all(), account_ids, via="invoice__account")
        .filter(opened_on__lte=as_of)
        .filter(Q(resolved_on__gt=as_of)
                | Q(resolved_on__isnull=True, status=DisputeStatus.OPEN))
        .values("invoice__account_id")
        .annotate(open=Count("pk"))
        .order_by()
    )
    return {row["invoice__account_id"]: {"open": row["open"]} for row in rows}


def disputes_share(numbers: Numbers, settings: Mapping[str, int]) -> float:
    return _fraction_left(numbers.get("open", 0), 2)


def disputes_words(numbers: Numbers) -> str:
    count = numbers.get("open", 0)
    if not count:
        return "No billing dispute open."
    return f"{_plural(count, 'billing dispute')} open (no point at two)."


# -- two-way contact recency ---------------------------------------------------------------


def measure_contact_recency(as_of: date, account_ids: Sequence[int] | None) -> dict[int, Numbers]:
    """Days since the last two-way conversation with anyone at the account: the timeline index
    read in account order (a lower bound on the date made SQLite pick the index by user and
    read every row's table page: 20 times the time at 100,000 accounts)."""
    rows = (
        scoped(Interaction.objects.all(), account_ids)
        .filter(TWO_WAY_CONVERSATION, occurred_at__lt=end_of(as_of))
        .values("account_id")
        .annotate(last=Max("occurred_at"))
        .order_by()
    )
    zone = timezone.get_current_timezone()
    answer = {}
    for row in rows:
        last_on = timezone.localtime(row["last"], zone).date()
        answer[row["account_id"]] = {"last_on": last_on.isoformat(), "days": (as_of - last_on).days}
    return answer


def contact_recency_share(numbers: Numbers, settings: Mapping[str, int]) -> float:
    days = numbers.get("days")
    if days is None:
        return 0.0
    if days <= CONTACT_DAYS_FULL:
        return 1.0
    return _fraction_left(days - CONTACT_DAYS_FULL, CONTACT_DAYS_ZERO - CONTACT_DAYS_FULL)


def contact_recency_words(numbers: Numbers) -> str:
    if numbers.get("days") is None:
        return "No two-way conversation on record."
    return (
        f"Last two-way conversation on {words.format_day(numbers['last_on'])}, "
        f"{words.format_days(numbers['days'])} ago (every point within {CONTACT_DAYS_FULL} days, "
        f"none after {CONTACT_DAYS_ZERO})."
    )


# -- key-contact coverage ------------------------------------------------------------------


def measure_key_contacts(as_of: date, account_ids: Sequence[int] | None) -> dict[int, Numbers]:
    """Key contacts, and how many of them we had a two-way conversation with in the last
    ``KEY_CONTACT_DAYS`` days: one query, asked per key contact as the gone-cold rule asks
    (through the conversation's contacts to the timeline index)."""
    spoken = Interaction.objects.filter(
        TWO_WAY_CONVERSATION, contacts=OuterRef("pk"),
        occurred_at__gte=start_of(as_of - timedelta(days=KEY_CONTACT_DAYS)),
        occurred_at__lt=end_of(as_of),
    )
    rows = (
        scoped(Contact.objects.filter(is_key=True), account_ids)
        .annotate(spoken=Exists(spoken))
        .values("account_id")
        .annotate(key=Count("pk"), reached=Count("pk", filter=Q(spoken=True)))
        .order_by()
    )
    return {
        row["account_id"]: {"key": row["key"], "reached": row["reached"], "days": KEY_CONTACT_DAYS}
        for row in rows
    }


def key_contacts_share(numbers: Numbers, settings: Mapping[str, int]) -> float:
    if not numbers.get("key"):
        return 0.0
    return numbers["reached"] / numbers["key"]


def key_contacts_words(numbers: Numbers) -> str:
    if not numbers.get("key"):
        return "No key contact named."
    return (
        f"{words.format_number(numbers['reached'])} of {_plural(numbers['key'], 'key contact')}"
        f" spoken with in the last {numbers['days']} days."
    )


# -- business news -------------------------------------------------------------------------


def measure_news(as_of: date, account_ids: Sequence[int] | None) -> dict[int, Numbers]:
    rows = (
        scoped(NewsItem.objects.all(), account_ids)
        .filter(occurred_on__gt=as_of - timedelta(days=NEWS_DAYS), occurred_on__lte=as_of)
        .values("account_id")
        .annotate(
            negative=Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE)),
            positive=Count("pk", filter=Q(sentiment=Sentiment.POSITIVE)),
            latest_negative=Max("occurred_on", filter=Q(sentiment=Sentiment.NEGATIVE)),
        )
        .order_by()
    )
    return {
        row["account_id"]: {
            "negative": row["negative"], "positive": row["positive"], "days": NEWS_DAYS,
            "latest_negative_on": (
                row["latest_negative"].isoformat() if row["latest_negative"] else None
            ),
        }
        for row in rows
    }


def news_share(numbers: Numbers, settings: Mapping[str, int]) -> float:
    return 0.0 if numbers.get("negative") else 1.0


def news_words(numbers: Numbers) -> str:
    negative, positive = numbers.get("negative", 0), numbers.get("positive", 0)
    if negative:
        return (f"{_plural(negative, 'bad news item')} in the last {NEWS_DAYS} days, the latest "
                f"on {words.format_day(numbers['latest_negative_on'])}.")
    if positive:
        return f"No bad news in the last {NEWS_DAYS} days ({_plural(positive, 'good one')})."
    return f"No bad news in the last {NEWS_DAYS} days."


# -- the owner's own sentiment -------------------------------------------------------------


def measure_owner_sentiment(as_of: date, account_ids: Sequence[int] | None) -> dict[int, Numbers]:
    """The sentiment the owner set last, on or before ``as_of`` (one row per account: the
    latest, by a window over the index)."""
    rows = (
        scoped(OwnerSentimentEntry.objects.all(), account_ids)
        .filter(set_on__lte=as_of)
        .annotate(recency=Window(
            RowNumber(), partition_by=[F("account_id")], order_by=[F("set_on").desc(),
                                                                   F("pk").desc()],
        ))
        .values("account_id", "sentiment", "set_on", "recency")
    )
    return {
        row["account_id"]: {
            "sentiment": row["sentiment"], "set_on": row["set_on"].isoformat(),
            "age_days": (as_of - row["set_on"]).days,
        }
        for row in rows if row["recency"] == 1
    }


SENTIMENT_SHARES = {
    OwnerSentiment.POSITIVE: 1.0, OwnerSentiment.NEUTRAL: 0.5, OwnerSentiment.NEGATIVE: 0.0,
}


def owner_sentiment_share(numbers: Numbers, settings: Mapping[str, int]) -> float | None:
    if "sentiment" not in numbers:
        return None
    if numbers["age_days"] > settings[STALE_SETTING]:
        return None
    return SENTIMENT_SHARES.get(numbers["sentiment"], 0.5)


def owner_sentiment_words(numbers: Numbers) -> str:
    if "sentiment" not in numbers:
        return "The owner has not said how they feel about this account."
    label = OwnerSentiment(numbers["sentiment"]).label
    said = f"The owner said “{label}” on {words.format_day(numbers['set_on'])}"
    stale_after = numbers.get("stale_after_days")
    if stale_after is not None and numbers["age_days"] > stale_after:
        return f"{said}, {words.format_days(numbers['age_days'])} ago: stale, not counted."
    return f"{said}."


# -- the declaration -----------------------------------------------------------------------

COMPONENTS: list[Component] = [
    Component("sla", "SLA results", 15, measure_sla, sla_share, sla_words),
    Component("scope", "Scope overrun", 10, measure_scope, scope_share, scope_words),
    Component("severe_tickets", "Open severe tickets", 15, measure_severe_tickets,
              severe_tickets_share, severe_tickets_words),
    Component("disputes", "Billing disputes", 10, measure_disputes, disputes_share,
              disputes_words),
    Component("contact_recency", "Two-way contact", 10, measure_contact_recency,
              contact_recency_share, contact_recency_words),
    Component("key_contacts", "Key contacts reached", 10, measure_key_contacts,
              key_contacts_share, key_contacts_words),
    Component("news", "Business news", 10, measure_news, news_share, news_words),
    Component("owner_sentiment", "Owner's sentiment", 10, measure_owner_sentiment,
              owner_sentiment_share, owner_sentiment_words),
]

OTHER_DEFAULTS = {STALE_SETTING: 60}
OTHER_LABELS = {STALE_SETTING: "The owner's sentiment goes stale after (days)"}


def register(component: Component) -> None:
    """Add a component measured by an app above this one (called from its ``ready``); a second
    registration of the same key replaces the first."""
    for index, known in enumerate(COMPONENTS):
        if known.key == component.key:
            COMPONENTS[index] = component
            return
    COMPONENTS.append(component)


def by_key() -> dict[str, Component]:
    return {component.key: component for component in COMPONENTS}


def weight_setting(key: str) -> str:
    return f"weight_{key}"


def default_settings() -> dict[str, int]:
    """Every setting of the score with its default: each component's weight, then the rest."""
    return {
        **{weight_setting(component.key): component.default_weight for component in COMPONENTS},
        **OTHER_DEFAULTS,
    }


def setting_label(name: str) -> str:
    for component in COMPONENTS:
        if weight_setting(component.key) == name:
            return f"Weight of {component.label.lower()}"
    return OTHER_LABELS.get(name, words.spelled_out(name))
