"""The conversation figures of CONTRACTS.md ("Transcript analytics") on hand-made
conversations. Every expected figure below was worked out by hand from the cues (the
working is in the comments), never computed by the code under test."""

import random
from dataclasses import replace
from typing import Any

import pytest

from heedful.conversations.cues import Cue
from heedful.conversations.figures import analyze, figures


def cue(speaker: str, start: float | None, end: float | None, text: str | None) -> Cue:
    return Cue(speaker=speaker, start=start, end=end, text=text, line=0)


# A sales call: Ann is ours; Bob and Cara are the customer.
#   turn 1  Ann  [0, 10]            "Hello everyone. How are you?"
#   turn 2  Bob  [12, 20]           "Fine thanks. We have a problem with billing."
#   turn 3  Ann  [19, 21]           "Mm."             starts before Bob's end: interrupts him
#   turn 4  Bob  [21.5, 40]         "It started in March. The invoices doubled! Why?"
#   turn 5  Cara [40, 50]           "And nobody answered our tickets."  (40 is not before 40)
#   turn 6  Ann  [52, 60] [60, 65]  two cues, one turn
#   turn 7  Bob  [64, 70]           "Okay"            starts before Ann's end: interrupts her
CALL = [
    cue("Ann", 0.0, 10.0, "Hello everyone. How are you?"),
    cue("Bob", 12.0, 20.0, "Fine thanks. We have a problem with billing."),
    cue("Ann", 19.0, 21.0, "Mm."),
    cue("Bob", 21.5, 40.0, "It started in March. The invoices doubled! Why?"),
    cue("Cara", 40.0, 50.0, "And nobody answered our tickets."),
    cue("Ann", 52.0, 60.0, "I'm sorry. What happened next? When did it start?"),
    cue("Ann", 60.0, 65.0, "Let me look."),
    cue("Bob", 64.0, 70.0, "Okay"),
]

CALL_FIGURES: dict[str, Any] = {
    # last end 70 - first start 0
    "duration_seconds": 70.0,
    "speakers": [
        {
            "name": "Ann",
            "internal": True,
            # 10 + 2 + 8 + 5
            "talk_seconds": 25.0,
            # 25 / 67.5 (all talk: 25 + 32.5 + 10)
            "talk_share": 0.37,
            "turns": 3,
            # 5 ("Hello everyone. How are you?") + 1 ("Mm.") + 9 + 3
            "words": 18,
            # 18 / (25 / 60)
            "words_per_minute": 43.2,
            # "How are you?", "What happened next?", "When did it start?"
            "questions": 3,
            # "Hello everyone.", "Mm.", "I'm sorry.", "Let me look."
            "statements": 4,
            "question_ratio": 0.75,
            # turns of 10, 2 and 13 (52 to 65) seconds
            "longest_monologue_seconds": 13.0,
            "interruptions_made": 1,
            "interrupted": 1,
        },
        {
            "name": "Bob",
            "internal": False,
            # 8 + 18.5 + 6
            "talk_seconds": 32.5,
            # 32.5 / 67.5 = 0.48148...
            "talk_share": 0.481,
            "turns": 3,
            # 2 + 6, 4 + 3 + 1, 1
            "words": 17,
            # 17 / (32.5 / 60) = 31.3846...
            "words_per_minute": 31.385,
            "questions": 1,
            # "Fine thanks.", "We have a problem with billing.", "It started in March.",
            # "The invoices doubled!", "Okay"
            "statements": 5,
            "question_ratio": 0.2,
            "longest_monologue_seconds": 18.5,
            "interruptions_made": 1,
            "interrupted": 1,
        },
        {
            "name": "Cara",
            "internal": False,
            "talk_seconds": 10.0,
            # 10 / 67.5 = 0.148148...
            "talk_share": 0.148,
            "turns": 1,
            "words": 5,
            "words_per_minute": 30.0,
            "questions": 0,
            "statements": 1,
            "question_ratio": 0.0,
            "longest_monologue_seconds": 10.0,
            "interruptions_made": 0,
            "interrupted": 0,
        },
    ],
    "internal": {
        "talk_share": 0.37,
        "questions": 3,
        "statements": 4,
        "question_ratio": 0.75,
        # 3 / (25 / 60)
        "question_rate": 7.2,
    },
    "customer": {
        # 42.5 / 67.5 = 0.6296...
        "talk_share": 0.63,
        "questions": 1,
        "statements": 6,
        # 1 / 6
        "question_ratio": 0.167,
        # 1 / (42.5 / 60) = 1.41176...
        "question_rate": 1.412,
    },
    "customer_talk_share": 0.63,
    "interruptions": 2,
    "longest_monologue": {"speaker": "Bob", "seconds": 18.5},
    # Bob from 12; Ann's 2 s "Mm." does not end the story; Cara to 50; Ann's 8 s cue does:
    # 50 - 12. Then Bob's own [64, 70] is a story of 6.
    "longest_customer_story_seconds": 38.0,
    # Bob's turn 2 to Ann's turn 3: 19 - 20 < 0 counts 0; Bob's turn 4 is followed by
    # Cara's (customer to customer: not counted); Cara's turn 5 to Ann's turn 6: 52 - 50 = 2.
    # (0 + 2) / 2
    "patience_seconds": 1.0,
    # 7 turns: 6 speaker changes over 70 / 60 minutes = 5.142857...
    "interactivity": 5.143,
    "action_items": [],
}

