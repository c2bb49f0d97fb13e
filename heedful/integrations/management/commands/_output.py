"""What the import and export commands share: printing problems and results."""

import json

from django.core.management.base import BaseCommand, CommandError

from heedful.integrations.csv_import import FileResult, ImportRejected

BAD_INPUT = 2


def reject(command: BaseCommand, rejected: ImportRejected) -> CommandError:
    """Print every problem on stderr; the CommandError to raise (exit code 2)."""
    for problem in rejected.problems:
        command.stderr.write(str(problem))
    return CommandError(
        f"{len(rejected.problems)} problem(s) found; nothing was written.", returncode=BAD_INPUT
    )


def report(
    command: BaseCommand, results: list[FileResult], *, dry_run: bool, as_json: bool
) -> None:
    if as_json:
        summary = {"dry_run": dry_run, "files": [result.as_dict() for result in results]}
        command.stdout.write(json.dumps(summary, ensure_ascii=False))
        return
    note = " (dry run: nothing written)" if dry_run else ""
    for result in results:
        command.stdout.write(
            f"{result.file}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged{note}"
        )
