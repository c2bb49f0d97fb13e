"""``heedful report scorecard [--period] [--as-of] [--json]``: every rep's scorecard for a
period, as a table or as JSON. A subcommand of ``heedful report`` (its ``add_arguments`` and
``run`` are called by the report command)."""

import json
from argparse import ArgumentParser
from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from heedful.core.exceptions import InvalidInput
from heedful.core.models import Role, User
from heedful.forecasts import periods
from heedful.forecasts.periods import Period
from heedful.lib import clock, words
from heedful.scorecards import services


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--period", help="A quarter (2026-Q4) or a month (2026-11); the "
                        "quarter of --as-of by default.")
    parser.add_argument("--as-of", help="YYYY-MM-DD; today by default.")
    parser.add_argument("--json", action="store_true", help="Print JSON: a list, one object "
                        "per rep.")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def rows(*, period: Period, as_of: date) -> list[dict[str, Any]]:
    """One object per active rep, by user name: ``rep``, ``name``, ``period``,
    ``below_standard`` (dimension keys) and ``dimensions`` (each: ``value``, ``standard``,
    ``meets``, ``detail``; ratios as fractions, null when there is nothing to measure)."""
    reps = User.objects.filter(role=Role.REP, is_active=True).order_by("username")
    return [{
        "rep": card.rep.username, "name": card.rep.display_name, "period": period.name,
        "below_standard": [score.dimension.key for score in card.below],
        "dimensions": {
            score.dimension.key: {
                "value": _number(score.value), "standard": _number(score.standard),
                "meets": score.meets, "detail": score.detail,
            } for score in card.scores
        },
    } for card in services.scorecards(reps=reps, period=period, as_of=as_of)]


def run(options: dict[str, Any], out: TextIO) -> None:
    """Raises InvalidInput on a bad --period or --as-of (the command exits 2)."""
    as_of = clock.today()
    if options.get("as_of"):
        parsed = words.parse_day(options["as_of"])
        if parsed is None:
            raise InvalidInput(f"--as-of {options['as_of']}: write a date as YYYY-MM-DD.")
        as_of = parsed
    period = periods.parse(options["period"]) if options.get("period") else (
        periods.quarter_of(as_of))
    result = rows(period=period, as_of=as_of)
    if options.get("json"):
        out.write(json.dumps(result, indent=2) + "\n")
        return
    out.write(f"Scorecards {period.name} as of {as_of.isoformat()}: {len(result)} reps\n")
    for row in result:
        below = ", ".join(row["below_standard"]) or "none"
        out.write(f"{row['rep']:<20} below standard: {below}\n")
