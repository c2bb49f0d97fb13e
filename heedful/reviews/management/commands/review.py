"""``heedful review ACCOUNT_EXTERNAL_ID --period P [--pdf FILE] [--json] [--as-of D]`` and
``heedful review --all-accounts-of USERNAME --period P [--pdf FOLDER] [--json]``.

The review of an account for a quarter (2026-Q3), a month (2026-10) or a range of days
(2026-08-01..2026-10-31): its draft's if one is being prepared, else the one sent for that
period (as the customer saw it), else the records alone. ``--json`` prints CONTRACTS.md's
object (one per line for several accounts); ``--pdf`` writes the PDF (for several accounts,
one file per account in the folder given). Bad input exits 2 naming what is wrong.
"""

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from heedful.accounts.models import Account
from heedful.core.exceptions import InvalidInput
from heedful.core.models import User
from heedful.lib import clock
from heedful.lib.text import terminal_safe
from heedful.reviews import services
from heedful.reviews.pdf import render_pdf
from heedful.reviews.periods import Period, parse_period
from heedful.reviews.present import present

BAD_INPUT = 2


def bad_input(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


class Command(BaseCommand):
    help = "The service review of an account (or of every account a user owns) for a period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("account", nargs="?", metavar="ACCOUNT_EXTERNAL_ID",
                            help="The account's id, e.g. ACC-10008.")
        parser.add_argument("--period", required=True,
                            help="YYYY-Qn (2026-Q3), YYYY-MM (2026-10) or FROM..TO "
                            "(2026-08-01..2026-10-31).")
        parser.add_argument("--pdf", metavar="FILE",
                            help="Write the PDF here (with --all-accounts-of: a folder).")
        parser.add_argument("--json", action="store_true", help="Print JSON on stdout.")
        parser.add_argument("--all-accounts-of", metavar="USERNAME",
                            help="Every account this user owns, with a progress bar.")
        parser.add_argument("--as-of", metavar="YYYY-MM-DD",
                            help="Read the records as of this day (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = parse_period(options["period"])
        except InvalidInput as error:
            raise bad_input(f"--period: {error}") from None
        as_of = self.as_of(options["as_of"])
        owner = options["all_accounts_of"]
        if owner and options["account"]:
            raise bad_input("Give ACCOUNT_EXTERNAL_ID or --all-accounts-of USERNAME, not both.")
        if owner:
            self.many(owner, period, as_of, options)
            return
        if not options["account"]:
            raise bad_input("Name the account (ACCOUNT_EXTERNAL_ID) or --all-accounts-of USERNAME.")
        account = (
            Account.objects.filter(external_id=options["account"])
            .select_related("owner__manager").first()
        )
        if account is None:
            raise bad_input(f"ACCOUNT_EXTERNAL_ID {options['account']!r}: no such account.")
        content, _ = services.get_content_for_period(account=account, period=period, as_of=as_of)
        if options["pdf"]:
            self.write_pdf(Path(options["pdf"]), content)
        if options["json"]:
            self.stdout.write(json.dumps(services.as_contract(content), ensure_ascii=False))
        elif not options["pdf"]:
            self.print_summary(content)

    def as_of(self, raw: str | None) -> date:
        if not raw:
            return clock.today()
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise bad_input(f"--as-of {raw!r}: expected a day, YYYY-MM-DD.") from None

    def write_pdf(self, path: Path, content: dict[str, Any]) -> None:
        if not path.parent.is_dir():
            raise bad_input(f"--pdf {str(path)!r}: the folder {str(path.parent)!r} does not exist.")
        path.write_bytes(render_pdf(content))

    def many(self, username: str, period: Period, as_of: date, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise bad_input(f"--all-accounts-of {username!r}: no such user.")
        folder = Path(options["pdf"]) if options["pdf"] else None
        if folder is not None and not folder.is_dir():
            raise bad_input(f"--pdf {options['pdf']!r}: with --all-accounts-of, name an "
                            "existing folder (one PDF per account is written there).")
        accounts = list(
            Account.objects.filter(owner=user).select_related("owner__manager")
            .order_by("external_id")
        )
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=Console(stderr=True), transient=True,
        ) as progress:
            task = progress.add_task(f"Reviews of {user.display_name}", total=len(accounts))
            for account in accounts:
                content, _ = services.get_content_for_period(
                    account=account, period=period, as_of=as_of
                )
                if folder is not None:
                    name = f"review-{account.external_id}-{period.key}.pdf".replace("/", "-")
                    (folder / name).write_bytes(render_pdf(content))
                if options["json"]:
                    self.stdout.write(json.dumps(services.as_contract(content),
                                                 ensure_ascii=False))
                progress.advance(task)
        if not options["json"]:
            written = f", PDFs in {folder}" if folder is not None else ""
            self.stdout.write(f"{len(accounts)} review{'s' if len(accounts) != 1 else ''} "
                              f"of {period.words}{written}.")

    def print_summary(self, content: dict[str, Any]) -> None:
        view = present(content)
        lines = [f"Service review: {view.account_name}, {view.period_words}", ""]
        lines.append("Metrics against their targets:")
        for metric in view.metrics or []:
            lines.append(f"  {metric.name}: {metric.verdict}")
        if not view.metrics:
            lines.append("  none measured")
        lines.append("Delivered against contracted scope:")
        for line in view.scope:
            lines.append(f"  {line.function}: {line.delivered} delivered of {line.contracted} "
                         f"contracted, {line.overrun} over ({line.overrun_percent})")
        if not view.scope:
            lines.append("  none recorded")
        support = view.support
        lines.append(f"Support: {support['opened']} opened, {support['resolved']} resolved, "
                     f"median time to resolve {support['median']}, "
                     f"{support['still_open_count']} still open")
        lines.append(f"Billing: {len(view.billing['invoices'])} invoices, "
                     f"{len(view.billing['disputes'])} disputes")
        lines.append(f"What we heard: {len(view.heard)} meetings")
        lines.append(f"Our topics: {len(view.topics)}")
        self.stdout.write(terminal_safe("\n".join(lines)))
