"""Properties every analysis holds, on generated conversations: shares make the whole, the
order cues come in does not matter, interruptions made equal interruptions suffered, and no
figure is negative."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from heedful.conversations.cues import Cue
from heedful.conversations.figures import figures

SPEAKERS = st.sampled_from(["Ann", "Bob", "Cara", ""])
WORDS = st.sampled_from(["", "Yes.", "Why?", "Well I think so", "Mm.", "3.5 - ok!", "?"])


@st.composite
def conversations(draw: st.DrawFn) -> list[Cue]:
    """Cues with distinct starts (ties are broken by the file's order, a separate test)."""
    count = draw(st.integers(min_value=1, max_value=25))
    starts = draw(st.lists(
        st.integers(min_value=0, max_value=10_000), min_size=count, max_size=count, unique=True
    ))
    cues = []
    for line, start in enumerate(starts, start=1):
        length = draw(st.integers(min_value=0, max_value=900))
        cues.append(Cue(draw(SPEAKERS), start / 10, (start + length) / 10, draw(WORDS), line))
    return cues


@settings(max_examples=200, deadline=None)
@given(conversations(), st.randoms(use_true_random=False))
def test_figures_hold_whatever_the_conversation(cues: list[Cue], shuffler: random.Random) -> None:
    # when
    result = figures(cues, internal=["ann"])
    shuffled = list(cues)
    shuffler.shuffle(shuffled)
    # then
    assert figures(shuffled, internal=["ANN"]) == result
    shares = [speaker["talk_share"] for speaker in result["speakers"]]
    if None not in shares:
        assert abs(sum(shares) - 1) <= 0.002 * len(shares)
        assert abs(result["internal"]["talk_share"] + result["customer_talk_share"] - 1) <= 0.002
    made = sum(speaker["interruptions_made"] for speaker in result["speakers"])
    suffered = sum(speaker["interrupted"] for speaker in result["speakers"])
    assert made == suffered == result["interruptions"]
    assert sum(speaker["turns"] for speaker in result["speakers"]) - 1 <= len(cues)
    for value in (
        result["duration_seconds"], result["patience_seconds"], result["interactivity"],
        result["longest_customer_story_seconds"], result["longest_monologue"]["seconds"],
    ):
        assert value is None or value >= 0
    assert result["longest_monologue"]["seconds"] <= result["duration_seconds"]
