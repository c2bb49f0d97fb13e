"""Benchmark of the sales reports at scale: ``heedful report pipeline --by rep`` and
``heedful report scorecard``.

Measures one database, the one the environment names (``HEEDFUL_HOME`` for SQLite,
``HEEDFUL_DATABASE_URL`` for PostgreSQL): a copy of the 100,000-account bench data, never the
shared original. The generated book holds far fewer opportunities than the target, so the
bench first adds synthetic ones (fixed seed, bulk inserts: ``executemany`` on SQLite, ``COPY``
on PostgreSQL) until the table holds ``--opportunities``; a second run finds them there.

Then it times ``pipeline_report`` (the command's work without printing) three ways: scanning
every deal (``summaries=False``, the median of ``--runs``), once with every owner's summary
stale (it scans and keeps them), and reading the summaries (the median of ``--runs``; ADR
0040), checking all three agree. It prints the target (1 s on PostgreSQL, 2 s on SQLite) and
the ratio to one hand-written DuckDB query computing the same figures over the same rows
(loaded into DuckDB in memory first; the load is not timed). Then, unless
``--pipeline-only``, the scorecard report over every rep on the same rows
(``bench/scorecard_report.py``'s ``time_report``, which adds quotas, forecasts and expense
reports once). The load average is printed beside every figure.

    mkdir -p /tmp/me-100k
    cp /work/bench-data/pages/sqlite-100000/{heedful.sqlite3,secret_key} /tmp/me-100k/
    HEEDFUL_HOME=/tmp/me-100k .venv/bin/heedful migrate
    HEEDFUL_HOME=/tmp/me-100k .venv/bin/python bench/reports.py
    export HEEDFUL_DATABASE_URL=postgresql://postgres@127.0.0.1:55440/heedful_me
    .venv/bin/heedful migrate && .venv/bin/python bench/reports.py
"""

import argparse
import os
import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heedful.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402

from heedful.accounts.models import Account  # noqa: E402
from heedful.sales.models import Opportunity, PipelineSummary, Stage  # noqa: E402
from heedful.sales.pipeline import pipeline_report  # noqa: E402

AS_OF = date(2026, 11, 30)
TARGET_SECONDS = {"postgresql": 1.0, "sqlite": 2.0}
OPEN_STAGES = (("qualify", 10), ("discover", 25), ("propose", 50), ("negotiate", 75))
BATCH = 20_000
DUCKDB_QUERY = """
SELECT owner_id,
       count(*) AS opportunities,
       count(*) FILTER (WHERE status = 'open') AS open,
       count(*) FILTER (WHERE status = 'won') AS won,
       count(*) FILTER (WHERE status = 'lost') AS lost,
       count(*) FILTER (WHERE status = 'won')
         / nullif(count(*) FILTER (WHERE status IN ('won', 'lost')), 0) AS win_rate,
       sum(amount) FILTER (WHERE status = 'won') AS won_value,
       avg(amount) FILTER (WHERE status = 'won') AS avg_won_deal,
       median(closed_on - created_on) FILTER (WHERE status IN ('won', 'lost')) AS median_cycle_days,
       sum(amount) FILTER (WHERE status = 'open') AS open_value
FROM (
  SELECT owner_id, amount, created_on, closed_on,
         CASE WHEN closed_on IS NOT NULL AND closed_on <= DATE '{as_of}'
              THEN CASE WHEN won THEN 'won' WHEN NOT won THEN 'lost' ELSE 'closed' END
              ELSE 'open' END AS status
  FROM opportunities
  WHERE created_on IS NULL OR created_on <= DATE '{as_of}'
)
GROUP BY owner_id
"""


def load() -> str:
    return "load " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def add_opportunities(target: int, seed: int) -> None:
    """Add synthetic opportunities on the book's accounts, owned by their owners, until the
    table holds ``target``."""
    have = Opportunity.objects.count()
    if have >= target:
        print(f"{have:,} opportunities already there")
        return
    rng = random.Random(seed)
    accounts = list(
        Account.objects.filter(owner__isnull=False).values_list("pk", "owner_id")
    )
    next_id = (Opportunity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    columns = [
        "id", "external_id", "account_id", "name", "owner_id", "stage", "amount", "currency",
        "created_on", "close_date", "closed_on", "won", "forecast_category", "competitor",
        "next_step", "customer_value",
    ]
    started = time.perf_counter()
    rows = []
    for number in range(next_id, next_id + target - have):
        account_id, owner_id = rng.choice(accounts)
        created = AS_OF - timedelta(days=rng.randint(10, 900))
        outcome = rng.choice(("open", "open", "won", "lost"))
        closed = created + timedelta(days=rng.randint(5, 300)) if outcome != "open" else None
        if closed is not None and closed > AS_OF:
            closed = AS_OF
        stage = rng.choice(OPEN_STAGES)[0] if outcome == "open" else f"closed_{outcome}"
        rows.append((
            number, f"BENCH-{number:08d}", account_id, "Bench deal", owner_id, stage,
            Decimal(rng.randint(500_000, 30_000_000)) / 100, "USD", created,
            closed or AS_OF + timedelta(days=rng.randint(5, 200)), closed,
            None if outcome == "open" else outcome == "won", "", "", "", "",
        ))
        if len(rows) == BATCH:
            _insert(columns, rows)
            rows = []
    if rows:
        _insert(columns, rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Opportunity._meta.db_table}")
    print(f"added {target - have:,} opportunities in {time.perf_counter() - started:.0f} s")


def _insert(columns: list[str], rows: list[tuple]) -> None:
    table = Opportunity._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
            )


