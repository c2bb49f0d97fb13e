"""Reading transcripts: the same conversation in all five formats gives the same cues, the
edge cases the analyzer must survive, malformed files refused naming the line, and the real
corpora in ../shared/data (AMI as RTTM and as plain text, the SubRip sample)."""

import json
from pathlib import Path

import pytest
import webvtt

from heedful.conversations.cues import Cue, TranscriptError
from heedful.conversations.reading import (
    FORMATS,
    FORMATS_IN_WORDS,
    format_of,
    read_transcript,
    split_speaker_prefix,
)
from tests.conftest import SHARED_DATA

TRANSCRIPTS = Path(__file__).parent / "transcripts"
AMI = Path(SHARED_DATA) / "meeting_transcripts"
SHARED_WEBVTT = Path(SHARED_DATA) / "webvtt"

CONVERSATION = [
    ("Alice Smith", 0.0, 4.5, "Thanks for joining. Shall we start with your agenda?"),
    ("Bob Jones", 5.0, 12.0, "Yes. The usage report is late again."),
    ("Alice Smith", 11.0, 14.0, "I'm sorry about that."),
    ("Bob Jones", 14.0, 20.25, "Can you send it by Friday?"),
    ("Alice Smith", 21.0, 24.0, "I'll send the revised quote by Friday."),
]


def read(name: str) -> list[Cue]:
    return read_transcript(TRANSCRIPTS / name)


def as_tuples(cues: list[Cue]) -> list[tuple[str, float | None, float | None, str | None]]:
    return [(cue.speaker, cue.start, cue.end, cue.text) for cue in cues]


@pytest.mark.parametrize(
    "name", ["conversation.vtt", "conversation_zoom.vtt", "conversation.srt", "conversation.json"]
)
def test_the_conversation_reads_the_same_from_webvtt_srt_and_json(name: str) -> None:
    assert as_tuples(read(name)) == CONVERSATION


def test_the_conversation_as_rttm_has_the_same_speakers_and_times_and_no_words() -> None:
    assert as_tuples(read("conversation.rttm")) == [
        (speaker, start, end, None) for speaker, start, end, _ in CONVERSATION
    ]


def test_the_conversation_as_timed_plain_text_ends_each_cue_at_the_next_start() -> None:
    # when
    cues = read("conversation.txt")
    # then: the same speakers, starts and words; a plain text says when people began, so a
    # cue lasts until the next one begins, and the last lasts nothing
    assert [(cue.speaker, cue.start, cue.text) for cue in cues] == [
        (speaker, start, text) for speaker, start, _, text in CONVERSATION
    ]
    assert [cue.end for cue in cues] == [5.0, 11.0, 14.0, 21.0, 21.0]


def test_each_cue_knows_the_line_where_it_begins() -> None:
    assert [cue.line for cue in read("conversation.vtt")] == [4, 8, 12, 16, 20]
    assert [cue.line for cue in read("conversation.srt")] == [2, 7, 11, 15, 19]
    assert [cue.line for cue in read("conversation.txt")] == [1, 3, 4, 5, 6]
    assert [cue.line for cue in read("conversation.rttm")] == [1, 2, 3, 4, 5]
    assert [cue.line for cue in read("conversation.json")] == [2, 4, 6, 7, 8]


def test_overlapping_cues_are_kept_as_written() -> None:
    # when
    cues = read("conversation.vtt")
    # then: Alice starts at 11 s, before Bob ends at 12 s
    assert (cues[1].end, cues[2].start) == (12.0, 11.0)


def test_unnamed_speakers_keep_their_label_or_are_nobody() -> None:
    assert [cue.speaker for cue in read("unnamed_speakers.vtt")] == [
        "Speaker 1",
        "Speaker 2",
        "",
        "Speaker 1",
    ]


