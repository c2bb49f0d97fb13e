from datetime import UTC, datetime

from tests.factories import ContactFactory, InteractionFactory

RULE = "contacts.only_technical"


def talk(account, contacts, when=datetime(2026, 10, 1, 10, 0, tzinfo=UTC)):  # noqa: ANN001, ANN201, B008
    interaction = InteractionFactory(account=account, occurred_at=when)
    interaction.contacts.add(*contacts)
    return interaction


def test_account_where_we_only_talk_to_technicians_fires(people, findings) -> None:  # noqa: ANN001
    # given
    engineer = ContactFactory(account=people.ours, role_type="technical")
    admin = ContactFactory(account=people.ours, role_type="technical")
    ContactFactory(account=people.ours, role_type="business")
    talk(people.ours, [engineer])
    talk(people.ours, [engineer, admin])
    talk(people.ours, [admin])
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert play.subject == "account"
    assert play.explanation == (
        "In the last 180 days, 3 interactions with named people were with 2 technical contacts "
        "and none with a business user or an executive."
    )
    assert play.facts["interactions"] == 3
    assert play.facts["technical_contacts"] == 2
    assert "introduction" in play.suggested_action


def test_one_business_conversation_keeps_it_quiet(people, findings) -> None:  # noqa: ANN001
    engineer = ContactFactory(account=people.ours, role_type="technical")
    buyer = ContactFactory(account=people.ours, role_type="executive")
    talk(people.ours, [engineer])
    talk(people.ours, [buyer], when=datetime(2026, 5, 27, 10, 0, tzinfo=UTC))
    assert findings(RULE) == []


def test_business_conversation_before_the_window_does_not_count(people, findings) -> None:  # noqa: ANN001
    engineer = ContactFactory(account=people.ours, role_type="technical")
    buyer = ContactFactory(account=people.ours, role_type="business")
    talk(people.ours, [engineer])
    talk(people.ours, [buyer], when=datetime(2026, 5, 25, 10, 0, tzinfo=UTC))
    assert len(findings(RULE)) == 1


def test_no_recent_interactions_with_people_stays_quiet(people, findings) -> None:  # noqa: ANN001
    engineer = ContactFactory(account=people.ours, role_type="technical")
    talk(people.ours, [engineer], when=datetime(2026, 1, 1, 10, 0, tzinfo=UTC))
    InteractionFactory(account=people.ours)
    assert findings(RULE) == []
