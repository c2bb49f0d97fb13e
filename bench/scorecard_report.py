"""Benchmark: ``heedful report scorecard`` (every rep's scorecard for a quarter) at 100,000
accounts and 1M opportunities, the scorecard half of issue 12's reports benchmark.

Run against a copy of a generated book (never the original: it adds rows), one database per
run: SQLite with ``HEEDFUL_HOME`` set to the copy, PostgreSQL with ``HEEDFUL_DATABASE_URL``
too. Before timing, once (kept; skipped when present): the synthetic opportunities of
``bench/reports.py`` up to ``--opportunities`` (its ``add_opportunities``: the same rows the
pipeline report is timed on), a quarterly quota for every rep for the quarter and the next (as
the pipeline's coverage needs), a forecast period with a submission per rep (a tenth late),
three months of expense reports per rep (a tenth late), then ``ANALYZE``; on PostgreSQL,
each run ``VACUUM``s the timeline, accounts and plays first. Then times each
dimension's measurer on its own (median of ``--runs``, its query count), so the reader sees
where the time goes, and ``scorecards.report.rows`` (what the command prints, all reps, every
dimension) ``--runs`` times after one warm-up; prints min / median / max, the median ÷ the
target (1 s on PostgreSQL, 2 s on SQLite), the query count and the load average beside each.

    HEEDFUL_HOME=/tmp/x-100k .venv/bin/python bench/scorecard_report.py
    HEEDFUL_DATABASE_URL=postgresql://postgres@127.0.0.1:55440/x HEEDFUL_HOME=$(mktemp -d) \\
        .venv/bin/python bench/scorecard_report.py
"""

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from heedful.forecasts.periods import Period

AS_OF = date(2026, 11, 22)
TARGETS = {"postgresql": 1.0, "sqlite": 2.0}


def prepare() -> None:
    from django.db import connection, transaction

    from heedful.core.models import Role, User
    from heedful.expenses.models import ExpenseReport
    from heedful.forecasts import periods
    from heedful.forecasts.models import ForecastPeriod, ForecastSubmission
    from heedful.sales.models import Quota

    if ForecastPeriod.objects.exists():
        return
    reps = list(User.objects.filter(role=Role.REP, is_active=True).order_by("pk"))
    quarter = periods.quarter_of(AS_OF)
    following = periods.quarter_of(quarter.ends_on + timedelta(days=1))
    with transaction.atomic():
        Quota.objects.bulk_create([
            Quota(user=rep, period_start=item.starts_on, period_end=item.ends_on,
                  amount=Decimal(400000), currency="USD")
            for rep in reps for item in (quarter, following)
        ], batch_size=2000)
        period = ForecastPeriod.objects.create(
            name=quarter.name, starts_on=quarter.starts_on, ends_on=quarter.ends_on,
            due_on=quarter.starts_on + timedelta(days=9))
        ForecastSubmission.objects.bulk_create([
            ForecastSubmission(
                period=period, rep=rep, commit=Decimal(300000), best_case=Decimal(400000),
                pipeline=Decimal(900000), currency="USD", is_late=index % 10 == 0,
                submitted_at=datetime.combine(period.due_on, datetime.min.time(), tzinfo=UTC)
                + timedelta(days=3 if index % 10 == 0 else -1),
            ) for index, rep in enumerate(reps)
        ], batch_size=2000)
        ExpenseReport.objects.bulk_create([
            ExpenseReport(rep=rep, period=f"2026-{month:02d}",
                          due_on=date(2026, month + 1, 15),
                          submitted_on=date(2026, month + 1, 20 if index % 10 == 0 else 14),
                          amount=Decimal(1200), budget=Decimal(1500), currency="USD")
            for index, rep in enumerate(reps) for month in (8, 9, 10)
        ], batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def load() -> str:
    return "load " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def time_dimensions(runs: int, period: "Period") -> None:
    """Each dimension's measurer alone, over every active rep: median seconds, queries. Record
    hygiene and pipeline coverage share one pass over the open deals in the report; alone,
    each makes it, so their times here overlap."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from heedful.core.models import Role, User
    from heedful.scorecards import services

    reps = services.Reps.of(User.objects.filter(role=Role.REP, is_active=True)
                            .order_by("username"))  # as the report picks them
    for key, measurer in services.MEASURERS.items():
        seconds = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                measurer(services.Reps(ids=reps.ids, among=reps.among), period, AS_OF)
                seconds.append(time.perf_counter() - began)
        print(f"  {key:<22} median {statistics.median(seconds):7.3f} s "
              f"(min {min(seconds):.3f}), {len(queries.captured_queries)} queries; {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--opportunities", type=int, default=1_000_000,
                        help="Add synthetic opportunities (bench/reports.py's) up to this many.")
    parser.add_argument("--seed", type=int, default=12)
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heedful.settings")
    import django

    django.setup()
    from django.db import connection

    from heedful.forecasts import periods
    from heedful.scorecards import report

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from reports import add_opportunities  # the pipeline bench's rows, the same seed

    started = time.perf_counter()
    add_opportunities(arguments.opportunities, arguments.seed)
    prepare_to_time()
    print(f"prepared in {time.perf_counter() - started:.1f} s; {load()}")
    quarter = periods.quarter_of(AS_OF)
    report.rows(period=quarter, as_of=AS_OF)  # warm-up
    print(f"{connection.vendor}, each dimension on its own, {arguments.runs} runs:")
    time_dimensions(arguments.runs, quarter)
    print(time_report(arguments.runs))


def prepare_to_time() -> None:
    """``prepare``, then, on PostgreSQL, ``VACUUM (ANALYZE)`` as autovacuum leaves a database
    at rest: the visibility map set, so the index-only scans of the timeline's window stay in
    the index (bench/reports.py vacuums the opportunities it adds). Quick when nothing changed
    since the last run."""
    from django.db import connection

    prepare()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("interactions_interaction", "accounts_account", "plays_play"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")


def time_report(runs: int) -> str:
    """``scorecards.report.rows`` (all reps, every dimension) ``runs`` times after one
    warm-up: the line that says min / median / max, the median ÷ the target and the load."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from heedful.accounts.models import Account
    from heedful.forecasts import periods
    from heedful.sales.models import Opportunity
    from heedful.scorecards import report

    vendor = connection.vendor
    quarter = periods.quarter_of(AS_OF)
    report.rows(period=quarter, as_of=AS_OF)  # warm-up
    seconds = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            rows = report.rows(period=quarter, as_of=AS_OF)
            seconds.append(time.perf_counter() - began)
    median = statistics.median(seconds)
    target = TARGETS[vendor]
    return (f"{vendor}: {Account.objects.count():,} accounts, "
            f"{Opportunity.objects.count():,} opportunities, {len(rows):,} reps, "
            f"{len(queries.captured_queries)} queries; report scorecard min {min(seconds):.3f} s, "
            f"median {median:.3f} s, max {max(seconds):.3f} s; median / target {target:.0f} s = "
            f"{median / target:.2f}; {load()}")


if __name__ == "__main__":
    main()
