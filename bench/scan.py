"""Benchmark of the attention engine (``heedful scan``) at scale, with two baselines.

For SQLite (a fresh HEEDFUL_HOME) and PostgreSQL (with ``--database-url``, an empty database):
migrates, generates ``--accounts`` accounts with ``heedful generate`` (or, with ``--reuse``,
takes data generated before), then, each step in a child process of its own:

1. a full scan as of the generator's day, with the time of each rule, plays created and
   the peak memory of that process alone; then (``rescan``) the same scan again, where
   every play is unchanged and nothing may be written;
2. ``--repetitions`` incremental evaluations, ``scan(account_ids=[one account])``, each right
   after inserting one new severity-1 ticket, then each after one new invoice three times the
   last one (a spike); then the same with only the rules of that kind of record; the plays
   they must create are checked, and the rows are deleted afterwards;
3. the spike rule alone: ``scan(rules=["billing.spike"])`` and its ``evaluate`` only;
4. two baselines of that rule on the same invoices: a plain pandas script and one
   hand-written DuckDB query (the table loaded from pandas, only the query timed).

Prints a table of figures, each with its target and ratio, and whether the three spike
counts agree.

    .venv/bin/python bench/scan.py --accounts 100000 \
        --database-url postgresql://postgres@127.0.0.1:55433/heedful_scanbench
    .venv/bin/python bench/scan.py --reuse --sqlite-home /tmp/gen-sqlite \
        --database-url postgresql://postgres@127.0.0.1:55433/heedful_scanbench
    .venv/bin/python bench/scan.py --accounts 2000           # a quick check, SQLite only

Needs the ``bench`` extra (pandas, duckdb): ``.venv/bin/pip install -e '.[bench]'``.
"""

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HEEDFUL = ROOT / ".venv" / "bin" / "heedful"
TARGET_FULL_SCAN_SECONDS = 60.0
TARGET_PEAK_BYTES = 1.5 * 2**30
TARGET_INCREMENTAL_MS = 100.0
TARGET_SPIKE_RATIO = 3.0
DUCKDB_RUNS = 5
SPIKE_RULE = "billing.spike"
BENCH_PREFIX = "SCANBENCH"
STEPS = ("full", "rescan", "incremental", "spike", "baselines")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1, help="Seed of the generator.")
    parser.add_argument("--as-of", help="The generated data's today, YYYY-MM-DD (default: "
                        "the generator's default, today). Scans run as of the generator's day.")
    parser.add_argument("--database-url",
                        help="A PostgreSQL database to measure too (e.g. heedful_scanbench).")
    parser.add_argument("--reuse", action="store_true",
                        help="Reuse generated data instead of generating: SQLite from "
                        "--sqlite-home (copied to a scratch folder, the original is left as it "
                        "is), PostgreSQL as it is in --database-url. Plays in the measured "
                        "databases are deleted first, so the full scan starts from none.")
    parser.add_argument("--sqlite-home", help="With --reuse: a HEEDFUL_HOME holding a "
                        "generated heedful.sqlite3.")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--repetitions", type=int, default=10,
                        help="Incremental evaluations of each kind (the median is reported).")
    parser.add_argument("--sample-seed", type=int, default=7,
                        help="Seed of the accounts picked for incremental evaluations.")
    parser.add_argument("--no-analyze", dest="analyze", action="store_false",
                        help="Do not run ANALYZE before measuring (to see the plans a freshly "
                        "generated SQLite database gets).")
    parser.add_argument("--steps", default=",".join(STEPS),
                        help=f"Which measurements to run (default: {','.join(STEPS)}).")
    parser.add_argument("--json", help="Also write the raw figures to this file.")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        print(json.dumps(MEASURES[options.measure](options)))
        return
    if options.reuse and not options.skip_sqlite and not options.sqlite_home:
        parser.error("--reuse needs --sqlite-home (or --skip-sqlite)")

    results = []
    load = [os.getloadavg()]
    if not options.skip_sqlite:
        home = tempfile.mkdtemp(prefix="heedful-scanbench-")
        if options.reuse:
            source = Path(options.sqlite_home) / "heedful.sqlite3"
            print(f"[sqlite] copying {source} to {home}", file=sys.stderr, flush=True)
            shutil.copyfile(source, Path(home) / "heedful.sqlite3")
        results.append(run("sqlite", options, {"HEEDFUL_HOME": home}))
        load.append(os.getloadavg())
        if options.reuse:
            shutil.rmtree(home)  # the scratch copy
        else:
            print(f"[sqlite] the generated database stays in {home}", file=sys.stderr)
    if options.database_url:
        home = tempfile.mkdtemp(prefix="heedful-scanbench-pg-")
        env = {"HEEDFUL_HOME": home, "HEEDFUL_DATABASE_URL": options.database_url}
        results.append(run("postgresql", options, env))
        load.append(os.getloadavg())
    if options.json:
        Path(options.json).write_text(json.dumps({"results": results, "load": load}, indent=1))
    report(results, options, load)


