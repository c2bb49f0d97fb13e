"""The health score on the demo: on every account and every scan date its components add up to
it, and the story accounts in trouble score below the healthy ones."""

import statistics
from collections.abc import Iterator

import pytest

from heedful.accounts.models import Account
from heedful.demo import company
from heedful.health import services
from heedful.health.models import HealthScore
from heedful.plays.engine import scan
from heedful.plays.models import Play
from tests.conftest import AS_OF
from tests.demo.helpers import built_demo

IN_TROUBLE = ("ACC-10004", "ACC-10007", "ACC-10008")  # phones cut off, closures, SLA misses


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[company.Plan]:  # noqa: ANN001
    with django_db_blocker.unblock(), built_demo(AS_OF) as plan:
        # As ``heedful demo`` does: the scan, then the score again with the plays it raised.
        scan(as_of=AS_OF)
        scan(as_of=AS_OF, rules=["health.score_drop"])
        yield plan


def test_the_components_add_up_to_the_score_on_every_demo_account(demo, db) -> None:  # noqa: ANN001
    customers = Account.objects.filter(status="customer").count()
    assert HealthScore.objects.filter(on=AS_OF).count() == customers
    days = set()
    for snapshot in HealthScore.objects.all():
        days.add(snapshot.on)
        assert sum(part[0] for part in snapshot.components.values()) == snapshot.score
        assert sum(part[1] for part in snapshot.components.values() if part[3]) == 100
        explained = services.explanation_of(snapshot)
        assert sum(line.points for line in explained.components) == snapshot.score
        assert all(0 <= line.points <= line.most for line in explained.components)
    assert len(days) == company.HEALTH_HISTORY_WEEKS + 1


def test_story_accounts_in_trouble_score_below_the_rest(demo, db) -> None:  # noqa: ANN001
    today = dict(HealthScore.objects.filter(on=AS_OF).values_list("account__external_id", "score"))
    median = statistics.median(today.values())
    for external_id in IN_TROUBLE:
        assert today[external_id] < 75 <= median, external_id
    assert max(today[external_id] for external_id in IN_TROUBLE) < min(
        today[external_id] for external_id in ("ACC-10002", "ACC-10005", "ACC-10006", "ACC-10014")
    )
    explained = services.explain(Account.objects.get(external_id="ACC-10008"), AS_OF)
    assert explained is not None
    lost = {line.key for line in explained.components if line.points < line.most}
    assert {"sla", "scope", "owner_sentiment"} <= lost


def test_a_sudden_fall_raises_a_play_on_the_demo(demo, db) -> None:  # noqa: ANN001
    fell = set(Play.objects.filter(rule="health.score_drop").values_list(
        "account__external_id", flat=True))
    assert "ACC-10004" in fell  # the severity-1 ticket and its urgent play, this week