def test_empty_cues_are_read_with_empty_text() -> None:
    assert as_tuples(read("empty_cues.vtt")) == [
        ("Alice Smith", 1.0, 2.0, "Hello."),
        ("", 2.0, 3.0, ""),
        ("Bob Jones", 3.0, 4.0, ""),
        ("Bob Jones", 4.0, 5.0, "Hi."),
    ]


def test_cues_out_of_order_stay_in_the_order_of_the_file() -> None:
    assert [cue.start for cue in read("out_of_order.srt")] == [10.0, 1.0, 5.5]


def test_plain_text_without_times_joins_continuation_lines_and_has_no_times() -> None:
    assert as_tuples(read("no_times.txt")) == [
        ("Alice Smith", None, None, "Thanks for joining. Shall we start with your agenda?"),
        (
            "Bob Jones",
            None,
            None,
            "Yes. The usage report is late again, and the invoice was wrong.",
        ),
        ("Alice Smith", None, None, "I'm sorry about that."),
        ("Speaker 1", None, None, "Can you send it by Friday?"),
    ]


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("bad_timestamp.vtt", 6, "not WebVTT cue timings"),
        ("impossible_time.vtt", 6, "does not exist"),
        ("missing_header.vtt", 1, "begins with the line WEBVTT"),
        ("missing_arrow.srt", 5, "not a SubRip subtitle"),
        ("bad_timestamp.srt", 6, "not SubRip times"),
        ("truncated.json", 3, "ends before it is complete"),
        ("segment_without_start.json", 3, "has no start"),
        ("non_number.rttm", 3, "'seven' is not a number"),
        ("bad_time.txt", 2, "[hh:mm:ss]"),
        ("mixed_times.txt", 2, "no [hh:mm:ss] time"),
    ],
)
def test_a_malformed_file_is_refused_naming_the_line(name: str, line: int, words: str) -> None:
    # when
    with pytest.raises(TranscriptError) as refusal:
        read(name)
    # then
    assert refusal.value.line == line
    assert words in str(refusal.value)
    assert str(refusal.value).startswith(f"line {line}: ")


def test_webvtt_timings_that_lost_their_arrow_are_refused_naming_the_line() -> None:
    # given: the middle cue lost its arrow; webvtt-py would read its block as no cue and the
    # figures would miss Bob's words without a word said
    path = TRANSCRIPTS / "missing_arrow.vtt"
    assert len(webvtt.read(str(path)).captions) == 2
    # when
    with pytest.raises(TranscriptError) as refusal:
        read_transcript(path)
    # then
    assert refusal.value.line == 6
    assert "'00:00:02.000 00:00:03.000' looks like cue timings without the arrow" in str(
        refusal.value
    )


@pytest.mark.parametrize("name", sorted(path.name for path in TRANSCRIPTS.glob("conversation*")))
def test_an_upload_without_a_known_extension_is_read_by_its_content(name: str) -> None:
    # given
    text = (TRANSCRIPTS / name).read_text(encoding="utf-8")
    # when
    cues = read_transcript(Path("upload"), text=text)
    # then
    assert cues == read(name)


def test_an_upload_is_read_from_its_text_and_its_name_gives_the_format() -> None:
    # given: the path names the upload only; nothing is read from the disk
    text = (TRANSCRIPTS / "conversation.json").read_text(encoding="utf-8")
    # when
    cues = read_transcript(Path("/nowhere/meeting.JSON"), text=text)
    # then
    assert as_tuples(cues) == CONVERSATION


def test_a_format_given_wins_over_the_extension() -> None:
    text = (TRANSCRIPTS / "conversation.txt").read_text(encoding="utf-8")
    assert read_transcript(Path("notes.log"), text=text, format="txt") == read("conversation.txt")
    assert format_of(Path("notes.log"), "Alice: hi") == "txt"
    assert (
        format_of(Path("diarization"), ";; made by pyannote\nSPEAKER x 1 0 1 <NA> <NA> A") == "rttm"
    )


