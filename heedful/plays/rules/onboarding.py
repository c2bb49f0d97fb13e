"""Onboarding kept on track: the plan's tasks done when due, and the manager's regular 1:1s
with the new hire ("Conduct regular 1on1's with your new hires ... consistently review
activity, funnel, performance metrics and expectations vs. results")."""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Max

from heedful.onboarding.models import OnboardingPlan, OnboardingTask
from heedful.plays import facts
from heedful.plays.rules.base import (
    Finding,
    Rule,
    Thresholds,
    day,
    days_phrase,
    listed,
    plural,
)
from heedful.plays.rules.people import Person, people_with_anchors

SHOWN_TASKS = 3
NEW_HIRE = facts.person("New hire")


def _finding(rule: Rule, person: Person, manager_id: int, limits: Thresholds, **fields: Any
             ) -> Finding:
    return Finding(account_id=person.account_id, owner_id=manager_id,
                   priority=rule.priority(limits), urgent=False, **fields)


class TaskOverdue(Rule):
    key = "onboarding.task_overdue"
    name = "Onboarding tasks overdue"
    reads = frozenset({"onboardingtask", "onboardingplan"})
    defaults = {"days_late": 3, "priority": 55}
    threshold_labels = {"days_late": "Days past its due day before a task counts"}
    declared_facts = {
        "new_hire": NEW_HIRE, "tasks": facts.text("Overdue", many=True),
        "oldest_due_on": facts.day("Oldest due"), "count": facts.number("Tasks overdue"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        latest_due = as_of - timedelta(days=int(limits["days_late"]))
        rows = (
            OnboardingTask.objects.filter(done_on__isnull=True, due_on__lte=latest_due)
            .order_by("due_on", "pk")
            .values("title", "due_on", "plan__new_hire_id", "plan__manager_id")
        )
        by_hire: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            by_hire[row["plan__new_hire_id"]].append(dict(row))
        for person in people_with_anchors(by_hire, account_ids).values():
            tasks = by_hire[person.id]
            oldest = tasks[0]["due_on"]
            shown = [f"“{task['title']}” (due {day(task['due_on'])})" for task in tasks]
            more = len(shown) - SHOWN_TASKS
            yield _finding(
                self, person, tasks[0]["plan__manager_id"], limits,
                subject=f"onboarding_tasks:{person.username}",
                title=f"{person.name}'s onboarding: {plural(len(tasks), 'task')} overdue",
                explanation=(
                    f"{listed(shown[:SHOWN_TASKS] + ([f'{more} more'] if more > 0 else []))} "
                    f"of {person.name}'s onboarding plan are not done; the oldest is "
                    f"{days_phrase((as_of - oldest).days)} past due."
                ),
                facts={"new_hire": facts.reference(person.id, person.name),
                       "tasks": [task["title"] for task in tasks],
                       "oldest_due_on": oldest.isoformat(), "count": len(tasks)},
                suggested_action=(f"Clear what blocks them with {person.name} and the mentor, "
                                  "or move the dates with a reason."),
            )


class OneOnOneMissed(Rule):
    key = "onboarding.one_on_one_missed"
    name = "1:1 with a new hire missed"
    reads = frozenset({"oneonone", "onboardingplan"})
    defaults = {"grace_days": 3, "ramp_months": 6, "priority": 60}
    threshold_labels = {
        "grace_days": "Days past the cadence before a 1:1 counts as missed",
        "ramp_months": "Watch 1:1s for this many months from the start",
    }
    declared_facts = {
        "new_hire": NEW_HIRE, "last_one_on_one": facts.day("Last 1:1"),
        "every_days": facts.days("Cadence"), "days_since": facts.days("Days since"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        plans = {
            row["new_hire_id"]: row for row in
            OnboardingPlan.objects.filter(
                starts_on__lte=as_of,
                starts_on__gt=as_of - timedelta(days=31 * int(limits["ramp_months"])),
            ).annotate(last=Max("one_on_ones__held_on")).values(
                "new_hire_id", "manager_id", "starts_on", "one_on_one_every_days", "last")
        }
        due = {
            hire: row for hire, row in plans.items()
            if (as_of - (row["last"] or row["starts_on"])).days
            >= row["one_on_one_every_days"] + int(limits["grace_days"])
        }
        for person in people_with_anchors(due, account_ids).values():
            row = due[person.id]
            since_day = row["last"] or row["starts_on"]
            since = (as_of - since_day).days
            held = (f"the last was on {day(row['last'])}" if row["last"]
                    else f"none since the start on {day(row['starts_on'])}")
            yield _finding(
                self, person, row["manager_id"], limits,
                subject=f"one_on_one:{person.username}", period=since_day.isoformat(),
                title=f"No 1:1 with {person.name} for {days_phrase(since)}",
                explanation=(
                    f"{person.name}'s plan has a 1:1 every "
                    f"{days_phrase(row['one_on_one_every_days'])}; {held}, "
                    f"{days_phrase(since)} ago."
                ),
                facts={"new_hire": facts.reference(person.id, person.name),
                       "last_one_on_one": row["last"].isoformat() if row["last"] else None,
                       "every_days": row["one_on_one_every_days"], "days_since": since},
                suggested_action=(f"Hold the 1:1 with {person.name} this week: activity, "
                                  "funnel and how the plan is going."),
            )
