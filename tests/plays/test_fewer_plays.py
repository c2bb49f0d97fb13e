"""Fewer, better plays: one play per account where there was one per contact or per family
(a dismissal still holds per contact or family), one play per record, and no pitch while the
customer is hurting."""

from datetime import UTC, date, datetime
from decimal import Decimal

from heedful.plays import services
from heedful.plays.engine import scan
from heedful.plays.models import Play
from tests.factories import (
    AccountFactory,
    ContactFactory,
    ContractFactory,
    HoldingFactory,
    InteractionFactory,
    InvoiceFactory,
    ProductFactory,
    ProductFamilyFactory,
    ServiceMetricFactory,
    TicketFactory,
)

AS_OF = date(2026, 11, 22)


def open_plays(rule: str, account) -> list[Play]:  # noqa: ANN001
    return list(Play.objects.filter(rule=rule, account=account, status="open"))


def cold_contact(account, name: str, external_id: str):  # noqa: ANN001, ANN201
    contact = ContactFactory(account=account, full_name=name, external_id=external_id,
                             is_key=True)
    talk = InteractionFactory(account=account, occurred_at=datetime(2026, 7, 1, tzinfo=UTC))
    talk.contacts.add(contact)
    return contact


def test_cold_key_contacts_of_an_account_are_one_play_naming_each(people) -> None:  # noqa: ANN001
    # given two key contacts gone cold on one account
    cold_contact(people.ours, "Ada Lovelace", "CON-A")
    cold_contact(people.ours, "Bob Stone", "CON-B")
    # when
    scan(as_of=AS_OF, rules=["contacts.gone_cold"])
    # then
    plays = open_plays("contacts.gone_cold", people.ours)
    assert len(plays) == 1
    play = plays[0]
    assert play.title == "2 key contacts have gone cold: Ada Lovelace and Bob Stone"
    assert "Ada Lovelace, a key contact," in play.explanation
    assert "Bob Stone, a key contact," in play.explanation
    assert play.facts["contacts"] == [
        {"id": "CON-A", "name": "Ada Lovelace"}, {"id": "CON-B", "name": "Bob Stone"}
    ]


def test_a_dismissed_gone_cold_play_holds_for_its_contacts_and_a_new_one_raises_it(
    people,  # noqa: ANN001
) -> None:
    # given a play for A and B, dismissed
    cold_contact(people.ours, "Ada Lovelace", "CON-A")
    cold_contact(people.ours, "Bob Stone", "CON-B")
    scan(as_of=AS_OF, rules=["contacts.gone_cold"])
    services.dismiss(play=open_plays("contacts.gone_cold", people.ours)[0], user=people.rep,
                     reason="Spoke at the fair")
    # when scanned again
    scan(as_of=AS_OF, rules=["contacts.gone_cold"])
    # then A and B do not come back
    assert open_plays("contacts.gone_cold", people.ours) == []
    # when C goes cold too
    cold_contact(people.ours, "Cyd Charisse", "CON-C")
    scan(as_of=AS_OF, rules=["contacts.gone_cold"])
    # then the play is back, for C alone
    plays = open_plays("contacts.gone_cold", people.ours)
    assert len(plays) == 1
    assert plays[0].title == "Key contact Cyd Charisse has gone cold"
    assert plays[0].facts["contacts"] == [{"id": "CON-C", "name": "Cyd Charisse"}]


def test_a_dismissal_of_one_of_two_contacts_still_holds_when_the_other_warms_up(
    people,  # noqa: ANN001
) -> None:
    # given a play for A and B, dismissed; then B is spoken to
    cold_contact(people.ours, "Ada Lovelace", "CON-A")
    bob = cold_contact(people.ours, "Bob Stone", "CON-B")
    scan(as_of=AS_OF, rules=["contacts.gone_cold"])
    services.dismiss(play=open_plays("contacts.gone_cold", people.ours)[0], user=people.rep,
                     reason="Not now")
    call = InteractionFactory(account=people.ours, kind="call",
                              occurred_at=datetime(2026, 11, 20, tzinfo=UTC))
    call.contacts.add(bob)
    # when
    scan(as_of=AS_OF, rules=["contacts.gone_cold"])
    # then A alone is not raised again
    assert open_plays("contacts.gone_cold", people.ours) == []


def peers_owning(families: dict[str, int], owner) -> None:  # noqa: ANN001
    """Five telecoms customers besides ``ours``; ``families`` says how many own each."""
    peers = [AccountFactory(industry="Telecommunications", owner=owner) for _ in range(4)]
    for name, count in families.items():
        product = ProductFactory(family=ProductFamilyFactory(name=name))
        for peer in peers[:count]:
            HoldingFactory(account=peer, product=product)


def test_whitespace_is_one_play_per_account_naming_its_families_most_owned_first(
    people,  # noqa: ANN001
) -> None:
    # given peers own security (4 of 5) and services (3 of 5); ours owns neither
    people.ours.industry = "Telecommunications"
    people.ours.save()
    peers_owning({"Professional services": 3, "Security": 4}, people.other_rep)
    # when
    scan(as_of=AS_OF, rules=["catalog.whitespace"])
    # then
    plays = open_plays("catalog.whitespace", people.ours)
    assert len(plays) == 1
    assert plays[0].title == "They may not know we offer Security or Professional services"
    assert plays[0].facts["families"] == ["Security", "Professional services"]


