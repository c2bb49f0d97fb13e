"""The figures of a conversation: who spoke, how long, who asked, who interrupted, who
listened. ``analyze`` returns exactly the object CONTRACTS.md defines ("Transcript
analytics"); this docstring records what the contract leaves open, and how it is settled
(docs/adr/0023-conversation-figures-what-the-contract-left-open.md says why).

- **Time order.** Cues are taken by start, stably: cues starting at the same second keep
  the file's order. Without times they keep the file's order.
- **Times or none.** If any cue lacks a start or an end (plain text without ``[hh:mm:ss]``)
  every time figure is null, never a figure over part of the meeting. If any cue lacks text
  (RTTM) every word and sentence figure is null, ``action_items`` included.
- **duration_seconds**: the latest end of any cue minus the earliest start.
- **A turn's end** (monologues, stories, patience) is the latest end among its cues: the last
  cue's end, unless a speaker's own cues overlap each other.
- **Rounding**: every seconds, share, ratio and rate figure is rounded to 3 decimals (a
  millisecond, the precision of WebVTT and SRT), once, on output; counts are integers.
  Shares are fractions from 0 to 1, not percents.
- **A word** is a run of non-blank characters holding a letter or a digit: "that's", "3.5"
  and "e-mail" are one each, "-", "..." and a tokenised "," none (``turns.WORD``).
- **Empty cues** (no words, e.g. a music cue) count for time (talk, turns, monologues,
  interruptions) but add no word and no sentence.
- **A cue with no speaker** (speaker ``""``) is one more speaker named ``""``, on the
  customer side (``--internal`` cannot name it); its cues break turns like anyone's.
- **Speakers** are listed in the order they first speak; names are compared exactly (the
  reader gives them), except against ``--internal``, which ignores case and surrounding
  blanks.
- **Division by nothing** gives null: a share when nobody's cues last (all zero length),
  words per minute or a question rate with no talk time, interactivity over a zero duration.
  A side with no speakers has talk share 0 and null ratio and rate.
- **Longest monologue** with no turn (no cues): ``{"speaker": null, "seconds": null}``, the
  same shape as without times; ties go to the earlier turn.
- **Longest customer story**: null when the customer never speaks; a customer cue alone is
  a story of its own length.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from itertools import pairwise
from typing import Any

from heedful.conversations import turns as conversation
from heedful.conversations.commitments import action_items_in_turns
from heedful.conversations.cues import Cue
from heedful.conversations.turns import Turn

DECIMALS = 3
# An internal speaker's cue shorter than this inside a customer story (a "mm", a short
# clarifying question) does not take the floor from the customer (CONTRACTS.md).
STORY_PAUSE_SECONDS = 3.0


def analyze(
    cues: Sequence[Cue], *, internal: Iterable[str] = (), meeting_date: date | None = None
) -> dict[str, Any]:
    """The contract's output object for one transcript, action items included (their due
    dates resolved against ``meeting_date``; see ``commitments.find_action_items``)."""
    result, turns = figures_and_turns(cues, internal=internal)
    result["action_items"] = (
        action_items_in_turns(turns, meeting_date=meeting_date)
        if conversation.has_words(cues)
        else None
    )
    return result


def figures(cues: Sequence[Cue], *, internal: Iterable[str] = ()) -> dict[str, Any]:
    """The contract's object without ``action_items``: the part timed on its own by the
    benchmark (finding action items calls dateparser, which is slower)."""
    return figures_and_turns(cues, internal=internal)[0]


def figures_and_turns(
    cues: Sequence[Cue], *, internal: Iterable[str]
) -> tuple[dict[str, Any], list[Turn]]:
    timed = conversation.has_times(cues)
    ordered = conversation.in_time_order(cues, timed=timed)
    turns = conversation.turns_of(ordered, internal=conversation.internal_names(internal))
    result = figures_of(ordered, turns, timed=timed, worded=conversation.has_words(cues))
    return result, turns


class SpeakerTally:
    """One speaker's running figures, unrounded."""

    __slots__ = (
        "name", "is_internal", "talk_seconds", "turns", "words", "questions", "statements",
        "longest_monologue", "interruptions_made", "interrupted", "turn_texts",
    )

    def __init__(self, name: str, is_internal: bool) -> None:
        self.name = name
        self.is_internal = is_internal
        self.talk_seconds = 0.0
        self.turns = 0
        self.words = 0
        self.questions = 0
        self.statements = 0
        self.longest_monologue = 0.0
        self.interruptions_made = 0
        self.interrupted = 0
        self.turn_texts: list[str] = []