def test_an_unknown_format_is_refused_naming_the_formats() -> None:
    with pytest.raises(TranscriptError) as refusal:
        read_transcript(Path("a.vtt"), text="WEBVTT\n", format="docx")
    assert FORMATS_IN_WORDS in str(refusal.value)
    assert set(FORMATS) == {"vtt", "srt", "txt", "rttm", "json"}


def test_a_missing_file_is_refused_in_words(tmp_path: Path) -> None:
    with pytest.raises(TranscriptError, match="cannot read"):
        read_transcript(tmp_path / "absent.vtt")


def test_a_file_that_is_not_utf8_is_refused_naming_the_line(tmp_path: Path) -> None:
    # given
    path = tmp_path / "latin1.txt"
    path.write_bytes("Alice: hello\nBob: caf\u00e9\n".encode("latin-1"))
    # when
    with pytest.raises(TranscriptError) as refusal:
        read_transcript(path)
    # then
    assert refusal.value.line == 2


def test_a_utf16_file_with_its_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "teams.vtt"
    path.write_bytes(
        "\ufeffWEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\n<v Ann>Hi\r\n".encode("utf-16-le")
    )
    assert as_tuples(read_transcript(path)) == [("Ann", 1.0, 2.0, "Hi")]


def test_assemblyai_utterances_are_read_in_milliseconds() -> None:
    assert as_tuples(read("assemblyai.json")) == [
        ("A", 0.25, 1.8, "Thanks for joining."),
        ("B", 2.1, 2.6, "Yes."),
    ]


@pytest.mark.parametrize(
    ("segment", "words"),
    [
        ('{"speaker": "A", "start": 2, "end": 1, "text": "x"}', "ends (1.0 s) before it starts"),
        ('{"speaker": "A", "start": "2", "end": 3, "text": "x"}', "start is not a number"),
        ('{"speaker": "A", "start": -1, "end": 3, "text": "x"}', "before the recording begins"),
        ('{"speaker": ["A"], "start": 1, "end": 3, "text": "x"}', "speaker is not a name"),
        ('{"speaker": "A", "start": 1, "end": 3, "text": null}', "text is not a string"),
        ('"A said hi"', "a segment is an object"),
    ],
)
def test_a_bad_json_segment_is_refused_naming_its_line(segment: str, words: str) -> None:
    # given
    text = (
        '{"segments": [\n  {"speaker": "B", "start": 0, "end": 1, "text": "ok"},\n  '
        + segment
        + "\n]}"
    )
    # when
    with pytest.raises(TranscriptError) as refusal:
        read_transcript(Path("a.json"), text=text)
    # then
    assert refusal.value.line == 3
    assert words in str(refusal.value)


def test_json_without_segments_is_refused_saying_what_is_read() -> None:
    with pytest.raises(TranscriptError, match="no segments found"):
        read_transcript(Path("a.json"), text='{"results": []}')


def test_a_json_speaker_null_is_nobody_and_a_number_is_a_name() -> None:
    text = json.dumps(
        [
            {"speaker": None, "start": 0, "end": 1, "text": " hi  there "},
            {"speaker": 2, "start": 1, "end": 2, "text": ""},
        ]
    )
    assert as_tuples(read_transcript(Path("a.json"), text=text)) == [
        ("", 0.0, 1.0, "hi there"),
        ("2", 1.0, 2.0, ""),
    ]


def test_rttm_of_two_recordings_is_refused_naming_the_line() -> None:
    text = "SPEAKER a 1 0 1 <NA> <NA> A <NA> <NA>\nSPEAKER b 1 1 1 <NA> <NA> B <NA> <NA>\n"
    with pytest.raises(TranscriptError) as refusal:
        read_transcript(Path("x.rttm"), text=text)
    assert refusal.value.line == 2


