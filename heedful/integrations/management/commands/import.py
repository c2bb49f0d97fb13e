"""``heedful import KIND FILE [--dry-run] [--json]``: one CSV file, all or nothing; or a
calendar (``ics``) or a meeting's transcript (``transcript --meeting ID``)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heedful.integrations.csv_import import SPECS, ImportRejected, import_files
from heedful.integrations.management.commands import _crm
from heedful.integrations.management.commands._output import (
    BAD_INPUT,
    evaluate_changed_accounts,
    reject,
    report,
)

CALENDAR = "ics"
TRANSCRIPT = "transcript"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD).", returncode=BAD_INPUT) from None


class Command(BaseCommand):
    help = (
        "Import one CSV file of the given kind, a calendar (ics) or a transcript "
        "(transcript --meeting ID). A file with any bad row writes nothing and lists every "
        "bad row as FILE:LINE: column: reason; re-importing changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind", choices=[*SPECS, CALENDAR, TRANSCRIPT, *_crm.CRM_EXPORTS],
            help="What the file holds.",
        )
        parser.add_argument(
            "file", help="The file (CSV: UTF-8, header row; an .ics calendar; a transcript); "
            "for salesforce and hubspot, the folder of the CRM's export."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, but write nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print a JSON summary.")
        parser.add_argument(
            "--as-of", type=_day, help="ics: the day the window is counted from (default: today)."
        )
        parser.add_argument(
            "--window-from", type=_day,
            help="ics: expand recurring events from this day (default: 90 days before).",
        )
        parser.add_argument(
            "--window-to", type=_day,
            help="ics: expand recurring events up to this day (default: 180 days after).",
        )
        parser.add_argument("--meeting", type=int, help="transcript: the meeting's id.")
        _crm.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] in _crm.CRM_EXPORTS:
            _crm.import_crm_export(self, options)
            return
        if options["kind"] == CALENDAR:
            from heedful.integrations.management.commands._calendar import import_calendar

            import_calendar(self, options)
            return
        if options["kind"] == TRANSCRIPT:
            from heedful.integrations.management.commands._calendar import import_transcript

            import_transcript(self, options)
            return
        files = [(options["kind"], options["file"])]
        try:
            results = import_files(
                files,
                dry_run=options["dry_run"],
                warn=lambda message: self.stderr.write(f"warning: {message}"),
                show_progress=True,
            )
        except ImportRejected as rejected:
            raise reject(self, rejected) from None
        report(self, results, dry_run=options["dry_run"], as_json=options["json"])
        evaluate_changed_accounts(files, results, dry_run=options["dry_run"])
