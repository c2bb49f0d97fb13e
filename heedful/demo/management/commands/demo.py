"""``heedful demo [--no-serve] [--port N] [--as-of YYYY-MM-DD] [--seed S]``: migrate, build the
demo company, scan it (once the attention engine exists), print the logins and the stories,
and serve the web app."""

import io
import time
from datetime import date
from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from heedful.demo import company, database
from heedful.demo.vocabulary import DEMO_PASSWORD, VENDOR_NAME

BAD_INPUT = 2
LOGINS = (
    ("rep", "a rep: most of the fifteen stories are on their accounts"),
    ("manager", "the rep's manager: the team view"),
    ("executive", "an executive: every account, executive sponsor of Northstar Media"),
    ("admin", "an admin: imports, webhooks and /admin/"),
)


def parse_as_of(raw: str | None) -> date:
    if not raw:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"--as-of {raw!r}: expected a date as YYYY-MM-DD.",
                           returncode=BAD_INPUT) from None


def prepare_empty_database(*, force: bool) -> None:
    """Wipe demo or generated data; refuse anything else unless ``force``."""
    if not database.holds_data():
        return
    if not (force or database.holds_only_demo_data()):
        raise CommandError(
            "This database holds data that is not the demo's; use an empty HEEDFUL_HOME or "
            "HEEDFUL_DATABASE_URL, or --force to wipe it.", returncode=BAD_INPUT,
        )
    database.wipe()


class Command(BaseCommand):
    help = "Build the demo company on a fresh database, print the logins and serve the app."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Build, print and stop.")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--as-of", help="The demo's today, YYYY-MM-DD (default: today).")
        parser.add_argument("--seed", type=int, default=company.DEFAULT_SEED)
        parser.add_argument("--force", action="store_true",
                            help="Wipe the database even if it holds data that is not a demo.")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = parse_as_of(options["as_of"])
        port = options["port"]
        if not 0 < port < 65536:
            raise CommandError(f"--port {port}: expected 1 to 65535.", returncode=BAD_INPUT)
        call_command("migrate", interactive=False, verbosity=0)
        prepare_empty_database(force=options["force"])
        started = time.monotonic()
        plan = company.build_demo(as_of=as_of, seed=options["seed"])
        self.stdout.write(
            f"Built the {VENDOR_NAME} demo as of {as_of.isoformat()} (seed {options['seed']}) "
            f"in {time.monotonic() - started:.1f} s: {len(plan.accounts)} accounts, "
            f"{len(plan.contacts)} contacts, {len(plan.invoices)} invoices, "
            f"{len(plan.tickets)} tickets, {len(plan.interactions)} interactions."
        )
        if "scan" in get_commands():
            output = io.StringIO()
            call_command("scan", "--as-of", as_of.isoformat(), stdout=output)
            # The health score counts the urgent plays open before the scan; the first scan
            # found them: the score of the day again, with them, and whether it fell.
            call_command(
                "scan", "--as-of", as_of.isoformat(), "--rule", "health.score_drop",
                stdout=io.StringIO(), stderr=io.StringIO(),
            )
            lines = output.getvalue().splitlines()
            self.stdout.write(f"\nScan: {len(lines)} line(s) of plays; the first ones:")
            for line in lines[:10]:
                self.stdout.write("  " + line)
        self.print_guide(base=f"http://127.0.0.1:{port}")
        if options["no_serve"]:
            return
        from heedful.core.management.commands.serve import serve

        self.stdout.write(f"\nServing on http://127.0.0.1:{port}/ (Ctrl-C stops).")
        self.stdout.flush()
        serve(host="127.0.0.1", port=port)

    def print_guide(self, *, base: str) -> None:
        names = {username: full for username, full, *_ in company.STAFF}
        self.stdout.write(f"\nLog in at {base}/login/ with the password {DEMO_PASSWORD}:")
        for username, what in LOGINS:
            self.stdout.write(f"  {username:<10} {names[username]:<18} {what}")
        self.stdout.write("\nThe fifteen stories, and where to look:")
        for story in company.STORIES:
            self.stdout.write(f"  {story.number:>2}. {story.title}: {story.description}")
            where = (f"{base}/accounts/{story.account_external_id}/"
                     if story.account_external_id else f"{base}/")
            self.stdout.write(f"      {where}  (log in as {story.username or 'rep'})")
