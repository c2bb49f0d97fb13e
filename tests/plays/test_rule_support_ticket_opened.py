from datetime import UTC, datetime

from tests.factories import ContactFactory, TicketFactory

RULE = "support.ticket_opened"


def test_severity_one_ticket_is_an_urgent_play(people, findings) -> None:  # noqa: ANN001
    # given the phones are down
    contact = ContactFactory(account=people.ours, full_name="Richard Roe")
    TicketFactory(account=people.ours, external_id="TCK-1", severity=1, subject="Phones down",
                  contact=contact, opened_at=datetime(2026, 11, 21, 8, 30, tzinfo=UTC))
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert play.urgent is True
    assert play.priority >= 90
    assert play.subject == "ticket:TCK-1"
    assert play.owner_id == people.rep.pk
    assert play.explanation == (
        'Severity-1 ticket TCK-1 "Phones down" was opened on 21 Nov 2026, reported by Richard '
        "Roe and is still open."
    )
    assert play.facts["severity"] == 1
    assert play.facts["opened_at"] == "2026-11-21T08:30:00+00:00"
    assert play.suggested_action.startswith("Call them now")


def test_lower_severity_ticket_is_not_urgent(people, findings) -> None:  # noqa: ANN001
    TicketFactory(account=people.ours, severity=3)
    found = findings(RULE)
    assert [f.urgent for f in found] == [False]
    assert found[0].priority < 90


def test_ticket_opened_just_before_the_window_stays_quiet(people, findings) -> None:  # noqa: ANN001
    TicketFactory(account=people.ours, severity=1,
                  opened_at=datetime(2026, 11, 19, 23, 59, tzinfo=UTC))
    assert findings(RULE) == []


def test_ticket_opened_at_the_start_of_the_window_fires(people, findings) -> None:  # noqa: ANN001
    TicketFactory(account=people.ours, severity=1,
                  opened_at=datetime(2026, 11, 20, 0, 0, tzinfo=UTC))
    assert len(findings(RULE)) == 1


def test_resolved_or_future_tickets_stay_quiet(people, findings) -> None:  # noqa: ANN001
    TicketFactory(account=people.ours, severity=1, status="resolved",
                  resolved_at=datetime(2026, 11, 21, 12, 0, tzinfo=UTC))
    TicketFactory(account=people.ours, severity=1,
                  opened_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    assert findings(RULE) == []


def test_ticket_without_subject_or_contact_still_explains_itself(people, findings) -> None:  # noqa: ANN001
    TicketFactory(account=people.theirs, external_id="TCK-BARE", subject="", severity=2)
    found = findings(RULE)
    assert found[0].explanation == (
        "Severity-2 ticket TCK-BARE was opened on 20 Nov 2026 and is still open."
    )
    assert found[0].owner_id == people.other_rep.pk
