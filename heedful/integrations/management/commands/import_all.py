"""``heedful import-all DIR [--dry-run] [--json]``: every ``<kind>.csv`` of a folder, in
dependency order, in one transaction: any bad file writes nothing at all."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from heedful.integrations.csv_import import ImportRejected, files_in_directory, import_files
from heedful.integrations.management.commands._output import (
    evaluate_changed_accounts,
    reject,
    report,
)


class Command(BaseCommand):
    help = (
        "Import every <kind>.csv file of a folder (as written by `heedful export`) in one "
        "transaction; any bad row in any file writes nothing and every problem is listed. "
        "The apostrophe the export puts before a formula character is taken off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="The folder holding users.csv, accounts.csv, …")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, but write nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print a JSON summary.")

    def handle(self, *args: Any, **options: Any) -> None:
        def warn(message: str) -> None:
            self.stderr.write(f"warning: {message}")

        try:
            files = files_in_directory(options["directory"], warn)
            results = import_files(
                files, dry_run=options["dry_run"], warn=warn, show_progress=True
            )
        except ImportRejected as rejected:
            raise reject(self, rejected) from None
        report(self, results, dry_run=options["dry_run"], as_json=options["json"])
        evaluate_changed_accounts(files, results, dry_run=options["dry_run"])
