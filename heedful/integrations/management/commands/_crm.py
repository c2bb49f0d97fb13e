"""``heedful import salesforce DIR`` and ``heedful import hubspot DIR``: a CRM's own export
folder, all or nothing, reported per vendor file (created, updated, unchanged, skipped)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heedful.integrations import hubspot, salesforce
from heedful.integrations.after_import import record_kinds_of_csv
from heedful.integrations.csv_import import ImportRejected
from heedful.integrations.management.commands._output import BAD_INPUT, reject
from heedful.plays.triggers import accounts_changed

CRM_EXPORTS = ("salesforce", "hubspot")


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--mapping", metavar="FILE",
        help="hubspot: a TOML file mapping the export's labels (another language, custom "
        "properties), stages and owners (see the README).",
    )
    parser.add_argument(
        "--show-mapping", action="store_true",
        help="hubspot: print what each header of each file maps to, and import nothing.",
    )


def import_crm_export(command: BaseCommand, options: dict[str, Any]) -> None:
    kind, directory, dry_run = options["kind"], options["file"], options["dry_run"]

    def warn(message: str) -> None:
        command.stderr.write(f"warning: {message}")

    try:
        if kind == "hubspot" and options.get("show_mapping"):
            for line in hubspot.show_mapping(directory, options.get("mapping")):
                command.stdout.write(line)
            return
        if kind == "hubspot":
            result = hubspot.import_export(
                directory, mapping_file=options.get("mapping"), dry_run=dry_run, warn=warn
            )
        else:
            result = salesforce.import_export(directory, dry_run=dry_run, warn=warn)
    except ImportRejected as rejected:
        raise reject(command, rejected) from None
    except hubspot.MappingFileError as error:
        command.stderr.write(str(error.problem))
        raise CommandError("The mapping file cannot be used.", returncode=BAD_INPUT) from None
    if options["json"]:
        command.stdout.write(json.dumps(result.as_dict(dry_run=dry_run), ensure_ascii=False))
    else:
        for line in result.lines(dry_run=dry_run):
            command.stdout.write(line)
    if result.changed_kinds and not dry_run:
        accounts_changed(account_ids=None, kinds=record_kinds_of_csv(result.changed_kinds))
