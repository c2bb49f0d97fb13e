"""A meeting's account from its attendees' e-mails, and the deals open on its date."""

from datetime import date

from heedful.meetings.linking import Directory, domain_of_website, open_opportunities
from tests.factories import AccountFactory, ContactFactory, OpportunityFactory, UserFactory


def test_a_contacts_address_names_their_account(db) -> None:  # noqa: ANN001
    # given
    acme = AccountFactory(website="https://www.acme.example/")
    globex = AccountFactory()
    ContactFactory(account=globex, email="ana@acme.example")
    # when
    directory = Directory.of(["ana@acme.example"])
    # then: the contact's account, not the one whose website has the domain
    assert directory.account_for(["MAILTO:Ana@Acme.example"]) == globex.pk
    assert acme.pk != globex.pk


def test_a_websites_domain_names_the_account_scheme_www_and_subdomains_ignored(db) -> None:  # noqa: ANN001
    # given
    acme = AccountFactory(website="HTTPS://WWW.Acme.example:443/about")
    AccountFactory(website="notacme.example")
    # when
    directory = Directory.of(["new.person@eu.acme.example"])
    # then
    assert directory.account_for(["new.person@eu.acme.example"]) == acme.pk


def test_our_own_users_never_name_an_account(db) -> None:  # noqa: ANN001
    # given: a rep whose address is on the customer's domain, and a contact record of it
    AccountFactory(website="acme.example")
    UserFactory(username="ana", email="Ana@acme.example")
    ContactFactory(email="ana@acme.example")
    # when
    directory = Directory.of(["ana@acme.example"])
    # then
    assert directory.account_for(["ana@acme.example"]) is None
    assert directory.user_id("ana@acme.example") is not None


def test_the_account_named_by_most_attendees_wins_and_a_tie_goes_to_the_first_named(
    db,  # noqa: ANN001
) -> None:
    # given
    first = AccountFactory(website="first.example")
    second = AccountFactory(website="second.example")
    addresses = ["a@first.example", "b@second.example", "c@second.example"]
    directory = Directory.of(addresses)
    # then
    assert directory.account_for(addresses) == second.pk
    assert directory.account_for(addresses[:2]) == first.pk


def test_addresses_of_a_whole_import_are_read_in_three_queries(
    db, django_assert_num_queries,  # noqa: ANN001
) -> None:
    # given
    for index in range(20):
        AccountFactory(website=f"customer{index}.example")
    addresses = [f"person@customer{index}.example" for index in range(20)]
    # when / then: users, contacts, accounts by website
    with django_assert_num_queries(3):
        directory = Directory.of(addresses)
    assert all(directory.account_for([address]) for address in addresses)


def test_deals_open_on_the_meetings_date(db) -> None:  # noqa: ANN001
    # given
    account = AccountFactory()
    open_one = OpportunityFactory(account=account, created_on=date(2026, 1, 1))
    closed_that_day = OpportunityFactory(
        account=account, created_on=date(2026, 1, 1), closed_on=date(2026, 6, 1), won=True
    )
    OpportunityFactory(
        account=account, created_on=date(2026, 1, 1), closed_on=date(2026, 5, 31), won=False
    )
    OpportunityFactory(account=account, created_on=date(2026, 6, 2))
    OpportunityFactory(created_on=date(2026, 1, 1))  # another account's
    # when
    found = open_opportunities([(account.pk, date(2026, 6, 1))])
    # then
    assert {deal.pk for deal in found[(account.pk, date(2026, 6, 1))]} == {
        open_one.pk, closed_that_day.pk,
    }


def test_domain_of_website() -> None:
    assert domain_of_website("http://www.acme.example/x?y") == "acme.example"
    assert domain_of_website("") == ""
