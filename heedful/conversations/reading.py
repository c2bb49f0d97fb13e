"""Reading a meeting transcript into cues, whatever the tool that wrote it.

Every reader gives ``list[Cue]`` in the order of the file (never sorted: the figures decide
what order means) and refuses a file it cannot read with ``TranscriptError`` naming the line.

- **WebVTT** (``.vtt``): our own parser, held equal to webvtt-py by
  ``tests/conversations/test_webvtt_differential.py`` (webvtt-py takes 13–45 ms to read a
  one-hour meeting, far from the 300 a second the analyzer must reach; ADR 0022).
  It reads exactly the cues webvtt-py reads, with the same times; where webvtt-py would
  silently drop a block that holds cue timings (``-->``) but cannot be a cue (a bad
  timestamp, minutes past 59), we refuse the file instead, naming that line: a dropped cue
  would change every figure without a word.
  The speaker is the name of a ``<v Name>`` voice span opening the cue, as webvtt-py reads it;
  else a ``Name:`` prefix (Zoom writes ``Alice Smith: hello``); else "". The text loses its
  tags (``<c>``, ``<i>``, inline timestamps) and its character references (``&amp;``), and its
  white space (line breaks included) becomes single spaces.
- **SRT** (``.srt``): the ``srt`` library; speaker from a ``Name:`` prefix, tags stripped.
- **Plain text** (``.txt``): one cue per line ``Name: text``, optionally led by
  ``[hh:mm:ss]`` or ``[mm:ss]`` (a fraction ``.ttt`` allowed). A line with neither a name nor
  a time continues the cue before it; a time without a name, or a line before any named one,
  starts a cue of nobody (speaker ""). Empty lines are skipped. Without
  times, ``start`` and ``end`` are None. With times, every named line must have one, and a
  cue's ``end`` is the next cue's start (in file order), or its own start when that is
  earlier or when it is the last cue: a plain-text transcript says when people began to
  speak, not how long, so the last cue lasts nothing rather than a guess (ADR 0022).
- **RTTM** (``.rttm``): ``SPEAKER <file> <channel> <start> <duration> <NA> <NA> <name> ...``;
  ``text`` is None; ``;;`` comments and other record types (``SPKR-INFO`` ...) are skipped;
  a name with spaces (more than ten fields) is read whole; ``end`` is start + duration,
  rounded to the microsecond so that 12.34 + 1.2 is 13.54. All lines are of one recording.
- **JSON** (``.json``): a list of segments, each an object with ``speaker``, ``start`` and
  ``end`` (seconds) and ``text``; or ``{"segments": [...]}`` (WhisperX and most services);
  or AssemblyAI's ``{"utterances": [...]}``, whose times are in **milliseconds**. A
  ``"speaker": null`` is nobody ("").

A ``Name:`` prefix (WebVTT without a voice, SRT, plain text) is a name of at most 64
characters that begins with a letter that is not lower case (so "Speaker 1", "SPEAKER_00",
"Dr. Jones", "Ann-Marie" are names, "here is the thing: ..." is not), holds no ``?``, ``!``,
``"``, ``<`` or ``>``, and is followed by a colon and white space or the end of the line.
"""

import html
import json
import math
import re
from collections.abc import Iterator
from functools import cache
from itertools import accumulate, repeat
from operator import add, truediv
from pathlib import Path
from typing import Any

import srt

from heedful.conversations.cues import Cue, TranscriptError

FORMATS = ("vtt", "srt", "txt", "rttm", "json")
FORMATS_IN_WORDS = (
    'WebVTT (.vtt), SubRip (.srt), plain text (.txt, lines "Name: text", optionally led by '
    "[hh:mm:ss]), RTTM diarization output (.rttm) or speaker-labelled JSON (.json, segments "
    "with speaker, start, end and text)"
)
_FORMAT_OF_EXTENSION = {
    ".vtt": "vtt",
    ".webvtt": "vtt",
    ".srt": "srt",
    ".txt": "txt",
    ".text": "txt",
    ".rttm": "rttm",
    ".json": "json",
}
_BYTE_ORDER_MARKS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def read_transcript(path: Path, *, text: str | None = None, format: str | None = None) -> list[Cue]:
    """The cues of a transcript file, or of ``text`` (an upload's content; ``path`` then only
    names it, for its extension). ``format`` is one of ``FORMATS``; without it the extension
    decides, and without a known extension the content does."""
    if text is None:
        text = _decode(_read_bytes(path))
    elif text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    chosen = format or format_of(path, text)
    if chosen not in _READERS:
        raise TranscriptError(None, f"unknown format {chosen!r}: Heedful reads {FORMATS_IN_WORDS}")
    return _READERS[chosen](text)


