"""``heedful report pipeline [--as-of YYYY-MM-DD] [--by rep|team|territory] [--since
YYYY-MM-DD] [--json]``: the pipeline per rep (CONTRACTS.md), team (a manager's reports) or
territory, over every opportunity; with ``--since``, each row's movement since that day too
(``heedful.sales.movement``: new, advanced, slipped, pushed out, won, lost, overdue).
A subcommand of ``heedful report`` (``scorecards/management/commands/report.py`` calls its
``add_arguments`` and ``run``)."""

import json
from argparse import ArgumentParser
from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from heedful.core.exceptions import InvalidInput
from heedful.lib import clock, words
from heedful.sales.models import Opportunity, Territory
from heedful.sales.movement import Movement, movement
from heedful.sales.pipeline import (
    GROUPINGS,
    PipelineReport,
    _in_territory,
    pipeline_report,
)

SUMMARY = "Open, won and lost deals, and how fast."


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--as-of", help="The day to report as, YYYY-MM-DD (default today).")
    parser.add_argument("--by", choices=GROUPINGS, default="rep", help="Group by (rep).")
    parser.add_argument(
        "--since",
        help="Also what moved after this day, YYYY-MM-DD: new, advanced, slipped, pushed out "
        "(close date later), won, lost, overdue.",
    )
    parser.add_argument("--json", action="store_true", help="Print the rows as JSON.")


def _day_option(options: dict[str, Any], name: str) -> date | None:
    raw = options.get(name)
    if not raw:
        return None
    parsed = words.parse_day(raw)
    if parsed is None:
        flag = "--" + name.replace("_", "-")
        raise InvalidInput(f"{flag} {raw}: write a date as YYYY-MM-DD.")
    return parsed


def run(options: dict[str, Any], out: TextIO) -> None:
    """Raises InvalidInput on a bad --as-of or --since (the command exits 2)."""
    as_of = _day_option(options, "as_of") or clock.today()
    since = _day_option(options, "since")
    if since is not None and since >= as_of:
        raise InvalidInput(f"--since {since.isoformat()}: choose a day before {as_of.isoformat()}.")
    report = pipeline_report(
        Opportunity.objects.all(), as_of=as_of, group_by=options["by"],
        with_totals=not options["json"],
    )
    moved = None if since is None else movements(report, since=since)
    if options["json"]:
        listed = report.as_json()
        if since is not None and moved is not None:
            for item in listed:
                item["movement"] = moved.get(item[report.group_by], Movement()).as_json(since)
        out.write(json.dumps(listed, ensure_ascii=False, indent=2) + "\n")
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
    if since is None or moved is None:
        return
    total = movement(Opportunity.objects.all(), since=since, as_of=as_of)[None]
    out.write(f"\nMoved after {words.format_day(since)}\n")
    names = ("new", "advanced", "slipped", "pushed_out", "won", "lost", "overdue")
    out.write(f"{'':30} " + " ".join(f"{name.replace('_', ' '):>10}" for name in names) + "\n")
    for label, counts in [
        *((row.label, moved.get(row.key, Movement())) for row in report.rows),
        (report.total.label, total),
    ]:
        out.write(
            f"{label[:30]:30} " + " ".join(f"{getattr(counts, name):>10}" for name in names)
            + "\n"
        )


def movements(report: PipelineReport, *, since: date) -> dict[str, Movement]:
    """Each row's movement since ``since``, by the row's key (a username, "" for deals of
    nobody or of no manager, or a territory's name)."""
    deals = Opportunity.objects.all()
    if report.group_by == "territory":
        return {
            territory.name: movement(
                deals.filter(_in_territory(territory)), since=since, as_of=report.as_of
            )[None]
            for territory in Territory.objects.all()
        }
    key = "owner__username" if report.group_by == "rep" else "owner__manager__username"
    return {
        "" if name is None else name: moved
        for name, moved in movement(deals, since=since, as_of=report.as_of, key=key).items()
    }


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"
