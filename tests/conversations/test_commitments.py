"""Action items said in a meeting: commitments, requests and labelled items, with their owner
and a due date resolved against the meeting date. The meeting below is on Wednesday 25
November 2026 (its week runs Monday 23 to Sunday 29); every due date was worked out by hand
on a calendar."""

from datetime import date

import pytest

from heedful.conversations.commitments import find_action_items
from heedful.conversations.cues import Cue
from heedful.conversations.figures import analyze

WEDNESDAY = date(2026, 11, 25)


def said(*lines: tuple[str, str]) -> list[Cue]:
    """Cues of plain text (no times), one per (speaker, words)."""
    return [
        Cue(speaker=speaker, start=None, end=None, text=text, line=number)
        for number, (speaker, text) in enumerate(lines, start=1)
    ]


@pytest.mark.parametrize(("sentence", "due"), [
    ("I'll send the revised quote by Friday.", "2026-11-27"),
    # a weekday is the first such day after the meeting, never the meeting day itself...
    ("I will send the revised quote by Wednesday.", "2026-12-02"),
    ("I'll call them next Friday.", "2026-11-27"),
    # ...except "this Wednesday", said on a Wednesday
    ("We'll book the room this Wednesday.", "2026-11-25"),
    ("Let me check with finance and get back to you tomorrow.", "2026-11-26"),
    ("I'll share the figures EOD.", "2026-11-25"),
    ("I'll review it this week.", "2026-11-27"),
    ("I'll review it next week.", "2026-12-04"),
    ("I'll just forward it by the end of next week.", "2026-12-04"),
    ("I'm going to draft the contract by the end of the month.", "2026-11-30"),
    ("I'll follow up next month.", "2026-12-31"),
    ("We will confirm by end of quarter.", "2026-12-31"),
    ("I'll send it over by 3 December.", "2026-12-03"),
    ("I'll call you on December 3rd.", "2026-12-03"),
    # the 15th of November has passed: the 15th of December
    ("I'll update the forecast before the 15th.", "2026-12-15"),
    ("I'll prepare the slides before the 30th.", "2026-11-30"),
    # 3 November has passed: next year's
    ("I'll send the deck by 3 November.", "2027-11-03"),
    ("We will ship it by 2027-01-15.", "2027-01-15"),
    ("I'll email the notes in two weeks.", "2026-12-09"),
    ("I can send the invoice within 3 days.", "2026-11-28"),
    ("I'll set up a call with our engineers.", None),
])
def test_a_first_person_commitment_is_owned_by_the_speaker_and_due_as_said(
    sentence: str, due: str | None
) -> None:
    # given
    cues = said(("Ann Lee", f"Okay. {sentence} Thanks."), ("Bob", "Great."))
    # when
    items = find_action_items(cues, internal=["Ann Lee"], meeting_date=WEDNESDAY)
    # then
    assert items == [{"text": sentence, "owner": "Ann Lee", "due": due}]


@pytest.mark.parametrize("sentence", [
    "I'll be honest.",
    "Can you hear me?",
    "Can you see my screen?",
    "I'll tell you what.",
    "I'll share my screen.",
    "Let's get started.",
    "I'll get started then.",
    "If I can send it, I'd love to.",
    "I will not send anything.",
    "I can't send that.",
    "We'll see.",
    "Could you repeat that?",
    "Would you like a coffee?",
    "Let me ask you a question.",
    "Who sends it? No, not me.",
    "Sending the deck was a mistake.",
    "Action-packed week: we shipped two releases.",
    # from the AMI meetings (design meetings: talk about the meeting, on the spot)
    "God , I still don't know what I'm gonna write about .",
    "Um and after that we can add things if they're possible .",
    "Okay I'm gonna we'll look into that in a second .",
    "Would you how much would you pay ?",
    "Let me just check that um ,",
    "Just tell me so I can write them in the report .",
    "How long can you get out of that ,",
    "But I don't know if you could get any mirror effect on it .",
    "I'll just raise another point while it occurs to me .",
    "Wait a second , I'll get it out .",
    "And we'll come back to that .",
    "Just together with the back-lights you'll get a totally new look .",
    "Okay I'm gonna have to call this to a close 'cause we're way over time .",
])
def test_talk_that_is_not_a_commitment_gives_no_action_item(sentence: str) -> None:
    # given
    cues = said(("Ann", sentence), ("Bob", "Yes."))
    # when
    items = find_action_items(cues, internal=["Ann"], meeting_date=WEDNESDAY)
    # then
    assert items == []


def test_a_request_is_owned_by_the_next_speaker_of_the_other_side() -> None:
    # given: Ann (ours) asks; her colleague Dan speaks first, then the customer's Bob
    cues = said(
        ("Ann", "Can you get us the usage report next week?"),
        ("Dan", "That would help us."),
        ("Bob", "Sure, I'll ask our admin."),
    )
    # when
    items = find_action_items(cues, internal=["Ann", "Dan"], meeting_date=WEDNESDAY)
    # then: Bob is asked; his own "I'll ask our admin" is his commitment
    assert items == [
        {"text": "Can you get us the usage report next week?", "owner": "Bob",
         "due": "2026-12-04"},
        {"text": "Sure, I'll ask our admin.", "owner": "Bob", "due": None},
    ]


