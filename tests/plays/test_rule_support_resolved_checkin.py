from datetime import UTC, datetime

from tests.factories import InteractionFactory, TicketFactory

RULE = "support.resolved_checkin"


def resolved(account, resolved_at, **fields):  # noqa: ANN001, ANN201
    return TicketFactory(account=account, status="resolved", resolved_at=resolved_at,
                         opened_at=datetime(2026, 11, 10, 9, 0, tzinfo=UTC), **fields)


def test_resolved_ticket_with_no_contact_since_fires(people, findings) -> None:  # noqa: ANN001
    # given
    resolved(people.ours, datetime(2026, 11, 19, 16, 0, tzinfo=UTC), external_id="TCK-9",
             subject="Phones down", severity=1)
    InteractionFactory(account=people.ours, occurred_at=datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert play.subject == "ticket:TCK-9"
    assert play.explanation == (
        'Severity-1 ticket TCK-9 "Phones down" was resolved on 19 Nov 2026 (3 days ago), and '
        "nobody has been in touch with Ours Telecom since."
    )
    assert play.facts["days_since_resolved"] == 3
    assert "how it was fixed" in play.suggested_action


def test_a_call_after_the_fix_clears_it(people, findings) -> None:  # noqa: ANN001
    resolved(people.ours, datetime(2026, 11, 19, 16, 0, tzinfo=UTC))
    InteractionFactory(account=people.ours, kind="call",
                       occurred_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    assert findings(RULE) == []


def test_an_internal_note_is_not_a_check_in(people, findings) -> None:  # noqa: ANN001
    resolved(people.ours, datetime(2026, 11, 19, 16, 0, tzinfo=UTC))
    InteractionFactory(account=people.ours, kind="note",
                       occurred_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    assert len(findings(RULE)) == 1


def test_resolved_more_than_7_days_ago_stays_quiet(people, findings) -> None:  # noqa: ANN001
    resolved(people.ours, datetime(2026, 11, 14, 23, 0, tzinfo=UTC))
    assert findings(RULE) == []


def test_resolved_7_days_ago_fires(people, findings) -> None:  # noqa: ANN001
    resolved(people.ours, datetime(2026, 11, 15, 8, 0, tzinfo=UTC))
    assert len(findings(RULE)) == 1


def test_missing_resolution_time_or_open_ticket_stays_quiet(people, findings) -> None:  # noqa: ANN001
    TicketFactory(account=people.ours, status="resolved", resolved_at=None)
    TicketFactory(account=people.ours, status="open")
    assert findings(RULE) == []