# --- In the parent: generate, then one child per measurement ------------------------------


def run(vendor: str, options: argparse.Namespace, extra_env: dict[str, str]) -> dict[str, Any]:
    env = {**os.environ, **extra_env}
    if vendor == "sqlite":
        env.pop("HEEDFUL_DATABASE_URL", None)
    subprocess.run([str(HEEDFUL), "migrate", "-v", "0"], env=env, check=True)
    accounts = child(vendor, "count", options, env)["accounts"]
    generate_seconds: float | None = None
    if options.reuse:
        if accounts == 0:
            sys.exit(f"[{vendor}] --reuse: the database holds no accounts")
        print(f"[{vendor}] reusing {accounts:,} generated accounts", file=sys.stderr, flush=True)
    else:
        if accounts:
            sys.exit(f"[{vendor}] the database already holds accounts: give an empty one, "
                     "or --reuse to measure the data it holds")
        command = [str(HEEDFUL), "generate", "--accounts", str(options.accounts),
                   "--seed", str(options.seed)]
        if options.as_of:
            command += ["--as-of", options.as_of]
        print(f"[{vendor}] {' '.join(command[1:])}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        generate_seconds = time.perf_counter() - started
    result: dict[str, Any] = {"vendor": vendor, "generate_seconds": generate_seconds}
    steps = [step for step in STEPS if step in options.steps.split(",")]
    if "incremental" in steps and ("full" in steps or "rescan" in steps):
        # What autovacuum does a minute after half a million plays were written: measured
        # straight after them, the incremental scans met a vacuum running beside them.
        steps.insert(steps.index("incremental"), "settle")
    for step in ["prepare", *steps]:
        print(f"[{vendor}] {step}", file=sys.stderr, flush=True)
        result[step] = child(vendor, step, options, env)
    return result


def child(vendor: str, step: str, options: argparse.Namespace, env: dict[str, str]) -> Any:
    arguments = [
        sys.executable, __file__, "--measure", step, "--repetitions", str(options.repetitions),
        "--sample-seed", str(options.sample_seed),
    ] + ([] if options.analyze else ["--no-analyze"])
    done = subprocess.run(arguments, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"[{vendor}] {step} failed:\n{done.stderr}")
    return json.loads(done.stdout)


# --- In the children -----------------------------------------------------------------------


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heedful.settings")
    import django

    django.setup()


def generated_as_of() -> date:
    """The day the data was generated as of (the generator records it in the audit log)."""
    from heedful.core.models import AuditEntry

    entry = AuditEntry.objects.filter(action="demo.generate").order_by("-pk").first()
    if entry is None:
        sys.exit("no demo.generate entry in the audit log: was the data made by heedful generate?")
    return date.fromisoformat(entry.detail["as_of"])


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


def measure_count(options: argparse.Namespace) -> dict[str, Any]:
    setup()
    from heedful.accounts.models import Account

    return {"accounts": Account.objects.count()}


def measure_prepare(options: argparse.Namespace) -> dict[str, Any]:
    """Start from no plays, and count what the scan will read."""
    setup()
    from django.db import connection

    from heedful.accounts.models import Account
    from heedful.billing.models import Invoice
    from heedful.health.models import HealthScore
    from heedful.interactions.models import Interaction
    from heedful.plays.models import Play, PlayEvent
    from heedful.support.models import Ticket

    PlayEvent.objects.all().delete()
    Play.objects.all().delete()
    HealthScore.objects.all().delete()
    analyze_seconds = None
    if options.analyze:
        # A bulk load leaves SQLite without statistics (it never gathers them by itself), and
        # without them it picks the wrong index for several rules; PostgreSQL's autovacuum
        # would analyze on its own, a little later.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        analyze_seconds = time.perf_counter() - started
    return {
        "analyze_seconds": analyze_seconds,
        "as_of": generated_as_of().isoformat(),
        "accounts": Account.objects.count(),
        "invoices": Invoice.objects.count(),
        "tickets": Ticket.objects.count(),
        "interactions": Interaction.objects.count(),
    }


def instrument_rules() -> dict[str, float]:
    """Time each rule's ``evaluate`` (and ``suppressed_account_ids``) from outside the engine:
    the findings are drawn here, so the time includes building them."""
    from heedful.plays.rules import ALL_RULES, Rule

    seconds: dict[str, float] = defaultdict(float)
    for rule in ALL_RULES:
        evaluate, suppressed = rule.evaluate, rule.suppressed_account_ids

        def timed_evaluate(*, _key: str = rule.key, _evaluate: Any = evaluate, **kwargs: Any
                           ) -> list[Any]:
            started = time.perf_counter()
            findings = list(_evaluate(**kwargs))
            seconds[_key] += time.perf_counter() - started
            return findings

        def timed_suppressed(*, _key: str = rule.key, _suppressed: Any = suppressed,
                             **kwargs: Any) -> set[int]:
            started = time.perf_counter()
            held = _suppressed(**kwargs)
            seconds[_key] += time.perf_counter() - started
            return held

        def timed_prepare(*, _key: str = rule.key, _prepare: Any = rule.prepare,
                          _derives: bool = type(rule).prepare is not Rule.prepare,
                          **kwargs: Any) -> None:
            started = time.perf_counter()
            _prepare(**kwargs)
            if _derives:  # only rules that derive something before the rules run (the score)
                seconds[f"{_key} (prepare)"] += time.perf_counter() - started

        rule.evaluate = timed_evaluate  # type: ignore[method-assign]
        rule.suppressed_account_ids = timed_suppressed  # type: ignore[method-assign]
        rule.prepare = timed_prepare  # type: ignore[method-assign]
    return seconds


def measure_full(options: argparse.Namespace) -> dict[str, Any]:
    setup()
    from django.db.models import Count

    from heedful.plays.engine import scan
    from heedful.plays.models import Play

    as_of = generated_as_of()
    rule_seconds = instrument_rules()
    before = resident_bytes()
    started = time.perf_counter()
    result = scan(as_of=as_of)
    seconds = time.perf_counter() - started
    peak = peak_bytes()
    by_rule = dict(
        Play.objects.values("rule").annotate(plays=Count("id")).values_list("rule", "plays")
    )
    return {
        "seconds": seconds,
        "rule_seconds": dict(rule_seconds),
        "plays_by_rule": by_rule,
        "findings": result.findings,
        "created": result.created,
        "suppressed": result.suppressed,
        "urgent": len(result.urgent_play_ids),
        "resident_before_bytes": before,
        "peak_bytes": peak,
    }


def pick_accounts(count: int, seed: int) -> list[int]:
    """Customers with an owner and a contract billed every month: spikes are measurable."""
    from heedful.accounts.models import Account, AccountStatus

    ids = list(
        Account.objects.filter(status=AccountStatus.CUSTOMER, owner__isnull=False)
        .order_by("pk").values_list("pk", flat=True)
    )
    return random.Random(seed).sample(ids, min(len(ids), count * 4))


def rules_of_record(kind: str) -> list[str] | None:
    """The rules a new record of this kind can change the findings of, as the triggers pick
    them (``Rule.reads``): the second pair of incremental figures."""
    from heedful.plays.rules import rules_affected_by

    return rules_affected_by([kind])


def measure_rescan(options: argparse.Namespace) -> dict[str, Any]:
    """The full scan again, over the plays the full step left: every play unchanged."""
    setup()
    from heedful.plays.engine import scan
    from heedful.plays.models import PlayEvent

    as_of = generated_as_of()
    events = PlayEvent.objects.count()
    before = resident_bytes()
    started = time.perf_counter()
    result = scan(as_of=as_of)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds, "created": result.created, "updated": result.updated,
        "closed": result.closed, "unchanged": result.unchanged,
        "new_events": PlayEvent.objects.count() - events,
        "resident_before_bytes": before, "peak_bytes": peak_bytes(),
    }


