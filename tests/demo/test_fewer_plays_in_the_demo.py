"""The demo's queue, after its scan: each story's play in the top ten of its owner's queue,
pitches at most a fifth of the open plays, and no record with two open plays (issue 8)."""

from collections import Counter
from collections.abc import Iterator

import pytest

from heedful.demo import company
from heedful.plays import services
from heedful.plays.engine import scan
from heedful.plays.models import Play
from heedful.plays.rules import PITCHING_RULES
from tests.conftest import AS_OF
from tests.demo.helpers import built_demo
from tests.demo.test_story_plays import STORY_PLAYS


@pytest.fixture(scope="module", params=[company.DEFAULT_SEED, 11], ids=["seed-2026", "seed-11"])
def scanned(request, django_db_setup, django_db_blocker) -> Iterator[None]:  # noqa: ANN001
    with django_db_blocker.unblock(), built_demo(AS_OF, seed=request.param):
        scan(as_of=AS_OF)
        yield


def test_each_story_play_is_in_the_top_ten_of_its_owners_queue(scanned, db) -> None:  # noqa: ANN001
    for number, (rule, _, _) in sorted(STORY_PLAYS.items()):
        story = next(s for s in company.STORIES if s.number == number)
        play = Play.objects.select_related("owner").get(
            account__external_id=story.account_external_id, rule=rule, status="open"
        )
        queue = list(services.get_queue(user=play.owner, owner_id=play.owner_id)
                     .values_list("id", flat=True)[:10])
        assert play.pk in queue, f"story {number}: {rule} not in the top ten"


def test_pitching_plays_are_at_most_a_fifth_of_the_open_plays(scanned, db) -> None:  # noqa: ANN001
    open_plays = Play.objects.filter(status="open")
    pitching = open_plays.filter(rule__in=PITCHING_RULES).count()
    assert pitching * 5 <= open_plays.count()


def test_no_account_has_two_open_plays_about_the_same_record(scanned, db) -> None:  # noqa: ANN001
    records = Counter(
        Play.objects.filter(status="open").exclude(subject="account")
        .values_list("account_id", "subject")
    )
    assert [record for record, plays in records.items() if plays > 1] == []
