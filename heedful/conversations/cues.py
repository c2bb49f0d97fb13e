"""What every transcript reader gives the figures: one ``Cue`` per stretch of speech."""

from dataclasses import dataclass


@dataclass(slots=True)
class Cue:
    """One stretch of one speaker's speech, in the order the file gives it.

    ``start`` and ``end`` are seconds from the start of the recording, or ``None`` for plain
    text without times; ``text`` is ``None`` for RTTM (diarization gives times, not words).
    ``speaker`` is the name the file gives ("" when it names nobody). ``line`` is the line of
    the file where the cue begins, so that a person can find it.

    Not frozen, though nothing changes a cue once read: a frozen dataclass's ``__init__`` sets
    each field through ``object.__setattr__``, and building a one-hour meeting's 700 cues took
    0.4 ms of the 3.3 the analyzer has (bench/transcripts.py); a plain slotted one takes
    0.12, and reads its fields as fast (a named tuple's take twice as long)."""

    speaker: str
    start: float | None
    end: float | None
    text: str | None
    line: int


class TranscriptError(ValueError):
    """A transcript that cannot be read: says where (line) and what is wrong, in words a
    person who opened the file can act on."""

    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line is not None else message)
