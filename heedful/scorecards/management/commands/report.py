"""``heedful report pipeline|scorecard``: the sales reports, each a subcommand whose module
gives its ``add_arguments`` and ``run`` (``heedful.sales.report``, ``heedful.scorecards.report``).
Here, above the apps whose figures the reports read (a report command in ``sales`` could not
read the scorecards, which build on it: ADR 0010)."""

from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heedful.core.exceptions import InvalidInput
from heedful.sales import report as pipeline_report
from heedful.scorecards import report as scorecard_report

BAD_INPUT = 2

SUBCOMMANDS: dict[str, tuple[str, Callable[[ArgumentParser], None],
                             Callable[[dict[str, Any], Any], None]]] = {
    "pipeline": (pipeline_report.SUMMARY, pipeline_report.add_arguments, pipeline_report.run),
    "scorecard": ("Every rep's scorecard: each dimension against its standard.",
                  scorecard_report.add_arguments, scorecard_report.run),
}


class Command(BaseCommand):
    help = "Print a sales report."

    def add_arguments(self, parser: CommandParser) -> None:
        reports = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
        for name, (summary, add_arguments, _run) in SUBCOMMANDS.items():
            add_arguments(reports.add_parser(name, help=summary))

    def handle(self, *args: Any, **options: Any) -> None:
        _summary, _add_arguments, run = SUBCOMMANDS[options["report"]]
        try:
            run(options, self.stdout)
        except InvalidInput as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from None
