"""Action items said aloud in a meeting: who will do what by when.

Three shapes are found, sentence by sentence (sentences as CONTRACTS.md splits a turn):

- **A commitment** in the first person: "I'll send the revised quote by Friday", "we will
  book the room", "let me check with finance". The owner is the speaker.
- **A request**: "can you get us the usage report next week?", "could you please send…",
  "if you could confirm…", "please forward…", "so you'll send the logs by Monday". The owner is the
  one asked: a name addressed ("Maria, can you…", "…, Maria?"), matched to the speaker
  whose first name it is; else the next speaker of the other side (internal or customer);
  else, when nobody of the other side speaks after (a meeting of one side), the next
  speaker other than the one asking; else nobody (None).
- **A labelled item**: "action: Maria to book the site visit by 3 December", "action item:
  …", "next step: …", "to-do: …". The owner is the name before "to"/"will" ("Maria"), the
  speaker for "I"/"we", the one asked for "you"; else None. The text is what follows the
  label.

Each needs a verb of doing from ``ACTION_VERBS`` right after the lead words (a few adverbs
such as "just" or "please" allowed between), which keeps out "I'll be honest", "can you hear
me?", "I'll tell you what" and "can you see my screen?"; idioms such as "get started" and
"ask you" are kept out by name. Lead words after "if", "so", "what", "how much"... are a
condition, a purpose or a question ("if I can send…", "how much would you pay?"); a sentence
about the moment ("in a second", "hang on") is done on the spot. The weaker leads count only
with a due date: "let me…" (mostly "let me just check that") and "you'll…" (mostly "you'll
get a new look"). "We can…" is a suggestion, never an item. Tuned on the 40 AMI meetings,
where it finds about one or two items a meeting, mostly real ("I'll get the minutes up as
soon as possible"), some not ("would you pay more for speech recognition"): items are offered
for acceptance, never filed on their own.

**Due dates**, resolved against the meeting date and never in its past:
- a weekday ("by Friday", "next Friday", "on Monday") is the first such day strictly after the
  meeting date; "this Friday" may be the meeting date itself;
- "today", "tonight", "end of day", "EOD", "close of business": the meeting date;
  "tomorrow": the day after;
- a period is due at its end: "this week", "end of the week", "EOW": the Friday of the
  meeting's week (Monday to Sunday; the meeting date itself if it falls on the weekend);
  "next week", "end of next week": the Friday of the following week; "this month", "end of
  the month", "EOM": the month's last day; "next month": the last day of the next month; the
  same for quarters and years;
- dates ("by 3 December", "on December 3rd", "before the 15th", "by 2026-12-03", "by 12/3",
  read month first as dateparser reads English) and spans ("in two weeks", "within 3 days")
  are read by dateparser, preferring the future; a day of the month already past ("the
  15th" said on the 27th) is that day of the next month.
- Without a meeting date only a date that names its year has a due date; all else is None.

dateparser is slow (about 150 ms to import, 200 ms for its first parse, then about 1 ms a
phrase), so it is imported only when a date phrase needs it, called on that phrase alone
(never on whole sentences) and its answers are cached; everything else is compiled regular
expressions. A sentence is examined only if the turn holds one of the lead words at all.
"""

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from heedful.conversations import turns as conversation
from heedful.conversations.cues import Cue
from heedful.conversations.turns import Turn

ACTION_VERBS = (
    "send", "send over", "share", "get", "get back", "follow up", "book", "schedule",
    "set up", "check", "look into", "review", "prepare", "draft",
    "update", "call", "email", "e-mail", "mail", "write", "forward", "confirm", "arrange",
    "organise", "organize", "put together", "find out", "circulate", "fix", "deliver",
    "provide", "ask", "reach out", "loop in", "chase", "invite", "test", "sign", "approve",
    "order", "ship", "add", "create", "make sure", "come back", "investigate", "sort out",
    "finalise", "finalize", "compile", "pass on", "introduce", "draw up", "clarify",
    "escalate", "resolve", "raise", "submit", "upload", "return", "reply", "respond",
    "let you know", "let them know", "let us know", "let me know", "talk to", "speak to",
    "speak with", "talk with", "contact", "ping", "phone", "revise", "rework", "quote",
    "estimate", "take care of", "handle", "deal with", "sort", "book in", "set",
    "send through", "organise", "bring", "transfer", "pay", "renew", "cancel", "install",
    "deploy", "configure", "enable", "register", "post", "publish", "document", "record",
    "summarise", "summarize", "write up", "note down", "file", "log", "open",
    "include",
)
# Phrases that start like an action but are talk about the meeting itself.
IDIOMS = (
    "get started", "get going", "get there", "get into", "get to that", "get to it",
    "get to this", "get on with", "get you", "ask you", "ask a question", "check in",
    "set the scene", "open up", "bring up", "add to that", "add something", "add one thing",
    "call it", "call this", "sort of", "share my screen", "share the screen",
    "share your screen", "open the floor", "get this going", "come back to", "raise a point",
    "raise another", "raise a question",
)
ADVERBS = (
    "just", "also", "then", "quickly", "definitely", "certainly", "personally", "happily",
    "gladly", "first", "please", "still", "now", "probably", "try to", "try and",
    "make sure to", "be sure to", "be able to", "go ahead and", "need to", "have to",
)


