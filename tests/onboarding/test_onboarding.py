"""Onboarding plans: made from a template from the start date, seen by the new hire, the
mentor and the managers only, ticked off by them."""

from datetime import date

import pytest

from heedful.core.exceptions import InvalidInput
from heedful.onboarding import services
from heedful.onboarding.models import OnboardingPlan, PlanTemplate, TemplateTask
from tests.factories import UserFactory


@pytest.fixture
def template(db) -> PlanTemplate:  # noqa: ANN001
    template = PlanTemplate.objects.create(name="Account executive", one_on_one_every_days=7,
                                           ramp_percents="25;50;75;100")
    for title, due_day in (("Laptop", 0), ("CRM training", 10), ("Territory review", 21)):
        TemplateTask.objects.create(template=template, kind="training", title=title,
                                    due_day=due_day)
    return template


@pytest.fixture
def plan(people, template) -> OnboardingPlan:  # noqa: ANN001
    mentor = UserFactory(username="mentor", manager=people.manager)
    return services.instantiate(user=people.manager, template=template, new_hire=people.rep,
                                mentor=mentor, starts_on=date(2026, 11, 2))


def test_tasks_fall_due_from_the_start_date(plan) -> None:  # noqa: ANN001
    assert [(task.title, task.due_on) for task in plan.tasks.order_by("due_on")] == [
        ("Laptop", date(2026, 11, 2)), ("CRM training", date(2026, 11, 12)),
        ("Territory review", date(2026, 11, 23)),
    ]


def test_progress_in_week_three(plan) -> None:  # noqa: ANN001
    progress = services.progress(plan=plan, as_of=date(2026, 11, 20))
    assert (progress.week, progress.done, len(progress.overdue)) == (3, 0, 2)
    assert progress.ramp_percent == 25
    assert progress.next_one_on_one_due == date(2026, 11, 9)
    # three weeks in is still week three; the day after, week four
    assert (plan.week_number(date(2026, 11, 23)), plan.week_number(date(2026, 11, 24))) == (3, 4)


def test_only_the_manager_makes_a_plan(people, template) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput):
        services.instantiate(user=people.other_manager, template=template, new_hire=people.rep,
                             mentor=None, starts_on=date(2026, 11, 2))
    assert not OnboardingPlan.objects.exists()


@pytest.mark.parametrize(("viewer", "status"), [
    ("rep", 200), ("mentor", 200), ("manager", 200), ("director", 200), ("other_rep", 404),
])
def test_the_new_hire_the_mentor_and_the_managers_see_the_plan(client, people, plan, viewer,  # noqa: ANN001
                                                                status) -> None:
    user = plan.mentor if viewer == "mentor" else getattr(people, viewer)
    client.force_login(user)
    assert client.get(f"/onboarding/{plan.pk}/").status_code == status


def test_the_mentor_ticks_a_task_off(client, plan) -> None:  # noqa: ANN001
    task = plan.tasks.get(title="Laptop")
    client.force_login(plan.mentor)
    client.post(f"/onboarding/{plan.pk}/tasks/{task.pk}/done/")
    task.refresh_from_db()
    assert task.done_on is not None
