"""The fast counts of words and sentences (one scan of a speaker's turns joined together)
equal the definitions of CONTRACTS.md applied literally: split each turn after ".", "?" or
"!" followed by white space, then look at each sentence."""

import re

from hypothesis import given
from hypothesis import strategies as st

from heedful.conversations.turns import (
    count_words,
    questions_and_statements,
    sentences,
    words_questions_and_statements,
)

# Words, marks, blanks and a few characters that are neither, ASCII and not.
PIECES = st.sampled_from([
    "so", "Why", "3.5", "e-mail", "that's", "_", "-", "—", "…", "é", "ça", "?", "!", ".",
    "...", "?!", "!?", " ", "  ", "\n", "\t", '"', "'", ",", "{gap}", "👍", "\x1f",
])
TEXTS = st.lists(PIECES, max_size=30).map("".join)
# ASCII alone: the text is then counted with string methods, not expressions.
ASCII_PIECES = st.sampled_from([
    "so", "Why", "3.5", "e-mail", "that's", "_", "-", "?", "!", ".", "...", "?!", "!?", "?.",
    " ", "  ", "\n", "\t", "\x0b", "\x1f", '"', "'", ",", ")", "(", "a.b", "x?y", "#", ":",
])
ASCII_TEXTS = st.lists(ASCII_PIECES, max_size=40).map("".join)


def literal_counts(turn_texts: list[str]) -> tuple[int, int, int]:
    """Words, questions, statements by the letter of the contract, turn by turn."""
    words = questions = statements = 0
    for text in turn_texts:
        words += sum(1 for run in text.split() if re.search(r"[^\W_]", run))
        for sentence in sentences(text):
            if sentence.endswith("?"):
                questions += 1
            elif re.search(r"[^\W_]", sentence):
                statements += 1
    return words, questions, statements


@given(st.lists(TEXTS, min_size=1, max_size=5))
def test_counting_a_speakers_turns_joined_equals_counting_each_by_the_letter(
    turn_texts: list[str],
) -> None:
    # when: the way the figures count, all of a speaker's turns at once, each ended by " ."
    joined = " ".join(f"{text} ." for text in turn_texts)
    counted = (count_words(joined), *questions_and_statements(joined))
    # then
    assert counted == literal_counts(turn_texts)


@given(st.lists(ASCII_TEXTS, min_size=1, max_size=5))
def test_counting_ascii_turns_with_string_methods_equals_counting_each_by_the_letter(
    turn_texts: list[str],
) -> None:
    # when
    counted = words_questions_and_statements(" ".join(f"{text} ." for text in turn_texts))
    # then
    assert counted == literal_counts(turn_texts)


def test_examples_of_words_and_sentences() -> None:
    # then
    assert count_words("Okay , that's fine . e-mail 3.5 - ...") == 5
    assert count_words("Ça va — très bien …") == 4
    # "Really ?"; "Yes.", "No!", "Maybe 3.5...", "or not"
    assert questions_and_statements("Really ? Yes. No! Maybe 3.5... or not") == (1, 4)
    assert sentences("Why?! Because. ") == ["Why?!", "Because."]
    # "Why?!" ends with "!": a statement; "ok?" at the very end is a question.
    assert words_questions_and_statements("Why?!\tso (3.5). ok?") == (4, 1, 2)
    assert words_questions_and_statements("Ça va? Oui.") == (3, 1, 1)
    assert words_questions_and_statements("") == (0, 0, 0)
