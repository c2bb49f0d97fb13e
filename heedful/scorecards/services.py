"""Scorecards: per rep and period, each dimension (``dimensions.py``) against the standard
the rep's manager set, with the numbers behind it.

Set-based: each dimension is one query, or two, over every rep asked for (grouped by rep),
never a query per rep; the report at 100,000 accounts reads the same queries
(``bench/scorecard_report.py``)."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import (
    Avg,
    BooleanField,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)

from heedful.accounts.models import Account
from heedful.accounts.visibility import managed_users, manages
from heedful.coaching.models import FollowUp
from heedful.core.exceptions import InvalidInput, NotFound
from heedful.core.models import Role, User
from heedful.expenses.models import ON_TIME, ExpenseReport
from heedful.forecasts import periods as forecast_periods
from heedful.forecasts.models import ForecastPeriod, ForecastSubmission
from heedful.forecasts.periods import Period
from heedful.forecasts.services import won_by_rep
from heedful.interactions.models import TWO_WAY_CONVERSATION, Interaction, InteractionKind
from heedful.lib import words
from heedful.lib.money import Money
from heedful.meetings.models import ActionItem, ActionStatus, SpeakerFigures
from heedful.plays.models import ClosedReason, Play, PlayStatus
from heedful.plays.rules.base import ACCOUNT_STATUSES_WITH_PLAYS, end_of, start_of
from heedful.sales.models import Opportunity
from heedful.sales.services import quotas_for
from heedful.scorecards.dimensions import DIMENSIONS, DIMENSIONS_BY_KEY, Dimension, formatted
from heedful.scorecards.models import Standard

ZERO = Decimal("0")
CENT = Decimal("0.01")
TOUCHED_DAYS = 30
ENGAGED_DAYS = 90


@dataclass(frozen=True)
class Measure:
    """A dimension's figure for one rep and the numbers behind it, in words and as facts."""

    value: Decimal | None
    detail: str
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Score:
    dimension: Dimension
    value: Decimal | None
    standard: Decimal
    detail: str
    facts: dict[str, Any]

    @property
    def meets(self) -> bool | None:
        return self.dimension.meets(self.value, self.standard)

    @property
    def is_below(self) -> bool:
        return self.meets is False

    @property
    def shown_value(self) -> str:
        return formatted(self.dimension, self.value)

    @property
    def shown_standard(self) -> str:
        return formatted(self.dimension, self.standard)


@dataclass(frozen=True)
class Scorecard:
    rep: User
    period: Period
    scores: list[Score]

    @property
    def below(self) -> list[Score]:
        return [score for score in self.scores if score.is_below]

    def score(self, key: str) -> Score:
        return next(score for score in self.scores if score.dimension.key == key)