@pytest.mark.parametrize("sentence", [
    "Cara, could you please send the logs by Monday?",
    "So Cara, you'll send the logs by Monday.",
    "Could you send the logs by Monday, Cara?",
    "So Cara, if you could send the logs by Monday.",
])
def test_a_request_to_a_name_is_owned_by_the_speaker_of_that_name(sentence: str) -> None:
    # given: Bob answers first, but Ann asked Cara by name
    cues = said(("Ann", sentence), ("Bob", "Okay."), ("Cara Diaz", "Will do."))
    # when
    [item] = find_action_items(cues, internal=["Ann"], meeting_date=WEDNESDAY)
    # then
    assert item == {"text": sentence, "owner": "Cara Diaz", "due": "2026-11-30"}


def test_a_request_of_a_meeting_of_one_side_goes_to_the_next_other_speaker() -> None:
    # given: nobody named internal; all four speak for the same side
    cues = said(
        ("Project Manager", "Could you email me the drawings before Friday?"),
        ("Project Manager", "And the budget."),
        ("Industrial Designer", "Sure."),
    )
    # when
    [item] = find_action_items(cues, meeting_date=WEDNESDAY)
    # then
    assert item["owner"] == "Industrial Designer"
    assert item["due"] == "2026-11-27"


def test_a_request_nobody_answers_has_no_owner() -> None:
    # when
    [item] = find_action_items(said(("Ann", "Please send the contract.")), internal=["Ann"])
    # then
    assert item == {"text": "Please send the contract.", "owner": None, "due": None}


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Action: Maria to book the site visit by 3 December.",
     {"text": "Maria to book the site visit by 3 December.", "owner": "Maria",
      "due": "2026-12-03"}),
    ("Action item: I'll circulate the minutes.",
     {"text": "I'll circulate the minutes.", "owner": "Ann", "due": None}),
    ("Next steps: you sign the order form by Friday.",
     {"text": "you sign the order form by Friday.", "owner": "Bob", "due": "2026-11-27"}),
    ("Action item for Bob: renew the licences by end of year.",
     {"text": "renew the licences by end of year.", "owner": "Bob", "due": "2026-12-31"}),
    ("OK, to-do: update the CRM.",
     {"text": "update the CRM.", "owner": None, "due": None}),
])
def test_a_labelled_action_item_is_taken_as_said(
    sentence: str, expected: dict[str, str | None]
) -> None:
    # given
    cues = said(("Ann", sentence), ("Bob", "Fine."))
    # when
    items = find_action_items(cues, internal=["Ann"], meeting_date=WEDNESDAY)
    # then
    assert items == [expected]


def test_without_a_meeting_date_only_a_date_with_its_year_is_due() -> None:
    # given
    cues = said(
        ("Ann", "I'll send the quote by Friday. I'll sign it by 3 December 2026."),
    )
    # when
    items = find_action_items(cues, internal=["Ann"])
    # then
    assert [item["due"] for item in items] == [None, "2026-12-03"]


def test_curly_apostrophes_are_read_as_straight_ones() -> None:
    # given
    cues = said(("Ann", "I\u2019ll send the deck tomorrow."))
    # when
    [item] = find_action_items(cues, meeting_date=WEDNESDAY)
    # then
    assert item == {"text": "I'll send the deck tomorrow.", "owner": "Ann", "due": "2026-11-26"}


def test_a_commitment_said_twice_is_one_action_item() -> None:
    # given
    cues = said(("Ann", "I'll send the deck."), ("Bob", "Thanks."), ("Ann", "I'll send the deck."))
    # when
    items = find_action_items(cues, meeting_date=WEDNESDAY)
    # then
    assert len(items) == 1


def test_a_transcript_without_words_has_no_action_items() -> None:
    # given: diarization output (RTTM): times, no words
    cues = [Cue(speaker="A", start=0, end=5, text=None, line=1)]
    # when / then
    assert find_action_items(cues, meeting_date=WEDNESDAY) == []


def test_the_analysis_lists_the_action_items_in_the_order_said() -> None:
    # given: a timed call in which Bob's cue overlaps Ann's
    cues = [
        Cue("Ann", 0, 10, "Thanks all. I'll send the revised quote by Friday.", 1),
        Cue("Bob", 5, 12, "Can you include the training days?", 2),
        Cue("Ann", 12, 14, "Yes.", 3),
    ]
    # when
    result = analyze(cues, internal=["ann"], meeting_date=WEDNESDAY)
    # then: the request falls to Ann, the next speaker of the other side
    assert result["action_items"] == [
        {"text": "I'll send the revised quote by Friday.", "owner": "Ann", "due": "2026-11-27"},
        {"text": "Can you include the training days?", "owner": "Ann", "due": None},
    ]