def format_of(path: Path, text: str) -> str:
    """The format a file's extension names, else the one its first lines look like."""
    by_extension = _FORMAT_OF_EXTENSION.get(path.suffix.lower())
    if by_extension:
        return by_extension
    head = text.lstrip("\ufeff")[:2000]
    if head.startswith("WEBVTT"):
        return "vtt"
    if _LOOKS_LIKE_JSON.match(head):
        return "json"
    if _LOOKS_LIKE_SUBRIP.match(head):
        return "srt"
    first_record = next(
        (line for line in head.splitlines() if line.strip() and not line.startswith(";;")), ""
    )
    if first_record.split(maxsplit=1)[:1] == ["SPEAKER"]:
        return "rttm"
    return "txt"


_LOOKS_LIKE_JSON = re.compile(r"\s*(?:\{|\[\s*[{\]])")
_LOOKS_LIKE_SUBRIP = re.compile(r"\s*\d+[^\S\n]*\n[^\S\n]*\d+:\d+:\d+[,.]\d+[^\S\n]*-->")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise TranscriptError(None, f"cannot read {path}: {error.strerror or error}") from None


def _decode(data: bytes) -> str:
    """UTF-8 unless a byte order mark says otherwise (as webvtt-py reads files)."""
    encoding = "utf-8"
    for mark, marked_encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            data, encoding = data[len(mark) :], marked_encoding
            break
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].decode(encoding, errors="replace").count("\n") + 1
        raise TranscriptError(line, f"this is not {encoding.upper()} text") from None


# --- speakers named in the text -------------------------------------------------------------

# The name (group 1, None when the text does not begin with one) and the rest (group 2); an
# ASCII lower-case first letter is excluded here, any other lower-case one in Python.
_SPEAKER_PREFIX = re.compile(
    r"(?:((?![a-z])[^\W\d_][^:?!\"<>\n]{0,63}?)[^\S\n]*:(?:[^\S\n]+|$))?(.*)", re.DOTALL
)


def split_speaker_prefix(text: str) -> tuple[str, str]:
    """``("Alice Smith", "hello")`` for ``"Alice Smith: hello"``; ``("", text)`` when the text
    does not begin with a name and a colon (the rule is in the module docstring)."""
    name, rest = _SPEAKER_PREFIX.match(text).groups()  # type: ignore[union-attr]
    if name is None or name[0].islower():
        return "", text
    return name, rest


def _split_speaker_prefixes(texts: list[str]) -> tuple[list[str], list[str]]:
    """``split_speaker_prefix`` of each text, for texts whose only white space is single
    spaces, none leading or trailing (as the fast WebVTT reader gives them).

    Zoom names every cue this way, so this is on the hot path: the expression is run once for
    each distinct "Name: " (a meeting has a handful), not once a cue. A name holds no colon,
    so the only colon that can end one is the text's first; with single spaces, it ends one
    only as ": " (or as the text's last character), so the text up to its first ": " decides,
    and what follows is the rest."""
    heads, separators, rests = zip(*map(str.partition, texts, repeat(": ")), strict=True)
    # "Alice Smith: " where the text has ": ", else the whole text (a name then only if it
    # ends with the colon: "Alice Smith:" alone).
    keys = list(map(add, heads, separators))
    name_of = {key: split_speaker_prefix(key)[0] for key in set(keys)}
    speakers = list(map(name_of.__getitem__, keys))
    words = list(rests)
    if not all(speakers):
        for index, speaker in enumerate(speakers):
            if not speaker:
                words[index] = texts[index]
    return speakers, words