def _alternatives(phrases: Iterable[str]) -> str:
    """One regular-expression alternation, longest first (so "send over" wins over "send"),
    any run of blanks between words."""
    spelled = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in spelled)


_VERB = rf"(?!(?:{_alternatives(IDIOMS)})\b)(?:{_alternatives(ACTION_VERBS)})\b"
_BETWEEN = rf"(?:\s+(?:{_alternatives(ADVERBS)}))*\s+"
# "We can add…" is a suggestion, so only "I can" offers; "let me"/"let us" (mostly "let me just
# check that", done on the spot) counts only with a due date in the sentence.
COMMITMENT = re.compile(
    rf"\b(?:(?:I|we)(?:'ll| will| shall|'m going to| am going to"
    rf"|'re going to| are going to|'m gonna)|I can|(?P<on_the_spot>let me|let us))"
    rf"{_BETWEEN}{_VERB}",
    re.IGNORECASE,
)
# "If I can send it…", "what I'm gonna write", "how much would you pay": a condition or a
# question, not a promise or a request. Tested on the words before the lead words found,
# rather than by look-behinds in the expressions, which would run at every character.
NOT_A_PROMISE_BEFORE = re.compile(
    r"\b(?:if|when|whether|unless|what|how|why|where|which|who|much|many|long|often|so|that"
    r"|know)\s+$",
    re.IGNORECASE,
)
# Something done during the meeting: "we'll look into that in a second".
ON_THE_SPOT = re.compile(
    r"\b(?:in|wait|just)\s+a\s+(?:second|sec|minute|moment|bit)\b|\bright\s+now\b"
    r"|\b(?:hang|hold)\s+on\b",
    re.IGNORECASE,
)
# "You'll get…" mostly foretells ("you'll get a new look"), so it asks only with a due date.
REQUEST = re.compile(
    rf"(?:\b(?:can|could|would|will)\s+you|\bif\s+you\s+(?:could|can)"
    rf"|(?P<foretelling>\byou(?:'ll|\s+will))|^(?:\w+,\s+)?please){_BETWEEN}{_VERB}",
    re.IGNORECASE,
)
_NAME = r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?"
LABELLED = re.compile(
    r"^(?:(?i:so|okay|ok|and|right|then|alright)[,\s]+)?"
    r"(?i:action(?:\s+items?)?|actions|to-?do|next\s+steps?|follow[- ]?up)"
    rf"(?:\s+(?i:for)\s+(?P<named>{_NAME}))?(?:\s*:|\s+[-–—])\s*(?P<body>\S.*)$"
)
LABELLED_OWNER = re.compile(
    rf"^(?P<owner>{_NAME})\s+(?i:to|will|shall|is\s+to|needs\s+to|should)\s"
)
FIRST_PERSON_BODY = re.compile(r"^(?:I|we)\b", re.IGNORECASE)
SECOND_PERSON_BODY = re.compile(r"^you\b", re.IGNORECASE)
ADDRESSED_FIRST = re.compile(
    r"^(?:(?i:so|okay|ok|and|right|well|now)[,\s]+)?(?P<name>[A-Z][\w'-]+),\s+"
)
ADDRESSED_LAST = re.compile(r",\s*(?P<name>[A-Z][\w'-]+)\s*[?.!]*$")
NOT_NAMES = frozenset((
    "okay", "ok", "so", "right", "well", "please", "thanks", "thank", "yes", "no", "yeah",
    "and", "then", "also", "now", "great", "sure", "alright", "good", "fine", "perfect", "i",
    "hi", "hello", "guys", "everyone", "folks", "team", "all", "but", "oh", "look", "listen",
))
# A turn holding none of these (in lower case) holds no action item: the only search made on
# most turns. Plain lower-case text and no word boundaries, because an expression that
# ignores case or tests boundaries is three times slower on a meeting's 70 kB.
LEAD_WORDS = re.compile(
    r"'ll|will|shall|going to|gonna|can|could|would|let me|let us|please|action|to-?do"
    r"|next step|follow"
)

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
_COUNT = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)"
DUE = re.compile(
    r"\b(?:"
    r"(?:by|on|before|until|till|due|no\s+later\s+than)\s+(?:the\s+)?(?P<date>"
    rf"\d{{4}}-\d{{2}}-\d{{2}}|{_ORDINAL}(?:\s+of)?\s+{_MONTH}(?:,?\s+\d{{4}})?"
    rf"|{_MONTH}\s+{_ORDINAL}(?:,?\s+\d{{4}})?|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?"
    r"|\d{1,2}(?:st|nd|rd|th))"
    r"|(?:the\s+)?end\s+of\s+(?:the\s+|(?P<end_next>next)\s+|this\s+)?"
    r"(?P<end_of>day|week|month|quarter|year)"
    r"|(?P<abbreviation>eod|eow|eom|cob|close\s+of\s+business)"
    r"|(?P<which>next|this)\s+(?P<period>week|month|quarter|year)"
    r"|(?P<day>today|tonight|tomorrow)"
    rf"|(?:(?P<weekday_word>next|this|coming)\s+)?(?P<weekday>{'|'.join(_WEEKDAYS)})"
    rf"|(?P<span>(?:in|within)\s+{_COUNT}\s+(?:days?|weeks?|months?))"
    r")\b",
    re.IGNORECASE,
)
YEAR = re.compile(r"\b\d{4}\b")
DAY_OF_MONTH_ONLY = re.compile(r"^\d{1,2}(?:st|nd|rd|th)$", re.IGNORECASE)
FRIDAY = 4


