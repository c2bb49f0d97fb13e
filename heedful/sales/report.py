"""``heedful report pipeline [--as-of YYYY-MM-DD] [--by rep|team|territory] [--json]``: the
pipeline per rep (CONTRACTS.md), team (a manager's reports) or territory, over every
opportunity. A subcommand of ``heedful report`` (``scorecards/management/commands/report.py``
calls its ``add_arguments`` and ``run``)."""

import json
from argparse import ArgumentParser
from decimal import Decimal
from typing import Any, TextIO

from heedful.core.exceptions import InvalidInput
from heedful.lib import clock, words
from heedful.sales.models import Opportunity
from heedful.sales.pipeline import GROUPINGS, pipeline_report

SUMMARY = "Open, won and lost deals, and how fast."


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--as-of", help="The day to report as, YYYY-MM-DD (default today).")
    parser.add_argument("--by", choices=GROUPINGS, default="rep", help="Group by (rep).")
    parser.add_argument("--json", action="store_true", help="Print the rows as JSON.")


def run(options: dict[str, Any], out: TextIO) -> None:
    """Raises InvalidInput on a bad --as-of (the command exits 2)."""
    as_of = clock.today()
    if options.get("as_of"):
        parsed = words.parse_day(options["as_of"])
        if parsed is None:
            raise InvalidInput(f"--as-of {options['as_of']}: write a date as YYYY-MM-DD.")
        as_of = parsed
    report = pipeline_report(
        Opportunity.objects.all(), as_of=as_of, group_by=options["by"],
        with_totals=not options["json"],
    )
    if options["json"]:
        out.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n")
        return
    out.write(
        f"Pipeline as of {words.format_day(as_of)}, by {options['by']}, in {report.currency}\n"
    )
    out.write(
        f"{'':30} {'open':>6} {'won':>6} {'lost':>6} {'win rate':>8} "
        f"{'won value':>16} {'open value':>16} {'median days':>11}\n"
    )
    for row in [*report.rows, report.total]:
        rate = "" if row.win_rate is None else f"{row.win_rate:.0%}"
        cycle = "" if row.median_cycle_days is None else f"{row.median_cycle_days:g}"
        out.write(
            f"{row.label[:30]:30} {row.open:>6} {row.won:>6} {row.lost:>6} {rate:>8} "
            f"{_money(row.won_value):>16} {_money(row.open_value):>16} {cycle:>11}\n"
        )


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"