def figures_of(
    ordered: list[Cue], turns: list[Turn], *, timed: bool, worded: bool
) -> dict[str, Any]:
    tallies: dict[str, SpeakerTally] = {}
    # Speakers in the order they first speak: the turns are in time order.
    for turn in turns:
        if turn.speaker not in tallies:
            tallies[turn.speaker] = SpeakerTally(turn.speaker, turn.is_internal)

    interruptions = 0
    if timed:
        previous_speaker = None
        previous_end = 0.0
        for cue in ordered:
            start, end = cue.start, cue.end
            assert start is not None and end is not None
            tally = tallies[cue.speaker]
            if end > start:
                tally.talk_seconds += end - start
            if previous_speaker is not None and cue.speaker != previous_speaker:
                if start < previous_end:
                    interruptions += 1
                    tally.interruptions_made += 1
                    tallies[previous_speaker].interrupted += 1
            previous_speaker, previous_end = cue.speaker, end

    longest_monologue: Turn | None = None
    longest_span = -1.0
    for turn in turns:
        tally = tallies[turn.speaker]
        tally.turns += 1
        if timed:
            span = turn.end - turn.start  # type: ignore[operator]
            if span < 0.0:  # span_of, inline: called for every turn
                span = 0.0
            if span > tally.longest_monologue:
                tally.longest_monologue = span
            if span > longest_span:
                longest_monologue, longest_span = turn, span
        if worded and turn.texts:
            tally.turn_texts += turn.texts
            tally.turn_texts.append(".")
    if worded:
        for tally in tallies.values():
            # One text per speaker, each turn (its cues joined by a space, as Turn.text) ended
            # by " .": a sentence ends where a turn does, and "." alone holds no word, so the
            # counts are those of each turn added up, in one scan rather than hundreds of
            # short ones (a third of the time).
            text = " ".join(tally.turn_texts)
            tally.words, tally.questions, tally.statements = (
                conversation.words_questions_and_statements(text)
            )

    total_talk = sum(tally.talk_seconds for tally in tallies.values())
    sides = {
        is_internal: [tally for tally in tallies.values() if tally.is_internal == is_internal]
        for is_internal in (True, False)
    }
    side_figures = {
        is_internal: side(members, total_talk=total_talk, timed=timed, worded=worded)
        for is_internal, members in sides.items()
    }
    customer_talk = sum(tally.talk_seconds for tally in sides[False])
    duration = duration_of(ordered) if timed else 0.0
    return {
        "duration_seconds": rounded(duration) if timed else None,
        "speakers": [
            speaker(tally, total_talk=total_talk, timed=timed, worded=worded)
            for tally in tallies.values()
        ],
        "internal": side_figures[True],
        "customer": side_figures[False],
        "customer_talk_share": rounded(divided(customer_talk, total_talk)) if timed else None,
        "interruptions": interruptions if timed else None,
        "longest_monologue": {
            "speaker": longest_monologue.speaker if longest_monologue else None,
            "seconds": rounded(span_of(longest_monologue)) if longest_monologue else None,
        },
        "longest_customer_story_seconds": (
            rounded(longest_customer_story(ordered, tallies)) if timed else None
        ),
        "patience_seconds": rounded(patience(turns)) if timed else None,
        "interactivity": (
            rounded(divided(len(turns) - 1, duration / 60))
            if timed and turns
            else None
        ),
    }


def speaker(
    tally: SpeakerTally, *, total_talk: float, timed: bool, worded: bool
) -> dict[str, Any]:
    return {
        "name": tally.name,
        "internal": tally.is_internal,
        "talk_seconds": rounded(tally.talk_seconds) if timed else None,
        "talk_share": rounded(divided(tally.talk_seconds, total_talk)) if timed else None,
        "turns": tally.turns,
        "words": tally.words if worded else None,
        "words_per_minute": (
            rounded(divided(tally.words, tally.talk_seconds / 60)) if timed and worded else None
        ),
        "questions": tally.questions if worded else None,
        "statements": tally.statements if worded else None,
        "question_ratio": rounded(divided(tally.questions, tally.statements)) if worded else None,
        "longest_monologue_seconds": rounded(tally.longest_monologue) if timed else None,
        "interruptions_made": tally.interruptions_made if timed else None,
        "interrupted": tally.interrupted if timed else None,
    }


def side(
    members: list[SpeakerTally], *, total_talk: float, timed: bool, worded: bool
) -> dict[str, Any]:
    """The five figures of one side (internal or customer) over its speakers."""
    talk = sum(tally.talk_seconds for tally in members)
    questions = sum(tally.questions for tally in members)
    statements = sum(tally.statements for tally in members)
    return {
        "talk_share": rounded(divided(talk, total_talk)) if timed else None,
        "questions": questions if worded else None,
        "statements": statements if worded else None,
        "question_ratio": rounded(divided(questions, statements)) if worded else None,
        "question_rate": (
            rounded(divided(questions, talk / 60)) if timed and worded else None
        ),
    }


def span_of(turn: Turn) -> float:
    """A turn's span (a monologue): first cue start to last cue end."""
    assert turn.start is not None and turn.end is not None
    return max(turn.end - turn.start, 0.0)


def duration_of(ordered: list[Cue]) -> float:
    """The latest end of any cue minus the earliest start; 0 with no cues."""
    if not ordered:
        return 0.0
    first_start = ordered[0].start
    assert first_start is not None
    # Only called with times: every end is a number.
    last_end: float = max([cue.end for cue in ordered])  # type: ignore[type-var, assignment]
    return last_end - first_start


def longest_customer_story(ordered: list[Cue], tallies: dict[str, SpeakerTally]) -> float | None:
    """The longest span of customer speech in which the customer keeps the floor: internal
    cues shorter than STORY_PAUSE_SECONDS inside it do not end it, longer ones do. From the
    first customer cue's start to the latest customer cue's end; None if the customer never
    speaks."""
    longest: float | None = None
    story_start: float | None = None
    story_end = 0.0
    for cue in ordered:
        start, end = cue.start, cue.end
        assert start is not None and end is not None
        if not tallies[cue.speaker].is_internal:
            if story_start is None:
                story_start, story_end = start, end
            elif end > story_end:
                story_end = end
        elif story_start is not None and end - start >= STORY_PAUSE_SECONDS:
            if longest is None or story_end - story_start > longest:
                longest = story_end - story_start
            story_start = None
    if story_start is not None and (longest is None or story_end - story_start > longest):
        longest = story_end - story_start
    return longest


def patience(turns: list[Turn]) -> float | None:
    """The mean gap from the end of a customer turn to the start of the internal turn right
    after it (an overlap counts as 0); None when no customer turn is followed by an
    internal one."""
    gaps = [
        max(following.start - current.end, 0.0)  # type: ignore[operator]
        for current, following in pairwise(turns)
        if not current.is_internal and following.is_internal
    ]
    return sum(gaps) / len(gaps) if gaps else None


def divided(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS)
