"""Benchmark of transcript analytics on one-hour meetings (issue 9): reading WebVTT, the figures,
and the action items, on one core.

Target: at least 300 one-hour meetings (about 700 cues, 70 kB of WebVTT) a second on one core,
parsing and figures together; action-item extraction is timed separately. Baseline: webvtt-py,
the reader our own parser is held equal to (tests/conversations/test_webvtt_differential.py).

Builds a deterministic meeting (``--seed``) written two ways, Teams' (``<v Name>`` voice spans)
and Zoom's (``Name: text``), checks that our reader gives webvtt-py's cues for it, and then
times, each the best and the median of ``--repeats`` rounds:

1. our ``read_transcript`` and webvtt-py's ``WebVTT.from_string`` on each meeting;
2. every real .vtt file under ../shared/data/webvtt (short files: the sum per round);
3. ``heedful.conversations.figures.figures(cues, internal=...)`` after the reading (every
   figure of the contract but the action items: the target), and
   ``heedful.conversations.commitments.find_action_items(...)`` alone (timed separately, as
   the issue asks); ``figures.analyze`` is the two together.

Prints meetings a second, ms a meeting, the ratio to webvtt-py's read time and to the target.
The process is pinned to one CPU (``--cpu``). Wall-clock on a shared machine: the best of many
rounds is the figure least disturbed by other work; the median says how disturbed it was.

    .venv/bin/python bench/transcripts.py
    .venv/bin/python bench/transcripts.py --repeats 100 --cues 700

Needs the ``bench`` extra (webvtt-py): ``.venv/bin/pip install -e '.[bench]'``.
"""

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import webvtt

from heedful.conversations.cues import Cue
from heedful.conversations.reading import read_transcript

ROOT = Path(__file__).resolve().parent.parent
SHARED_WEBVTT = (
    Path(os.environ.get("HEEDFUL_SHARED_DATA", ROOT.parent / "shared" / "data")) / "webvtt"
)
TARGET_MEETINGS_PER_SECOND = 300.0
MEETING_DATE = date(2026, 11, 30)
INTERNAL = ["Alice Smith", "Dev Patel"]
CUSTOMER = ["Bob Jones", "Carla Diaz"]
SENTENCES = [
    "Thanks for making the time today.",
    "Can you walk me through how the team uses the usage report?",
    "We export it every Monday and the numbers are often late.",
    "I'll send the revised quote by Friday.",
    "Could you get us the usage report next week?",
    "That makes sense, tell me more about the approval step.",
    "Our finance team needs the invoice before the end of the month.",
    "Action: Dev to check the billing anomaly on the March invoice.",
    "What would a good outcome look like for you?",
    "Mm-hmm.",
    "Right.",
    "We tried the other vendor last year and it did not stick.",
    "Let me summarise what I heard so far.",
    "Who else should be in the room when we decide?",
]


def meeting(cues: int, seed: int, zoom: bool) -> str:
    """A one-hour meeting of ``cues`` cues, Teams' way (voice spans, cue numbers) or Zoom's
    (``Name: text``); customers speak in longer runs, internal speakers ask and commit."""
    rng = random.Random(seed)
    lines = ["WEBVTT", ""]
    now = 0.0
    seconds_a_cue = 3600 / cues
    speaker = rng.choice(CUSTOMER)
    for number in range(1, cues + 1):
        if rng.random() < 0.45:
            speaker = rng.choice(INTERNAL if speaker in CUSTOMER else CUSTOMER)
        length = rng.uniform(0.5, 1.5) * seconds_a_cue * 0.9
        start = now + rng.uniform(-0.4, 0.3) if number > 1 else 0.0
        start = max(start, 0.0)
        text = " ".join(rng.sample(SENTENCES, rng.choice([1, 1, 1, 1, 2])))
        lines.append(str(number))
        lines.append(f"{timestamp(start)} --> {timestamp(start + length)}")
        lines.append(f"{speaker}: {text}" if zoom else f"<v {speaker}>{text}</v>")
        lines.append("")
        now = start + length + rng.uniform(0.0, 0.1 * seconds_a_cue)
    return "\n".join(lines)


def timestamp(seconds: float) -> str:
    milliseconds = round(seconds * 1000)
    hours, milliseconds = divmod(milliseconds, 3_600_000)
    minutes, milliseconds = divmod(milliseconds, 60_000)
    return f"{hours:02d}:{minutes:02d}:{milliseconds // 1000:02d}.{milliseconds % 1000:03d}"


