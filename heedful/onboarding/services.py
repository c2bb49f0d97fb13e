"""Onboarding plans: made from a template for a new hire from their start date; their
progress as the new hire, the mentor and the manager see it.

Who sees a plan: the new hire, the mentor, and anyone who manages the new hire (executives
and admins too). The new hire or the mentor marks a task done; the manager records 1:1s."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet

from heedful.accounts.visibility import managed_users, manages
from heedful.core.exceptions import InvalidInput, NotFound
from heedful.core.models import User
from heedful.lib import clock
from heedful.onboarding.models import (
    OnboardingPlan,
    OnboardingTask,
    OneOnOne,
    PlanTemplate,
)


def get_all(*, user: User) -> QuerySet[OnboardingPlan]:
    return OnboardingPlan.objects.filter(
        Q(new_hire__in=managed_users(user).values("pk")) | Q(mentor=user) | Q(new_hire=user)
    ).select_related("new_hire", "manager", "mentor", "template")


def get_or_raise(*, user: User, plan_id: int) -> OnboardingPlan:
    plan = get_all(user=user).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound("No such onboarding plan, or not one you may see.")
    return plan


def instantiate(
    *, user: User, template: PlanTemplate, new_hire: User, mentor: User | None,
    starts_on: date,
) -> OnboardingPlan:
    """A plan for ``new_hire`` from ``template``: each task due its due day after
    ``starts_on``; ``user`` (their manager) is the plan's manager."""
    if not manages(user, new_hire):
        raise InvalidInput("Only the new hire's manager makes their onboarding plan.",
                           {"new_hire": ["Choose someone who reports to you."]})
    if mentor is not None and mentor.pk == new_hire.pk:
        raise InvalidInput("A new hire cannot mentor themselves.",
                           {"mentor": ["Choose an experienced colleague."]})
    if OnboardingPlan.objects.filter(new_hire=new_hire).exists():
        raise InvalidInput(f"{new_hire.display_name} already has an onboarding plan.",
                           {"new_hire": ["Open their plan instead."]})
    with transaction.atomic():
        plan = OnboardingPlan.objects.create(
            new_hire=new_hire, manager=user, mentor=mentor, template=template,
            starts_on=starts_on, one_on_one_every_days=template.one_on_one_every_days,
            ramp_percents=template.ramp_percents,
        )
        OnboardingTask.objects.bulk_create([
            OnboardingTask(plan=plan, kind=task.kind, title=task.title,
                           due_on=starts_on + timedelta(days=task.due_day))
            for task in template.tasks.all()
        ])
    return plan


def mark_task_done(*, user: User, task: OnboardingTask, on: date | None = None) -> OnboardingTask:
    plan = task.plan
    if user.pk not in (plan.new_hire_id, plan.mentor_id) and not manages(user, plan.new_hire):
        raise InvalidInput("Only the new hire, their mentor or their manager ticks a task off.")
    task.done_on = on or clock.today()
    task.save(update_fields=["done_on"])
    return task


def record_one_on_one(*, user: User, plan: OnboardingPlan, held_on: date | None,
                      notes: str = "") -> OneOnOne:
    if not manages(user, plan.new_hire):
        raise InvalidInput("Only the new hire's manager records their 1:1s.")
    if held_on is None:
        raise InvalidInput("Say when the 1:1 was held.", {"held_on": ["A date such as "
                                                                      "2026-11-30."]})
    return OneOnOne.objects.create(plan=plan, held_on=held_on, notes=notes.strip())


@dataclass(frozen=True)
class Progress:
    plan: OnboardingPlan
    tasks: list[OnboardingTask]
    one_on_ones: list[OneOnOne]
    as_of: date

    @property
    def done(self) -> int:
        return sum(1 for task in self.tasks if task.done_on is not None)

    @property
    def overdue(self) -> list[OnboardingTask]:
        return [task for task in self.tasks if task.done_on is None and task.due_on < self.as_of]

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / len(self.tasks)) if self.tasks else 100

    @property
    def week(self) -> int:
        return self.plan.week_number(self.as_of)

    @property
    def ramp_percent(self) -> int:
        return self.plan.ramp_percent(self.as_of)

    @property
    def last_one_on_one(self) -> date | None:
        return self.one_on_ones[0].held_on if self.one_on_ones else None

    @property
    def next_one_on_one_due(self) -> date:
        since = self.last_one_on_one or self.plan.starts_on
        return since + timedelta(days=self.plan.one_on_one_every_days)

    @property
    def ramp_months(self) -> list[tuple[int, int, bool]]:
        """(month number, percent of quota, is this month) for each month of the ramp."""
        current = self.plan.month_number(self.as_of)
        return [(number, percent, number == current)
                for number, percent in enumerate(self.plan.ramp or [100], start=1)]


def progress(*, plan: OnboardingPlan, as_of: date) -> Progress:
    return Progress(
        plan=plan, tasks=list(plan.tasks.order_by("due_on", "pk")),
        one_on_ones=list(plan.one_on_ones.order_by("-held_on")), as_of=as_of,
    )