def measure_settle(options: argparse.Namespace) -> dict[str, Any]:
    """Vacuum and analyze the play tables after the full scans wrote them (not timed as a
    figure: the database does it on its own, on PostgreSQL by autovacuum)."""
    setup()
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE plays_play")
            cursor.execute("VACUUM ANALYZE plays_playevent")
        else:
            cursor.execute("ANALYZE plays_play")
            cursor.execute("ANALYZE plays_playevent")
    return {"seconds": time.perf_counter() - started}


def measure_incremental(options: argparse.Namespace) -> dict[str, Any]:
    """After each inserted row, time ``scan(account_ids=[its account])`` with every rule, then
    (on other accounts) with only the rules of that kind of record; check the play each time."""
    setup()
    from heedful.billing.models import Invoice
    from heedful.plays.engine import scan
    from heedful.plays.models import Play
    from heedful.support.models import Ticket

    as_of = generated_as_of()
    candidates = pick_accounts(options.repetitions * 4 + 1, options.sample_seed)
    scan(as_of=as_of, account_ids=[candidates.pop()])  # warm-up, not counted
    timings: dict[str, list[float]] = defaultdict(list)
    made: dict[str, list[int]] = defaultdict(list)
    subjects: list[str] = []
    missing: list[str] = []
    insert = {"ticket": insert_ticket, "invoice": insert_invoice}
    try:
        for scope in ("all rules", "own rules"):
            for kind in ("ticket", "invoice"):
                name = f"{kind}_ms" if scope == "all rules" else f"{kind}_own_rules_ms"
                while len(timings[name]) < options.repetitions and candidates:
                    account_id = candidates.pop()
                    inserted = insert[kind](account_id, f"{name}-{len(timings[name])}", as_of)
                    if inserted is None:
                        continue
                    pk, rule, subject = inserted
                    made[kind].append(pk)
                    subjects.append(subject)
                    rules = None if scope == "all rules" else rules_of_record(kind)
                    started = time.perf_counter()
                    scan(as_of=as_of, account_ids=[account_id], rules=rules)
                    timings[name].append((time.perf_counter() - started) * 1000)
                    play = Play.objects.filter(rule=rule, subject=subject)
                    if not (play.filter(urgent=True) if kind == "ticket" else play).exists():
                        missing.append(subject)
    finally:
        Play.objects.filter(subject__in=subjects).delete()
        Ticket.objects.filter(pk__in=made["ticket"]).delete()
        Invoice.objects.filter(pk__in=made["invoice"]).delete()
    return {**timings, "missing_plays": missing}


