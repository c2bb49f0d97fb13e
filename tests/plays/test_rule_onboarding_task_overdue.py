from datetime import date

from tests.factories import UserFactory
from tests.plays.sales_records import onboarding_plan, task

RULE = "onboarding.task_overdue"


def test_a_task_three_days_overdue_goes_to_the_manager(people, findings) -> None:  # noqa: ANN001
    # given (22 Nov 2026)
    people.rep.full_name = "Nina New"
    people.rep.save()
    plan = onboarding_plan(people.rep, people.manager, starts_on=date(2026, 11, 9))
    task(plan, due_on=date(2026, 11, 19), title="CRM training")
    task(plan, due_on=date(2026, 11, 10), title="Laptop", done_on=date(2026, 11, 10))
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    assert found[0].owner_id == people.manager.pk
    assert found[0].title == "Nina New's onboarding: 1 task overdue"
    assert found[0].facts["tasks"] == ["CRM training"]


def test_two_days_overdue_is_under_the_threshold(people, findings) -> None:  # noqa: ANN001
    plan = onboarding_plan(people.rep, people.manager, starts_on=date(2026, 11, 9))
    task(plan, due_on=date(2026, 11, 20))
    assert findings(RULE) == []


def test_a_new_hire_without_an_account_gets_no_play(people, findings) -> None:  # noqa: ANN001
    newcomer = UserFactory(username="newcomer", manager=people.manager)
    plan = onboarding_plan(newcomer, people.manager, starts_on=date(2026, 11, 9))
    task(plan, due_on=date(2026, 11, 10))
    assert findings(RULE) == []