def _ratio(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def _money(amount: Decimal | None, currency: str) -> str:
    return _formatted_money(str(amount or ZERO), currency, words.locale())


@lru_cache(maxsize=4096)
def _formatted_money(amount: str, currency: str, locale: str) -> str:
    """Remembered (per locale): a report writes the same quotas for a thousand reps, and
    Babel takes tens of microseconds per amount."""
    return words.format_money(Decimal(amount), currency)


# -- each dimension, for many reps at once -------------------------------------------------


Among = QuerySet[User, Any] | list[int]
"""The reps to filter rows by: the query that picked them, or their ids."""


@dataclass(frozen=True)
class Reps:
    """The reps measured: ``ids`` to answer for, ``among`` to filter each query's rows by.
    For a report of every rep on PostgreSQL, ``among`` is the query that picked them, so
    each query filters by a subquery: 1,250 literal ids in each of the report's 20 queries
    cost 0.2 s of Django and psycopg preparing them."""

    ids: list[int]
    among: Among
    read: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    """What more than one dimension reads (the open deals), read once for them."""

    @classmethod
    def of(cls, people: "QuerySet[User] | Iterable[User | int]") -> "Reps":
        if isinstance(people, QuerySet):
            # Read as whole users, filling the query's cache: ``scorecards`` lists the same
            # query's users next, without reading them again.
            ids = [person.pk for person in people]
            # SQLite plans a list better: given the subquery, it read the won deals rep by
            # rep through the wrong index (new accounts won: 0.03 s became 1.2 s).
            among = people.values("pk") if connection.vendor == "postgresql" else ids
            return cls(ids=ids, among=among)
        ids = [person if isinstance(person, int) else person.pk for person in people]
        return cls(ids=ids, among=ids)


Measurer = Callable[[Reps, Period, date], dict[int, Measure]]


def quotas(rep_ids: Among, period: Period) -> dict[int, Money | str]:
    """Each rep's quota for the period (``sales.services.quotas_for``), or why there is none
    to measure against; reps without one are left out."""
    found = quotas_for(rep_ids, date_from=period.starts_on, date_to=period.ends_on)
    result: dict[int, Money | str] = {
        rep_id: (f"The quotas for {period.name} are in {', '.join(currencies)}; "
                 "set them in one currency.")
        for rep_id, currencies in found.in_several_currencies.items()
    }
    result.update({rep_id: quota for rep_id, quota in found.money.items() if quota.amount})
    return result


def _won(rep_ids: Among, start: date, end: date) -> dict[tuple[int, str], Decimal]:
    rows = (
        Opportunity.objects.filter(owner_id__in=rep_ids, won=True, closed_on__gte=start,
                                   closed_on__lte=end)
        .order_by().values("owner_id", "currency").annotate(total=Sum("amount"))
    )
    return {(row["owner_id"], row["currency"]): row["total"] or ZERO for row in rows}


def quota_attainment(reps: Reps, period: Period, as_of: date) -> dict[int, Measure]:
    quota = quotas(reps.among, period)
    won = _won(reps.among, period.starts_on, min(period.ends_on, as_of))
    result = {}
    for rep_id in reps.ids:
        found = quota.get(rep_id)
        if not isinstance(found, Money):
            result[rep_id] = Measure(None, found or "No quota set for the period.")
            continue
        amount, currency = found.amount, found.currency
        total = won.get((rep_id, currency), ZERO)
        result[rep_id] = Measure(
            _ratio(total, amount),
            f"Won {_money(total, currency)} of a {_money(amount, currency)} quota.",
            {"won": str(total), "quota": str(amount), "currency": currency},
        )
    return result


def pipeline_coverage(reps: Reps, period: Period, as_of: date) -> dict[int, Measure]:
    following = forecast_periods.parse(_next_name(period))
    quota = quotas(reps.among, following)
    deals = _open_deals(reps, period, as_of)
    result = {}
    for rep_id in reps.ids:
        found = quota.get(rep_id)
        if not isinstance(found, Money):
            result[rep_id] = Measure(None, found or f"No quota set for {following.name}.")
            continue
        amount, currency = found.amount, found.currency
        row = deals.get((rep_id, currency), {})
        total, count = row.get("closing_value") or ZERO, row.get("closing", 0)
        result[rep_id] = Measure(
            _ratio(total, amount),
            f"{count} open opportunities worth {_money(total, currency)} close in "
            f"{following.name}, against a {_money(amount, currency)} quota.",
            {"open_value": str(total), "open_opportunities": count, "quota": str(amount),
             "currency": currency, "next_period": following.name},
        )
    return result


def _next_name(period: Period) -> str:
    day_after = period.ends_on + timedelta(days=1)
    if "Q" in period.name:
        return forecast_periods.quarter_of(day_after).name
    return f"{day_after.year}-{day_after.month:02d}"


def new_accounts_won(reps: Reps, period: Period, as_of: date) -> dict[int, Measure]:
    earlier_win = Opportunity.objects.filter(
        account_id=OuterRef("account_id"), won=True, closed_on__lt=period.starts_on
    )
    rows = (
        Opportunity.objects.filter(
            owner_id__in=reps.among, won=True, closed_on__gte=period.starts_on,
            closed_on__lte=min(period.ends_on, as_of),
        ).exclude(Exists(earlier_win))
        .order_by().values("owner_id").annotate(accounts=Count("account_id", distinct=True))
    )
    counts = {row["owner_id"]: row["accounts"] for row in rows}
    return {
        rep_id: Measure(
            Decimal(counts.get(rep_id, 0)),
            f"{counts.get(rep_id, 0)} accounts won for the first time in {period.name}.",
            {"new_accounts": counts.get(rep_id, 0)},
        ) for rep_id in reps.ids
    }


def _due_forecast_periods(period: Period, as_of: date) -> list[ForecastPeriod]:
    return list(ForecastPeriod.objects.filter(
        due_on__gte=period.starts_on, due_on__lte=min(period.ends_on, as_of)))


def forecast_timeliness(reps: Reps, period: Period, as_of: date) -> dict[int, Measure]:
    """Forecasts due in the period (by as_of) on time; one due before the rep started was
    never theirs to file."""
    due = _due_forecast_periods(period, as_of)
    started = dict(User.objects.filter(pk__in=reps.among).values_list("pk", "start_date"))
    submitted: dict[tuple[int, int], bool] = {}
    for rep_id, period_id, is_late in ForecastSubmission.objects.filter(
        period__in=due, rep_id__in=reps.among,
    ).order_by().values_list("rep_id", "period_id", "is_late"):
        submitted[(rep_id, period_id)] = submitted.get((rep_id, period_id), False) or not is_late
    result = {}
    for rep_id in reps.ids:
        start = started.get(rep_id)
        owed = [item for item in due if start is None or start <= item.due_on]
        if not owed:
            result[rep_id] = Measure(None, f"No forecast was due in {period.name}.")
            continue
        good = sum(1 for item in owed if submitted.get((rep_id, item.pk)))
        missing = sum(1 for item in owed if (rep_id, item.pk) not in submitted)
        names = ", ".join(sorted(item.name for item in owed))
        result[rep_id] = Measure(
            _ratio(good, len(owed)),
            f"{good} of {len(owed)} forecasts on time ({names}); "
            f"{len(owed) - good - missing} late, {missing} not submitted.",
            {"due": len(owed), "on_time": good, "not_submitted": missing},
        )
    return result


def forecast_accuracy(reps: Reps, period: Period, as_of: date) -> dict[int, Measure]:
    ended = list(ForecastPeriod.objects.filter(
        ends_on__gte=period.starts_on, ends_on__lte=period.ends_on, ends_on__lt=as_of))
    scores: dict[int, list[Decimal]] = defaultdict(list)
    phrases: dict[int, list[str]] = defaultdict(list)
    for forecast_period in ended:  # a handful of periods; each one grouped query per kind
        won = won_by_rep(rep_ids=reps.among, period_start=forecast_period.starts_on,
                         period_end=forecast_period.ends_on, currency=forecast_period.currency)
        for submission in ForecastSubmission.objects.filter(
            period=forecast_period, rep_id__in=reps.among, is_latest=True,
        ):
            if not submission.commit:
                continue
            total = won.get(submission.rep_id, ZERO)
            miss = abs(total - submission.commit) / submission.commit
            scores[submission.rep_id].append(max(ZERO, 1 - miss))
            phrases[submission.rep_id].append(
                f"{forecast_period.name}: won {_money(total, forecast_period.currency)} "
                f"against a commit of {_money(submission.commit, forecast_period.currency)}"
            )
    result = {}
    for rep_id in reps.ids:
        if not scores[rep_id]:
            result[rep_id] = Measure(None, "No forecast with a commit ended in the period.")
            continue
        value = (sum(scores[rep_id], ZERO) / len(scores[rep_id])).quantize(Decimal("0.0001"))
        result[rep_id] = Measure(value, "; ".join(phrases[rep_id]) + ".",
                                 {"periods": len(scores[rep_id])})
    return result


WHITE_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
r"""The 29 characters Python's ``\s`` matches in text (``str.isspace``), for SQLite's ``trim``;
tests/scorecards/test_scorecard_queries.py holds the two equal."""


class HasText(Func):
    r"""True when a text column holds a character other than white space (``\S``). A regular
    expression on PostgreSQL; on SQLite, where Django's ``REGEXP`` calls back into Python for
    every row (0.45 s over half a million open deals), ``trim`` of the same characters."""

    arity = 1
    output_field = BooleanField()

    def as_sql(self, compiler: Any, connection: Any, function: str | None = None,
               template: str | None = None, arg_joiner: str | None = None,
               **extra_context: Any) -> tuple[str, list]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql})::text ~ %s", [*params, r"\S"]

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"TRIM({sql}, %s) <> ''", [*params, WHITE_SPACE]


