"""A meeting's transcript: stored with its figures, its speakers matched to the attendees.

A speaker label is matched to an attendee, in this order: a name someone gave it for this
meeting (``SpeakerName``), then the attendee's full name, preferred name, or first name,
compared without case or accents. A name that fits two attendees (two Annas) matches
neither: a person names that speaker once, in one step, and it is remembered.

The figures are ``heedful.conversations.figures.analyze``'s, with our people (the attendees
who are our users) as the internal side; one ``SpeakerFigures`` row per speaker keeps them
summable for trends and rules. A new upload replaces the transcript and its rows.

Every store (the meeting page's upload, ``heedful import transcript``, naming a speaker)
tells the attention engine in its transaction (``records.tell_written``), so the rules that
read transcripts (``conversation.low_question_ratio``) run for the meeting's account once it
commits, whichever door the transcript came in by, with no scan in between.
"""

from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from heedful.accounts import records
from heedful.conversations.cues import Cue
from heedful.conversations.figures import analyze
from heedful.conversations.reading import format_of, read_transcript
from heedful.core.exceptions import InvalidInput
from heedful.core.models import User
from heedful.lib.text import fold
from heedful.lib.words import format_recording_time
from heedful.meetings.models import Attendee, Meeting, SpeakerFigures, SpeakerName, Transcript

SAMPLE_LINES = 3


def store_transcript(
    *, user: User | None, meeting: Meeting, file_name: str, content: str
) -> Transcript:
    """Read ``content`` (the format from ``file_name``'s extension, else the content), compute
    the figures and store them with the transcript, replacing an earlier one. Raises
    ``TranscriptError`` (with the line) on a file that cannot be read; nothing is saved then."""
    return _store(
        meeting=meeting, file_name=file_name, content=content, uploaded_by=user,
        uploaded_at=timezone.now(),
    )


def _store(
    *, meeting: Meeting, file_name: str, content: str, uploaded_by: User | None,
    uploaded_at: datetime,
) -> Transcript:
    path = Path(file_name)
    cues = read_transcript(path, text=content)
    attendees = list(meeting.attendees.select_related("user", "contact"))
    labels = sorted({cue.speaker for cue in cues})
    matched = match_speakers(meeting, labels, attendees)
    internal = [label for label, attendee in matched.items() if attendee.user_id is not None]
    meeting_date = timezone.localtime(meeting.actual_start or meeting.scheduled_start).date()
    figures = analyze(cues, internal=internal, meeting_date=meeting_date)
    with transaction.atomic():
        transcript, _ = Transcript.objects.update_or_create(
            meeting=meeting,
            defaults={
                "file_name": file_name[:255],
                "format": format_of(path, content),
                "content": content,
                "figures": figures,
                "uploaded_at": uploaded_at,
                "uploaded_by": uploaded_by,
            },
        )
        transcript.speakers.all().delete()
        SpeakerFigures.objects.bulk_create([
            _speaker_row(transcript, speaker, matched.get(speaker["name"]))
            for speaker in figures["speakers"]
        ])
        records.tell_written(transcript)
    return transcript


def _speaker_row(
    transcript: Transcript, speaker: dict[str, Any], attendee: Attendee | None
) -> SpeakerFigures:
    return SpeakerFigures(
        transcript=transcript,
        label=speaker["name"][:200],
        attendee=attendee,
        user_id=attendee.user_id if attendee is not None else None,
        is_internal=bool(speaker["internal"]),
        talk_seconds=speaker["talk_seconds"],
        talk_share=speaker["talk_share"],
        turns=speaker["turns"] or 0,
        words=speaker["words"],
        questions=speaker["questions"],
        statements=speaker["statements"],
        longest_monologue_seconds=speaker["longest_monologue_seconds"],
        interruptions_made=speaker["interruptions_made"] or 0,
        interrupted=speaker["interrupted"] or 0,
    )


def names_of(attendee: Attendee) -> tuple[str, str, str]:
    """(full name, preferred name, first name), folded; "" where there is none."""
    if attendee.user is not None:
        full, preferred = attendee.user.full_name, ""
    elif attendee.contact is not None:
        full, preferred = attendee.contact.full_name, attendee.contact.preferred_name
    else:
        full, preferred = attendee.name, ""
    first = full.split()[0] if full.split() else ""
    return fold(full), fold(preferred), fold(first)


def match_speakers(
    meeting: Meeting, labels: list[str], attendees: list[Attendee]
) -> dict[str, Attendee]:
    """Each label's attendee, where one can be told (see the module's docstring)."""
    by_id = {attendee.pk: attendee for attendee in attendees}
    remembered = {
        label: by_id[attendee_id]
        for label, attendee_id in SpeakerName.objects.filter(meeting=meeting).values_list(
            "label", "attendee_id"
        )
        if attendee_id in by_id
    }
    names = {attendee.pk: names_of(attendee) for attendee in attendees}
    matched: dict[str, Attendee] = {}
    for label in labels:
        if label in remembered:
            matched[label] = remembered[label]
            continue
        folded = fold(label)
        if not folded:
            continue
        for which in range(3):  # full name, then preferred name, then first name
            fitting = [
                by_id[attendee_id] for attendee_id, known in names.items()
                if known[which] and known[which] == folded
            ]
            if len(fitting) == 1:
                matched[label] = fitting[0]
                break
            if len(fitting) > 1:
                break  # two people of that name: ask, do not guess
    return matched


class UnknownSpeaker(NamedTuple):
    label: str
    samples: list[str]
    """A few of their lines (their times, for a transcript without words)."""


def unknown_speakers(meeting: Meeting) -> list[UnknownSpeaker]:
    """The speakers of the meeting's transcript matched to no attendee, each with a few of
    their lines, in the order they first speak."""
    transcript = Transcript.objects.filter(meeting=meeting).first()
    if transcript is None:
        return []
    unknown = set(
        transcript.speakers.filter(attendee__isnull=True).exclude(label="")
        .values_list("label", flat=True)
    )
    if not unknown:
        return []
    cues = read_transcript(Path(transcript.file_name), text=transcript.content)
    samples: dict[str, list[str]] = {}
    for cue in cues:
        if cue.speaker in unknown and len(samples.setdefault(cue.speaker, [])) < SAMPLE_LINES:
            line = _sample(cue)
            if line:
                samples[cue.speaker].append(line)
    return [UnknownSpeaker(label, lines) for label, lines in samples.items()]


def _sample(cue: Cue) -> str:
    if cue.text:
        return cue.text.strip()
    if cue.start is not None and cue.end is not None:
        return f"{format_recording_time(cue.start)}–{format_recording_time(cue.end)}"
    return ""


def name_speaker(
    *, user: User | None, meeting: Meeting, label: str, attendee: Attendee
) -> Transcript:
    """Remember that ``label`` is ``attendee`` for this meeting and compute the figures again.
    ``InvalidInput`` when the attendee is not at this meeting or there is no transcript."""
    if attendee.meeting_id != meeting.pk:
        raise InvalidInput(
            "That person is not at this meeting.", {"attendee": ["Choose one of its attendees."]}
        )
    transcript = Transcript.objects.filter(meeting=meeting).first()
    if transcript is None:
        raise InvalidInput("The meeting has no transcript.", {"label": ["No transcript."]})
    with transaction.atomic():
        SpeakerName.objects.update_or_create(
            meeting=meeting, label=label, defaults={"attendee": attendee}
        )
        return _store(
            meeting=meeting, file_name=transcript.file_name, content=transcript.content,
            uploaded_by=transcript.uploaded_by, uploaded_at=transcript.uploaded_at,
        )
