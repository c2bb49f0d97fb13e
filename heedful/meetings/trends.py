"""A rep's conversation habits over time, a point per month (or week), for the trends page.

Each point of a rep and a period (meetings are placed by their scheduled start, in the site's
time zone):

- from the transcripts of the meetings where the rep spoke (their ``SpeakerFigures``):
  ``question_ratio`` (their questions ÷ their statements, summed over the period),
  ``talk_share`` (their talk time ÷ everyone's talk time in those same transcripts),
  ``interruptions`` (made by the rep) and per meeting, ``longest_monologue_seconds`` (the
  longest of the period), ``patience_seconds`` (the mean of those transcripts' patience: a
  meeting's figure, the rep's side of the table);
- from the meetings the rep organised or attended (cancelled ones left out):
  ``started_on_time`` of ``meetings_started`` (those with a recorded actual start; on time is
  at most 2 minutes after the scheduled start);
- from the meetings the rep organised that have ended: ``follow_ups_sent`` of
  ``meetings_held``.

A figure with nothing to count is None (no transcript, no recorded start), never 0, so a
chart shows a gap, not a fall. Four queries for any number of reps and periods.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal

from django.db.models import Q, QuerySet
from django.utils import timezone

from heedful.meetings.models import Attendee, Meeting, MeetingStatus, SpeakerFigures, Transcript

ON_TIME = timedelta(minutes=2)
Period = Literal["month", "week"]


@dataclass
class TrendPoint:
    user_id: int
    period_start: date
    meetings_with_transcript: int = 0
    questions: int = 0
    statements: int = 0
    question_ratio: float | None = None
    talk_share: float | None = None
    interruptions: int = 0
    interruptions_per_meeting: float | None = None
    longest_monologue_seconds: float | None = None
    patience_seconds: float | None = None
    meetings_started: int = 0
    started_on_time: int = 0
    on_time_share: float | None = None
    meetings_held: int = 0
    follow_ups_sent: int = 0
    # running sums, not shown
    _talk: float = field(default=0.0, repr=False)
    _everyone_talk: float = field(default=0.0, repr=False)
    _patience: list[float] = field(default_factory=list, repr=False)


def period_start(moment: datetime | date, period: Period) -> date:
    day = timezone.localtime(moment).date() if isinstance(moment, datetime) else moment
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def periods(first: date, last: date, period: Period) -> list[date]:
    """The start of every period from the one holding ``first`` to the one holding ``last``."""
    starts = []
    current = period_start(first, period)
    while current <= last:
        starts.append(current)
        if period == "week":
            current += timedelta(days=7)
        else:
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
    return starts


def rep_trends(
    *, user_ids: Iterable[int], first: date, last: date, period: Period = "month"
) -> dict[int, list[TrendPoint]]:
    """Each rep's points, one per period from ``first`` to ``last`` (both days included)."""
    reps = sorted(set(user_ids))
    starts = periods(first, last, period)
    points = {
        (user_id, start): TrendPoint(user_id, start) for user_id in reps for start in starts
    }
    begin = timezone.make_aware(datetime.combine(starts[0] if starts else first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    in_range = Q(scheduled_start__gte=begin, scheduled_start__lt=end)
    meetings_in_range = Meeting.objects.filter(in_range).exclude(status=MeetingStatus.CANCELLED)
    _add_transcripts(points, reps, meetings_in_range, period)
    _add_meetings(points, reps, meetings_in_range, period)
    for point in points.values():
        _finish(point)
    return {user_id: [points[(user_id, start)] for start in starts] for user_id in reps}


def _add_transcripts(
    points: dict[tuple[int, date], TrendPoint], reps: list[int], meetings: QuerySet[Meeting],
    period: Period,
) -> None:
    rows = list(
        SpeakerFigures.objects.filter(
            user_id__in=reps, is_internal=True, transcript__meeting__in=meetings
        ).values(
            "user_id", "transcript_id", "transcript__meeting__scheduled_start", "questions",
            "statements", "talk_seconds", "interruptions_made", "longest_monologue_seconds",
        )
    )
    figures = dict(
        Transcript.objects.filter(pk__in={row["transcript_id"] for row in rows}).values_list(
            "pk", "figures"
        )
    )
    seen: set[tuple[int, int]] = set()
    for row in rows:
        point = points[(row["user_id"], period_start(
            row["transcript__meeting__scheduled_start"], period
        ))]
        of_transcript = figures.get(row["transcript_id"]) or {}
        if (row["user_id"], row["transcript_id"]) not in seen:
            seen.add((row["user_id"], row["transcript_id"]))
            point.meetings_with_transcript += 1
            everyone = [
                speaker.get("talk_seconds") or 0 for speaker in of_transcript.get("speakers", [])
            ]
            point._everyone_talk += sum(everyone)
            if of_transcript.get("patience_seconds") is not None:
                point._patience.append(float(of_transcript["patience_seconds"]))
        point.questions += row["questions"] or 0
        point.statements += row["statements"] or 0
        point._talk += row["talk_seconds"] or 0
        point.interruptions += row["interruptions_made"] or 0
        if row["longest_monologue_seconds"] is not None:
            point.longest_monologue_seconds = max(
                point.longest_monologue_seconds or 0.0, row["longest_monologue_seconds"]
            )


def _add_meetings(
    points: dict[tuple[int, date], TrendPoint], reps: list[int], meetings: QuerySet[Meeting],
    period: Period,
) -> None:
    now = timezone.now()
    attended = set(
        Attendee.objects.filter(user_id__in=reps, meeting__in=meetings).values_list(
            "user_id", "meeting_id"
        )
    )
    rows = Meeting.objects.filter(
        Q(pk__in={meeting_id for _, meeting_id in attended}) | Q(organizer_id__in=reps),
        pk__in=meetings.values("pk"),
    ).values(
        "id", "organizer_id", "scheduled_start", "scheduled_end", "actual_start", "actual_end",
        "follow_up_sent_at",
    )
    for row in rows:
        people = {user_id for user_id, meeting_id in attended if meeting_id == row["id"]}
        if row["organizer_id"] in reps:
            people.add(row["organizer_id"])
        start = period_start(row["scheduled_start"], period)
        for user_id in people:
            point = points[(user_id, start)]
            if row["actual_start"] is not None:
                point.meetings_started += 1
                if row["actual_start"] - row["scheduled_start"] <= ON_TIME:
                    point.started_on_time += 1
        organizer = row["organizer_id"]
        if organizer in reps and (row["actual_end"] or row["scheduled_end"]) <= now:
            point = points[(organizer, start)]
            point.meetings_held += 1
            if row["follow_up_sent_at"] is not None:
                point.follow_ups_sent += 1


def _finish(point: TrendPoint) -> None:
    if point.statements:
        point.question_ratio = round(point.questions / point.statements, 3)
    if point._everyone_talk:
        point.talk_share = round(point._talk / point._everyone_talk, 3)
    if point.meetings_with_transcript:
        point.interruptions_per_meeting = round(
            point.interruptions / point.meetings_with_transcript, 3
        )
    if point._patience:
        point.patience_seconds = round(sum(point._patience) / len(point._patience), 3)
    if point.meetings_started:
        point.on_time_share = round(point.started_on_time / point.meetings_started, 3)
