"""``heedful export DIR [--as-user USERNAME] [--json]``: every kind as CSV, in the import
format, so that ``heedful import-all DIR`` on an empty database rebuilds the data."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heedful.core.models import User
from heedful.integrations.csv_export import ExportScope, export_directory
from heedful.integrations.management.commands._output import BAD_INPUT


class Command(BaseCommand):
    help = (
        "Write one CSV per kind into a folder. With --as-user, only the accounts that user "
        "may see, and their records, are written. A cell a spreadsheet would run as a "
        "formula (=, +, -, @) gets a leading apostrophe, which import and import-all take off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="The folder to write (created when missing).")
        parser.add_argument(
            "--as-user", metavar="USERNAME", help="Export only what this user may see."
        )
        parser.add_argument("--json", action="store_true", help="Print a JSON summary.")

    def handle(self, *args: Any, **options: Any) -> None:
        scope = ExportScope.everything()
        if options["as_user"]:
            try:
                user = User.objects.get(username=options["as_user"])
            except User.DoesNotExist:
                raise CommandError(
                    f"--as-user: no user {options['as_user']!r}", returncode=BAD_INPUT
                ) from None
            scope = ExportScope.for_user(user)
        counts = export_directory(options["directory"], scope=scope)
        if options["json"]:
            self.stdout.write(json.dumps({"directory": options["directory"], "rows": counts}))
            return
        for kind, count in counts.items():
            self.stdout.write(f"{options['directory']}/{kind}.csv: {count} rows")
