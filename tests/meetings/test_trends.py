"""A rep's habits per month: questions, talk share, interruptions, monologues, patience,
on-time starts and follow-ups, from a handful of queries."""

from datetime import UTC, date, datetime, timedelta

from heedful.meetings.models import Attendee, Meeting, SpeakerFigures, Transcript
from heedful.meetings.trends import rep_trends
from tests.factories import AccountFactory, UserFactory


def held(account, rep, day: date, *, late_minutes: int | None, follow_up: bool,  # noqa: ANN001
         rep_figures: dict | None = None, customer_talk: float = 0,
         patience: float | None = None) -> Meeting:
    start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    meeting = Meeting.objects.create(
        account=account, title="Review", organizer=rep, status="held",
        scheduled_start=start, scheduled_end=start + timedelta(hours=1),
        actual_start=None if late_minutes is None else start + timedelta(minutes=late_minutes),
        follow_up_sent_at=start + timedelta(hours=3) if follow_up else None,
    )
    Attendee.objects.create(meeting=meeting, user=rep, role="organizer")
    if rep_figures is not None:
        transcript = Transcript.objects.create(
            meeting=meeting, file_name="t.vtt", format="vtt", content="", uploaded_at=start,
            figures={
                "patience_seconds": patience,
                "speakers": [
                    {"name": "rep", "talk_seconds": rep_figures["talk_seconds"]},
                    {"name": "customer", "talk_seconds": customer_talk},
                ],
            },
        )
        SpeakerFigures.objects.create(transcript=transcript, label="rep", user=rep,
                                      is_internal=True, turns=3, **rep_figures)
    return meeting


def test_a_reps_month_by_month_figures(db, django_assert_num_queries) -> None:  # noqa: ANN001
    # given
    rep = UserFactory(username="dana")
    account = AccountFactory(owner=rep)
    held(account, rep, date(2026, 9, 3), late_minutes=1, follow_up=True, patience=2.0,
         customer_talk=300,
         rep_figures={"questions": 2, "statements": 4, "talk_seconds": 300,
                      "interruptions_made": 1, "longest_monologue_seconds": 90})
    held(account, rep, date(2026, 9, 17), late_minutes=10, follow_up=False, patience=4.0,
         customer_talk=500,
         rep_figures={"questions": 4, "statements": 4, "talk_seconds": 100,
                      "interruptions_made": 3, "longest_monologue_seconds": 150})
    held(account, rep, date(2026, 10, 8), late_minutes=None, follow_up=True)
    # when
    with django_assert_num_queries(4):
        trends = rep_trends(user_ids=[rep.pk], first=date(2026, 9, 1), last=date(2026, 11, 30))
    # then
    september, october, november = trends[rep.pk]
    assert september.period_start == date(2026, 9, 1)
    assert september.meetings_with_transcript == 2
    assert september.question_ratio == 0.75  # 6 questions, 8 statements
    assert september.talk_share == 0.333  # 400 of 1,200 seconds
    assert (september.interruptions, september.interruptions_per_meeting) == (4, 2.0)
    assert september.longest_monologue_seconds == 150
    assert september.patience_seconds == 3.0
    assert (september.started_on_time, september.meetings_started) == (1, 2)
    assert (september.follow_ups_sent, september.meetings_held) == (1, 2)
    # a month without transcripts or recorded starts has gaps, not zeros
    assert october.question_ratio is None and october.on_time_share is None
    assert (october.follow_ups_sent, october.meetings_held) == (1, 1)
    assert november.meetings_held == 0


def test_weeks_and_cancelled_meetings(db) -> None:  # noqa: ANN001
    rep = UserFactory(username="dana")
    account = AccountFactory(owner=rep)
    held(account, rep, date(2026, 11, 4), late_minutes=0, follow_up=False)  # a Wednesday
    cancelled = held(account, rep, date(2026, 11, 5), late_minutes=30, follow_up=False)
    cancelled.status = "cancelled"
    cancelled.save()
    weeks = rep_trends(user_ids=[rep.pk], first=date(2026, 11, 2), last=date(2026, 11, 15),
                       period="week")[rep.pk]
    assert [week.period_start for week in weeks] == [date(2026, 11, 2), date(2026, 11, 9)]
    assert (weeks[0].started_on_time, weeks[0].meetings_started) == (1, 1)