def _has_next_step() -> Q:
    """An opportunity with a next step written (not blank)."""
    return Q(HasText("next_step"))


def _open_deals(reps: Reps, period: Period, as_of: date) -> dict[tuple[int, str], dict[str, Any]]:
    """Each rep's open deals per currency, counted in one pass for two dimensions: record
    hygiene (kept up on the period's last day, or ``as_of``) and pipeline coverage (closing
    in the period after). Read once per report (kept in ``reps.read``): the two passes took
    0.5 s at a million deals.

    The accounts touched in the window are one uncorrelated subquery, which each database
    reads once into a hash (``interaction_time_window`` index); an ``EXISTS`` per open deal
    read the timeline twice per deal (5 s at a million deals)."""
    on = min(period.ends_on, as_of)
    following = forecast_periods.parse(_next_name(period))
    key = ("open deals", on, following.name)
    if key not in reps.read:
        touched = Interaction.objects.filter(
            occurred_at__gte=start_of(on - timedelta(days=TOUCHED_DAYS)),
            occurred_at__lt=end_of(on),
        ).values("account_id")
        closing = Q(close_date__gte=following.starts_on, close_date__lte=following.ends_on)
        rows = (
            Opportunity.objects.filter(owner_id__in=reps.among, closed_on__isnull=True)
            .order_by().values("owner_id", "currency").annotate(
                open=Count("id"),
                untouched=Count("id", filter=~Q(account_id__in=touched)),
                # The cheap tests first: the database stops at the first that fails.
                kept_up=Count("id", filter=Q(close_date__gt=on) & _has_next_step()
                              & Q(account_id__in=touched)),
                past_close=Count("id", filter=Q(close_date__lte=on) | Q(close_date__isnull=True)),
                no_next_step=Count("id", filter=~_has_next_step()),
                closing=Count("id", filter=closing),
                closing_value=Sum("amount", filter=closing),
            )
        )
        reps.read[key] = {(row.pop("owner_id"), row.pop("currency")): row for row in rows}
    deals: dict[tuple[int, str], dict[str, Any]] = reps.read[key]
    return deals