TIME_FIGURES_OF_A_SPEAKER = (
    "talk_seconds", "talk_share", "words_per_minute", "longest_monologue_seconds",
    "interruptions_made", "interrupted",
)
WORD_FIGURES_OF_A_SPEAKER = (
    "words", "words_per_minute", "questions", "statements", "question_ratio",
)


def test_every_figure_of_a_call_matches_the_one_worked_out_by_hand() -> None:
    # when
    result = analyze(CALL, internal=["Ann"])
    # then
    assert result == CALL_FIGURES
    assert list(result) == list(CALL_FIGURES)


def test_internal_names_are_matched_whatever_their_case() -> None:
    # when
    result = analyze(CALL, internal=["  aNN "])
    # then
    assert [speaker["internal"] for speaker in result["speakers"]] == [True, False, False]
    assert result["customer_talk_share"] == 0.63


def test_cues_out_of_order_are_taken_by_their_start() -> None:
    # given: the call's cues shuffled
    shuffled = list(CALL)
    random.Random(9).shuffle(shuffled)
    assert shuffled != CALL
    # when
    result = analyze(shuffled, internal=["Ann"])
    # then
    assert result == CALL_FIGURES


def test_cues_starting_together_keep_the_files_order() -> None:
    # given: two cues from 0 to 5; the one listed second starts before the first one's end
    first_ann = [cue("Ann", 0, 5, "One."), cue("Bob", 0, 5, "Two.")]
    first_bob = [cue("Bob", 0, 5, "Two."), cue("Ann", 0, 5, "One.")]
    # when
    ann_listed_first = analyze(first_ann, internal=["Ann"])
    bob_listed_first = analyze(first_bob, internal=["Ann"])
    # then: the later-listed speaker interrupts, and speakers are listed as they come
    assert [(s["name"], s["interruptions_made"]) for s in ann_listed_first["speakers"]] == [
        ("Ann", 0), ("Bob", 1),
    ]
    assert [(s["name"], s["interruptions_made"]) for s in bob_listed_first["speakers"]] == [
        ("Bob", 0), ("Ann", 1),
    ]


def test_plain_text_without_times_gives_null_for_every_time_figure() -> None:
    # given: the call's words, with no times
    untimed = [replace(one, start=None, end=None) for one in CALL]
    # when
    result = analyze(untimed, internal=["Ann"])
    # then: words, sentences and turns as in the call; every time figure null
    for name in (
        "duration_seconds", "customer_talk_share", "interruptions",
        "longest_customer_story_seconds", "patience_seconds", "interactivity",
    ):
        assert result[name] is None, name
    assert result["longest_monologue"] == {"speaker": None, "seconds": None}
    for side in ("internal", "customer"):
        assert result[side]["talk_share"] is None
        assert result[side]["question_rate"] is None
        assert result[side]["question_ratio"] == CALL_FIGURES[side]["question_ratio"]
    for speaker, expected in zip(result["speakers"], CALL_FIGURES["speakers"], strict=True):
        for name in TIME_FIGURES_OF_A_SPEAKER:
            assert speaker[name] is None, name
        for name in ("name", "internal", "turns", "words", "questions", "statements"):
            assert speaker[name] == expected[name], name