def insert_ticket(account_id: int, tag: str, as_of: date) -> tuple[int, str, str]:
    """A severity-1 ticket opened this morning: its urgent play is expected."""
    from django.utils import timezone

    from heedful.support.models import Ticket, TicketStatus

    ticket = Ticket.objects.create(
        external_id=f"{BENCH_PREFIX}-{tag}", account_id=account_id,
        opened_at=timezone.make_aware(datetime.combine(as_of, datetime.min.time()))
        + timedelta(hours=9),
        severity=1, subject="Phones down at head office", status=TicketStatus.OPEN,
    )
    return ticket.pk, "support.ticket_opened", f"ticket:{ticket.external_id}"


def insert_invoice(account_id: int, tag: str, as_of: date) -> tuple[int, str, str] | None:
    """Next month's invoice of the account's latest contract at three times the last one:
    a spike play is expected. None when the account has no such invoice to follow."""
    from heedful.billing.models import Invoice
    from heedful.plays.rules.base import add_months

    last = (
        Invoice.objects.filter(account_id=account_id, contract__isnull=False, amount__gt=0)
        .order_by("-period_start", "-pk").first()
    )
    if last is None or add_months(last.period_start, 1) > as_of:
        return None
    start = add_months(last.period_start, 1)
    invoice = Invoice.objects.create(
        invoice_number=f"{BENCH_PREFIX}-{tag}", account_id=account_id,
        contract_id=last.contract_id, period_start=start,
        period_end=add_months(start, 1) - timedelta(days=1), issued_on=as_of,
        amount=last.amount * 3, currency=last.currency,
    )
    return invoice.pk, SPIKE_RULE, f"invoice:{invoice.invoice_number}"


