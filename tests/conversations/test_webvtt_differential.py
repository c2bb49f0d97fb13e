"""Our WebVTT reader against webvtt-py, the reference it replaces on the hot path: the same
cues, times, voices and text on every .vtt file under the shared data, every hand-made one,
the odd cases below and generated documents; and refused where webvtt-py refuses.

What "the same" means, and the deliberate differences:
- webvtt-py (in its default mode) silently skips a block that holds cue timings ("-->") but
  cannot be a cue (a garbled or impossible time); a skipped cue would change every figure
  without a word, so we refuse the file and name the line. webvtt-py's strict mode refuses
  all of those too (checked below), but strict mode also refuses what real exporters write
  (Teams' unpadded 0:0:0.570, YouTube's cues without an empty line between them, settings
  it does not know), which its default mode reads and so do we.
- Cue timings that lost their arrow ("00:02.000 00:03.000"): webvtt-py, as the WebVTT rules
  say, skips the block as no cue; a cue gone without a word changes every figure, so we
  refuse the file naming the line (``has_timings_without_an_arrow``).
- A cue with an impossible time right after a "NOTE" line: webvtt-py takes the block for a
  comment when the cue fails; we refuse it like any other impossible time (one test below).
- Text: webvtt-py's ``text`` keeps character references (``&amp;``) and line breaks; ours
  decodes them and reads white space as single spaces; the speaker is webvtt-py's ``voice``
  (stripped), or where it has none, the ``Name:`` prefix of the text, a rule of ours applied
  to webvtt-py's text with our own ``split_speaker_prefix``.
"""

import html
from pathlib import Path

import pytest
import webvtt
from hypothesis import given, settings
from hypothesis import strategies as st
from webvtt.errors import MalformedCaptionError, MalformedFileError

from heedful.conversations.cues import TranscriptError
from heedful.conversations.reading import read_transcript, split_speaker_prefix
from tests.conftest import SHARED_DATA

SHARED_WEBVTT = Path(SHARED_DATA) / "webvtt"
HAND_MADE = Path(__file__).parent / "transcripts"

Reading = list[tuple[str, float | None, float | None, str | None]] | None


def webvtt_py_reading(text: str) -> Reading:
    """What webvtt-py reads, as (speaker, start, end, text); None where we must refuse."""
    try:
        captions = webvtt.from_string(text).captions
    except (MalformedFileError, MalformedCaptionError):
        return None
    # webvtt-py's own block splitting and cue parsing (private, so pinned in pyproject.toml),
    # to see which blocks with timings it skipped.
    for block in webvtt_py_blocks(text):
        has_timings = any("-->" in line for line in block)
        is_comment = block[0].startswith("NOTE") and not webvtt.vtt.WebVTTCueBlock.is_valid(block)
        if has_timings and not is_comment and webvtt.vtt.parse_item(block) is None:
            return None
    cues = []
    for caption in captions:
        words = " ".join(html.unescape(caption.text).split())
        speaker = (caption.voice or "").strip()
        if not speaker:
            speaker, words = split_speaker_prefix(words)
        cues.append(
            (
                speaker,
                caption.start_time.in_milliseconds() / 1000,
                caption.end_time.in_milliseconds() / 1000,
                words,
            )
        )
    return cues


def webvtt_py_blocks(text: str) -> list[list[str]]:
    return list(webvtt.vtt._iter_blocks_of_lines(webvtt.WebVTT._get_lines([text])))


def has_an_impossible_cue_after_a_note_line(text: str) -> bool:
    """The deliberate difference: a block that webvtt-py would read as a cue with "NOTE..."
    for identifier, but whose time does not exist (then even strict webvtt-py reads it as a
    comment, and so refuses nothing)."""
    return any(
        block[0].startswith("NOTE")
        and webvtt.vtt.WebVTTCueBlock.is_valid(block)
        and webvtt.vtt.parse_item(block) is None
        for block in webvtt_py_blocks(text)
    )