def ensure_stages() -> None:
    for order, (name, probability) in enumerate(OPEN_STAGES):
        Stage.objects.get_or_create(
            name=name, defaults={"order": order, "probability": probability}
        )


def time_heedful(runs: int, *, summaries: bool) -> tuple[float, list]:
    times, report = [], None
    for _ in range(runs):
        started = time.perf_counter()
        report = pipeline_report(
            Opportunity.objects.all(), as_of=AS_OF, group_by="rep", with_totals=False,
            summaries=summaries,
        )
        times.append(time.perf_counter() - started)
    assert report is not None
    return statistics.median(times), report.as_json()


def forget_summaries() -> None:
    """Make every owner's summary stale, as if each had just had a deal changed."""
    PipelineSummary.objects.update(version=-1)  # no owner's count of changes is negative


def time_duckdb(runs: int) -> tuple[float, int]:
    import csv
    import tempfile

    import duckdb

    started = time.perf_counter()
    with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["owner_id", "amount", "created_on", "closed_on", "won"])
        writer.writerows(
            Opportunity.objects.values_list(
                "owner_id", "amount", "created_on", "closed_on", "won"
            ).iterator(chunk_size=50_000)
        )
        file.flush()
        database = duckdb.connect()
        database.execute(
            "CREATE TABLE opportunities AS SELECT * FROM read_csv(?, header = true, columns = "
            "{'owner_id': 'BIGINT', 'amount': 'DECIMAL(14,2)', 'created_on': 'DATE', "
            "'closed_on': 'DATE', 'won': 'BOOLEAN'})",
            [file.name],
        )
    count = database.execute("SELECT count(*) FROM opportunities").fetchone()
    print(f"loaded {count[0]:,} rows into DuckDB in {time.perf_counter() - started:.1f} s")
    query = DUCKDB_QUERY.format(as_of=AS_OF.isoformat())
    times, rows = [], []
    for _ in range(runs):
        started = time.perf_counter()
        rows = database.execute(query).fetchall()
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opportunities", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--pipeline-only", action="store_true",
                        help="Leave out the scorecard report (it adds quotas, forecasts and "
                        "expense reports to the copy once).")
    options = parser.parse_args()
    vendor = connection.vendor
    print(f"database: {vendor}; {Account.objects.count():,} accounts; {load()}")
    add_opportunities(options.opportunities, options.seed)
    ensure_stages()
    target = TARGET_SECONDS[vendor]
    scan_seconds, scanned = time_heedful(options.runs, summaries=False)
    print(
        f"pipeline report by rep, every deal scanned (no summaries): median "
        f"{scan_seconds:.3f} s of {options.runs} runs, {len(scanned)} reps; target "
        f"{target:.0f} s, ratio to target {scan_seconds / target:.2f}; {load()}"
    )
    forget_summaries()
    fill_seconds, filled = time_heedful(1, summaries=True)
    print(
        f"pipeline report by rep, every summary stale (scans, then keeps the summaries): "
        f"{fill_seconds:.3f} s; target {target:.0f} s; {load()}"
    )
    heedful_seconds, rows = time_heedful(options.runs, summaries=True)
    assert rows == scanned == filled, "the summaries disagree with the scan"
    print(
        f"pipeline report by rep, from the summaries: median {heedful_seconds:.3f} s of "
        f"{options.runs} runs, {len(rows)} reps; target {target:.0f} s, ratio to target "
        f"{heedful_seconds / target:.2f}; {load()}"
    )
    duckdb_seconds, duckdb_rows = time_duckdb(options.runs)
    print(
        f"DuckDB, one hand-written query: median {duckdb_seconds:.3f} s, {duckdb_rows} reps; "
        f"Heedful ÷ DuckDB = {heedful_seconds / duckdb_seconds:.1f}x from the summaries "
        f"(target at most 3x), {scan_seconds / duckdb_seconds:.1f}x scanning, "
        f"{fill_seconds / duckdb_seconds:.1f}x with every summary stale; {load()}"
    )
    if options.pipeline_only:
        return
    # The scorecard report, on the same rows (bench/scorecard_report.py times each dimension).
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from scorecard_report import prepare_to_time, time_report

    prepare_to_time()
    print(time_report(options.runs))


if __name__ == "__main__":
    main()
