"""Every story that a rule of the attention engine covers shows up as an explained play
after the demo's scan, on the right account, for the right person."""

from collections.abc import Iterator

import pytest

from heedful.demo import company
from heedful.plays.engine import scan
from heedful.plays.models import Play
from tests.conftest import AS_OF
from tests.demo.helpers import built_demo

# story number → (rule, the number or phrase its explanation must carry, who gets it)
STORY_PLAYS = {
    1: ("billing.spike", "$7,800.00", "rep"),
    4: ("support.ticket_opened", "Phones cut off", "rep"),
    5: ("contracts.bad_news_first", "price increase", "rep"),
    6: ("orders.shipped_followup", "10 days", "rep"),
    7: ("health.business_change", "30%", "rep"),
    8: ("service.scope_overrun", "%", "rep"),
    10: ("team.exec_visit_due", "days", "executive"),
    13: ("contacts.only_technical", "technical", "rep"),
    14: ("catalog.whitespace", "rofessional services", "rep"),
}


@pytest.fixture(scope="module")
def scanned(django_db_setup, django_db_blocker) -> Iterator[None]:  # noqa: ANN001
    with django_db_blocker.unblock(), built_demo(AS_OF):
        scan(as_of=AS_OF)
        yield


@pytest.mark.parametrize("number", sorted(STORY_PLAYS))
def test_story_raises_its_explained_play(scanned, db, number: int) -> None:  # noqa: ANN001
    # given
    rule, evidence, owner = STORY_PLAYS[number]
    story = next(s for s in company.STORIES if s.number == number)
    # when
    plays = Play.objects.filter(
        account__external_id=story.account_external_id, rule=rule, status="open"
    ).select_related("owner")
    # then
    assert plays, f"story {number}: no open {rule} play on {story.account_external_id}"
    play = plays[0]
    assert evidence.lower() in f"{play.title} {play.explanation}".lower()
    assert play.owner is not None and play.owner.username == owner
    assert play.suggested_action


def test_phones_cut_off_play_is_urgent(scanned, db) -> None:  # noqa: ANN001
    story = next(s for s in company.STORIES if s.number == 4)
    play = Play.objects.get(
        account__external_id=story.account_external_id, rule="support.ticket_opened",
        status="open",
    )
    assert play.urgent


def test_story_15_brad_and_his_manager_hear_that_he_asks_too_few_questions(scanned, db) -> None:  # noqa: ANN001
    plays = Play.objects.filter(rule="conversation.low_question_ratio", status="open")
    assert sorted(plays.values_list("owner__username", flat=True)) == ["brad", "manager"]
    for play in plays:
        assert "0.3" in f"{play.title} {play.explanation}"