# --- WebVTT ----------------------------------------------------------------------------------

_TIMESTAMP = r"(?:(\d+):)?(\d{1,2}):(\d{1,2})\.(\d{1,3})"
# The same, for the fast reader: only times that exist (hours of at most 10 digits, as
# webvtt-py's limit 9999999999:59:59.999; minutes and seconds to 59), so that a line with an
# impossible time is left unmatched and sends the file to the exact reader, which names it.
# Grouped as "hh:", "mm:ss" and "ttt", the pieces the tables of _time_tables look up.
_EXISTING_TIMESTAMP = r"(\d{1,10}:)?([0-5]?\d:[0-5]?\d)\.(\d{1,3})"
_VOICE = r"<v(?:\.\w+)*[^\S\n]+([^>\s][^>\n]*)>"
# A cue timings line as webvtt-py matches it (``re.match`` at the start of a line, white space
# allowed around the arrow), the rest of that line (settings), then the cue's text: the lines
# up to the first empty one, with the voice span that may open it. The match begins at the
# newline before the timings, a literal the regular expression engine skips to quickly.
_WEBVTT_CUE = re.compile(
    rf"\n[^\S\n]*{_EXISTING_TIMESTAMP}[^\S\n]*-->[^\S\n]*{_EXISTING_TIMESTAMP}[^\n]*"
    rf"(?:\n(?=[^\n])(?:{_VOICE})?([^\n]*(?:\n[^\n]+)*))?"
)
# The same for times written in full, hh:mm:ss.ttt, and " --> " between them, as nearly every
# exporter writes them: fixed widths leave the engine nothing to try twice, a third quicker.
# Where it misses an arrow, the file is read again with the expression above.
_FULL_TIMESTAMP = r"(\d\d:)([0-5]\d:[0-5]\d)\.(\d\d\d)"
_WEBVTT_CUE_WITH_FULL_TIMES = re.compile(
    rf"\n{_FULL_TIMESTAMP} --> {_FULL_TIMESTAMP}.*(?:\n(?=.)(?:{_VOICE})?(.*(?:\n.+)*))?"
)
_WEBVTT_TIMINGS_LINE = re.compile(rf"[^\S\n]*{_TIMESTAMP}[^\S\n]*-->[^\S\n]*{_TIMESTAMP}")
_VOICE_SPAN = re.compile(_VOICE)
# Two timestamps alone on a line: cue timings that lost their arrow. Looked for only on the
# lines where a fraction of a second is followed by a blank and a digit (a search a quarter of
# the time of the whole pattern's, on the hot path).
_TIMINGS_WITHOUT_ARROW = re.compile(rf"[^\S\n]*{_TIMESTAMP}[^\S\n]+{_TIMESTAMP}[^\S\n]*")
_MAYBE_TIMINGS_WITHOUT_ARROW = re.compile(r"\.\d{1,3}[ \t]+\d")


def _timings_without_arrow(text: str) -> tuple[int, str] | None:
    """The line number and text of the first line holding only two timestamps, if any."""
    for candidate in _MAYBE_TIMINGS_WITHOUT_ARROW.finditer(text):
        start = text.rfind("\n", 0, candidate.start()) + 1
        end = text.find("\n", candidate.end())
        end = len(text) if end < 0 else end
        if _TIMINGS_WITHOUT_ARROW.fullmatch(text, start, end):
            return text.count("\n", 0, start) + 1, text[start:end].strip()
    return None
_CUE_TAG = re.compile(r"<[^>\n]*>")
# The same in the cues' texts joined by the separator: a tag never runs into the next cue.
_CUE_TAG_IN_JOINED_TEXTS = re.compile(r"<[^>\n\x00]*>")
_LONGEST_HOURS = 10  # webvtt-py's limit: 9999999999:59:59.999
# Joins the texts of all cues so that tags and character references go in one pass.
_TEXT_SEPARATOR = "\x00"


