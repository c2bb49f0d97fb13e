"""``heedful digest [--as-of YYYY-MM-DD] [--dry-run]``: e-mail each user their open,
non-urgent plays, one e-mail per user and day, skipping users with none."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heedful.lib import clock
from heedful.plays import notifications
from heedful.plays.management.commands.scan import parse_day


class Command(BaseCommand):
    help = (
        "E-mail every user the open, non-urgent plays they own, grouped by account and "
        "ordered by priority; users with none get nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="The day of the digest, YYYY-MM-DD (default today).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the e-mails instead of sending them."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = parse_day(options["as_of"]) if options["as_of"] else clock.today()
        found = notifications.digests(as_of=as_of)
        if options["dry_run"]:
            for digest in found:
                self.stdout.write(
                    f"To: {digest.user.email}\nSubject: {digest.subject}\n\n{digest.body}"
                )
            self.stderr.write(f"Dry run: {len(found)} digest e-mail(s) not sent.")
            return
        outcome = notifications.send_digests(found)
        already = (
            f"; {outcome.already_sent} had been sent, or were being sent, by an earlier run "
            "for that day"
            if outcome.already_sent else ""
        )
        self.stderr.write(
            f"Sent {outcome.sent} of {len(found)} digest e-mail(s) as of {as_of}{already}."
        )
        if outcome.failed:
            raise CommandError(
                f"{outcome.failed} digest e-mail(s) could not be sent; see the log, then run "
                "the command again: it sends only those."
            )