def find_action_items(
    cues: Sequence[Cue], *, internal: Iterable[str] = (), meeting_date: date | None = None
) -> list[dict[str, Any]]:
    """The action items said in a transcript, in the order said: each ``{"text", "owner",
    "due"}``, ``due`` as YYYY-MM-DD or None. ``internal`` names our side (case-insensitive),
    which decides who "the other side" is for a request. No words (RTTM): none."""
    if not conversation.has_words(cues):
        return []
    timed = conversation.has_times(cues)
    ordered = conversation.in_time_order(cues, timed=timed)
    names = conversation.internal_names(internal)
    return action_items_in_turns(
        conversation.turns_of(ordered, internal=names), meeting_date=meeting_date
    )


def action_items_in_turns(
    turns: Sequence[Turn], *, meeting_date: date | None
) -> list[dict[str, Any]]:
    """``find_action_items`` on turns already built (the figures build them once for both)."""
    speakers = sorted({turn.speaker for turn in turns if turn.speaker.strip()})
    items: list[dict[str, Any]] = []
    seen: set[tuple[str, str | None]] = set()
    for index, turn in enumerate(turns):
        if not turn.texts:
            continue
        text = turn.text.replace("\u2019", "'")
        if not LEAD_WORDS.search(text.lower()):
            continue
        for sentence in conversation.sentences(text):
            item = action_item(sentence, turns, index, speakers, meeting_date=meeting_date)
            if item is not None and (item["text"], item["owner"]) not in seen:
                seen.add((item["text"], item["owner"]))
                items.append(item)
    return items


def action_item(
    sentence: str,
    turns: Sequence[Turn],
    index: int,
    speakers: list[str],
    *,
    meeting_date: date | None,
) -> dict[str, Any] | None:
    """The action item a sentence of ``turns[index]`` states, or None."""
    speaker = turns[index].speaker or None
    labelled = LABELLED.match(sentence)
    if labelled:
        body = labelled["body"]
        if labelled["named"]:
            owner: str | None = known_as(labelled["named"], speakers)
        elif FIRST_PERSON_BODY.match(body):
            owner = speaker
        elif SECOND_PERSON_BODY.match(body):
            owner = the_one_asked(sentence, turns, index, speakers)
        elif named := LABELLED_OWNER.match(body):
            owner = known_as(named["owner"], speakers)
        else:
            owner = None
        return {"text": body, "owner": owner, "due": due_date(body, meeting_date)}
    commitment = COMMITMENT.search(sentence)
    request = None if commitment else REQUEST.search(sentence)
    found = commitment or request
    if found is None or NOT_A_PROMISE_BEFORE.search(sentence, 0, found.start()):
        return None
    if ON_THE_SPOT.search(sentence):
        return None
    phrase = DUE.search(sentence)
    if phrase is None and (found["on_the_spot"] if commitment else found["foretelling"]):
        return None
    owner = speaker if commitment else the_one_asked(sentence, turns, index, speakers)
    return {"text": sentence, "owner": owner, "due": due_of(phrase, meeting_date)}