HYGIENE_FACTS = ("open", "kept_up", "untouched", "no_next_step", "past_close")


def record_hygiene(reps: Reps, period: Period, as_of: date) -> dict[int, Measure]:
    """Open deals touched in the last 30 days, with a next step and a close date ahead, over
    all of a rep's open deals (every currency)."""
    by_rep: dict[int, dict[str, int]] = {}
    for (rep_id, _currency), row in _open_deals(reps, period, as_of).items():
        counts = by_rep.setdefault(rep_id, dict.fromkeys(HYGIENE_FACTS, 0))
        for name in HYGIENE_FACTS:
            counts[name] += row[name]
    result = {}
    for rep_id in reps.ids:
        facts = by_rep.get(rep_id)
        if facts is None:
            result[rep_id] = Measure(None, "No open opportunities.")
            continue
        result[rep_id] = Measure(
            _ratio(facts["kept_up"], facts["open"]),
            f"{facts['kept_up']} of {facts['open']} open opportunities kept up: "
            f"{facts['untouched']} untouched in {TOUCHED_DAYS} days, {facts['no_next_step']} "
            f"without a next step, {facts['past_close']} with a close date passed or missing.",
            facts,
        )
    return result


def expenses_on_time(reps: Reps, period: Period, as_of: date) -> dict[int, Measure]:
    rows = (
        ExpenseReport.objects.filter(rep_id__in=reps.among, due_on__gte=period.starts_on,
                                     due_on__lte=min(period.ends_on, as_of))
        .order_by().values("rep_id")
        .annotate(due=Count("id"), on_time=Count("id", filter=ON_TIME),
                  missing=Count("id", filter=Q(submitted_on__isnull=True)),
                  over_budget=Count("id", filter=Q(amount__gt=F("budget"))))
    )
    by_rep = {row["rep_id"]: row for row in rows}
    result = {}
    for rep_id in reps.ids:
        row = by_rep.get(rep_id)
        if row is None:
            result[rep_id] = Measure(None, "No expense report was due in the period.")
            continue
        late = row["due"] - row["on_time"] - row["missing"]
        result[rep_id] = Measure(
            _ratio(row["on_time"], row["due"]),
            f"{row['on_time']} of {row['due']} expense reports on time; {late} late, "
            f"{row['missing']} not in yet; {row['over_budget']} over budget.",
            {"due": row["due"], "on_time": row["on_time"], "late": late,
             "not_submitted": row["missing"], "over_budget": row["over_budget"]},
        )
    return result