def measure_spike(options: argparse.Namespace) -> dict[str, Any]:
    """The spike rule alone, measured as the DuckDB query is: the median of ``DUCKDB_RUNS``
    runs, warm. Through the engine (the first run creates the spike plays, the others find
    them unchanged) and its ``evaluate`` only; and the invoices it flags."""
    setup()
    from heedful.plays.engine import scan
    from heedful.plays.rules import RULES_BY_KEY
    from heedful.plays.services import get_rule_settings

    as_of = generated_as_of()
    scan_seconds = []
    for _run in range(DUCKDB_RUNS):
        started = time.perf_counter()
        result = scan(as_of=as_of, rules=[SPIKE_RULE])
        scan_seconds.append(time.perf_counter() - started)
    thresholds = get_rule_settings()[SPIKE_RULE][1]
    evaluate_seconds = []
    for _run in range(DUCKDB_RUNS):
        started = time.perf_counter()
        findings = list(RULES_BY_KEY[SPIKE_RULE].evaluate(as_of=as_of, thresholds=thresholds))
        evaluate_seconds.append(time.perf_counter() - started)
    return {
        "scan_seconds": statistics.median(scan_seconds),
        "first_scan_seconds": scan_seconds[0],
        "evaluate_seconds": statistics.median(evaluate_seconds),
        "scan_findings": result.findings,
        "invoice_numbers": sorted(finding.facts["invoice_number"] for finding in findings),
    }


# --- The baselines -------------------------------------------------------------------------


def spike_window(as_of: date, limits: dict[str, Any]) -> dict[str, date]:
    """The rule's dates: invoices recent by issue (or end) date, and the history read for them."""
    from heedful.plays.rules.base import add_months

    recent_from = as_of - timedelta(days=int(limits["recent_days"]))
    earliest = add_months(recent_from, -int(limits["lookback_months"])) - timedelta(days=31)
    return {"as_of": as_of, "recent_from": recent_from, "earliest": earliest}


def load_invoices() -> Any:
    """Every invoice of an account that can have plays (prospects and customers), amounts in
    whole cents so that all three agree to the cent."""
    import pandas as pd
    from django.db import connection

    from heedful.plays.rules.base import ACCOUNT_STATUSES_WITH_PLAYS

    text = "::text" if connection.vendor == "postgresql" else ""
    statuses = ", ".join(f"'{status}'" for status in ACCOUNT_STATUSES_WITH_PLAYS)
    sql = (
        "SELECT i.id, i.invoice_number, i.account_id, i.contract_id, i.currency, "
        f"i.period_start{text}, i.period_end{text}, i.issued_on{text}, "
        "CAST(ROUND(i.amount * 100) AS BIGINT) AS amount_cents "
        "FROM billing_invoice i JOIN accounts_account a ON a.id = i.account_id "
        f"WHERE a.status IN ({statuses})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    columns = ["id", "invoice_number", "account_id", "contract_id", "currency", "period_start",
               "period_end", "issued_on", "amount_cents"]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    del rows
    for name in ("period_start", "period_end", "issued_on"):
        frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d")
    frame["contract_id"] = frame["contract_id"].astype("Int64")
    return frame


