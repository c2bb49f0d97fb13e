"""The conversation figures of the AMI meetings in ``../shared/data/meeting_transcripts``, next
to what the corpus says of them, and the time they take.

Each meeting comes in two forms: QMSum's speaker-labelled turns (words, roles, no times),
given to the analyzer as plain text ``Role: words`` with AMI's annotation markers
(``{vocalsound}``, ``{disfmarker}``, ``{gap}``) taken out, and RTTM (times of participant ids,
no words). The Project Manager, who chairs every AMI meeting, is taken as "internal".

Prints a Markdown table (README, "Conversation analytics") and the CPU time per meeting of
reading plus figures for each form, and of finding action items, best of ``--repeat`` runs.

    .venv/bin/python bench/ami_meetings.py                      # every meeting
    .venv/bin/python bench/ami_meetings.py ES2002a IS1000b TS3005d
"""

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heedful.settings")

from heedful.conversations.commitments import find_action_items  # noqa: E402
from heedful.conversations.figures import analyze, figures  # noqa: E402
from heedful.conversations.reading import read_transcript  # noqa: E402

AMI = Path(
    os.environ.get("HEEDFUL_SHARED_DATA", ROOT.parent / "shared" / "data")
) / "meeting_transcripts"
CHAIR = "Project Manager"
ANNOTATION = re.compile(r"\{\w+\}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("meetings", nargs="*", help="Meeting ids (default: all 40).")
    parser.add_argument("--repeat", type=int, default=5, help="Timed runs per meeting.")
    options = parser.parse_args()
    meetings = options.meetings or sorted(path.stem for path in (AMI / "ami_qmsum").glob("*.json"))
    if not meetings:
        sys.exit(f"no AMI meetings in {AMI}")
    print(
        "| meeting | most words (ours) | their share of words | chair's question ratio "
        "| team's question ratio | most talk time (RTTM id) | its talk share "
        "| longest monologue | interruptions | chair (corpus) | most turns (corpus) |"
    )
    print("|" + " --- |" * 11)
    timings: dict[str, list[float]] = {"words": [], "times": [], "action items": []}
    for meeting in meetings:
        row, times = one_meeting(meeting, repeat=options.repeat)
        print("| " + " | ".join(row) + " |")
        for name, seconds in times.items():
            timings[name].append(seconds)
    print()
    for name, seconds in timings.items():
        mean = sum(seconds) / len(seconds)
        print(
            f"{name}: {mean * 1000:.2f} ms a meeting on average (CPU, best of "
            f"{options.repeat}), {1 / mean:.0f} meetings a second"
        )


def one_meeting(meeting: str, *, repeat: int) -> tuple[list[str], dict[str, float]]:
    qmsum = AMI / "ami_qmsum" / f"{meeting}.json"
    rttm = AMI / "ami_rttm_only_words" / f"{meeting}.rttm"
    turns = json.loads(qmsum.read_text(encoding="utf-8"))["meeting_transcripts"]
    text = "".join(
        f"{turn['speaker']}: {' '.join(ANNOTATION.sub(' ', turn['content']).split())}\n"
        for turn in turns
    )
    words = analyze(
        read_transcript(qmsum.with_suffix(".txt"), text=text, format="txt"), internal=[CHAIR]
    )
    times = analyze(read_transcript(rttm))
    most_words = max(words["speakers"], key=lambda speaker: speaker["words"])
    all_words = sum(speaker["words"] for speaker in words["speakers"])
    most_talk = max(times["speakers"], key=lambda speaker: speaker["talk_seconds"])
    most_turns = Counter(turn["speaker"] for turn in turns).most_common(1)[0]
    longest = times["longest_monologue"]
    row = [
        meeting,
        most_words["name"],
        f"{most_words['words'] / all_words:.0%}",
        ratio(words["internal"]["question_ratio"]),
        ratio(words["customer"]["question_ratio"]),
        most_talk["name"],
        f"{most_talk['talk_share']:.0%}",
        f"{longest['seconds']:.0f} s ({longest['speaker']})",
        str(times["interruptions"]),
        CHAIR,
        f"{most_turns[0]} ({most_turns[1]} of {len(turns)})",
    ]
    cues_of_words = read_transcript(qmsum.with_suffix(".txt"), text=text, format="txt")
    timed = {
        "words": best(
            lambda: figures(
                read_transcript(qmsum.with_suffix(".txt"), text=text, format="txt"),
                internal=[CHAIR],
            ),
            repeat,
        ),
        "times": best(lambda: figures(read_transcript(rttm)), repeat),
        "action items": best(lambda: find_action_items(cues_of_words), repeat),
    }
    return row, timed


def ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def best(work: Any, repeat: int) -> float:
    """The least CPU time of ``repeat`` runs (the machine is shared: CPU, not wall clock)."""
    runs = []
    for _ in range(repeat):
        started = time.process_time()
        work()
        runs.append(time.process_time() - started)
    return min(runs)


if __name__ == "__main__":
    main()
