"""What the figures and the action items both read a conversation as: cues in time order,
turns (a maximal run of consecutive cues by one speaker), sentences and words, as
CONTRACTS.md ("Transcript analytics") defines them.

The expressions are compiled once, at import: the figures of a one-hour meeting (about 700
cues) must take a few milliseconds, so a turn's words and sentences are found by one regular
expression each, run in C, rather than by a Python loop over characters."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from heedful.conversations.cues import Cue

# A word: a run of non-blank characters holding at least one letter or digit. The match starts
# at the first letter or digit and takes the rest of the run, so each such run counts once:
# "that's", "e-mail" and "3.5" are one word each; "-", "..." and "," are none.
WORD = re.compile(r"[^\W_]\S*")
# ASCII text in six shapes, for counting with string methods (see
# ``words_questions_and_statements``): a letter or digit "a", a mark that ends a question "?",
# one that ends any other sentence ".", white space " ", anything else "x".
_ASCII_SHAPES = {
    code: (
        "a" if chr(code).isalnum()
        else "?" if chr(code) == "?"
        else "." if chr(code) in ".!"
        else " " if chr(code).isspace()
        else "x"
    )
    for code in range(128)
}
# Shapes left when counting words: letters and digits, and the blanks between runs of them.
_ALL_BUT_LETTERS_AND_BLANKS = {ord(shape): None for shape in "x.?"}
# Shapes left when counting statements: letters and digits, and each sentence's end.
_ALL_BUT_LETTERS_AND_ENDS = {ord(shape): None for shape in "x.? "}
# Sentences end after ".", "?" or "!" followed by white space (or the end of the text).
SENTENCE_BREAK = re.compile(r"(?<=[.?!])\s+")
# The sentences that hold a word, each from its first letter or digit to its end, giving the
# mark that ends it ("" for trailing text without one): a run of marks followed by anything
# but white space ("3.5", "...or") does not end a sentence. One scan of a turn counts its
# statements, where splitting it and testing each sentence takes four times as long; the
# possessive quantifiers never backtrack, so the time is linear in the text.
SENTENCE_WITH_A_WORD = re.compile(r"[^\W_](?:[^.?!]++|[.?!]++(?=[^\s.?!]))*+(?:[.?!]*([.?!]))?")
# A question's end: a "?" that ends a sentence.
QUESTION_END = re.compile(r"\?(?=\s|\Z)")


@dataclass(slots=True)
class Turn:
    """A maximal run of consecutive cues (in time order) by one speaker.

    ``start`` is its first cue's start, ``end`` the latest end among its cues (the last cue's
    end, unless a speaker's own cues overlap); both None without times. ``texts`` holds its
    cues' texts in order (empty for RTTM)."""

    speaker: str
    is_internal: bool
    start: float | None
    end: float | None
    line: int
    texts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The turn's words as one text: its cues joined by a space, so that a sentence may run
        on from one cue into the next."""
        return " ".join(self.texts)


def has_times(cues: Sequence[Cue]) -> bool:
    """Whether every cue has a start and an end: a transcript with any cue lacking them (plain
    text without ``[hh:mm:ss]``) has no time figures at all, rather than figures over part."""
    return all(cue.start is not None and cue.end is not None for cue in cues)


def has_words(cues: Sequence[Cue]) -> bool:
    """Whether the cues carry words (RTTM gives times alone: every cue's text is None)."""
    return all(cue.text is not None for cue in cues)


def in_time_order(cues: Sequence[Cue], *, timed: bool) -> list[Cue]:
    """The cues by start, stably (cues starting together keep the file's order); the file's
    order when there are no times."""
    if not timed:
        return list(cues)
    return sorted(cues, key=start_of)


def start_of(cue: Cue) -> float:
    assert cue.start is not None
    return cue.start


def internal_names(names: Iterable[str]) -> frozenset[str]:
    """The ``--internal`` names as compared: case-insensitive, ignoring surrounding blanks."""
    return frozenset(name.strip().casefold() for name in names if name.strip())


def turns_of(ordered: Sequence[Cue], *, internal: frozenset[str]) -> list[Turn]:
    """The turns of cues already in time order (see ``in_time_order``)."""
    turns: list[Turn] = []
    is_internal: dict[str, bool] = {}
    current: Turn | None = None
    for cue in ordered:
        speaker, end = cue.speaker, cue.end
        if current is not None and speaker == current.speaker:
            if end is not None and current.end is not None and end > current.end:
                current.end = end
        else:
            if speaker not in is_internal:
                is_internal[speaker] = speaker.strip().casefold() in internal
            current = Turn(speaker, is_internal[speaker], cue.start, end, cue.line, [])
            turns.append(current)
        if cue.text:
            current.texts.append(cue.text)
    return turns


def sentences(text: str) -> list[str]:
    """A turn's text split after ".", "?" or "!" followed by white space or the end; trailing
    text without such a mark is a sentence too."""
    return [sentence for sentence in SENTENCE_BREAK.split(text.strip()) if sentence]


def count_words(text: str) -> int:
    return words_questions_and_statements(text)[0]


def questions_and_statements(text: str) -> tuple[int, int]:
    """A turn's questions (sentences ending with "?") and statements (every other sentence
    with at least one word), as ``sentences`` splits it."""
    return words_questions_and_statements(text)[1:]


def words_questions_and_statements(text: str) -> tuple[int, int, int]:
    """The words, questions and statements of a text (all of a speaker's turns joined), as
    ``count_words`` and ``questions_and_statements`` define them.

    ASCII text (nearly every English transcript) is counted with string methods running in C,
    a quarter of the time of the expressions (a speaker's hour of speech is 40 kB): each
    character becomes its shape (``_ASCII_SHAPES``); a word is then a run of "a"s between
    blanks; a sentence ends at a mark followed by a blank, so each end becomes "Q" (a question)
    or "S", and once all but letters and ends are gone, a statement is an "S" right after an
    "a" (the sentence held a word), or trailing "a"s (a last sentence without a mark)."""
    if not text.isascii():
        endings = SENTENCE_WITH_A_WORD.findall(text)
        statements = len(endings) - endings.count("?")
        return len(WORD.findall(text)), len(QUESTION_END.findall(text)), statements
    # The blank added makes a mark at the very end end a sentence, as the end of text does.
    shapes = text.translate(_ASCII_SHAPES) + " "
    letters = shapes.translate(_ALL_BUT_LETTERS_AND_BLANKS)
    words = letters.count(" a") + letters.startswith("a")
    ends = shapes.replace("? ", "Q").replace(". ", "S").translate(_ALL_BUT_LETTERS_AND_ENDS)
    statements = ends.count("aS") + ends.endswith("a")
    return words, shapes.count("? "), statements