def customer_engagement(reps: Reps, period: Period, as_of: date) -> dict[int, Measure]:
    on = min(period.ends_on, as_of)
    # The owned accounts among the window's conversations, read once as a set: an EXISTS per
    # owned account read the timeline index once per account (0.6 s at 100,000 accounts).
    owned = Account.objects.filter(owner_id__in=reps.among, status__in=ACCOUNT_STATUSES_WITH_PLAYS)
    conversations = Interaction.objects.filter(
        TWO_WAY_CONVERSATION, occurred_at__gte=start_of(on - timedelta(days=ENGAGED_DAYS)),
        occurred_at__lt=end_of(on),
    ).values("account_id")
    account_counts = dict(owned.order_by().values("owner_id").annotate(count=Count("id"))
                          .values_list("owner_id", "count"))
    engaged_counts = dict(owned.filter(id__in=conversations).order_by().values("owner_id")
                          .annotate(count=Count("id")).values_list("owner_id", "count"))
    accounts = {
        owner_id: {"accounts": count, "engaged": engaged_counts.get(owner_id, 0)}
        for owner_id, count in account_counts.items()
    }
    period_start, period_end = start_of(period.starts_on), end_of(on)
    plays = {
        row["owner_id"]: row for row in
        Play.objects.filter(owner_id__in=reps.among).filter(
            Q(closed_at__gte=period_start, closed_at__lt=period_end)
            | Q(status__in=(PlayStatus.OPEN, PlayStatus.SNOOZED), created_at__lt=period_end)
        ).order_by().values("owner_id").annotate(
            done=Count("id", filter=Q(closed_reason=ClosedReason.MARKED_DONE)),
            dismissed=Count("id", filter=Q(closed_reason=ClosedReason.DISMISSED)),
            left=Count("id", filter=Q(status__in=(PlayStatus.OPEN, PlayStatus.SNOOZED))),
        )
    }
    # A rep's visits read from the ``interaction_user_time_kind`` index alone (without the
    # kind in it, SQLite read every row of the reps' quarters for it: 0.25 s at 1,250 reps).
    visits = {
        row["user_id"]: row["visits"] for row in
        Interaction.objects.filter(user_id__in=reps.among, kind=InteractionKind.VISIT,
                                   occurred_at__gte=period_start, occurred_at__lt=period_end)
        .order_by().values("user_id").annotate(visits=Count("id"))
    }
    result = {}
    for rep_id in reps.ids:
        row = accounts.get(rep_id, {"accounts": 0, "engaged": 0})
        play = plays.get(rep_id, {"done": 0, "dismissed": 0, "left": 0})
        facts = {"accounts": row["accounts"], "engaged": row["engaged"], "plays_done":
                 play["done"], "plays_dismissed": play["dismissed"], "plays_left": play["left"],
                 "site_visits": visits.get(rep_id, 0)}
        result[rep_id] = Measure(
            _ratio(row["engaged"], row["accounts"]),
            f"{row['engaged']} of {row['accounts']} accounts in two-way contact in "
            f"{ENGAGED_DAYS} days; plays {play['done']} done, {play['dismissed']} dismissed, "
            f"{play['left']} left open; {visits.get(rep_id, 0)} site visits.",
            facts,
        )
    return result


