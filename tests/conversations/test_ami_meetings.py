"""Every AMI meeting in ``../shared/data/meeting_transcripts/`` analyzes without error, in
both its forms: the words (QMSum's speaker-labelled turns, as plain text ``Role: words``,
no times) and the timings (RTTM, no words). Skipped where that folder is absent."""

import json
from pathlib import Path

import pytest

from heedful.conversations.figures import analyze
from heedful.conversations.reading import read_transcript
from tests.conftest import SHARED_DATA

AMI = Path(SHARED_DATA) / "meeting_transcripts"
MEETINGS = sorted(path.stem for path in (AMI / "ami_qmsum").glob("*.json"))
needs_ami = pytest.mark.skipif(not MEETINGS, reason=f"no AMI meetings in {AMI}")


def qmsum_as_plain_text(path: Path) -> str:
    """A QMSum meeting as plain-text lines ``Role: words``, one per turn."""
    turns = json.loads(path.read_text(encoding="utf-8"))["meeting_transcripts"]
    return "".join(
        f"{turn['speaker']}: {' '.join(turn['content'].split())}\n" for turn in turns
    )


@needs_ami
@pytest.mark.parametrize("meeting", MEETINGS or ["none"])
def test_the_words_of_every_ami_meeting_analyze_without_error(meeting: str) -> None:
    # given
    path = AMI / "ami_qmsum" / f"{meeting}.json"
    turns = json.loads(path.read_text(encoding="utf-8"))["meeting_transcripts"]
    cues = read_transcript(
        path.with_suffix(".txt"), text=qmsum_as_plain_text(path), format="txt"
    )
    # when: the Project Manager, who chairs, as our side
    result = analyze(cues, internal=["Project Manager"])
    # then: four roles, words but no times, every turn's questions counted
    assert sorted(speaker["name"] for speaker in result["speakers"]) == [
        "Industrial Designer", "Marketing", "Project Manager", "User Interface",
    ]
    assert result["duration_seconds"] is None
    assert sum(speaker["words"] for speaker in result["speakers"]) > 1000
    questions = result["internal"]["questions"] + result["customer"]["questions"]
    assert questions >= sum(1 for turn in turns if turn["content"].rstrip().endswith("?"))
    json.dumps(result)


@needs_ami
@pytest.mark.parametrize("meeting", MEETINGS or ["none"])
def test_the_timings_of_every_ami_meeting_analyze_without_error(meeting: str) -> None:
    # given
    cues = read_transcript(AMI / "ami_rttm_only_words" / f"{meeting}.rttm")
    # when
    result = analyze(cues)
    # then: four participants whose shares make the whole, times but no words
    assert len(result["speakers"]) == 4
    assert sum(speaker["talk_share"] for speaker in result["speakers"]) == pytest.approx(
        1, abs=0.002
    )
    assert result["duration_seconds"] > 600
    assert result["interruptions"] > 0
    assert result["action_items"] is None
    assert result["speakers"][0]["words"] is None
    json.dumps(result)