def test_rttm_skips_comments_and_other_records_and_sums_start_and_duration() -> None:
    text = (
        ";; pyannote\n"
        "SPKR-INFO a 1 <NA> <NA> <NA> unknown A <NA> <NA>\n"
        "SPEAKER a 1 12.34 1.2 <NA> <NA> A <NA> <NA>\n"
    )
    assert as_tuples(read_transcript(Path("x.rttm"), text=text)) == [("A", 12.34, 13.54, None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Alice Smith: hello", ("Alice Smith", "hello")),
        ("SPEAKER_00: hello", ("SPEAKER_00", "hello")),
        ("Dr. Jones: right", ("Dr. Jones", "right")),
        ("Ann-Marie O'Neil:", ("Ann-Marie O'Neil", "")),
        ("here is the thing: no", ("", "here is the thing: no")),
        ("Why not? Because: reasons", ("", "Why not? Because: reasons")),
        ("At 10:30 we meet", ("", "At 10:30 we meet")),
        ("Alice:hello", ("", "Alice:hello")),
        ("\u00c9mile Zola: oui", ("\u00c9mile Zola", "oui")),
        ("\u00e9t\u00e9: chaud", ("", "\u00e9t\u00e9: chaud")),
    ],
)
def test_a_name_prefix_is_a_speaker_and_a_sentence_with_a_colon_is_not(
    text: str, expected: tuple[str, str]
) -> None:
    assert split_speaker_prefix(text) == expected


def test_every_subrip_file_in_the_shared_data_reads_as_webvtt_py_reads_it() -> None:
    paths = sorted(SHARED_WEBVTT.rglob("*.srt")) if SHARED_WEBVTT.is_dir() else []
    if not paths:
        pytest.skip(f"no .srt under {SHARED_WEBVTT}")
    for path in paths:
        # when
        cues = read_transcript(path)
        # then
        assert [(cue.start, cue.end, cue.text) for cue in cues] == [
            (
                caption.start_time.in_milliseconds() / 1000,
                caption.end_time.in_milliseconds() / 1000,
                " ".join(caption.text.split()),
            )
            for caption in webvtt.from_srt(str(path))
        ]


def ami_files(folder: str, pattern: str) -> list[Path]:
    return sorted((AMI / folder).glob(pattern)) if (AMI / folder).is_dir() else []


@pytest.mark.skipif(not AMI.is_dir(), reason=f"{AMI} is absent")
@pytest.mark.parametrize(
    "path", ami_files("ami_rttm_only_words", "*.rttm"), ids=lambda path: path.stem
)
def test_every_ami_rttm_reads_one_cue_a_line(path: Path) -> None:
    # when
    cues = read_transcript(path)
    # then
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(cues) == len(lines)
    assert len({cue.speaker for cue in cues}) == 4
    assert all(cue.text is None and cue.end >= cue.start for cue in cues)  # type: ignore[operator]


def qmsum_as_plain_text(path: Path) -> tuple[str, list[dict[str, str]]]:
    """A QMSum meeting (speaker-attributed turns, no times) written as ``Speaker: text``
    lines, the plain-text form a person pastes."""
    turns = json.loads(path.read_text(encoding="utf-8"))["meeting_transcripts"]
    return "".join(f"{turn['speaker']}: {turn['content']}\n" for turn in turns), turns


@pytest.mark.skipif(not AMI.is_dir(), reason=f"{AMI} is absent")
@pytest.mark.parametrize("path", ami_files("ami_qmsum", "*.json"), ids=lambda path: path.stem)
def test_every_ami_meeting_as_plain_text_reads_one_cue_a_turn(path: Path) -> None:
    # given
    text, turns = qmsum_as_plain_text(path)
    # when
    cues = read_transcript(Path(f"{path.stem}.txt"), text=text)
    # then
    assert [(cue.speaker, cue.text) for cue in cues] == [
        (turn["speaker"], " ".join(turn["content"].split())) for turn in turns
    ]
    assert all(cue.start is None and cue.end is None for cue in cues)