def timed_against(
    work: Callable[[], Any], baseline: Callable[[], Any], repeats: int, number: int = 5
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Best and median seconds of one call of ``work`` and of ``baseline``, over ``repeats``
    rounds; each round times both, one right after the other, so that the ratio of the two
    is taken under the same load of the shared machine."""
    work()  # warm: caches, tables built on first use
    baseline()
    rounds, baseline_rounds = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(number):
            work()
        rounds.append((time.perf_counter() - started) / number)
        started = time.perf_counter()
        baseline()
        baseline_rounds.append(time.perf_counter() - started)
    return (min(rounds), statistics.median(rounds)), (
        min(baseline_rounds),
        statistics.median(baseline_rounds),
    )


def timed(work: Callable[[], Any], repeats: int, number: int = 5) -> tuple[float, float]:
    """Best and median seconds of one call, over ``repeats`` rounds of ``number`` calls."""
    work()
    rounds = []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(number):
            work()
        rounds.append((time.perf_counter() - started) / number)
    return min(rounds), statistics.median(rounds)


def webvtt_py_cues(text: str) -> list[tuple[float, float]]:
    return [
        (caption.start_time.in_milliseconds() / 1000, caption.end_time.in_milliseconds() / 1000)
        for caption in webvtt.from_string(text).captions
    ]


def optional(module: str, name: str) -> Callable[..., Any] | None:
    try:
        return getattr(__import__(module, fromlist=[name]), name)  # type: ignore[no-any-return]
    except (ImportError, AttributeError):
        return None


def row(label: str, best: float, median: float, baseline: float | None) -> None:
    per_second = 1 / best
    versus = f"{baseline / best:7.1f}x" if baseline else "       -"
    print(
        f"{label:<34} {best * 1000:8.3f} {median * 1000:8.3f} {per_second:9.0f}"
        f" {per_second / TARGET_MEETINGS_PER_SECOND:7.2f}x {versus}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cues", type=int, default=700)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument(
        "--cpu", type=int, default=None, help="the CPU to pin to (default: the last)"
    )
    arguments = parser.parse_args()
    cpu = arguments.cpu if arguments.cpu is not None else max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    figures = optional("heedful.conversations.figures", "figures")
    find_action_items = optional("heedful.conversations.commitments", "find_action_items")
    print(f"pinned to CPU {cpu}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'':<34} {'best ms':>8} {'median':>8} {'a second':>9} {'target':>8} {'webvtt-py':>8}")
    for style in ("teams", "zoom"):
        text = meeting(arguments.cues, arguments.seed, zoom=style == "zoom")
        cues: list[Cue] = read_transcript(Path("meeting.vtt"), text=text)
        assert [(cue.start, cue.end) for cue in cues] == webvtt_py_cues(text)
        print(f"-- one-hour meeting, {style}: {len(cues)} cues, {len(text.encode()) / 1000:.0f} kB")
        (best, median), (baseline, baseline_median) = timed_against(
            lambda text=text: read_transcript(Path("meeting.vtt"), text=text),
            lambda text=text: webvtt.from_string(text),
            arguments.repeats,
        )
        row("webvtt-py read (baseline)", baseline, baseline_median, None)
        row("read_transcript", best, median, baseline)
        if figures is None:
            print(f"{'read + figures':<34} not available")
        else:
            best, median = timed(
                lambda text=text: figures(
                    read_transcript(Path("meeting.vtt"), text=text), internal=INTERNAL
                ),
                arguments.repeats,
                5,
            )
            row("read + figures (target)", best, median, baseline)
        if find_action_items is None:
            print(f"{'commitments.find_action_items':<34} not available")
        else:
            best, median = timed(
                lambda cues=cues: find_action_items(
                    cues, internal=INTERNAL, meeting_date=MEETING_DATE
                ),
                arguments.repeats,
                1,
            )
            row("find_action_items (alone)", best, median, None)
    files = sorted(SHARED_WEBVTT.rglob("*.vtt")) if SHARED_WEBVTT.is_dir() else []
    if files:
        texts = [path.read_text(encoding="utf-8-sig") for path in files]
        count = sum(len(read_transcript(Path("a.vtt"), text=text)) for text in texts)
        print(f"-- the {len(files)} real .vtt files under {SHARED_WEBVTT} ({count} cues), a round")
        (best, median), (baseline, baseline_median) = timed_against(
            lambda: [read_transcript(Path("a.vtt"), text=text) for text in texts],
            lambda: [webvtt.from_string(text) for text in texts],
            arguments.repeats,
        )
        label = "webvtt-py read (baseline)"
        print(f"{label:<34} {baseline * 1000:8.3f} {baseline_median * 1000:8.3f}")
        print(
            f"{'read_transcript':<34} {best * 1000:8.3f} {median * 1000:8.3f}"
            f" {'':>17} {baseline / best:7.1f}x"
        )
    print(
        "columns: ms a meeting (best, median of the rounds); meetings a second (from the best);"
        f" ratio to the target of {TARGET_MEETINGS_PER_SECOND:.0f} a second; webvtt-py's read"
        " time over this one"
    )


if __name__ == "__main__":
    main()
