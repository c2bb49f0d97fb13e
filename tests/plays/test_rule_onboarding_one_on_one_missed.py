from datetime import date

from heedful.onboarding.models import OneOnOne
from tests.plays.sales_records import onboarding_plan

RULE = "onboarding.one_on_one_missed"


def test_ten_days_without_a_weekly_one_on_one_is_missed(people, findings) -> None:  # noqa: ANN001
    # given: weekly 1:1s, 3 days' grace; the last on 12 Nov, ten days before 22 Nov
    people.rep.full_name = "Nina New"
    people.rep.save()
    plan = onboarding_plan(people.rep, people.manager, starts_on=date(2026, 11, 2))
    OneOnOne.objects.create(plan=plan, held_on=date(2026, 11, 12))
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    assert found[0].owner_id == people.manager.pk
    assert found[0].title == "No 1:1 with Nina New for 10 days"
    assert found[0].facts["last_one_on_one"] == "2026-11-12"


def test_nine_days_is_within_the_grace(people, findings) -> None:  # noqa: ANN001
    plan = onboarding_plan(people.rep, people.manager, starts_on=date(2026, 11, 2))
    OneOnOne.objects.create(plan=plan, held_on=date(2026, 11, 13))
    assert findings(RULE) == []


def test_without_any_one_on_one_the_start_counts(people, findings) -> None:  # noqa: ANN001
    onboarding_plan(people.rep, people.manager, starts_on=date(2026, 11, 12))
    assert len(findings(RULE)) == 1
    assert findings(RULE, grace_days=4) == []