def listening(reps: Reps, period: Period, as_of: date) -> dict[int, Measure]:
    rows = {
        row["user_id"]: row for row in
        SpeakerFigures.objects.filter(
            user_id__in=reps.among, is_internal=True,
            transcript__meeting__scheduled_start__gte=start_of(period.starts_on),
            transcript__meeting__scheduled_start__lt=end_of(min(period.ends_on, as_of)),
        ).order_by().values("user_id").annotate(
            questions=Sum("questions"), statements=Sum("statements"),
            talk_share=Avg("talk_share"), meetings=Count("transcript_id", distinct=True),
        )
    }
    result = {}
    for rep_id in reps.ids:
        row = rows.get(rep_id)
        if row is None or not row["statements"]:
            result[rep_id] = Measure(None, "No transcribed meeting in the period.")
            continue
        share = row["talk_share"]
        share_words = (f"talked {words.format_percent(round(share * 100, 1))} of the time"
                       if share is not None else "talk share unknown")
        result[rep_id] = Measure(
            _ratio(row["questions"] or 0, row["statements"]),
            f"{row['questions'] or 0} questions and {row['statements']} statements in "
            f"{row['meetings']} transcribed meetings; {share_words}.",
            {"questions": row["questions"] or 0, "statements": row["statements"],
             "meetings": row["meetings"], "talk_share": share},
        )
    return result


def action_items_on_time(reps: Reps, period: Period, as_of: date) -> dict[int, Measure]:
    last = min(period.ends_on, as_of)
    meeting_rows = (
        ActionItem.objects.filter(user_id__in=reps.among, due_on__gte=period.starts_on,
                                  due_on__lte=last)
        .exclude(status=ActionStatus.CANCELLED).order_by().values("user_id")
        .annotate(due=Count("id"), on_time=Count(
            "id", filter=Q(status=ActionStatus.DONE, done_at__date__lte=F("due_on"))))
    )
    review_rows = (
        FollowUp.objects.filter(owner_id__in=reps.among, due_on__gte=period.starts_on,
                                due_on__lte=last)
        .order_by().values("owner_id")
        .annotate(due=Count("id"), on_time=Count("id", filter=Q(done_on__lte=F("due_on"))))
    )
    due: dict[int, int] = defaultdict(int)
    on_time: dict[int, int] = defaultdict(int)
    for row in meeting_rows:
        due[row["user_id"]] += row["due"]
        on_time[row["user_id"]] += row["on_time"]
    for row in review_rows:
        due[row["owner_id"]] += row["due"]
        on_time[row["owner_id"]] += row["on_time"]
    result = {}
    for rep_id in reps.ids:
        if not due[rep_id]:
            result[rep_id] = Measure(None, "No action item was due in the period.")
            continue
        result[rep_id] = Measure(
            _ratio(on_time[rep_id], due[rep_id]),
            f"{on_time[rep_id]} of {due[rep_id]} action items done by their due date.",
            {"due": due[rep_id], "on_time": on_time[rep_id]},
        )
    return result