def test_rttm_without_words_gives_null_for_every_word_and_sentence_figure() -> None:
    # given: the call's times, with no words (diarization output)
    wordless = [replace(one, text=None) for one in CALL]
    # when
    result = analyze(wordless, internal=["Ann"])
    # then: every time figure as in the call; every word and sentence figure null
    for name in (
        "duration_seconds", "customer_talk_share", "interruptions", "longest_monologue",
        "longest_customer_story_seconds", "patience_seconds", "interactivity",
    ):
        assert result[name] == CALL_FIGURES[name], name
    assert result["action_items"] is None
    for side in ("internal", "customer"):
        assert result[side] == {
            "talk_share": CALL_FIGURES[side]["talk_share"],
            "questions": None, "statements": None, "question_ratio": None,
            "question_rate": None,
        }
    for speaker, expected in zip(result["speakers"], CALL_FIGURES["speakers"], strict=True):
        for name in WORD_FIGURES_OF_A_SPEAKER:
            assert speaker[name] is None, name
        for name in ("turns", *TIME_FIGURES_OF_A_SPEAKER):
            if name != "words_per_minute":
                assert speaker[name] == expected[name], name


def test_an_empty_cue_counts_for_time_but_not_for_words() -> None:
    # given: Bob says nothing for 4 s (a cue without words), then Ann, then Bob again
    cues = [
        cue("Bob", 0, 4, ""),
        cue("Ann", 4, 10, "Are you there?"),
        cue("Bob", 10, 12, "   "),
        cue("Bob", 12, 16, "Yes. Sorry."),
    ]
    # when
    result = analyze(cues, internal=["Ann"])
    # then: Bob talked 4 + 2 + 4 = 10 s in 2 turns (0-4, then 10-16), said 2 words
    bob = result["speakers"][0]
    assert (bob["talk_seconds"], bob["turns"], bob["words"]) == (10.0, 2, 2)
    assert (bob["questions"], bob["statements"]) == (0, 2)
    # 2 words / (10 / 60) minutes
    assert bob["words_per_minute"] == 12.0
    assert bob["longest_monologue_seconds"] == 6.0
    # 10 / 16
    assert result["customer_talk_share"] == 0.625


def test_a_speaker_with_no_name_is_a_customer_speaker_of_their_own() -> None:
    # given: an unnamed cue between two of Ann's
    cues = [
        cue("Ann", 0, 5, "One thing."),
        cue("", 5, 6, "Hello?"),
        cue("Ann", 6, 10, "Another thing."),
    ]
    # when
    result = analyze(cues, internal=["Ann"])
    # then: it breaks Ann's talk into two turns and counts on the customer's side
    assert [(s["name"], s["internal"], s["turns"]) for s in result["speakers"]] == [
        ("Ann", True, 2), ("", False, 1),
    ]
    # 1 s of 10
    assert result["customer_talk_share"] == 0.1
    assert result["customer"]["questions"] == 1
    assert result["longest_monologue"] == {"speaker": "Ann", "seconds": 5.0}
    # the unnamed turn [5, 6] is followed by Ann's from 6: a gap of 0
    assert result["patience_seconds"] == 0.0


@pytest.mark.parametrize(("internal_cue", "story"), [
    # 2.9 s: a "mm" that does not take the floor; the story runs 0 to 20
    ((10.0, 12.9), 20.0),
    # exactly 3 s ends the story: 0 to 10, then 13 to 20
    ((10.0, 13.0), 10.0),
])
def test_a_short_internal_cue_does_not_end_a_customer_story(
    internal_cue: tuple[float, float], story: float
) -> None:
    # given
    cues = [
        cue("Bob", 0, 10, "We moved offices."),
        cue("Ann", *internal_cue, "Mm."),
        cue("Bob", 13, 20, "And then the lines went down."),
    ]
    # when
    result = analyze(cues, internal=["Ann"])
    # then
    assert result["longest_customer_story_seconds"] == story


def test_two_short_internal_cues_in_a_row_do_not_end_a_customer_story() -> None:
    # given
    cues = [
        cue("Bob", 0, 10, "We moved."),
        cue("Ann", 10, 11, "Mm."),
        cue("Ann", 11, 12, "Right."),
        cue("Bob", 12, 30, "Then it broke."),
    ]
    # when
    result = analyze(cues, internal=["Ann"])
    # then: 0 to 30
    assert result["longest_customer_story_seconds"] == 30.0