def the_one_asked(
    sentence: str, turns: Sequence[Turn], index: int, speakers: list[str]
) -> str | None:
    """Who a request is put to: a name addressed, else the next speaker of the other side,
    else the next other speaker."""
    for pattern in (ADDRESSED_FIRST, ADDRESSED_LAST):
        found = pattern.search(sentence)
        if found and found["name"].casefold() not in NOT_NAMES:
            return known_as(found["name"], speakers)
    asking = turns[index]
    following = turns[index + 1:]
    for turn in following:
        if turn.is_internal != asking.is_internal:
            return turn.speaker or None
    for turn in following:
        if turn.speaker != asking.speaker:
            return turn.speaker or None
    return None


def known_as(name: str, speakers: list[str]) -> str:
    """The speaker a name said in the meeting stands for: the one whose name it is, or whose
    first name it is if only one has it; else the name as said."""
    wanted = name.casefold()
    for speaker in speakers:
        if speaker.casefold() == wanted:
            return speaker
    by_first_name = [
        speaker for speaker in speakers if speaker.split()[0].casefold() == wanted
    ]
    return by_first_name[0] if len(by_first_name) == 1 else name


def due_date(sentence: str, meeting_date: date | None) -> str | None:
    """The first due date a sentence names, as YYYY-MM-DD, or None (see the module's
    docstring for how each phrase resolves)."""
    return due_of(DUE.search(sentence), meeting_date)


def due_of(phrase: re.Match[str] | None, meeting_date: date | None) -> str | None:
    """A due-date phrase found by DUE, as YYYY-MM-DD, or None."""
    due = resolve(phrase, meeting_date) if phrase else None
    return due.isoformat() if due else None


def resolve(found: re.Match[str], meeting_date: date | None) -> date | None:
    if found["date"]:
        return calendar_date(found["date"].lower(), meeting_date)
    if meeting_date is None:
        return None
    if found["end_of"]:
        return end_of(found["end_of"].lower(), meeting_date, is_next=bool(found["end_next"]))
    if found["abbreviation"]:
        abbreviation = found["abbreviation"].lower()
        if abbreviation == "eow":
            return end_of("week", meeting_date, is_next=False)
        if abbreviation == "eom":
            return end_of("month", meeting_date, is_next=False)
        return meeting_date
    if found["period"]:
        return end_of(
            found["period"].lower(), meeting_date, is_next=found["which"].lower() == "next"
        )
    if found["day"]:
        return meeting_date + timedelta(days=1 if found["day"].lower() == "tomorrow" else 0)
    if found["weekday"]:
        weekday = _WEEKDAYS.index(found["weekday"].lower())
        days_ahead = (weekday - meeting_date.weekday()) % 7
        is_this = (found["weekday_word"] or "").lower() == "this"
        return meeting_date + timedelta(days=days_ahead or (0 if is_this else 7))
    span = re.sub(r"^within", "in", found["span"].lower())
    return calendar_date(span, meeting_date)


def end_of(period: str, meeting_date: date, *, is_next: bool) -> date:
    """The last day of the day, week (its Friday), month, quarter or year of the meeting, or
    of the next one."""
    if period == "day":
        return meeting_date + timedelta(days=1 if is_next else 0)
    if period == "week":
        friday = meeting_date + timedelta(days=FRIDAY - meeting_date.weekday())
        return friday + timedelta(days=7) if is_next else max(friday, meeting_date)
    if period == "year":
        return date(meeting_date.year + (1 if is_next else 0), 12, 31)
    months = 1 if period == "month" else 3
    # The first month of the period after the one due: its first day, less a day.
    first_month = (meeting_date.month - 1) // months * months + months * (2 if is_next else 1)
    year = meeting_date.year + (first_month // 12)
    return date(year, first_month % 12 + 1, 1) - timedelta(days=1)


@lru_cache(maxsize=2048)
def calendar_date(phrase: str, meeting_date: date | None) -> date | None:
    """A date phrase read by dateparser, relative to the meeting date, preferring the future;
    without a meeting date only a phrase naming its year."""
    if meeting_date is None and not YEAR.search(phrase):
        return None
    import dateparser  # about 150 ms: only when a sentence names a date

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "future"}
    if meeting_date is not None:
        settings["RELATIVE_BASE"] = datetime(
            meeting_date.year, meeting_date.month, meeting_date.day
        )
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)  # type: ignore[arg-type]
    if parsed is None:
        return None
    due = parsed.date()
    if meeting_date is not None and due < meeting_date and not YEAR.search(phrase):
        if DAY_OF_MONTH_ONLY.match(phrase):
            month = meeting_date.month % 12 + 1
            year = meeting_date.year + (1 if month == 1 else 0)
            try:
                return date(year, month, due.day)
            except ValueError:  # "the 31st" said in a month before a 30-day month
                return None
        return due.replace(year=due.year + 1)
    return due
