"""meetings.follow_up_call: the follow-up of a contact who does not take e-mail is a call in
the owner's queue until a call with them is logged."""

from datetime import UTC, datetime

import pytest

from heedful.interactions.models import Interaction
from heedful.meetings import services
from heedful.plays.engine import scan
from heedful.plays.models import Play
from tests.meetings.conftest import NOW, meeting, now  # noqa: F401

pytestmark = pytest.mark.django_db
RULE = "meetings.follow_up_call"


def test_giulia_who_prefers_the_phone_gets_a_call_in_the_organizers_queue(people, meeting) -> None:  # noqa: ANN001, F811
    # when
    services.send_follow_up(user=people.rep, meeting=meeting)
    scan(as_of=NOW.date(), rules=[RULE])
    # then: Rich took it by e-mail; Giulia is a call to make
    play = Play.objects.get(rule=RULE)
    assert play.owner == people.rep
    assert play.title == "Call Giulia to follow up “Quarterly review”"
    assert play.facts["contact"]["name"] == "Giulia Rossi"


def test_the_call_play_closes_once_the_call_is_logged(people, meeting) -> None:  # noqa: ANN001, F811
    services.send_follow_up(user=people.rep, meeting=meeting)
    scan(as_of=NOW.date(), rules=[RULE])
    call = Interaction.objects.create(
        account=people.ours, occurred_at=datetime(2026, 11, 23, 15, 0, tzinfo=UTC), kind="call",
        user=people.rep,
    )
    call.contacts.add(meeting.giulia)
    scan(as_of=NOW.date(), rules=[RULE])
    assert not Play.objects.filter(rule=RULE, status="open").exists()


def test_no_call_play_before_the_follow_up_is_sent(people, meeting) -> None:  # noqa: ANN001, F811
    scan(as_of=NOW.date(), rules=[RULE])
    assert not Play.objects.filter(rule=RULE).exists()