def has_timings_without_an_arrow(text: str) -> bool:
    """The deliberate difference: a line of two timestamps and nothing else, read as a cue
    whose arrow was lost (webvtt-py reads its block as no cue)."""
    return any(
        len(words) == 2 and all(webvtt_py_timestamp(word) for word in words)
        for words in (line.split() for line in text.split("\n"))
    )


def webvtt_py_timestamp(word: str) -> bool:
    try:
        webvtt.models.Timestamp.from_string(word)
    except (MalformedCaptionError, ValueError, TypeError, AttributeError):
        return False
    return True


def our_reading(text: str) -> Reading:
    try:
        cues = read_transcript(Path("upload.vtt"), text=text)
    except TranscriptError as error:
        assert error.line is not None, f"refused without a line: {error}"
        return None
    return [(cue.speaker, cue.start, cue.end, cue.text) for cue in cues]


def is_refused_by_strict_webvtt_py(text: str) -> bool:
    try:
        webvtt.from_string(text, strict=True)
    except (MalformedFileError, MalformedCaptionError):
        return True
    return False


def assert_same_reading(text: str) -> None:
    # when
    theirs = webvtt_py_reading(text)
    ours = our_reading(text)
    # then
    if ours is None and has_timings_without_an_arrow(text):
        return
    assert ours == theirs
    if ours is None:
        assert is_refused_by_strict_webvtt_py(text) or has_an_impossible_cue_after_a_note_line(text)


def webvtt_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.vtt")) if folder.is_dir() else []


@pytest.mark.skipif(not SHARED_WEBVTT.is_dir(), reason=f"{SHARED_WEBVTT} is absent")
@pytest.mark.parametrize("path", webvtt_files(SHARED_WEBVTT), ids=lambda path: path.name)
def test_every_shared_webvtt_file_reads_as_webvtt_py_reads_it(path: Path) -> None:
    # given: the file as a person uploads it (webvtt-py reads files the same way: UTF-8
    # unless a byte order mark says otherwise, and the mark dropped)
    theirs = webvtt.read(str(path))
    # when
    ours = read_transcript(path)
    # then
    assert [(cue.start, cue.end) for cue in ours] == [
        (caption.start_time.in_milliseconds() / 1000, caption.end_time.in_milliseconds() / 1000)
        for caption in theirs
    ]
    assert_same_reading(path.read_text(encoding="utf-8-sig"))


def test_the_shared_files_hold_voices_overlaps_and_teams_times() -> None:
    if not SHARED_WEBVTT.is_dir():
        pytest.skip(f"{SHARED_WEBVTT} is absent")
    # when
    teams = read_transcript(SHARED_WEBVTT / "webvtt-py/tests/subtitles/teams_timeframe.vtt")
    # then
    assert [(cue.speaker, cue.start, cue.end) for cue in teams] == [
        ("Yuri Bakulin", 0.0, 0.57),
        ("Adrian Petrescu", 0.21, 1.13),
    ]


@pytest.mark.parametrize("path", webvtt_files(HAND_MADE), ids=lambda path: path.name)
def test_every_hand_made_webvtt_file_reads_as_webvtt_py_reads_it(path: Path) -> None:
    assert_same_reading(path.read_text(encoding="utf-8"))


