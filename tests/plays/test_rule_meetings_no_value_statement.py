from datetime import date

from tests.plays.meeting_records import meeting

RULE = "meetings.no_value_statement"


def test_a_meeting_this_week_without_a_stated_value_fires(people, findings) -> None:  # noqa: ANN001
    # given (as of 22 Nov 2026)
    people.rep.full_name = "Dana Smith"
    people.rep.save()
    held = meeting(people.ours, on=date(2026, 11, 24), organizer=people.rep, customer_value="  ")
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert (play.subject, play.owner_id) == (f"meeting:{held.pk}", people.rep.pk)
    assert play.explanation == (
        "The meeting “Quarterly review” with Ours Telecom on 24 Nov 2026 (in 2 days) states no "
        "value for the customer: if we cannot say what they gain, we are not ready."
    )
    assert play.priority == 75  # 60, and 15 more: two days to go
    assert play.facts["days_to_go"] == 2
    assert "or cancel it" in play.title


def test_meetings_further_off_past_or_cancelled_stay_quiet(people, findings) -> None:  # noqa: ANN001
    meeting(people.ours, on=date(2026, 11, 30))  # 8 days ahead
    meeting(people.ours, on=date(2026, 11, 21))  # yesterday
    meeting(people.ours, on=date(2026, 11, 25), status="cancelled")
    assert findings(RULE) == []


def test_stating_the_value_clears_it(people, findings) -> None:  # noqa: ANN001
    # given
    planned = meeting(people.ours, on=date(2026, 11, 27))
    assert len(findings(RULE)) == 1
    # when
    planned.customer_value = "They leave with a plan to halve their support backlog."
    planned.save()
    # then
    assert findings(RULE) == []


def test_without_an_organizer_the_account_owner_gets_it(people, findings) -> None:  # noqa: ANN001
    meeting(people.theirs, on=date(2026, 11, 27))
    assert [play.owner_id for play in findings(RULE)] == [people.other_rep.pk]
