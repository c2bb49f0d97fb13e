"""``heedful report pipeline [--as-of YYYY-MM-DD] [--by rep|team|territory] [--json]``: the
pipeline per rep (CONTRACTS.md), team (a manager's reports) or territory, over every
opportunity."""

import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heedful.lib import clock, words
from heedful.sales.models import Opportunity
from heedful.sales.pipeline import GROUPINGS, pipeline_report


def parse_day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CommandError(
            f"--as-of: {raw!r} is not a date (use YYYY-MM-DD)", returncode=2
        ) from None


class Command(BaseCommand):
    help = "Print a sales report: the pipeline per rep, team or territory."

    def add_arguments(self, parser: CommandParser) -> None:
        reports = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
        pipeline = reports.add_parser("pipeline", help="Open, won and lost deals, and how fast.")
        pipeline.add_argument("--as-of", help="The day to report as, YYYY-MM-DD (default today).")
        pipeline.add_argument("--by", choices=GROUPINGS, default="rep", help="Group by (rep).")
        pipeline.add_argument("--json", action="store_true", help="Print the rows as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = parse_day(options["as_of"]) if options["as_of"] else clock.today()
        report = pipeline_report(
            Opportunity.objects.all(), as_of=as_of, group_by=options["by"],
            with_totals=not options["json"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"Pipeline as of {words.format_day(as_of)}, by {options['by']}, in {report.currency}"
        )
        header = f"{'':30} {'open':>6} {'won':>6} {'lost':>6} {'win rate':>8} " \
                 f"{'won value':>16} {'open value':>16} {'median days':>11}"
        self.stdout.write(header)
        for row in [*report.rows, report.total]:
            rate = "" if row.win_rate is None else f"{row.win_rate:.0%}"
            cycle = "" if row.median_cycle_days is None else f"{row.median_cycle_days:g}"
            self.stdout.write(
                f"{row.label[:30]:30} {row.open:>6} {row.won:>6} {row.lost:>6} {rate:>8} "
                f"{_money(row.won_value):>16} {_money(row.open_value):>16} {cycle:>11}"
            )


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"