MEASURERS: dict[str, Measurer] = {
    "quota_attainment": quota_attainment,
    "pipeline_coverage": pipeline_coverage,
    "new_accounts_won": new_accounts_won,
    "forecast_timeliness": forecast_timeliness,
    "forecast_accuracy": forecast_accuracy,
    "record_hygiene": record_hygiene,
    "expenses_on_time": expenses_on_time,
    "customer_engagement": customer_engagement,
    "listening": listening,
    "action_items_on_time": action_items_on_time,
}
assert set(MEASURERS) == set(DIMENSIONS_BY_KEY), "every dimension is measured"


# -- standards -----------------------------------------------------------------------------


def standards_for(reps: Iterable[User]) -> dict[int, dict[str, Decimal]]:
    """Each rep's standard per dimension: their manager's, else the company's, else the
    dimension's default. One query."""
    reps = list(reps)
    manager_ids = {rep.manager_id for rep in reps if rep.manager_id}
    rows = Standard.objects.filter(Q(manager_id__in=manager_ids) | Q(manager__isnull=True))
    company = {row.dimension: row.value for row in rows if row.manager_id is None}
    by_manager: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        if row.manager_id is not None:
            by_manager[row.manager_id][row.dimension] = row.value
    return {
        rep.pk: {
            dimension.key: by_manager.get(rep.manager_id or 0, {}).get(
                dimension.key, company.get(dimension.key, dimension.default_standard))
            for dimension in DIMENSIONS
        } for rep in reps
    }


def set_standard(*, user: User, dimension: str, value: Any) -> Standard:
    """``user``'s standard for their people (a manager's); an admin's is the company's."""
    if dimension not in DIMENSIONS_BY_KEY:
        raise InvalidInput("No such dimension.", {"dimension": ["Choose a dimension."]})
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        number = Decimal(-1)
    if not number.is_finite() or number < 0:
        raise InvalidInput("The standard was not saved: write a number of 0 or more.",
                           {"value": ["Write a number of 0 or more, e.g. 0.9 for 90%."]})
    manager = None if user.role == Role.ADMIN else user
    if manager is not None and user.role != Role.MANAGER:
        raise InvalidInput("Only a manager sets standards for their people.")
    standard, _ = Standard.objects.update_or_create(
        manager=manager, dimension=dimension, defaults={"value": number},
    )
    return standard


# -- scorecards ----------------------------------------------------------------------------


def scorecards(*, reps: "QuerySet[User] | list[User]", period: Period,
               as_of: date) -> list[Scorecard]:
    """The scorecard of each rep in ``reps`` for ``period`` as it stood on ``as_of`` (the
    figures count up to ``as_of`` when the period is not over). Given a query, each
    dimension filters by it (``Reps``)."""
    measured_reps = Reps.of(reps)
    reps = list(reps)
    measured = {key: measurer(measured_reps, period, as_of)
                for key, measurer in MEASURERS.items()}
    standards = standards_for(reps)
    return [
        Scorecard(rep=rep, period=period, scores=[
            Score(
                dimension=dimension, value=measured[dimension.key][rep.pk].value,
                standard=standards[rep.pk][dimension.key],
                detail=measured[dimension.key][rep.pk].detail,
                facts=measured[dimension.key][rep.pk].facts,
            ) for dimension in DIMENSIONS
        ]) for rep in reps
    ]


def team_reps(*, user: User) -> "QuerySet[User]":
    """The reps whose scorecards ``user`` sees: everyone below them who is a rep (a rep: only
    themselves)."""
    people = managed_users(user).order_by("full_name", "username")
    if user.role == Role.REP:
        return people.filter(pk=user.pk)
    return people.filter(role=Role.REP)


def get_rep_or_raise(*, user: User, username: str) -> User:
    rep = managed_users(user).filter(username=username).first()
    if rep is None:
        raise NotFound("No such person among those whose scorecards you may see.")
    return rep


def can_set_agenda(user: User, rep: User) -> bool:
    return manages(user, rep)
