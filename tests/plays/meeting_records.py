"""Meetings, action items and transcript figures for the meetings.* and conversation.* rule
tests, made directly (the rules read rows, not forms)."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from heedful.meetings.models import ActionItem, Meeting, SpeakerFigures, Transcript


def meeting(account: Any, *, on: date, hour: int = 9, minutes: int = 60, **fields: Any) -> Meeting:
    start = datetime(on.year, on.month, on.day, hour, tzinfo=UTC)
    return Meeting.objects.create(
        account=account, title=fields.pop("title", "Quarterly review"),
        scheduled_start=start, scheduled_end=start + timedelta(minutes=minutes), **fields,
    )


def action_item(meeting: Meeting, **fields: Any) -> ActionItem:
    return ActionItem.objects.create(meeting=meeting, what=fields.pop("what", "Send the quote"),
                                     **fields)


def spoke(meeting: Meeting, user: Any, *, questions: int, statements: int) -> SpeakerFigures:
    """``user`` spoke at ``meeting`` with these counts (its transcript made if needed)."""
    transcript, _ = Transcript.objects.get_or_create(
        meeting=meeting,
        defaults={"file_name": "t.vtt", "format": "vtt", "content": "WEBVTT\n",
                  "uploaded_at": meeting.scheduled_end},
    )
    return SpeakerFigures.objects.create(
        transcript=transcript, label=user.full_name or user.username, user=user,
        is_internal=True, questions=questions, statements=statements, turns=1,
    )