def read_webvtt(text: str) -> list[Cue]:
    """WebVTT cues as webvtt-py reads them (see the module docstring for where we refuse).

    The hot path of the analyzer (300 one-hour meetings a second is the target), so the work
    is done a column at a time by the regular expression engine and ``map``: one ``findall``
    for every cue's fields, and the tags of all texts stripped in one pass. It vouches for a
    file only when every "-->" in it is the arrow of a cue it matched: in webvtt-py a line
    holding "-->" always starts a new block, so a text that ran into the next timings (YouTube
    writes no empty line there), or a line that is not cue timings, shows up as more arrows
    than cues, and the file goes to the exact reader, block by block as webvtt-py reads it."""
    if not text.startswith("WEBVTT"):
        raise TranscriptError(1, "a WebVTT file begins with the line WEBVTT")
    lost_arrow = _timings_without_arrow(text)
    if lost_arrow is not None:
        # webvtt-py (and the WebVTT parsing rules) skip such a block without a word: a cue
        # and its words gone from every figure. Say where instead.
        line, timings = lost_arrow
        raise TranscriptError(
            line, f"{timings!r} looks like cue timings without the arrow: write start --> end"
        )
    before_each_arrow = text.split("-->")
    arrows = len(before_each_arrow) - 1
    rows = _WEBVTT_CUE_WITH_FULL_TIMES.findall(text)
    if len(rows) != arrows:
        rows = _WEBVTT_CUE.findall(text)
    if len(rows) != arrows or _TEXT_SEPARATOR in text:
        return _read_webvtt_block_by_block(text)
    if not rows:
        return []
    (hours, minutes_seconds, fractions, end_hours, end_minutes_seconds, end_fractions, voices,
     payloads) = zip(*rows, strict=True)  # fmt: skip
    starts = _seconds_column(hours, minutes_seconds, fractions)
    ends = _seconds_column(end_hours, end_minutes_seconds, end_fractions)
    # The k-th arrow is the k-th cue's: its line is one more than the newlines before it.
    newlines = map(str.count, before_each_arrow[:-1], repeat("\n"))
    lines = list(accumulate(newlines, initial=1))[1:]
    joined = _TEXT_SEPARATOR.join(payloads)
    if "<" in joined:
        # Teams closes every voice span: a plain replace is many times quicker than the
        # expression, and the same when those closings were the only tags (a lone "<" before
        # one would make "< y</v>" a tag of its own, so then the expression reads them all).
        without_closings = joined.replace("</v>", "")
        joined = (
            _CUE_TAG_IN_JOINED_TEXTS.sub("", joined)
            if "<" in without_closings
            else without_closings
        )
    if "&" in joined:
        joined = html.unescape(joined)
    texts = joined.split(_TEXT_SEPARATOR)
    if not _has_single_spaces_only(joined, texts):
        texts = list(map(" ".join, map(str.split, texts)))
    speakers = list(map(str.strip, voices))
    if not any(speakers):
        speakers, texts = _split_speaker_prefixes(texts)
    elif "" in speakers:
        for index, speaker in enumerate(speakers):
            if not speaker and ":" in texts[index]:
                speakers[index], texts[index] = split_speaker_prefix(texts[index])
    return list(map(Cue, speakers, starts, ends, texts, lines))


def _has_single_spaces_only(joined: str, texts: list[str]) -> bool:
    """Whether ``" ".join(text.split())`` would leave each text as it is (a cue's text is read
    with single spaces), ``joined`` being the texts joined by the separator; string methods,
    as an expression scanning for the other white space takes longer than the whole reading."""
    return not (
        "  " in joined
        or f" {_TEXT_SEPARATOR}" in joined
        or f"{_TEXT_SEPARATOR} " in joined
        or joined.startswith(" ")
        or joined.endswith(" ")
        # Line breaks, tabs and every other space are not printable; so are a few other
        # characters (direction marks), which only cost the slower way.
        or not all(map(str.isprintable, texts))
    )


