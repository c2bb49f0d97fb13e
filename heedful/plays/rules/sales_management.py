"""Managing performance on every dimension, not just the number: forecasts and expense
reports on time, records kept up, new accounts opened.

"Performance has many dimensions. Hitting your number is one ... timely forecasts so that
manufacturing can do the right planning; timely expense reports so finance can manage cash
flow." Each play goes to the rep's manager, with the numbers behind it.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from heedful.core.models import Role, User
from heedful.expenses.models import ExpenseReport
from heedful.forecasts.models import ForecastPeriod, ForecastSubmission
from heedful.forecasts.periods import quarter_of
from heedful.interactions.models import Interaction
from heedful.lib.words import format_period
from heedful.plays import facts
from heedful.plays.rules.base import (
    Finding,
    Rule,
    Thresholds,
    day,
    days_phrase,
    end_of,
    plural,
    start_of,
)
from heedful.plays.rules.people import Person, people_with_anchors
from heedful.sales.models import Opportunity


def _finding(rule: Rule, person: Person, limits: Thresholds, *, subject: str, title: str,
             explanation: str, facts_: dict[str, Any], action: str, period: str = "",
             bump: int = 0) -> Finding:
    return Finding(
        account_id=person.account_id, subject=subject,
        owner_id=person.manager_id or person.id, priority=rule.priority(limits, bump),
        urgent=False, title=title, explanation=explanation,
        facts={"rep": facts.reference(person.id, person.name), **facts_},
        suggested_action=action, period=period,
    )


REP = facts.person("Rep")


class ForecastLate(Rule):
    key = "sales.forecast_late"
    name = "Forecast not submitted"
    reads = frozenset({"forecastsubmission", "forecastperiod"})
    defaults = {"days_late": 1, "priority": 60}
    threshold_labels = {"days_late": "Days past the due date without a forecast"}
    declared_facts = {
        "rep": REP, "period": facts.text("Forecast period"), "due_on": facts.day("Due"),
        "days_late": facts.days("Days late"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        latest_due = as_of - timedelta(days=int(limits["days_late"]))
        periods = list(ForecastPeriod.objects.filter(due_on__lte=latest_due, ends_on__gte=as_of))
        if not periods:
            return
        reps = User.objects.filter(role=Role.REP, is_active=True, manager__isnull=False)
        for period in periods:
            # Someone who joined after the due date was never asked for this one.
            missing = reps.exclude(
                Exists(ForecastSubmission.objects.filter(period=period, rep=OuterRef("pk")))
            ).exclude(start_date__gt=period.due_on).values_list("pk", flat=True)
            for person in people_with_anchors(missing, account_ids).values():
                late = (as_of - period.due_on).days
                yield _finding(
                    self, person, limits, subject=f"forecast:{person.username}",
                    period=period.name,
                    title=(
                        f"{person.name}'s {format_period(period.name)} forecast is "
                        f"{days_phrase(late)} late"
                    ),
                    explanation=(
                        f"{person.name} has not submitted a forecast for "
                        f"{format_period(period.name)}, due on "
                        f"{day(period.due_on)}: {days_phrase(late)} late. Planning downstream "
                        "waits on it."
                    ),
                    facts_={"period": format_period(period.name),
                            "due_on": period.due_on.isoformat(),
                            "days_late": late},
                    action=(f"Ask {person.name} for the forecast today, and go through it "
                            "together in your next pipeline review."),
                )


class ExpensesLate(Rule):
    key = "sales.expenses_late"
    name = "Expense reports late"
    reads = frozenset({"expensereport"})
    defaults = {"days_late": 7, "priority": 45}
    threshold_labels = {"days_late": "Days past the due date without the report"}
    declared_facts = {
        "rep": REP, "periods": facts.text("Reports missing", many=True),
        "oldest_due_on": facts.day("Oldest due"), "days_late": facts.days("Days late"),
        "count": facts.number("Reports late"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        latest_due = as_of - timedelta(days=int(limits["days_late"]))
        rows = (
            ExpenseReport.objects.filter(submitted_on__isnull=True, due_on__lte=latest_due)
            .order_by("due_on").values("rep_id", "period", "due_on")
        )
        late: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            late[row["rep_id"]].append(dict(row))
        for person in people_with_anchors(late, account_ids).values():
            reports = late[person.id]
            oldest = reports[0]["due_on"]
            days_late = (as_of - oldest).days
            yield _finding(
                self, person, limits, subject=f"expenses:{person.username}",
                title=f"{person.name}: {plural(len(reports), 'expense report')} late",
                explanation=(
                    f"{person.name} has not sent the expense reports for "
                    f"{', '.join(format_period(row['period']) for row in reports)}; the oldest "
                    "was due on "
                    f"{day(oldest)}, {days_phrase(days_late)} ago. Finance cannot close the "
                    "books without them."
                ),
                facts_={"periods": [format_period(row["period"]) for row in reports],
                        "oldest_due_on": oldest.isoformat(), "days_late": days_late,
                        "count": len(reports)},
                action=f"Agree a date with {person.name} this week and hold them to it.",
            )


class StaleRecords(Rule):
    key = "sales.stale_records"
    name = "Opportunities not kept up"
    reads = frozenset({"opportunity", "interaction"})
    defaults = {"untouched_days": 30, "min_stale": 3, "priority": 45}
    threshold_labels = {
        "untouched_days": "An opportunity untouched this long is stale (days)",
        "min_stale": "Stale opportunities before a play",
    }
    declared_facts = {
        "rep": REP, "stale": facts.number("Stale opportunities"),
        "untouched": facts.number("Untouched"), "past_close": facts.number("Close date passed"),
        "open": facts.number("Open opportunities"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        since = start_of(as_of - timedelta(days=int(limits["untouched_days"])))
        touched = Interaction.objects.filter(
            account_id=OuterRef("account_id"), occurred_at__gte=since,
            occurred_at__lt=end_of(as_of),
        )
        is_stale = Q(touched=False) | Q(close_date__lt=as_of) | Q(close_date__isnull=True)
        rows = (
            Opportunity.objects.filter(closed_on__isnull=True, owner__role=Role.REP)
            .annotate(touched=Exists(touched)).order_by().values("owner_id")
            .annotate(open=Count("id"), stale=Count("id", filter=is_stale),
                      untouched=Count("id", filter=Q(touched=False)),
                      past_close=Count("id", filter=Q(close_date__lt=as_of)
                                       | Q(close_date__isnull=True)))
            .filter(stale__gte=int(limits["min_stale"]))
        )
        by_rep = {row["owner_id"]: row for row in rows}
        for person in people_with_anchors(by_rep, account_ids).values():
            row = by_rep[person.id]
            yield _finding(
                self, person, limits, subject=f"records:{person.username}",
                title=f"{person.name}: {row['stale']} of {row['open']} opportunities not kept up",
                explanation=(
                    f"Of {person.name}'s {row['open']} open opportunities, {row['untouched']} "
                    f"had no contact in {days_phrase(int(limits['untouched_days']))} and "
                    f"{row['past_close']} have a close date passed or missing: the pipeline "
                    "cannot be trusted."
                ),
                facts_={"stale": row["stale"], "untouched": row["untouched"],
                        "past_close": row["past_close"], "open": row["open"]},
                action=(f"Go through the stale ones with {person.name}: update, close or "
                        "re-date each."),
            )


class NoNewAccounts(Rule):
    key = "sales.no_new_accounts"
    name = "No new accounts this quarter"
    reads = frozenset({"opportunity"})
    defaults = {"days_into_quarter": 45, "priority": 40}
    threshold_labels = {"days_into_quarter": "Days into the quarter before a play"}
    declared_facts = {
        "rep": REP, "quarter": facts.text("Quarter"),
        "days_into_quarter": facts.days("Days into the quarter"),
        "won_this_quarter": facts.number("Deals won this quarter"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        quarter = quarter_of(as_of)
        days_in = (as_of - quarter.starts_on).days + 1
        if days_in < int(limits["days_into_quarter"]):
            return
        earlier = Opportunity.objects.filter(
            account_id=OuterRef("account_id"), won=True, closed_on__lt=quarter.starts_on)
        won = Opportunity.objects.filter(won=True, closed_on__gte=quarter.starts_on,
                                         closed_on__lte=as_of)
        with_new = won.exclude(Exists(earlier)).values("owner_id")
        won_counts = dict(won.order_by().values("owner_id").annotate(count=Count("id"))
                          .values_list("owner_id", "count"))
        reps = User.objects.filter(
            role=Role.REP, is_active=True, manager__isnull=False,
        ).exclude(pk__in=with_new).filter(
            Q(start_date__isnull=True) | Q(start_date__lt=quarter.starts_on)
        ).values_list("pk", flat=True)
        for person in people_with_anchors(reps, account_ids).values():
            count = won_counts.get(person.id, 0)
            yield _finding(
                self, person, limits, subject=f"new_accounts:{person.username}",
                period=quarter.name,
                title=f"{person.name} has opened no new account in {format_period(quarter.name)}",
                explanation=(
                    f"{days_phrase(days_in)} into {format_period(quarter.name)}, {person.name} "
                    "has won "
                    f"{plural(count, 'deal')}, none of them with a new account."
                ),
                facts_={"quarter": format_period(quarter.name), "days_into_quarter": days_in,
                        "won_this_quarter": count},
                action=(f"Agree with {person.name} which prospects to work this month, and "
                        "review them at the next territory review."),
            )