def pandas_spikes(frame: Any, window: dict[str, date], limits: dict[str, Any]) -> list[str]:
    """The spike rule as a plain pandas script: previous invoices by ``groupby().shift``."""
    import pandas as pd

    as_of = pd.Timestamp(window["as_of"])
    invoices = frame[
        (frame["amount_cents"] > 0)
        & (frame["period_start"] >= pd.Timestamp(window["earliest"]))
        & (frame["period_start"] <= as_of)
    ].sort_values(["account_id", "contract_id", "currency", "period_start", "id"])
    groups = invoices.groupby(["account_id", "contract_id", "currency"], dropna=False, sort=False)
    window_start = invoices["period_start"] - pd.DateOffset(months=int(limits["lookback_months"]))
    previous = []
    valid = pd.Series(True, index=invoices.index)
    for offset in range(1, int(limits["previous_invoices"]) + 1):
        amount = groups["amount_cents"].shift(offset)
        start = groups["period_start"].shift(offset)
        valid = valid & amount.notna() & (start >= window_start)  # stop at the first too old
        previous.append(amount.where(valid))
    history = pd.concat(previous, axis=1)
    count = history.notna().sum(axis=1)
    # The median to the cent, half up, as the rule rounds it (amounts are positive cents).
    usual = (history.median(axis=1, skipna=True) + 0.5).floordiv(1)
    recent_on = invoices["issued_on"].fillna(invoices["period_end"])
    change = (invoices["amount_cents"] - usual).abs() * 100
    spikes = invoices[
        (count >= int(limits["minimum_previous"]))
        & (recent_on >= pd.Timestamp(window["recent_from"]))
        & (usual > 0)
        & (change > usual * float(limits["change_percent"]))
    ]
    return sorted(spikes["invoice_number"])


DUCKDB_SPIKES = """
WITH history AS (
    SELECT invoice_number, period_start, period_end, issued_on, amount_cents,
           lag(amount_cents, 1) OVER earlier AS amount_1,
           lag(period_start, 1) OVER earlier AS start_1,
           lag(amount_cents, 2) OVER earlier AS amount_2,
           lag(period_start, 2) OVER earlier AS start_2,
           lag(amount_cents, 3) OVER earlier AS amount_3,
           lag(period_start, 3) OVER earlier AS start_3
    FROM invoices
    WHERE amount_cents > 0 AND period_start BETWEEN $earliest AND $as_of
    WINDOW earlier AS (PARTITION BY account_id, contract_id, currency ORDER BY period_start, id)
), counted AS (
    SELECT *,
           CASE WHEN amount_1 IS NULL OR start_1 < window_start THEN 0
                WHEN amount_2 IS NULL OR start_2 < window_start THEN 1
                WHEN amount_3 IS NULL OR start_3 < window_start THEN 2
                ELSE 3 END AS previous
    FROM (SELECT *, period_start - to_months($lookback_months) AS window_start FROM history)
    WHERE coalesce(issued_on, period_end) >= $recent_from
), judged AS (
    SELECT invoice_number, amount_cents,
           CASE previous
               WHEN 2 THEN (amount_1 + amount_2 + 1) // 2
               ELSE amount_1 + amount_2 + amount_3
                    - greatest(amount_1, amount_2, amount_3) - least(amount_1, amount_2, amount_3)
           END AS usual
    FROM counted
    WHERE previous >= $minimum_previous
)
SELECT invoice_number, amount_cents, usual
FROM judged
WHERE usual > 0 AND abs(amount_cents - usual) * 100 > usual * $change_percent
ORDER BY invoice_number
"""


def measure_baselines(options: argparse.Namespace) -> dict[str, Any]:
    setup()
    import duckdb

    from heedful.plays.rules import RULES_BY_KEY
    from heedful.plays.services import get_rule_settings

    rule = RULES_BY_KEY[SPIKE_RULE]
    limits = rule.thresholds(get_rule_settings()[SPIKE_RULE][1])
    if int(limits["previous_invoices"]) != 3 or int(limits["minimum_previous"]) < 2:
        sys.exit("the DuckDB baseline is written for the default 3 previous invoices, 2 needed")
    window = spike_window(generated_as_of(), limits)

    started = time.perf_counter()
    frame = load_invoices()
    load_seconds = time.perf_counter() - started

    started = time.perf_counter()
    by_pandas = pandas_spikes(frame, window, limits)
    pandas_seconds = time.perf_counter() - started

    database = duckdb.connect()
    database.register("invoice_frame", frame)
    database.execute("CREATE TABLE invoices AS SELECT * FROM invoice_frame")
    database.unregister("invoice_frame")
    parameters = {
        "as_of": window["as_of"], "earliest": window["earliest"],
        "recent_from": window["recent_from"], "lookback_months": int(limits["lookback_months"]),
        "minimum_previous": int(limits["minimum_previous"]),
        "change_percent": int(limits["change_percent"]),
    }
    duckdb_seconds = []
    for _run in range(DUCKDB_RUNS):
        started = time.perf_counter()
        rows = database.execute(DUCKDB_SPIKES, parameters).fetchall()
        duckdb_seconds.append(time.perf_counter() - started)
    return {
        "invoices_loaded": len(frame),
        "load_seconds": load_seconds,
        "pandas_seconds": pandas_seconds,
        "duckdb_seconds": statistics.median(duckdb_seconds),
        "duckdb_threads": database.sql("SELECT current_setting('threads')").fetchall()[0][0],
        "pandas_invoice_numbers": by_pandas,
        "duckdb_invoice_numbers": [row[0] for row in rows],
        "window": {name: value.isoformat() for name, value in window.items()},
    }