def _seconds_column(
    hours: tuple[str, ...], minutes_seconds: tuple[str, ...], fractions: tuple[str, ...]
) -> list[float]:
    """Seconds of each ``[hh:]mm:ss.ttt`` given as columns of its pieces: three table look-ups
    and two additions a time, all run in C by ``map`` (int() on each field costs three times
    as much, and the times are a third of the reading)."""
    hours_table, minutes_seconds_table, fractions_table = _time_tables()
    try:
        milliseconds = map(
            add,
            map(
                add,
                map(hours_table.__getitem__, hours),
                map(minutes_seconds_table.__getitem__, minutes_seconds),
            ),
            map(fractions_table.__getitem__, fractions),
        )
        return list(map(truediv, milliseconds, repeat(1000)))
    except KeyError:  # a hundred hours or more, or digits of another script (int() reads both)
        return [
            _webvtt_seconds(hour[:-1] or None, minute, second, fraction)
            for hour, (minute, second), fraction in zip(
                hours, (pair.split(":") for pair in minutes_seconds), fractions, strict=True
            )
        ]


@cache
def _time_tables() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Milliseconds of each way WebVTT writers put the pieces of a time: "hh:" (or none) up to
    99 hours, "mm:ss", and the fraction ("5" is 500 ms, as webvtt-py reads it), padded or not
    (Teams writes 0:0:0.570)."""
    hours = {"": 0}
    for hour in range(100):
        hours[f"{hour}:"] = hours[f"{hour:02d}:"] = hour * 3_600_000
    minutes_seconds = {}
    for minute in range(60):
        for second in range(60):
            value = (minute * 60 + second) * 1000
            for minute_text in {f"{minute}", f"{minute:02d}"}:
                for second_text in {f"{second}", f"{second:02d}"}:
                    minutes_seconds[f"{minute_text}:{second_text}"] = value
    fractions = {}
    for digits in (1, 2, 3):
        for number in range(10**digits):
            fractions[f"{number:0{digits}d}"] = number * 10 ** (3 - digits)
    return hours, minutes_seconds, fractions


def _webvtt_speaker_and_text(payload: str) -> tuple[str, str]:
    """The exact reader's speaker and text of a cue, as the fast one gives them."""
    speaker = ""
    if payload.startswith("<v"):
        voice = _VOICE_SPAN.match(payload)
        if voice:
            speaker = voice.group(1).strip()
    if "<" in payload:
        payload = _CUE_TAG.sub("", payload)
    if "&" in payload:
        payload = html.unescape(payload)
    words = " ".join(payload.split())
    if not speaker and ":" in words:
        speaker, words = split_speaker_prefix(words)
    return speaker, words


def _bad_webvtt_time(timings: str) -> str:
    return (
        f"the cue timings {timings.strip()!r} hold a time that does not exist "
        "(minutes and seconds run to 59)"
    )


def _read_webvtt_block_by_block(text: str) -> list[Cue]:
    """The exact reader, for files the fast one cannot vouch for (a cue that runs into the
    next one's timings without an empty line, as YouTube writes; a line with "-->" that is
    not cue timings). It splits blocks as webvtt-py does: an empty line ends a block, and a
    line holding "-->" starts one unless it can be the timings of the block so far (its
    first line, or its second after an identifier)."""
    cues: list[Cue] = []
    for first_line, block in _webvtt_blocks(text.split("\n")):
        timings_index = _webvtt_timings_index(block)
        if timings_index is None:
            if any("-->" in line for line in block) and not block[0].startswith("NOTE"):
                arrow_index = next(index for index, line in enumerate(block) if "-->" in line)
                raise TranscriptError(
                    first_line + arrow_index,
                    f"{block[arrow_index].strip()!r} is not WebVTT cue timings "
                    "(start --> end, each [hh:]mm:ss.ttt)",
                )
            continue
        line = first_line + timings_index
        timings = block[timings_index]
        match = _WEBVTT_TIMINGS_LINE.match(timings)
        assert match is not None  # _webvtt_timings_index matched it
        try:
            start = _webvtt_seconds(*match.groups()[:4])
            end = _webvtt_seconds(*match.groups()[4:])
        except ValueError:
            raise TranscriptError(line, _bad_webvtt_time(timings)) from None
        speaker, words = _webvtt_speaker_and_text("\n".join(block[timings_index + 1 :]))
        cues.append(Cue(speaker, start, end, words, line))
    return cues