def test_a_pitch_is_held_back_while_a_severity_2_ticket_is_open_and_the_ticket_says_why(
    people,  # noqa: ANN001
) -> None:
    # given a whitespace pitch and a severity-2 ticket opened yesterday
    people.ours.industry = "Telecommunications"
    people.ours.save()
    peers_owning({"Security": 4}, people.other_rep)
    ticket = TicketFactory(account=people.ours, severity=2, subject="Calls drop",
                           opened_at=datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    # when
    scan(as_of=AS_OF)
    # then no pitch; the ticket's play says that pitches are held back
    assert open_plays("catalog.whitespace", people.ours) == []
    ticket_play = open_plays("support.ticket_opened", people.ours)[0]
    assert "Heedful holds back pitching plays" in ticket_play.explanation
    assert ticket_play.facts["held_back_rules"] == ["roadmap.briefing_due", "catalog.whitespace"]
    # when the ticket is resolved
    ticket.status = "resolved"
    ticket.resolved_at = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    ticket.save()
    scan(as_of=AS_OF)
    # then the pitch comes
    assert len(open_plays("catalog.whitespace", people.ours)) == 1


def test_a_pitch_is_held_back_while_an_sla_is_missed(people) -> None:  # noqa: ANN001
    # given a whitespace pitch and an SLA missed two months running
    people.ours.industry = "Telecommunications"
    people.ours.save()
    peers_owning({"Security": 4}, people.other_rep)
    for period in ("2026-09", "2026-10"):
        ServiceMetricFactory(account=people.ours, period=period, actual=Decimal("80"))
    # when
    scan(as_of=AS_OF)
    # then
    assert open_plays("catalog.whitespace", people.ours) == []
    sla = open_plays("service.sla_miss", people.ours)[0]
    assert "holds back pitching plays" in sla.explanation


def test_a_pitch_is_held_back_by_an_urgent_play_of_a_rule_not_scanned(people) -> None:  # noqa: ANN001
    # given an urgent severity-1 ticket play raised by an earlier scan
    people.ours.industry = "Telecommunications"
    people.ours.save()
    peers_owning({"Security": 4}, people.other_rep)
    TicketFactory(account=people.ours, severity=1, subject="Phones down",
                  opened_at=datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    scan(as_of=AS_OF, rules=["support.ticket_opened"])
    # when only the pitch rule runs
    scan(as_of=AS_OF, rules=["catalog.whitespace"])
    # then
    assert open_plays("catalog.whitespace", people.ours) == []


def test_each_owner_gets_one_pitch_at_a_time(people) -> None:  # noqa: ANN001
    # given four accounts of one rep that could all be pitched
    for _ in range(4):
        AccountFactory(industry="Telecommunications", owner=people.rep)
    peers_owning({"Security": 4}, people.other_rep)
    # when
    scan(as_of=AS_OF, rules=["catalog.whitespace"])
    # then
    pitched = Play.objects.filter(rule="catalog.whitespace", owner=people.rep, status="open")
    assert pitched.count() == 1
    # when it is done, the next account's pitch comes
    services.mark_done(play=pitched.get(), user=people.rep, outcome="They will think about it")
    scan(as_of=AS_OF, rules=["catalog.whitespace"])
    assert pitched.count() == 1


def test_a_bill_that_spikes_and_deviates_from_its_contract_is_one_play_saying_both(
    people,  # noqa: ANN001
) -> None:
    # given a $2,500 contract billed 2,500 twice, then 7,800
    contract = ContractFactory(account=people.ours, name="Managed voice")
    for month, amount in ((8, "2500.00"), (9, "2500.00"), (10, "7800.00")):
        InvoiceFactory(account=people.ours, contract=contract, amount=Decimal(amount),
                       invoice_number=f"INV-{month}", period_start=date(2026, month, 1),
                       period_end=date(2026, month, 28))
    # when
    scan(as_of=AS_OF, rules=["billing.contract_deviation"])
    # then one play about INV-10, telling the spike and the contract
    plays = list(Play.objects.filter(account=people.ours, subject="invoice:INV-10",
                                     status="open"))
    assert len(plays) == 1
    play = plays[0]
    assert play.rule == "billing.spike"
    assert "Managed voice contract says $2,500.00" in play.explanation
    assert play.facts["contracted_amount"] == "2500.00"
    # when it is dismissed and scanned again, neither rule raises it
    services.dismiss(play=play, user=people.rep, reason="Known: a one-off")
    scan(as_of=AS_OF)
    assert not Play.objects.filter(account=people.ours, subject="invoice:INV-10",
                                   status="open").exists()


def test_a_new_severity_1_ticket_closes_an_open_pitch_at_once(people) -> None:  # noqa: ANN001
    # given an open pitch
    people.ours.industry = "Telecommunications"
    people.ours.save()
    peers_owning({"Security": 4}, people.other_rep)
    scan(as_of=AS_OF)
    assert len(open_plays("catalog.whitespace", people.ours)) == 1
    # when a severity-1 ticket comes in and only the ticket rules run (as after a change)
    TicketFactory(account=people.ours, severity=1, subject="Phones down",
                  opened_at=datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
    scan(as_of=AS_OF, account_ids=[people.ours.pk],
         rules=["support.ticket_opened", "support.resolved_checkin"])
    # then the pitch is closed, by the engine (it may come back once the account is well)
    pitch = Play.objects.get(rule="catalog.whitespace", account=people.ours)
    assert (pitch.status, pitch.closed_reason) == ("done", "condition cleared")
