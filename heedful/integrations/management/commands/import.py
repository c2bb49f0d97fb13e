"""``heedful import KIND FILE [--dry-run] [--json]``: one CSV file, all or nothing."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from heedful.integrations.csv_import import SPECS, ImportRejected, import_files
from heedful.integrations.management.commands import _crm
from heedful.integrations.management.commands._output import (
    evaluate_changed_accounts,
    reject,
    report,
)


class Command(BaseCommand):
    help = (
        "Import one CSV file of the given kind. A file with any bad row writes nothing and "
        "lists every bad row as FILE:LINE: column: reason; re-importing changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind", choices=[*SPECS, *_crm.CRM_EXPORTS], help="What the file holds."
        )
        parser.add_argument(
            "file", help="The CSV file (UTF-8, header row); for salesforce and hubspot, the "
            "folder of the CRM's export."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, but write nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print a JSON summary.")
        _crm.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] in _crm.CRM_EXPORTS:
            _crm.import_crm_export(self, options)
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