def test_patience_is_null_without_a_customer_turn_followed_by_an_internal_one() -> None:
    # given: Ann, then Bob, then Cara: no customer turn is followed by an internal one
    cues = [cue("Ann", 0, 5, "Hi."), cue("Bob", 6, 8, "Hi."), cue("Cara", 9, 12, "Hello.")]
    # when
    result = analyze(cues, internal=["Ann"])
    # then
    assert result["patience_seconds"] is None
    # the customer speaks from 6 to 12 (Cara's cue follows Bob's, no internal cue between)
    assert result["longest_customer_story_seconds"] == 6.0


def test_patience_averages_the_gaps_before_each_internal_reply() -> None:
    # given: gaps of 1.5, an overlap (counts 0) and 4.5 before Ann replies
    cues = [
        cue("Bob", 0, 10, "Question one?"),
        cue("Ann", 11.5, 15, "Answer."),
        cue("Bob", 16, 20, "Question two?"),
        cue("Ann", 19, 25, "Answer."),
        cue("Bob", 25, 30, "Question three?"),
        cue("Ann", 34.5, 40, "Answer."),
    ]
    # when
    result = analyze(cues, internal=["ann"])
    # then: (1.5 + 0 + 4.5) / 3
    assert result["patience_seconds"] == 2.0
    # 5 changes over 40 s: 5 / (40 / 60)
    assert result["interactivity"] == 7.5
    # customer: 3 questions in 10 + 4 + 5 = 19 s: 3 / (19 / 60) = 9.4736...
    assert result["customer"]["question_rate"] == 9.474
    assert result["customer"]["question_ratio"] is None
    # internal: no question in 3.5 + 6 + 5.5 = 15 s
    assert result["internal"]["question_rate"] == 0.0
    assert result["internal"]["question_ratio"] == 0.0


def test_a_sentence_runs_on_from_one_cue_of_a_turn_into_the_next() -> None:
    # given: one turn whose question is split over two cues, a decimal, and an ellipsis
    cues = [
        cue("Bob", 0, 5, "So what would"),
        cue("Bob", 5, 10, "it cost? About 3.5 million... or more"),
        cue("Bob", 10, 12, "!?! -"),
    ]
    # when
    [bob] = analyze(cues)["speakers"]
    # then: "So what would it cost?" is a question; "About 3.5 million..." and "or more !?!"
    # (ending in "!") are statements; "-" is a sentence with no word, neither
    assert (bob["questions"], bob["statements"]) == (1, 2)
    # So what would it cost? About 3.5 million... or more
    assert bob["words"] == 10
    assert bob["turns"] == 1


def test_a_speaker_whose_cues_last_no_time_has_null_shares_and_rates() -> None:
    # given: every cue has zero length
    cues = [cue("Ann", 1, 1, "Hi?"), cue("Bob", 1, 1, "Hi.")]
    # when
    result = analyze(cues, internal=["Ann"])
    # then
    assert result["duration_seconds"] == 0.0
    assert result["customer_talk_share"] is None
    assert result["interactivity"] is None
    assert [(s["talk_share"], s["words_per_minute"]) for s in result["speakers"]] == [
        (None, None), (None, None),
    ]
    assert result["internal"]["question_rate"] is None


def test_no_cues_give_zeros_and_nulls_not_an_error() -> None:
    # when
    result = analyze([], internal=["Ann"])
    # then
    assert result["speakers"] == []
    assert result["duration_seconds"] == 0.0
    assert result["longest_monologue"] == {"speaker": None, "seconds": None}
    assert result["internal"]["talk_share"] is None
    assert result["action_items"] == []


def test_the_figures_without_action_items_are_the_rest_of_the_object() -> None:
    # when
    result = figures(CALL, internal=["Ann"])
    # then
    assert result == {key: value for key, value in CALL_FIGURES.items() if key != "action_items"}


def test_the_longest_monologue_goes_to_the_earlier_turn_on_a_tie() -> None:
    # given
    cues = [cue("Bob", 0, 10, "A."), cue("Ann", 10, 20, "B."), cue("Bob", 20, 25, "C.")]
    # when
    result = analyze(cues, internal=["Ann"])
    # then
    assert result["longest_monologue"] == {"speaker": "Bob", "seconds": 10.0}
