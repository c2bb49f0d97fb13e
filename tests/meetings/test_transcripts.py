"""A meeting's transcript: stored with its speakers' figures, speakers matched to the
attendees, unknown ones named once and remembered."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from heedful.conversations.cues import TranscriptError
from heedful.lib import clock
from heedful.meetings.models import Attendee, Meeting, SpeakerFigures, Transcript
from heedful.meetings.transcripts import name_speaker, store_transcript, unknown_speakers
from heedful.plays.models import Play, PlayStatus
from tests.factories import AccountFactory, ContactFactory, UserFactory
from tests.integrations.conftest import run

HERE = Path(__file__).parent / "transcripts"


@pytest.fixture
def meeting(db):  # noqa: ANN001, ANN201
    """Rita (ours) meets Ana Costa ("ana" in the transcript) and Zoë, a guest."""
    rita = UserFactory(username="rita", full_name="Rita Rep")
    account = AccountFactory(owner=rita)
    ana = ContactFactory(account=account, full_name="Ana Costa", preferred_name="Ána")
    meeting = Meeting.objects.create(
        account=account, title="Review", organizer=rita,
        scheduled_start=datetime(2026, 11, 20, 9, tzinfo=UTC),
        scheduled_end=datetime(2026, 11, 20, 10, tzinfo=UTC),
    )
    Attendee.objects.create(meeting=meeting, user=rita, role="organizer")
    Attendee.objects.create(meeting=meeting, contact=ana)
    Attendee.objects.create(meeting=meeting, name="Zoë Guest", email="zoe@acme.example")
    return meeting


def _name(attendee: Attendee | None) -> str | None:
    if attendee is None:
        return None
    return attendee.user.full_name if attendee.user else str(attendee)


def figures_by_label(meeting: Meeting) -> dict[str, tuple]:
    return {
        row.label: (_name(row.attendee), row.user_id, row.is_internal,
                    row.questions, row.statements, row.talk_seconds)
        for row in SpeakerFigures.objects.filter(transcript__meeting=meeting)
    }


def test_speakers_are_matched_by_name_and_our_people_are_the_internal_side(meeting) -> None:  # noqa: ANN001
    # when
    transcript = store_transcript(
        user=None, meeting=meeting, file_name="review.vtt",
        content=(HERE / "review.vtt").read_text(),
    )
    # then: "Rita Rep" by full name, "ana" by preferred name without the accent
    rita = meeting.organizer
    assert figures_by_label(meeting) == {
        "Rita Rep": ("Rita Rep", rita.pk, True, 3, 1, 10.0),
        "ana": ("Ana Costa", None, False, 0, 3, 10.0),
        "Speaker 1": (None, None, False, 1, 1, 5.0),
    }
    assert transcript.format == "vtt"
    assert transcript.figures["internal"]["questions"] == 3


def test_a_new_upload_replaces_the_old_one(meeting) -> None:  # noqa: ANN001
    # given
    content = (HERE / "review.vtt").read_text()
    store_transcript(user=None, meeting=meeting, file_name="review.vtt", content=content)
    # when
    shorter = content.split("\n\n00:00:05.000")[0] + "\n"
    store_transcript(user=None, meeting=meeting, file_name="short.vtt", content=shorter)
    # then
    assert Transcript.objects.get().file_name == "short.vtt"
    assert list(figures_by_label(meeting)) == ["Rita Rep"]


def test_unknown_speakers_come_with_a_few_of_their_lines(meeting) -> None:  # noqa: ANN001
    store_transcript(
        user=None, meeting=meeting, file_name="review.vtt",
        content=(HERE / "review.vtt").read_text(),
    )
    assert unknown_speakers(meeting) == [
        ("Speaker 1", ["Can I add one thing? The portal is slow."])
    ]


def test_naming_a_speaker_is_remembered_and_the_figures_follow(meeting) -> None:  # noqa: ANN001
    # given
    content = (HERE / "review.vtt").read_text()
    store_transcript(user=None, meeting=meeting, file_name="review.vtt", content=content)
    zoe = meeting.attendees.get(name="Zoë Guest")
    # when
    name_speaker(user=None, meeting=meeting, label="Speaker 1", attendee=zoe)
    # then
    assert figures_by_label(meeting)["Speaker 1"][0] == "Zoë Guest"
    assert unknown_speakers(meeting) == []
    # and a new upload of the meeting remembers who "Speaker 1" is
    store_transcript(user=None, meeting=meeting, file_name="again.vtt", content=content)
    assert figures_by_label(meeting)["Speaker 1"][0] == "Zoë Guest"


def test_naming_a_speaker_as_one_of_ours_moves_them_to_the_internal_side(meeting) -> None:  # noqa: ANN001
    # given
    store_transcript(
        user=None, meeting=meeting, file_name="review.vtt",
        content=(HERE / "review.vtt").read_text(),
    )
    colleague = UserFactory(username="sam", full_name="Sam Engineer")
    sam = Attendee.objects.create(meeting=meeting, user=colleague)
    # when
    transcript = name_speaker(user=None, meeting=meeting, label="Speaker 1", attendee=sam)
    # then
    assert figures_by_label(meeting)["Speaker 1"][1:3] == (colleague.pk, True)
    assert transcript.figures["internal"]["questions"] == 4


def test_a_file_that_cannot_be_read_is_refused_and_nothing_is_saved(meeting) -> None:  # noqa: ANN001
    with pytest.raises(TranscriptError) as refused:
        store_transcript(
            user=None, meeting=meeting, file_name="broken.vtt",
            content=(HERE / "broken.vtt").read_text(),
        )
    assert refused.value.line == 6
    assert not Transcript.objects.exists()


def test_the_command_stores_the_transcript(meeting) -> None:  # noqa: ANN001
    result = run("import", "transcript", str(HERE / "review.vtt"), "--meeting", str(meeting.pk))
    assert result.returncode == 0, result.stderr
    assert "3 speaker(s)" in result.stdout
    assert "Speaker 1" in result.stdout
    assert SpeakerFigures.objects.filter(transcript__meeting=meeting).count() == 3


def test_the_command_refuses_a_bad_file_naming_the_line(meeting) -> None:  # noqa: ANN001
    result = run("import", "transcript", str(HERE / "broken.vtt"), "--meeting", str(meeting.pk))
    assert result.returncode == 2
    assert f"{HERE / 'broken.vtt'}:6: " in str(result.error)
    assert not Transcript.objects.exists()


TELLING = """WEBVTT

00:00:00.000 --> 00:01:00.000
<v Rita Rep>Our roadmap is strong. The new portal ships in March. You will love it.

00:01:00.000 --> 00:01:10.000
<v ana>Will it fix the invoices?
"""


def test_the_command_runs_the_listening_rule_once_it_commits_and_a_dry_run_none(
    meeting, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    # given: Rita tells three things and asks nothing
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 23))
    path = tmp_path / "telling.vtt"
    path.write_text(TELLING, encoding="utf-8")
    # when: a dry run
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = run("import", "transcript", str(path), "--meeting", str(meeting.pk), "--dry-run")
    # then: nothing stored, no rule run
    assert result.returncode == 0, result.stderr
    assert callbacks == [] and not Play.objects.exists()
    # when: the import itself
    with django_capture_on_commit_callbacks(execute=True):
        result = run("import", "transcript", str(path), "--meeting", str(meeting.pk))
    # then: Rita's play is there with no scan, on the meeting's account
    assert result.returncode == 0, result.stderr
    play = Play.objects.get(rule="conversation.low_question_ratio", status=PlayStatus.OPEN)
    assert (play.account_id, play.owner.username) == (meeting.account_id, "rita")
