"""``heedful import ics`` and ``heedful import transcript``: what the import command does
with a calendar and with a meeting's transcript."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from heedful.conversations.cues import TranscriptError
from heedful.integrations.ics_import import IcsRejected, expanded_window, import_ics
from heedful.integrations.management.commands._output import BAD_INPUT
from heedful.meetings.models import Meeting
from heedful.meetings.transcripts import store_transcript
from heedful.plays.triggers import accounts_changed

MEETING_KINDS = ("meeting", "attendee")


def import_calendar(command: BaseCommand, options: dict[str, Any]) -> None:
    as_of = options["as_of"] or timezone.localdate()
    window = expanded_window(options["window_from"], options["window_to"], as_of)
    if window[0] > window[1]:
        raise CommandError("--window-from is after --window-to.", returncode=BAD_INPUT)
    try:
        result = import_ics(
            options["file"], dry_run=options["dry_run"], as_of=as_of, window=window,
            warn=lambda message: command.stderr.write(f"warning: {message}"),
        )
    except IcsRejected as rejected:
        for problem in rejected.problems:
            command.stderr.write(str(problem))
        raise CommandError(
            f"{len(rejected.problems)} problem(s) found; nothing was written.",
            returncode=BAD_INPUT,
        ) from None
    if options["json"]:
        summary = {"dry_run": options["dry_run"], "files": [result.as_dict()]}
        command.stdout.write(json.dumps(summary, ensure_ascii=False))
    else:
        note = " (dry run: nothing written)" if options["dry_run"] else ""
        command.stdout.write(
            f"{result.file}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.cancelled} cancelled, "
            f"{result.skipped} skipped{note}"
        )
    if not options["dry_run"] and result.account_ids:
        accounts_changed(account_ids=result.account_ids, kinds=MEETING_KINDS)


def import_transcript(command: BaseCommand, options: dict[str, Any]) -> None:
    """Store a meeting's transcript and its figures; a file that cannot be read is refused
    (FILE:LINE: reason, exit 2) and nothing is saved. The rules that read transcripts run
    once it commits: ``store_transcript`` tells the attention engine, as for an upload on the
    meeting page (a dry run rolls back, and with it that)."""
    if options["meeting"] is None:
        raise CommandError("Say which meeting: --meeting ID.", returncode=BAD_INPUT)
    meeting = Meeting.objects.filter(pk=options["meeting"]).first()
    if meeting is None:
        raise CommandError(f"There is no meeting {options['meeting']}.", returncode=BAD_INPUT)
    path = Path(options["file"])
    try:
        content = path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}", returncode=BAD_INPUT) from None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text", returncode=BAD_INPUT) from None
    with transaction.atomic():
        try:
            transcript = store_transcript(
                user=None, meeting=meeting, file_name=path.name, content=text
            )
        except TranscriptError as error:
            where = f"{path}:{error.line}" if error.line is not None else str(path)
            raise CommandError(
                f"{where}: {error.message}; nothing was saved.", returncode=BAD_INPUT
            ) from None
        unknown = list(
            transcript.speakers.filter(attendee__isnull=True).exclude(label="")
            .values_list("label", flat=True)
        )
        if options["dry_run"]:
            transaction.set_rollback(True)
    speakers = transcript.figures.get("speakers", [])
    if options["json"]:
        command.stdout.write(json.dumps(
            {"meeting": meeting.pk, "dry_run": options["dry_run"], "figures": transcript.figures},
            ensure_ascii=False,
        ))
    else:
        note = " (dry run: nothing saved)" if options["dry_run"] else ""
        command.stdout.write(
            f"{path}: transcript of meeting {meeting.pk} stored, {len(speakers)} speaker(s)"
            f"{note}"
        )
        if unknown:
            command.stdout.write(
                "not matched to an attendee (name them on the meeting page): "
                + ", ".join(unknown)
            )
