"""Whom to reach about a play: the people it names, the ticket's reporter, else key contacts;
each with their preferred channel and a tel: or mailto: link (also on the play page)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heedful.plays.people import KEY_CONTACT, NAMED, REPORTED, get_people_to_reach
from tests.factories import AccountFactory, ContactFactory, TicketFactory


def names(people_by_play: dict, play) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(person.contact.full_name, person.why) for person in people_by_play[play.pk]]


def test_a_play_about_a_contact_names_that_contact(people, make_play) -> None:  # noqa: ANN001
    ContactFactory(account=people.ours, external_id="CON-7", full_name="Richard Hale",
                   is_key=True)
    ContactFactory(account=people.ours, full_name="Another Key", is_key=True)
    play = make_play(people.ours, rule="contacts.gone_cold", subject="contact:CON-7",
                     facts={"contact": "CON-7"})
    assert names(get_people_to_reach([play]), play) == [("Richard Hale", NAMED)]


def test_a_play_listing_contacts_in_its_facts_names_each(people, make_play) -> None:  # noqa: ANN001
    # given: one play per account that lists its cold key contacts
    for number, name in [(1, "Anja Richter"), (2, "Sophie Schäfer")]:
        ContactFactory(account=people.ours, external_id=f"CON-{number}", full_name=name)
    play = make_play(people.ours, rule="contacts.gone_cold", subject="account",
                     facts={"contacts": ["CON-1", "CON-2"], "threshold_days": 90})
    assert names(get_people_to_reach([play]), play) == [
        ("Anja Richter", NAMED), ("Sophie Schäfer", NAMED)]


def test_a_contact_of_another_account_is_never_named(people, make_play) -> None:  # noqa: ANN001
    ContactFactory(account=people.theirs, external_id="CON-9", full_name="Not Theirs To Call")
    play = make_play(people.ours, subject="contact:CON-9", facts={"contact": "CON-9"})
    assert names(get_people_to_reach([play]), play) == []


def test_a_ticket_play_names_who_reported_it(people, make_play) -> None:  # noqa: ANN001
    dolores = ContactFactory(account=people.ours, full_name="Dolores Nuñez")
    TicketFactory(account=people.ours, external_id="TCK-7", contact=dolores)
    play = make_play(people.ours, rule="support.ticket_opened", subject="ticket:TCK-7",
                     facts={"ticket": "TCK-7"})
    assert names(get_people_to_reach([play]), play) == [("Dolores Nuñez", REPORTED)]


def test_a_play_naming_nobody_offers_key_contacts_executives_first(people, make_play) -> None:  # noqa: ANN001
    for name, role, is_key, do_not_contact in [
        ("Tina Technical", "technical", True, False),
        ("Erin Executive", "executive", True, False),
        ("Norma Notkey", "business", False, False),
        ("Dana Donotcall", "business", True, True),
    ]:
        ContactFactory(account=people.ours, full_name=name, role_type=role, is_key=is_key,
                       do_not_contact=do_not_contact)
    play = make_play(people.ours, subject="invoice:INV-1", facts={"amount": "7800.00"})
    assert names(get_people_to_reach([play]), play) == [
        ("Erin Executive", KEY_CONTACT), ("Tina Technical", KEY_CONTACT)]


def test_three_queries_for_any_number_of_plays(people, make_play) -> None:  # noqa: ANN001
    plays = []
    for index in range(12):
        account = AccountFactory(owner=people.rep)
        contact = ContactFactory(account=account, external_id=f"CON-Q{index}", is_key=True)
        TicketFactory(account=account, external_id=f"TCK-Q{index}", contact=contact)
        plays += [
            make_play(account, subject=f"contact:CON-Q{index}"),
            make_play(account, rule="support.ticket_opened", subject=f"ticket:TCK-Q{index}"),
            make_play(account, subject=f"invoice:INV-Q{index}"),
        ]
    with CaptureQueriesContext(connection) as queries:
        answer = get_people_to_reach(plays)
    assert len(queries.captured_queries) == 3
    assert all(answer[play.pk] for play in plays)


def test_the_play_page_says_whom_to_reach_and_how(client, people, make_play) -> None:  # noqa: ANN001
    # given: a key contact who prefers e-mail, and one who asked not to be contacted
    ContactFactory(account=people.ours, external_id="CON-1", full_name="Rebecca Lopez",
                   email="rebecca@tidewater.example", phone="+1 555 0100",
                   preferred_channel="email", is_key=True)
    ContactFactory(account=people.ours, external_id="CON-2", full_name="Dana Donotcall",
                   phone="+1 555 0199", do_not_contact=True)
    play = make_play(people.ours, subject="account", facts={"contacts": ["CON-1", "CON-2"]},
                     suggested_action="Call them now.")
    client.force_login(people.rep)
    # when
    body = client.get(reverse("plays:detail", args=[play.pk])).content.decode()
    # then: e-mail is the link for the person who prefers it, the phone is not offered
    assert "Whom to reach" in body and "Rebecca Lopez" in body and "Prefers e-mail" in body
    assert '<a href="mailto:rebecca@tidewater.example"' in body
    assert 'href="tel:+1 555 0100"' not in body and "prefers e-mail: not by phone" in body
    # and the person who asked not to be contacted has no link at all
    assert "Dana Donotcall" in body and "Asked not to be contacted." in body
    assert 'href="tel:+1 555 0199"' not in body
