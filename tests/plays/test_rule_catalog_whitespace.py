from datetime import UTC, datetime

import pytest

from tests.factories import (
    AccountFactory,
    HoldingFactory,
    InteractionFactory,
    ProductFactory,
    ProductFamilyFactory,
)

RULE = "catalog.whitespace"


@pytest.fixture
def services_product(db):  # noqa: ANN001, ANN201
    return ProductFactory(family=ProductFamilyFactory(name="Professional services"))


def telecoms(count: int, owner):  # noqa: ANN001, ANN201
    return [AccountFactory(industry="Telecommunications", owner=owner) for _ in range(count)]


def test_family_most_peers_own_fires_for_the_one_that_does_not(people, services_product,
                                                               findings) -> None:  # noqa: ANN001
    # given 10 telecom customers (ours and theirs are telecom too), 3 own professional services
    peers = telecoms(8, people.other_rep)
    for peer in peers[:3]:
        HoldingFactory(account=peer, product=services_product)
    # when
    found = findings(RULE, [people.ours.pk])
    # then
    assert len(found) == 1
    play = found[0]
    assert play.subject == "family:Professional services"
    assert play.explanation == (
        "3 of 10 Telecommunications customers (30%) own Professional services; Ours Telecom "
        "does not, and it has never come up in a conversation with them."
    )
    assert play.facts["share_percent"] == 30
    assert play.suggested_action.startswith(
        "Ask whether they know we also do Professional services")


def test_just_under_30_percent_stays_quiet(people, services_product, findings) -> None:  # noqa: ANN001
    peers = telecoms(9, people.other_rep)
    for peer in peers[:3]:
        HoldingFactory(account=peer, product=services_product)
    assert findings(RULE) == []


def test_a_conversation_tagged_with_the_family_keeps_it_quiet(people, services_product,
                                                              findings) -> None:  # noqa: ANN001
    peers = telecoms(2, people.other_rep)
    HoldingFactory(account=peers[0], product=services_product)
    InteractionFactory(account=people.ours, tags=";professional services;",
                       occurred_at=datetime(2024, 3, 1, 10, 0, tzinfo=UTC))
    assert findings(RULE, [people.ours.pk]) == []


def test_other_industries_do_not_count(people, services_product, findings) -> None:  # noqa: ANN001
    for account in [AccountFactory(industry="Banking", owner=people.other_rep) for _ in range(3)]:
        HoldingFactory(account=account, product=services_product)
    assert findings(RULE, [people.ours.pk]) == []


def test_tiny_industries_and_empty_industry_stay_quiet(people, services_product, findings) -> None:  # noqa: ANN001
    # given an industry of two, one of which owns the family, and accounts with no industry
    people.ours.industry = "Mining"
    people.ours.save()
    HoldingFactory(account=AccountFactory(industry="Mining", owner=people.other_rep),
                   product=services_product)
    blanks = [AccountFactory(industry="", owner=people.other_rep) for _ in range(3)]
    HoldingFactory(account=blanks[0], product=services_product)
    assert findings(RULE) == []


def test_each_family_is_found_the_most_owned_first(people, services_product,
                                                  findings) -> None:  # noqa: ANN001
    # given peers own professional services (3 of 5) and security (4 of 5)
    security = ProductFactory(family=ProductFamilyFactory(name="Security"))
    peers = telecoms(3, people.other_rep)
    for peer in peers:
        HoldingFactory(account=peer, product=security)
        HoldingFactory(account=peer, product=services_product)
    HoldingFactory(account=people.theirs, product=security)
    # when
    found = findings(RULE, [people.ours.pk])
    # then each family is a part; the scan makes them one play (tests/plays/test_fewer_plays)
    assert {f.subject for f in found} == {"family:Security", "family:Professional services"}
    security_part = next(f for f in found if f.subject == "family:Security")
    assert "4 of 5 Telecommunications customers (80%) own Security" in security_part.explanation