MEASURES = {
    "count": measure_count,
    "prepare": measure_prepare,
    "full": measure_full,
    "rescan": measure_rescan,
    "settle": measure_settle,
    "incremental": measure_incremental,
    "spike": measure_spike,
    "baselines": measure_baselines,
}


# --- Report --------------------------------------------------------------------------------


def verdict(value: float, target: float) -> str:
    return f"{value / target:5.2f}  {'met' if value < target else 'MISSED'}"


def report(results: list[dict[str, Any]], options: argparse.Namespace,
           load: list[tuple[float, float, float]]) -> None:
    print("Attention engine scan: figures, targets and ratios (figure / target; < 1 is met)")
    print("load average (1, 5, 15 min) at start and after each database: "
          + "; ".join(", ".join(f"{value:.1f}" for value in triple) for triple in load)
          + f" on {os.cpu_count()} cores")
    for result in results:
        prepared = result["prepare"]
        generated = result["generate_seconds"]
        print(f"\n{result['vendor']}: {prepared['accounts']:,} accounts, "
              f"{prepared['invoices']:,} invoices, {prepared['tickets']:,} tickets, "
              f"{prepared['interactions']:,} interactions; as of {prepared['as_of']}")
        analyzed = prepared["analyze_seconds"]
        print("  generation: " + (f"{generated:.0f} s" if generated is not None
                                  else "skipped (--reuse)")
              + "; ANALYZE before measuring: "
              + (f"{analyzed:.0f} s" if analyzed is not None else "not run (--no-analyze)"))
        print(f"  {'figure':50} {'value':>12} {'target':>10}  ratio")
        for label, value, target, ratio_text in figures(result):
            print(f"  {label:50} {value:>12} {target:>10}  {ratio_text}")
        if "full" in result:
            report_full(result["vendor"], result["full"])
        if "incremental" in result:
            missing = result["incremental"]["missing_plays"]
            print(f"  MISSING plays after incremental evaluation: {missing}" if missing else
                  "  every incremental evaluation created its play (urgent ticket play, spike)")
        if "spike" in result and "baselines" in result:
            report_spike_counts(result["spike"], result["baselines"])


