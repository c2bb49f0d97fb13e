from datetime import UTC, datetime

from tests.factories import InteractionFactory, UserFactory

RULE = "feedback.praise_to_manager"


def test_praise_goes_to_the_praised_persons_manager(people, findings) -> None:  # noqa: ANN001
    # given
    people.rep.full_name = "Dana Smith"
    people.rep.save()
    InteractionFactory(account=people.ours, user=people.rep, kind="email", tags=";praise;",
                       subject="Thanks for the quick fix",
                       occurred_at=datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert play.owner_id == people.manager.pk
    assert play.subject.startswith("praise:")
    assert play.explanation == (
        'On 18 Nov 2026 Ours Telecom praised Dana Smith in an e-mail ("Thanks for the quick fix"); '
        "Dana Smith reports to you."
    )
    assert play.facts["praised"] ["name"] == "Dana Smith"
    assert "recognise Dana Smith" in play.suggested_action


def test_praise_older_than_30_days_stays_quiet(people, findings) -> None:  # noqa: ANN001
    InteractionFactory(account=people.ours, user=people.rep, tags=";praise;",
                       occurred_at=datetime(2026, 10, 22, 23, 0, tzinfo=UTC))
    assert findings(RULE) == []


def test_praise_without_a_person_or_a_manager_stays_quiet(people, findings) -> None:  # noqa: ANN001
    loner = UserFactory(username="loner")
    InteractionFactory(account=people.ours, user=None, tags=";praise;")
    InteractionFactory(account=people.ours, user=loner, tags=";praise;")
    InteractionFactory(account=people.ours, user=people.rep, tags=";praises;")
    assert findings(RULE) == []
