"""Story 8 of PRODUCT.md gives a review a customer would find fair: the SLA misses first and
all of them, each explained with what we are doing, the months that went well too, the
volume delivered far above the contract, and only then the scope change, carried from the
review sent before."""

from collections.abc import Iterator

import pytest

from heedful.demo import company
from heedful.plays import engine
from heedful.plays.facts import shown_facts
from heedful.plays.models import Play
from heedful.reviews import services
from heedful.reviews.models import Review, ReviewStatus
from heedful.reviews.present import present
from tests.conftest import AS_OF
from tests.demo.helpers import built_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[company.Plan]:  # noqa: ANN001
    with django_db_blocker.unblock(), built_demo(AS_OF) as plan:
        yield plan


def test_story_8s_draft_review_is_fair(demo, db) -> None:  # noqa: ANN001
    # given
    draft = Review.objects.get(account__external_id="ACC-10008", status=ReviewStatus.DRAFT)
    # when
    view = present(services.get_content(review=draft, as_of=AS_OF))
    # then: the customer's data, good and bad, before our topics
    assert draft.period == "2026-08-01..2026-10-31"
    missed = [metric for metric in view.metrics if metric.is_missed]
    assert len(missed) == 3 and [metric.missed_count for metric in missed] == [2, 2, 2]
    assert all(metric.what_happened and metric.what_we_are_doing for metric in missed)
    assert all(any(month.met for month in metric.months) for metric in missed)
    desk = next(line for line in view.scope if line.function == "Service desk tickets")
    assert desk.is_over and desk.overrun_percent == "34.8%"  # 16,180 against 12,000
    assert [topic["kind"] for topic in view.topics] == ["scope_change", "renewal"]
    assert view.topics[0]["carried_from"] == draft.previous.period
    assert draft.previous.is_sent and draft.previous.snapshot["metrics"]
    assert view.heard and view.feedback_to is not None


def test_story_8s_plays_open_that_draft(demo, db) -> None:  # noqa: ANN001
    engine.scan(as_of=AS_OF, rules=["service.sla_miss", "service.scope_overrun"])
    play = Play.objects.filter(account__external_id="ACC-10008").first()
    assert play is not None
    link = next(fact for fact in shown_facts(play) if fact.key == "review_period")
    assert "/accounts/ACC-10008/reviews/2026-08-01..2026-10-31/" in link.html
