from datetime import date

from tests.plays.meeting_records import action_item, meeting

RULE = "meetings.no_summary"


def test_a_meeting_ended_a_day_ago_without_playback_or_action_items_fires(
    people, findings,  # noqa: ANN001
) -> None:
    # given (as of 22 Nov 2026)
    held = meeting(people.ours, on=date(2026, 11, 20), organizer=people.rep, status="held")
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert (play.subject, play.owner_id) == (f"meeting:{held.pk}", people.rep.pk)
    assert play.explanation == (
        "The meeting “Quarterly review” with Ours Telecom ended on 20 Nov 2026 and has neither "
        "a playback of what we heard nor an action item."
    )


def test_meetings_ended_less_than_a_day_ago_long_ago_or_cancelled_stay_quiet(
    people, findings,  # noqa: ANN001
) -> None:
    meeting(people.ours, on=date(2026, 11, 22), hour=8)  # later on the scan's own day
    meeting(people.ours, on=date(2026, 10, 1))  # before the last 14 days
    meeting(people.ours, on=date(2026, 11, 19), status="cancelled")
    meeting(people.ours, on=date(2026, 11, 25))  # still to come
    assert findings(RULE) == []


def test_a_playback_clears_it(people, findings) -> None:  # noqa: ANN001
    held = meeting(people.ours, on=date(2026, 11, 20))
    assert len(findings(RULE)) == 1
    held.playback_summary = "They need the usage report monthly, not quarterly."
    held.save()
    assert findings(RULE) == []


def test_an_action_item_clears_it(people, findings) -> None:  # noqa: ANN001
    held = meeting(people.ours, on=date(2026, 11, 20))
    action_item(held, user=people.rep)
    assert findings(RULE) == []


def test_the_actual_end_counts_when_it_ran_over(people, findings) -> None:  # noqa: ANN001
    from datetime import UTC, datetime

    # given: planned to end on the 21st at 10:00, ran until the 22nd (over midnight)
    meeting(people.ours, on=date(2026, 11, 21), actual_end=datetime(2026, 11, 22, 1, tzinfo=UTC))
    # then: it ended less than 24 hours before the end of the 22nd
    assert findings(RULE) == []