ODD_CASES = {
    "youtube, no empty line before the next timings": (
        "WEBVTT\n\n00:01.000 --> 00:02.000\nyeah\n00:02.000 --> 00:03.000\nwhat\n"
    ),
    "timings right under the header": "WEBVTT\n00:01.000 --> 00:02.000\n<v Ann>Hi\n",
    "header lines, then timings": "WEBVTT\nKind: captions\n00:01.000 --> 00:02.000\nHi\n",
    "a NOTE block holding an arrow": "WEBVTT\n\nNOTE see a --> b\n\n00:01.000 --> 00:02.000\nHi\n",
    "a NOTE line as a cue identifier": "WEBVTT\n\nNOTE\n00:01.000 --> 00:02.000\nHi\n",
    "carriage returns": "WEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\n<v Ann>Hi\r\nthere\r\n",
    "a lone carriage return": "WEBVTT\r\r00:01.000 --> 00:02.000\rHi\r",
    "unpadded Teams times": "WEBVTT\n\n0:0:1.5 --> 0:0:2.57\n<v Ann>Hi</v>\n",
    "a hundred hours": "WEBVTT\n\n100:00:01.000 --> 100:00:02.000\nHi\n",
    "white space-only line joins two cues' blocks": (
        "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n  \n00:03.000 --> 00:04.000\nHo\n"
    ),
    "extra digits after the end time": "WEBVTT\n\n00:01.000 --> 00:02.0001 align:start\nHi\n",
    "no space around the arrow, settings glued on": "WEBVTT\n\n00:01.000-->00:02.000line:0\nHi\n",
    "two arrows on the timings line": "WEBVTT\n\n00:01.000 --> 00:02.000 --> 3\nHi\n",
    "entities and tags": (
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann><i>Hi</i> &amp; <c.x>bye</c> &lt;3\n"
    ),
    "a voice that is not closed, and a second voice": (
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann> Okay\n<v Bob>Oh?</v>\n"
    ),
    "a lone less-than sign before a voice closing": (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>x < y</v> z> w\n"
    ),
    "digits of another script": (
        "WEBVTT\n\n0\u0661:0\u0665:00.\u0661\u0662\u0663 --> 01:05:02.000\nHi\n\n"
        "\u0660\u0660:\u0660\u0661.\u0660\u0660\u0660 --> 00:02.000\nHo\n"
    ),
    "a tag begun in one cue and closed in the next": (
        "WEBVTT\n\n00:01.000 --> 00:02.000\nsee <b\n\n00:02.000 --> 00:03.000\nx> y\n"
    ),
    "a voice tag without a name": "WEBVTT\n\n00:01.000 --> 00:02.000\n<v>Hi\n",
    "a less-than sign without a tag": "WEBVTT\n\n00:01.000 --> 00:02.000\na < b <i>c</i> d <e\n",
    "zoom names and a sentence with a colon": (
        "WEBVTT\n\n00:01.000 --> 00:02.000\nAnn Lee: Hi\n\n"
        "00:02.000 --> 00:03.000\nhere is the thing: no\n\n"
        "00:03.000 --> 00:04.000\n\u00e9t\u00e9: chaud\n\n"
        "00:04.000 --> 00:05.000\n\u00c9mile Zola: oui\n"
    ),
    "zoom names, every way a colon can fall": "WEBVTT\n\n" + "".join(
        f"00:{index:02d}.000 --> 00:{index + 1:02d}.000\n{text}\n\n"
        for index, text in enumerate([
            "Ann Lee: Hi",
            "Ann Lee:",
            "Ann Lee :  spaced   out",
            "Ann Lee: see: this",
            "Ann:no space",
            "Dr. Jones: hello",
            "SPEAKER_00: yes",
            "Speaker 1:",
            "12:30 works: fine",
            "Who? : nobody",
            "\u00e9lise: non",
            "\u00c9lise\n: oui",
            "A" * 64 + ": the longest name",
            "A" * 65 + ": one letter too long",
            "Ann Lee:: twice",
            "Ann Lee",
        ])
    ),
    "a voice, and a zoom name where there is none": (
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Bob>Ann: a voice wins</v>\n\n"
        "00:02.000 --> 00:03.000\nAnn: hi\n"
    ),
    "zoom names on every cue but one": "WEBVTT\n\n" + "".join(
        f"00:{index:02d}.000 --> 00:{index + 1:02d}.000\n{name}: words {index}\n\n"
        for index, name in enumerate(["Ann Lee", "Bob", "Ann Lee", "bob", "Bob"])
    ),
    "an empty cue at the end": "WEBVTT\n\n00:01.000 --> 00:02.000\n",
    "header only": "WEBVTT\n",
    "WEBVTT glued to more text": "WEBVTTX\n\n00:01.000 --> 00:02.000\nHi\n",
    "byte order mark": "\ufeffWEBVTT\n\n00:01.000 --> 00:02.000\nHi\n",
    "a region and a style": (
        "WEBVTT\n\nREGION\nid:a\n\nSTYLE\n::cue { color: red }\n\n00:01.000 --> 00:02.000\nHi\n"
    ),
    "end before start": "WEBVTT\n\n00:05.000 --> 00:02.000\nHi\n",
    # refused by both
    "no WEBVTT header": "00:01.000 --> 00:02.000\nHi\n",
    "an empty file": "",
    "a garbled time": "WEBVTT\n\n00:01.000 --> 00:0x.000\nHi\n",
    "seconds past 59": "WEBVTT\n\n00:01.000 --> 00:01:75.000\nHi\n",
    "minutes past 59": "WEBVTT\n\n00:61:00.000 --> 01:02:00.000\nHi\n",
    "eleven-digit hours": "WEBVTT\n\n12345678901:00:00.000 --> 12345678901:00:01.000\nHi\n",
    "an arrow line that is not timings": "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n\nsee --> there\n",
    "timings after a cue identifier, garbled": "WEBVTT\n\n7\n1:2 --> 3:4\nHi\n",
    "an arrow on the header line": "WEBVTT --> x\n\n00:01.000 --> 00:02.000\nHi\n",
}