def _webvtt_blocks(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    block: list[str] = []
    block_line = 1
    in_header = True
    for number, line in enumerate(lines, start=1):
        starts_block = (
            bool(block) and "-->" in line and (in_header or len(block) > 1 or "-->" in block[0])
        )
        if not line or starts_block:
            if block:
                yield block_line, block
                block = []
                in_header = False
        if line:
            if not block:
                block_line = number
            block.append(line)
    if block:
        yield block_line, block


def _webvtt_timings_index(block: list[str]) -> int | None:
    if _WEBVTT_TIMINGS_LINE.match(block[0]):
        return 0
    if len(block) > 1 and "-->" not in block[0] and _WEBVTT_TIMINGS_LINE.match(block[1]):
        return 1
    return None


def _webvtt_seconds(hours: str | None, minutes: str, seconds: str, fraction: str) -> float:
    if (hours and len(hours) > _LONGEST_HOURS) or int(minutes) > 59 or int(seconds) > 59:
        raise ValueError("no such time")
    whole = (int(hours) * 3600 if hours else 0) + int(minutes) * 60 + int(seconds)
    return (whole * 1000 + int(fraction.ljust(3, "0"))) / 1000


# --- SRT -------------------------------------------------------------------------------------


_SUBRIP_SHAPE = "a number, then start --> end as hh:mm:ss,ttt, then the text"


def read_subrip(text: str) -> list[Cue]:
    """SubRip cues through the ``srt`` library; its errors become the line they point at."""
    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as error:
        unmatched = error.unmatched_content
        offset = error.expected_start + len(unmatched) - len(unmatched.lstrip())
        line = text.count("\n", 0, offset) + 1
        raise TranscriptError(line, f"this is not a SubRip subtitle: {_SUBRIP_SHAPE}") from None
    except srt.TimestampParseError as error:
        raise TranscriptError(None, f"a SubRip time is not hh:mm:ss,ttt: {error}") from None
    # The library yields subtitles without their place; its own expression, run again, gives
    # where each begins (the same matches in the same order, so the two lists pair up).
    cues: list[Cue] = []
    line = 1
    previous = 0
    for subtitle, match in zip(subtitles, srt.SRT_REGEX.finditer(text), strict=True):
        timings_offset = match.start(2)
        line += text.count("\n", previous, timings_offset)
        previous = timings_offset
        content = subtitle.content
        if "-->" in content:
            # The library lets a subtitle's text run over an empty line when what follows is
            # not a subtitle, so a subtitle with broken times would silently become words.
            arrow_line = line + 1 + content[: content.index("-->")].count("\n")
            raise TranscriptError(arrow_line, f"these are not SubRip times: {_SUBRIP_SHAPE}")
        if "<" in content:
            content = _CUE_TAG.sub("", content)
        speaker, words = split_speaker_prefix(" ".join(content.split()))
        cues.append(
            Cue(
                speaker,
                subtitle.start.total_seconds(),
                subtitle.end.total_seconds(),
                words,
                line,
            )
        )
    return cues


# --- plain text ------------------------------------------------------------------------------

_PLAIN_TIME = re.compile(r"[^\S\n]*\[(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?\][^\S\n]*")
_PLAIN_TIME_ATTEMPT = re.compile(r"[^\S\n]*\[\d+:")


def read_plain_text(text: str) -> list[Cue]:
    """Lines ``Name: text``, optionally led by ``[hh:mm:ss]``; see the module docstring for
    continuation lines and what ``end`` is when there are times."""
    speakers: list[str] = []
    texts: list[list[str]] = []
    starts: list[float | None] = []
    lines: list[int] = []
    has_times: bool | None = None
    for number, raw_line in enumerate(text.split("\n"), start=1):
        if not raw_line.strip():
            continue
        start: float | None = None
        rest = raw_line
        time = _PLAIN_TIME.match(raw_line)
        if time:
            start = _plain_seconds(number, *time.groups())
            rest = raw_line[time.end() :]
        elif _PLAIN_TIME_ATTEMPT.match(raw_line):
            raise TranscriptError(
                number, f"{raw_line.strip()[:40]!r}: a time is written [hh:mm:ss] or [mm:ss]"
            )
        speaker, words = split_speaker_prefix(rest.strip())
        is_new_cue = bool(speaker) or time is not None or not speakers
        if not is_new_cue:
            texts[-1].append(words)
            continue
        if has_times is None:
            has_times = time is not None
        elif has_times != (time is not None):
            raise TranscriptError(
                number,
                "this line has no [hh:mm:ss] time though the lines before it have"
                if has_times
                else "this line has a time though the lines before it have none",
            )
        speakers.append(speaker)
        texts.append([words])
        starts.append(start)
        lines.append(number)
    cues = []
    for index, speaker in enumerate(speakers):
        start = starts[index]
        end = start
        if start is not None and index + 1 < len(starts):
            following = starts[index + 1]
            if following is not None and following > start:
                end = following
        words = " ".join(part for part in texts[index] if part)
        cues.append(Cue(speaker, start, end, words, lines[index]))
    return cues


def _plain_seconds(
    line: int, hours: str | None, minutes: str, seconds: str, fraction: str | None
) -> float:
    if int(minutes) > 59 or int(seconds) > 59:
        raise TranscriptError(line, "a time holds minutes or seconds past 59")
    whole = (int(hours) * 3600 if hours else 0) + int(minutes) * 60 + int(seconds)
    return (whole * 1000 + int((fraction or "0").ljust(3, "0"))) / 1000


# --- RTTM ------------------------------------------------------------------------------------

# The other record types of NIST RTTM: none of them is a speaker's speech.
_RTTM_OTHER_TYPES = frozenset(
    "SEGMENT NOSCORE NO_RT_METADATA LEXEME NON-LEX NON-SPEECH FILLER EDIT IP SU CB A/P "
    "SPKR-INFO".split()
)


def read_rttm(text: str) -> list[Cue]:
    """``SPEAKER`` records of an RTTM file (diarization: who spoke when, no words)."""
    cues: list[Cue] = []
    recording: str | None = None
    for number, raw_line in enumerate(text.split("\n"), start=1):
        fields = raw_line.split()
        if not fields or fields[0].startswith(";;") or fields[0] in _RTTM_OTHER_TYPES:
            continue
        if fields[0] != "SPEAKER":
            raise TranscriptError(number, f"{fields[0]!r} is not an RTTM record type (SPEAKER …)")
        if len(fields) < 8:
            raise TranscriptError(
                number,
                "an RTTM SPEAKER line has ten fields: SPEAKER file channel start duration "
                "<NA> <NA> name <NA> <NA>",
            )
        if recording is None:
            recording = fields[1]
        elif fields[1] != recording:
            raise TranscriptError(
                number, f"this line is of recording {fields[1]!r}, the ones before of {recording!r}"
            )
        start = _rttm_number(number, "start", fields[3])
        duration = _rttm_number(number, "duration", fields[4])
        # A name with spaces, as a person writes one by hand, makes more than ten fields.
        name = " ".join(fields[7:-2]) if len(fields) > 10 else fields[7]
        cues.append(Cue(name, start, round(start + duration, 6), None, number))
    return cues


def _rttm_number(line: int, name: str, field: str) -> float:
    try:
        value = float(field)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise TranscriptError(line, f"the {name} {field!r} is not a number of seconds")
    return value


# --- JSON ------------------------------------------------------------------------------------

_JSON_WHITESPACE = re.compile(r"[ \t\n\r]*")
_JSON_FIELDS = ("speaker", "start", "end", "text")
_JSON_SHAPE = (
    "a list of segments, each with speaker, start and end (seconds) and text, "
    'or {"segments": [...]}, or AssemblyAI\'s {"utterances": [...]}'
)


def read_json(text: str) -> list[Cue]:
    """Speaker-labelled segments; see the module docstring for the shapes read."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        content = text.rstrip()
        if error.pos >= len(content):
            raise TranscriptError(
                content.count("\n") + 1, f"the JSON ends before it is complete ({error.msg})"
            ) from None
        raise TranscriptError(error.lineno, f"this is not valid JSON: {error.msg}") from None
    start_offset = _JSON_WHITESPACE.match(text).end()  # type: ignore[union-attr]
    milliseconds = False
    if isinstance(document, dict):
        members = {key: offset for key, offset in _json_members(text, start_offset)}
        if isinstance(document.get("segments"), list):
            array_offset = members["segments"]
        elif isinstance(document.get("utterances"), list):
            array_offset, milliseconds = members["utterances"], True
        else:
            raise TranscriptError(1, f"no segments found: Heedful reads {_JSON_SHAPE}")
    elif isinstance(document, list):
        array_offset = start_offset
    else:
        raise TranscriptError(1, f"no segments found: Heedful reads {_JSON_SHAPE}")
    cues: list[Cue] = []
    line = 1
    previous = 0
    for offset, segment in _json_items(text, array_offset):
        line += text.count("\n", previous, offset)
        previous = offset
        cues.append(_json_cue(segment, line, milliseconds))
    return cues


def _json_cue(segment: Any, line: int, milliseconds: bool) -> Cue:
    if not isinstance(segment, dict):
        raise TranscriptError(line, "a segment is an object with speaker, start, end and text")
    missing = [field for field in _JSON_FIELDS if field not in segment]
    if missing:
        raise TranscriptError(line, f"this segment has no {' and no '.join(missing)}")
    speaker, text = segment["speaker"], segment["text"]
    if speaker is None:
        speaker = ""
    if not isinstance(speaker, str | int) or isinstance(speaker, bool):
        raise TranscriptError(line, "this segment's speaker is not a name")
    if not isinstance(text, str):
        raise TranscriptError(line, "this segment's text is not a string")
    start = _json_seconds(line, "start", segment["start"], milliseconds)
    end = _json_seconds(line, "end", segment["end"], milliseconds)
    if end < start:
        raise TranscriptError(line, f"this segment ends ({end} s) before it starts ({start} s)")
    return Cue(str(speaker), start, end, " ".join(text.split()), line)


def _json_seconds(line: int, name: str, value: Any, milliseconds: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TranscriptError(line, f"this segment's {name} is not a number")
    if value < 0:
        raise TranscriptError(line, f"this segment's {name} is before the recording begins")
    return value / 1000 if milliseconds else float(value)


def _json_items(text: str, offset: int) -> Iterator[tuple[int, Any]]:
    """Each item of the (valid) JSON array at ``offset``, with the offset where it begins, so
    that a cue knows its line."""
    decode = json.JSONDecoder().raw_decode
    offset = _skip_json_whitespace(text, offset + 1)
    if text[offset] == "]":
        return
    while True:
        value, end = decode(text, offset)
        yield offset, value
        offset = _skip_json_whitespace(text, end)
        if text[offset] != ",":
            return
        offset = _skip_json_whitespace(text, offset + 1)


def _json_members(text: str, offset: int) -> Iterator[tuple[str, int]]:
    """Each key of the (valid) JSON object at ``offset``, with the offset of its value."""
    decode = json.JSONDecoder().raw_decode
    offset = _skip_json_whitespace(text, offset + 1)
    if text[offset] == "}":
        return
    while True:
        key, end = decode(text, offset)
        value_offset = _skip_json_whitespace(text, _skip_json_whitespace(text, end) + 1)
        _, end = decode(text, value_offset)
        yield key, value_offset
        offset = _skip_json_whitespace(text, end)
        if text[offset] != ",":
            return
        offset = _skip_json_whitespace(text, offset + 1)


def _skip_json_whitespace(text: str, offset: int) -> int:
    return _JSON_WHITESPACE.match(text, offset).end()  # type: ignore[union-attr]


_READERS = {
    "vtt": read_webvtt,
    "srt": read_subrip,
    "txt": read_plain_text,
    "rttm": read_rttm,
    "json": read_json,
}
