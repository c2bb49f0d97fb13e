"""``heedful import-all DIR [--dry-run] [--json]``: every ``<kind>.csv`` of a folder, in
dependency order, in one transaction: any bad file writes nothing at all."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from heedful.integrations.csv_import import ImportRejected, files_in_directory, import_files
from heedful.integrations.management.commands._output import reject, report
from heedful.plays import triggers


class Command(BaseCommand):
    help = (
        "Import every <kind>.csv file of a folder (as written by `heedful export`) in one "
        "transaction; any bad row in any file writes nothing and every problem is listed."
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
        changed = [result.kind for result in results if result.created or result.updated]
        if changed and not options["dry_run"]:
            # Committed: the rules for the accounts the files name run now (all, if any kind
            # can touch every account or there are many).
            triggers.csv_import_committed(files=[pair for pair in files if pair[0] in changed])