@pytest.mark.parametrize("text", ODD_CASES.values(), ids=ODD_CASES.keys())
def test_odd_webvtt_reads_as_webvtt_py_reads_it(text: str) -> None:
    assert_same_reading(text)


def test_the_refused_odd_cases_name_their_line() -> None:
    # when
    with pytest.raises(TranscriptError) as refusal:
        read_transcript(Path("a.vtt"), text=ODD_CASES["seconds past 59"])
    # then
    assert refusal.value.line == 3
    with pytest.raises(TranscriptError) as refusal:
        read_transcript(Path("a.vtt"), text=ODD_CASES["an arrow line that is not timings"])
    assert refusal.value.line == 6


def test_deliberately_refused_an_impossible_time_after_a_note_line() -> None:
    # given: webvtt-py takes this block for a comment once the cue fails, and reads nothing
    text = "WEBVTT\n\nNOTE\n00:01:75.000 --> 00:01:76.000\nHi\n"
    assert webvtt.from_string(text).captions == []
    assert has_an_impossible_cue_after_a_note_line(text)
    # when
    with pytest.raises(TranscriptError) as refusal:
        read_transcript(Path("a.vtt"), text=text)
    # then
    assert refusal.value.line == 4


TIMESTAMPS = st.builds(
    lambda hours, minutes, seconds, fraction: f"{hours}{minutes}:{seconds}.{fraction}",
    st.sampled_from(["", "00:", "1:", "01:", "123:", "\u0660\u0661:"]),
    st.sampled_from(["00", "0", "5", "07", "59", "60", "99", "0\u0665"]),
    st.sampled_from(["00", "0", "9", "30", "59", "61", "\u0663"]),
    st.sampled_from(["000", "5", "57", "570", "0000", "\u0661\u0662\u0663"]),
)
TIMINGS_LINES = st.builds(
    lambda start, arrow, end, rest: f"{start}{arrow}{end}{rest}",
    TIMESTAMPS,
    st.sampled_from([" --> ", "-->", "  -->\t", " -> "]),
    TIMESTAMPS,
    st.sampled_from(["", " align:start", "1", " --> x", "x"]),
)
OTHER_LINES = st.sampled_from(
    [
        "",
        "",
        "",
        "  ",
        "<v Ann Lee>Shall we start?</v>",
        "<v Bob>x < y</v> z> w",
        "a <b> c & d &lt;",
        "a tag begun <b",
        "x> and ended in the next cue &am",
        "p;",
        "<v.loud Bob>Yes &amp; no",
        "<v>nameless",
        "Speaker 1: hello there",
        "Ann Lee:",
        "Ann Lee : hi: there",
        "Dr. Jones:  two  spaces",
        "\u00e9lise: non",
        "Ann:x",
        "here is the thing: no",
        "plain words. More words?",
        "<c.colorE5E5E5>tagged</c> <00:00:01.500>word",
        "NOTE a comment",
        "NOTE",
        "STYLE",
        "REGION",
        "cue-7",
        "a --> b",
        "00:00:01.000 00:00:02.000",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(st.one_of(TIMINGS_LINES, OTHER_LINES, OTHER_LINES), max_size=30),
    header=st.sampled_from(["WEBVTT", "WEBVTT - a title", "WEBVTT\nKind: captions", "WEBVTTX"]),
    line_break=st.sampled_from(["\n", "\r\n"]),
)
def test_generated_webvtt_reads_as_webvtt_py_reads_it(
    lines: list[str], header: str, line_break: str
) -> None:
    text = line_break.join([*header.split("\n"), *lines])
    assert_same_reading(text)


def test_the_fast_and_the_exact_reader_agree_on_a_long_meeting() -> None:
    # given: a meeting the fast path reads, and the same with one cue written the YouTube
    # way (no empty line before it), which sends the whole file to the exact reader
    blocks = [
        f"{index}\n00:{index // 60:02d}:{index % 60:02d}.000 --> "
        f"00:{index // 60:02d}:{index % 60:02d}.900\n<v Speaker {index % 3}>Words {index}.</v>"
        for index in range(1, 400)
    ]
    fast = "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"
    exact = fast.replace("\n\n200\n", "\n")
    # when
    fast_cues = read_transcript(Path("a.vtt"), text=fast)
    exact_cues = read_transcript(Path("a.vtt"), text=exact)
    # then
    assert len(fast_cues) == 399
    assert [cue.text for cue in fast_cues] == [cue.text for cue in exact_cues]
    assert our_reading(fast) == webvtt_py_reading(fast)
    assert our_reading(exact) == webvtt_py_reading(exact)


AMI_RTTM = Path(SHARED_DATA) / "meeting_transcripts" / "ami_rttm_only_words"


def rttm_as_webvtt(path: Path, *, zoom: bool) -> str:
    """An AMI meeting's real timings (overlaps and all, ~500 segments) written as WebVTT, each
    cue naming its speaker Teams' way (a voice span) or Zoom's (``Name: text``)."""
    blocks = ["WEBVTT"]
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        fields = line.split()
        start = float(fields[3])
        end = start + float(fields[4])
        words = f"segment {number} of {path.stem}?"
        text = f"{fields[7]}: {words}" if zoom else f"<v {fields[7]}>{words}</v>"
        blocks.append(f"{number}\n{webvtt_time(start)} --> {webvtt_time(end)}\n{text}")
    return "\n\n".join(blocks) + "\n"


def webvtt_time(seconds: float) -> str:
    milliseconds = round(seconds * 1000)
    return (
        f"{milliseconds // 3_600_000:02d}:{milliseconds // 60_000 % 60:02d}:"
        f"{milliseconds // 1000 % 60:02d}.{milliseconds % 1000:03d}"
    )


@pytest.mark.skipif(not AMI_RTTM.is_dir(), reason=f"{AMI_RTTM} is absent")
@pytest.mark.parametrize(
    "path", sorted(AMI_RTTM.glob("*.rttm")) if AMI_RTTM.is_dir() else [], ids=lambda p: p.stem
)
def test_every_ami_meeting_as_webvtt_reads_as_webvtt_py_reads_it(path: Path) -> None:
    for zoom in (False, True):
        # given
        text = rttm_as_webvtt(path, zoom=zoom)
        # when
        ours = our_reading(text)
        # then
        assert ours is not None and len(ours) > 100
        assert ours == webvtt_py_reading(text)