def figures(result: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows = []
    if "full" in result:
        full = result["full"]
        rows += [
            ("full scan", f"{full['seconds']:.1f} s", f"< {TARGET_FULL_SCAN_SECONDS:.0f} s",
             verdict(full["seconds"], TARGET_FULL_SCAN_SECONDS)),
            ("peak memory of the scan process (ru_maxrss)",
             f"{full['peak_bytes'] / 2**20:,.0f} MiB", "< 1.5 GiB",
             verdict(full["peak_bytes"], TARGET_PEAK_BYTES)),
        ]
    if "rescan" in result:
        again = result["rescan"]
        rows += [
            (f"re-scan ({again['unchanged']:,} unchanged, {again['updated']} updated, "
             f"{again['created']} new, {again['closed']} closed, "
             f"{again['new_events']} events)", f"{again['seconds']:.1f} s", "", ""),
            ("peak memory of the re-scan process", f"{again['peak_bytes'] / 2**20:,.0f} MiB",
             "< 1.5 GiB", verdict(again["peak_bytes"], TARGET_PEAK_BYTES)),
        ]
    for label, key in (
        ("ticket", "ticket_ms"), ("invoice", "invoice_ms"),
        ("ticket, its 2 rules", "ticket_own_rules_ms"),
        ("invoice, its 3 rules", "invoice_own_rules_ms"),
    ):
        timings = result.get("incremental", {}).get(key)
        if timings:
            middle = statistics.median(timings)
            rows.append((f"incremental, new {label} (median of {len(timings)})",
                         f"{middle:.0f} ms", f"< {TARGET_INCREMENTAL_MS:.0f} ms",
                         verdict(middle, TARGET_INCREMENTAL_MS)))
    spike, baselines = result.get("spike"), result.get("baselines")
    if spike:
        rows += [
            (f"spike rule: scan(rules=[billing.spike]), median of {DUCKDB_RUNS}",
             f"{spike['scan_seconds']:.2f} s", "", ""),
            ("spike rule: the first of those scans (cold, creates the plays)",
             f"{spike.get('first_scan_seconds', 0):.2f} s", "", ""),
            (f"spike rule: evaluate only, median of {DUCKDB_RUNS}",
             f"{spike['evaluate_seconds']:.2f} s", "", ""),
        ]
    if baselines:
        rows += [
            ("spike baseline: pandas script", f"{baselines['pandas_seconds']:.2f} s", "", ""),
            (f"spike baseline: DuckDB, median of {DUCKDB_RUNS}, "
             f"{baselines['duckdb_threads']} threads",
             f"{baselines['duckdb_seconds']:.3f} s", "", ""),
        ]
    if spike and baselines:
        ratio = spike["scan_seconds"] / baselines["duckdb_seconds"]
        rows += [
            ("spike rule (scan) / DuckDB", f"{ratio:.1f}x", f"< {TARGET_SPIKE_RATIO:.0f}x",
             verdict(ratio, TARGET_SPIKE_RATIO)),
            ("spike rule (evaluate) / DuckDB",
             f"{spike['evaluate_seconds'] / baselines['duckdb_seconds']:.1f}x", "", ""),
            ("spike rule (scan) / pandas",
             f"{spike['scan_seconds'] / baselines['pandas_seconds']:.1f}x", "", ""),
        ]
    return rows


def report_full(vendor: str, full: dict[str, Any]) -> None:
    print(f"  resident before the scan {full['resident_before_bytes'] / 2**20:,.0f} MiB; "
          + ("the PostgreSQL server's own memory is not counted" if vendor == "postgresql"
             else "SQLite's page cache is counted"))
    print(f"  plays: {full['created']:,} created from {full['findings']:,} findings "
          f"({full['urgent']:,} urgent, {full['suppressed']:,} held back: bad news, pitches "
          "while the customer hurts or past one per owner)")
    rule_seconds = full["rule_seconds"]
    other = full["seconds"] - sum(rule_seconds.values())
    print("  time per rule in the full scan (evaluate, findings drawn), and plays:")
    for key, seconds in sorted(rule_seconds.items(), key=lambda item: -item[1]):
        print(f"    {key:30} {seconds:8.2f} s  {full['plays_by_rule'].get(key, 0):>8,} plays")
    print(f"    {'(reconcile: read, write plays)':30} {other:8.2f} s")


def report_spike_counts(spike: dict[str, Any], baselines: dict[str, Any]) -> None:
    counts = {
        "heedful": set(spike["invoice_numbers"]),
        "pandas": set(baselines["pandas_invoice_numbers"]),
        "duckdb": set(baselines["duckdb_invoice_numbers"]),
    }
    window = baselines["window"]
    print(f"  spikes among invoices issued since {window['recent_from']} (history from "
          f"{window['earliest']}; {baselines['invoices_loaded']:,} invoices loaded in "
          f"{baselines['load_seconds']:.1f} s, not timed): "
          + ", ".join(f"{name} {len(found):,}" for name, found in counts.items()))
    if counts["heedful"] == counts["pandas"] == counts["duckdb"]:
        print("  the three agree, invoice by invoice")
        return
    for name in ("pandas", "duckdb"):
        only_rule = sorted(counts["heedful"] - counts[name])
        only_baseline = sorted(counts[name] - counts["heedful"])
        if only_rule or only_baseline:
            print(f"  DISAGREE with {name}: only the rule flags {only_rule[:5]} "
                  f"({len(only_rule)}), only {name} flags {only_baseline[:5]} "
                  f"({len(only_baseline)})")


if __name__ == "__main__":
    main()
