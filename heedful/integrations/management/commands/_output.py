"""What the import and export commands share: printing problems and results, and what
follows a committed import."""

import json
from collections.abc import Sequence
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from heedful.integrations import after_import
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


def evaluate_changed_accounts(
    files: Sequence[tuple[str, str | Path]], results: list[FileResult], *, dry_run: bool
) -> None:
    """Committed: the rules for the accounts the changed files name run now (all, if any kind
    can touch every account or there are many). A dry run or an import that changed nothing
    runs nothing."""
    changed = [result.kind for result in results if result.created or result.updated]
    if changed and not dry_run:
        after_import.csv_import_committed(files=[pair for pair in files if pair[0] in changed])
