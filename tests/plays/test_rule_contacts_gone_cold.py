from datetime import UTC, datetime

from tests.factories import ContactFactory, InteractionFactory

RULE = "contacts.gone_cold"


def talk(contact, when, **fields):  # noqa: ANN001, ANN201
    interaction = InteractionFactory(account=contact.account, occurred_at=when, **fields)
    interaction.contacts.add(contact)
    return interaction


def test_key_contact_silent_for_more_than_90_days_fires(people, findings) -> None:  # noqa: ANN001
    # given
    rich = ContactFactory(account=people.ours, external_id="CON-7", full_name="Richard Roe",
                          preferred_name="Rich", title="CIO", is_key=True,
                          preferred_channel="email")
    talk(rich, datetime(2026, 7, 21, 10, 0, tzinfo=UTC))
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert (play.subject, play.period) == ("contact:CON-7", "2026-07-21")
    assert play.explanation == (
        "Richard Roe (CIO), a key contact, has not had a two-way conversation with us since "
        "21 Jul 2026: 124 days, more than 90."
    )
    assert play.facts["days_quiet"] == 124
    assert play.suggested_action.startswith("Reach Rich by e-mail, the way they prefer,")


def test_a_conversation_90_days_ago_keeps_it_quiet(people, findings) -> None:  # noqa: ANN001
    contact = ContactFactory(account=people.ours, is_key=True)
    talk(contact, datetime(2026, 8, 24, 0, 0, tzinfo=UTC))
    assert findings(RULE) == []


def test_one_way_mail_does_not_count(people, findings) -> None:  # noqa: ANN001
    contact = ContactFactory(account=people.ours, is_key=True)
    talk(contact, datetime(2026, 11, 1, 10, 0, tzinfo=UTC), direction="outbound")
    found = findings(RULE)
    assert found[0].period == "never"
    assert "has never had a two-way conversation with us on record." in found[0].explanation


def test_a_call_without_direction_counts_as_a_conversation(people, findings) -> None:  # noqa: ANN001
    contact = ContactFactory(account=people.ours, is_key=True)
    talk(contact, datetime(2026, 11, 1, 10, 0, tzinfo=UTC), kind="call", direction="")
    assert findings(RULE) == []


def test_contacts_not_key_or_not_to_be_contacted_stay_quiet(people, findings) -> None:  # noqa: ANN001
    ContactFactory(account=people.ours, is_key=False)
    ContactFactory(account=people.ours, is_key=True, do_not_contact=True)
    assert findings(RULE) == []


def test_future_conversations_do_not_count(people, findings) -> None:  # noqa: ANN001
    contact = ContactFactory(account=people.ours, is_key=True)
    talk(contact, datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    assert len(findings(RULE)) == 1
