"""``heedful scan [--as-of YYYY-MM-DD] [--json] [--account EXTERNAL_ID ...] [--rule KEY ...]``:
evaluate the rules, notify the owners of the urgent plays it raised, and print the open
plays (JSON as in CONTRACTS.md, "Plays")."""

import json
import textwrap
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heedful.accounts import ownership
from heedful.accounts.models import Account
from heedful.core.exceptions import InvalidInput
from heedful.lib import clock
from heedful.lib.text import terminal_safe
from heedful.plays import services, triggers
from heedful.plays.engine import scan
from heedful.plays.models import Play


def parse_day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CommandError(
            f"--as-of: {raw!r} is not a date (use YYYY-MM-DD)", returncode=2
        ) from None


class Command(BaseCommand):
    help = "Evaluate every enabled rule and print the open plays."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="The day to evaluate as, YYYY-MM-DD (default today).")
        parser.add_argument("--json", action="store_true", help="Print the open plays as JSON.")
        parser.add_argument(
            "--account", action="extend", nargs="+", default=None, metavar="EXTERNAL_ID",
            help="Only these accounts (by external id).",
        )
        parser.add_argument(
            "--rule", action="extend", nargs="+", default=None, metavar="KEY",
            help="Only these rules, e.g. billing.spike.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = parse_day(options["as_of"]) if options["as_of"] else clock.today()
        account_ids = self._account_ids(options["account"])
        started = time.perf_counter()

        def progress(rule_key: str, findings: int) -> None:
            # A full scan of a large book takes a minute: say where it is, on stderr.
            self.stderr.write(
                f"  {time.perf_counter() - started:6.1f} s  {rule_key}: {findings:,} finding(s)"
            )

        # A handover dated ahead takes effect on its day: the cached owner the rules address
        # their plays to is brought in line with the owner history first.
        ownership.refresh_cached_owners(account_ids, on=as_of)
        try:
            result = scan(
                as_of=as_of, account_ids=account_ids, rules=options["rule"], progress=progress
            )
        except InvalidInput as error:
            raise CommandError(str(error), returncode=2) from None
        # Whatever path wrote the records (an import, the admin, another program), the urgent
        # plays this scan raised reach their owners; a play already notified is not again.
        triggers.notify_urgent(play_ids=result.urgent_play_ids)
        # Streamed: a large book has hundreds of thousands of open plays.
        plays = services.get_all(account_ids=account_ids, rules=options["rule"]).iterator(
            chunk_size=2000
        )
        if options["json"]:
            self._write_json(plays)
            return
        count = 0
        for play in plays:
            count += 1
            urgent = "URGENT " if play.urgent else ""
            owner = play.owner.username if play.owner else "nobody"
            # Names, ids and the texts built from them are user data: a terminal must show
            # them, never obey an escape sequence in them.
            self.stdout.write(terminal_safe(
                f"[{play.priority:3d}] {urgent}{play.account.name} ({play.account.external_id})"
                f" — {play.title}\n      {play.explanation}\n      → {play.suggested_action}"
                f" (owner: {owner}, {play.rule})"
            ))
        self.stderr.write(
            f"Scanned as of {as_of.isoformat()} in {result.seconds:.2f} s: {result.summary()}; "
            f"{count} open plays."
        )

    def _write_json(self, plays: Iterator[Play]) -> None:
        """One JSON list, written a play at a time."""
        separator = "[\n"
        for play in plays:
            item = json.dumps(services.as_contract(play), indent=2)
            self.stdout.write(separator + textwrap.indent(item, "  "), ending="")
            separator = ",\n"
        self.stdout.write("[]" if separator == "[\n" else "\n]")

    def _account_ids(self, external_ids: list[str] | None) -> list[int] | None:
        if external_ids is None:
            return None
        found = dict(
            Account.objects.filter(external_id__in=external_ids).values_list("external_id", "id")
        )
        unknown = [external_id for external_id in external_ids if external_id not in found]
        if unknown:
            raise CommandError(f"--account: no account {', '.join(unknown)}", returncode=2)
        return list(found.values())
