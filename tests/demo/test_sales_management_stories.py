"""Stories 11 and 12 as a manager meets them after the demo's scan: the top performer's plays
and below-standard figures on Priya's landing page, the new hire's onboarding on Morgan's."""

from collections.abc import Iterator

import pytest

from heedful.core.models import User
from heedful.forecasts import periods
from heedful.lib import clock
from heedful.onboarding import services as onboarding
from heedful.plays.engine import scan
from heedful.plays.models import Play
from heedful.scorecards import services as scorecards
from tests.conftest import AS_OF
from tests.demo.helpers import built_demo


@pytest.fixture(scope="module")
def scanned(django_db_setup, django_db_blocker) -> Iterator[None]:  # noqa: ANN001
    with django_db_blocker.unblock(), built_demo(AS_OF):
        scan(as_of=AS_OF)
        yield


def test_story_11_the_top_performer_is_below_standard_except_on_the_number(scanned, db) -> None:  # noqa: ANN001
    marco = User.objects.get(username="marco")
    card = scorecards.scorecards(reps=[marco], period=periods.quarter_of(AS_OF), as_of=AS_OF)[0]
    below = {score.dimension.key for score in card.below}
    assert {"forecast_timeliness", "expenses_on_time", "record_hygiene",
            "new_accounts_won"} <= below
    assert card.score("quota_attainment").meets is True


def test_story_11_his_manager_gets_a_play_for_each_lapse(scanned, db) -> None:  # noqa: ANN001
    plays = Play.objects.filter(status="open", owner__username="priya",
                                facts__rep__name="Marco Bellini")
    assert set(plays.values_list("rule", flat=True)) == {
        "sales.forecast_late", "sales.expenses_late", "sales.stale_records",
        "sales.no_new_accounts",
    }


def test_story_12_the_new_hire_in_week_three_with_a_mentor(scanned, db) -> None:  # noqa: ANN001
    manager = User.objects.get(username="manager")
    [plan] = onboarding.get_all(user=manager)
    progress = onboarding.progress(plan=plan, as_of=AS_OF)
    assert (plan.new_hire.username, plan.mentor.username, progress.week) == (
        "jordan", "sofia", 3)
    assert [task.title for task in progress.overdue] == ["Sales process and CRM training"]
    assert Play.objects.filter(status="open", owner=manager,
                               rule="onboarding.task_overdue").count() == 1


def test_both_stories_are_on_the_managers_landing_pages(scanned, client, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(clock, "today", lambda: AS_OF)
    client.force_login(User.objects.get(username="priya"))
    page = client.get("/", follow=True).content.decode()
    assert "Marco Bellini</strong></a>: " in page and "forecasts on time 0%" in page
    client.force_login(User.objects.get(username="manager"))
    page = client.get("/", follow=True).content.decode()
    assert "Jordan Blake</strong></a>, week 3 of onboarding with Sofia Marquez as mentor" in page
