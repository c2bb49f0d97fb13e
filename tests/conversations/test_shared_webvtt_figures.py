"""The figures and action items of every WebVTT file in ``../shared/data/webvtt/`` (webvtt-py's
and vtt.js's test files: voices, styles, comments, byte order marks): each is analyzed, or
refused by the reader with a line; none crashes the analyzer. Skipped where that folder is
absent."""

import json
from pathlib import Path

import pytest

from heedful.conversations.cues import TranscriptError
from heedful.conversations.figures import analyze
from heedful.conversations.reading import read_transcript
from tests.conftest import SHARED_DATA

WEBVTT = Path(SHARED_DATA) / "webvtt"
FILES = sorted(WEBVTT.rglob("*.vtt"))


@pytest.mark.skipif(not FILES, reason=f"no WebVTT files in {WEBVTT}")
@pytest.mark.parametrize("path", FILES or [Path("none")], ids=lambda path: path.name)
def test_every_shared_webvtt_file_is_analyzed_or_refused_with_a_line(path: Path) -> None:
    # given
    try:
        cues = read_transcript(path)
    except TranscriptError as error:
        assert error.message
        return
    # when
    result = analyze(cues, internal=["Roger Bingham"], meeting_date=None)
    # then: the contract's object, every share between 0 and 1
    assert len(result["speakers"]) == len({cue.speaker for cue in cues})
    for speaker in result["speakers"]:
        assert speaker["talk_share"] is None or 0 <= speaker["talk_share"] <= 1
    json.dumps(result)
