"""``heedful transcript analyze FILE [--internal NAME ...] [--date YYYY-MM-DD] [--json]
[--format FORMAT]``: the figures of one meeting transcript, with no database.

The table shows each speaker's talk share, turns, words, pace, questions, statements and
their ratio, longest monologue and interruptions, then the figures of each side and the
action items said. ``--json`` prints exactly the object CONTRACTS.md defines ("Transcript
analytics") and nothing else on stdout. A file that cannot be read is one line on stderr,
``FILE:LINE: reason``, and exit 2.

Speaker names and action items come from the file: the table prints them literally, with no
terminal escape sequence or rich markup taking effect.
"""

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from heedful.conversations.cues import TranscriptError
from heedful.conversations.figures import analyze
from heedful.conversations.reading import FORMATS, read_transcript
from heedful.lib.text import terminal_safe
from heedful.lib.words import format_recording_time

BAD_INPUT = 2
NOTHING = "–"
# json.dumps escapes C0 controls but, with ensure_ascii=False, writes DEL and C1 controls
# (\x9b starts a terminal escape on its own) as they are: escape them too, same JSON value.
_RAW_JSON_CONTROLS = re.compile(r"[\x7f-\x9f]")


def bad_input(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


class Command(BaseCommand):
    help = (
        "Conversation figures of a meeting transcript (talk share, questions, monologues, "
        "interruptions, patience, action items); needs no database."
    )
    # Reads a file and prints: no system check, and so no database, is needed.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        analyze_parser = actions.add_parser(
            "analyze",
            help="Compute the figures of one transcript file.",
            description=(
                "Reads WebVTT, SRT, plain text (Name: text, optionally led by [hh:mm:ss]), "
                "RTTM or speaker-labelled JSON; prints the figures defined in the README "
                "(Conversation analytics)."
            ),
        )
        # Optional to argparse only so that a FILE taken as one more --internal name gets a
        # message that says what happened, rather than "FILE is required".
        analyze_parser.add_argument(
            "file", metavar="FILE", nargs="?", help="The transcript file."
        )
        analyze_parser.add_argument(
            "--internal", metavar="NAME", nargs="+", action="extend", default=[],
            help="Our people, as the transcript names them (any case); everyone else is the "
            "customer. Give several after one --internal, or repeat it.",
        )
        analyze_parser.add_argument(
            "--date", metavar="YYYY-MM-DD",
            help="The meeting's date: due dates such as 'by Friday' are resolved against it.",
        )
        analyze_parser.add_argument(
            "--format", choices=FORMATS,
            help="Read the file as this format (default: from its extension, else its content).",
        )
        analyze_parser.add_argument(
            "--json", action="store_true", help="Print the figures as JSON on stdout."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        meeting_date = parse_day(options["date"]) if options["date"] else None
        file = options["file"]
        if file is None:
            raise bad_input(
                "FILE is missing: give it before --internal, or end the names with -- "
                "(heedful transcript analyze --internal Ann Bob -- call.vtt)"
                if options["internal"]
                else "FILE is missing: heedful transcript analyze FILE"
            )
        path = Path(file)
        if not path.exists():
            raise bad_input(f"{file}: no such file")
        if path.is_dir():
            raise bad_input(f"{file}: is a folder, not a transcript file")
        try:
            cues = read_transcript(path, format=options["format"])
        except TranscriptError as error:
            where = f"{file}:{error.line}" if error.line is not None else file
            raise bad_input(f"{where}: {error.message}") from None
        result = analyze(cues, internal=options["internal"], meeting_date=meeting_date)
        spoken = {speaker["name"].strip().casefold() for speaker in result["speakers"]}
        for name in options["internal"]:
            if name.strip().casefold() not in spoken:
                # A misspelt name silently puts our person on the customer's side.
                self.stderr.write(f"warning: --internal {name!r}: nobody of that name speaks")
        if options["json"]:
            listed = json.dumps(result, ensure_ascii=False)
            self.stdout.write(
                _RAW_JSON_CONTROLS.sub(lambda control: f"\\u{ord(control[0]):04x}", listed)
            )
            return
        self.print_figures(file, result, has_date=meeting_date is not None)

    def print_figures(self, file: str, result: dict[str, Any], *, has_date: bool) -> None:
        console = Console(file=self.stdout, width=120, emoji=False)  # type: ignore[arg-type]
        table = Table(
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            collapse_padding=True,
            title=printable(f"{file}: {duration(result['duration_seconds'])}"),
            caption="Talk: share of all talk time. Ratio: questions per statement. "
            "Monologue: the longest, mm:ss. Interrupts: cues started over another's; "
            "Interrupted: their own cues talked over.",
        )
        for heading in (
            "Speaker", "Side", "Talk", "Turns", "Words", "Words/min", "Questions",
            "Statements", "Ratio", "Monologue", "Interrupts", "Interrupted",
        ):
            table.add_column(heading, justify="left" if heading in ("Speaker", "Side") else "right")
        for speaker in result["speakers"]:
            table.add_row(
                printable(speaker["name"]) or "(no name)",
                "internal" if speaker["internal"] else "customer",
                percent(speaker["talk_share"]),
                str(speaker["turns"]),
                number(speaker["words"]),
                number(speaker["words_per_minute"], decimals=0),
                number(speaker["questions"]),
                number(speaker["statements"]),
                number(speaker["question_ratio"], decimals=2),
                minutes_and_seconds(speaker["longest_monologue_seconds"]),
                number(speaker["interruptions_made"]),
                number(speaker["interrupted"]),
            )
        console.print(table)
        for side in ("internal", "customer"):
            figures = result[side]
            console.print(
                f"{side.capitalize()}: talk {percent(figures['talk_share'])}, "
                f"questions {number(figures['questions'])}, "
                f"statements {number(figures['statements'])}, "
                f"question ratio {number(figures['question_ratio'], decimals=2)}, "
                f"questions a minute of talk {number(figures['question_rate'], decimals=2)}",
                highlight=False,
            )
        longest = result["longest_monologue"]
        lines = [
            f"Interruptions: {number(result['interruptions'])}",
            "Longest monologue: "
            + (
                f"{printable(longest['speaker']) or '(no name)'}, "
                f"{minutes_and_seconds(longest['seconds'])}"
                if longest["seconds"] is not None
                else NOTHING
            ),
            "Longest customer story: "
            + minutes_and_seconds(result["longest_customer_story_seconds"]),
            "Patience (mean pause before we answer the customer): "
            + seconds(result["patience_seconds"]),
            "Interactivity: "
            + (
                f"{result['interactivity']:.1f} speaker changes a minute"
                if result["interactivity"] is not None
                else NOTHING
            ),
        ]
        if result["speakers"] and not any(speaker["internal"] for speaker in result["speakers"]):
            lines.append("Nobody is on our side: name our people with --internal NAME.")
        for line in lines:
            console.print(line, highlight=False)
        items = result["action_items"]
        if items is None:
            console.print("Action items: none can be found without words (RTTM).")
            return
        console.print(f"Action items: {len(items) or 'none found'}", highlight=False)
        for item in items:
            owner = printable(item["owner"]) if item["owner"] else "(owner unknown)"
            due = f" (due {item['due']})" if item["due"] else ""
            console.print(f"  - {owner}: {printable(item['text'])}{due}", highlight=False)
        if items and not has_date:
            console.print("Due dates such as 'by Friday' need the meeting's --date YYYY-MM-DD.")


def parse_day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise bad_input(f"--date: {raw!r} is not a date (use YYYY-MM-DD)") from None


def printable(value: str) -> str:
    """Text from the transcript for the terminal: shown as written, never obeyed."""
    return escape(terminal_safe(value))


def number(value: float | None, *, decimals: int | None = None) -> str:
    if value is None:
        return NOTHING
    return f"{value:.{decimals}f}" if decimals is not None else str(value)


def percent(share: float | None) -> str:
    return NOTHING if share is None else f"{share * 100:.0f}%"


def minutes_and_seconds(value: float | None) -> str:
    return NOTHING if value is None else format_recording_time(value)


def duration(value: float | None) -> str:
    return "no times" if value is None else minutes_and_seconds(value)


def seconds(value: float | None) -> str:
    return NOTHING if value is None else f"{value:.1f} s"
