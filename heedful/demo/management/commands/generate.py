"""``heedful generate --accounts N [--seed S] [--as-of YYYY-MM-DD] [--force]``: synthetic data
at scale in the demo's shapes, for benchmarks."""

import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from heedful.demo import database, generator
from heedful.demo.management.commands.demo import BAD_INPUT, parse_as_of


class Command(BaseCommand):
    help = "Generate N accounts and everything around them (contacts, invoices, tickets...)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--accounts", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--as-of", help="The data's today, YYYY-MM-DD (default: today).")
        parser.add_argument("--force", action="store_true",
                            help="Wipe every domain table first, whatever it holds.")

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = options["accounts"]
        if accounts < 1:
            raise CommandError("--accounts: expected at least 1.", returncode=BAD_INPUT)
        as_of = parse_as_of(options["as_of"])
        call_command("migrate", interactive=False, verbosity=0)
        if database.holds_data():
            if not options["force"]:
                raise CommandError(
                    "The database already holds data: generate needs an empty one "
                    "(or --force to wipe every domain table first).", returncode=BAD_INPUT,
                )
            database.wipe()
        started = time.monotonic()
        console = Console(stderr=True)
        with Progress(
            TextColumn("Generating accounts"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=console, transient=not sys.stderr.isatty(),
        ) as progress:
            task = progress.add_task("accounts", total=accounts)
            counts = generator.generate(
                accounts=accounts, seed=options["seed"], as_of=as_of,
                on_chunk=lambda done: progress.advance(task, done),
            )
        elapsed = time.monotonic() - started
        total = sum(counts.values())
        self.stdout.write(
            f"Generated {total:,} rows in {elapsed:.1f} s ({total / max(elapsed, 0.001):,.0f} "
            f"rows/s) as of {as_of.isoformat()}, seed {options['seed']}:"
        )
        for name, count in counts.items():
            self.stdout.write(f"  {name:<20} {count:>12,}")
