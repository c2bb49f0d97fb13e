"""Benchmark: sustained signed webhook intake over loopback, every event checked afterwards.

For SQLite (a fresh HEEDFUL_HOME) and PostgreSQL (with ``--database-url``: a new database,
the URL's name with the time appended, is created for each run and dropped after it unless
``--keep-database``): migrates, creates an
admin, ``--accounts`` accounts and a Zendesk webhook source whose organizations are linked to
them, starts ``heedful serve`` (gunicorn, ``--workers``), then for ``--seconds`` seconds
``--clients`` threads POST Zendesk "ticket created" events (each a new ticket, severity 3,
Zendesk's signature over timestamp and body) over keep-alive connections; every
``--duplicate-every``-th event is sent a second time (a sender's retry). Afterwards it waits
until every event is applied (``--drain-timeout``) and checks in the database: every event
stored once, applied once, each of its tickets there once, each retry answered 200 and
applied nowhere. Prints events/s answered, the answer's p50/p99, how long applying took, and
the ratio to the issue's targets (300 events/s, p99 under 100 ms).

    .venv/bin/python bench/webhooks.py --seconds 10
    .venv/bin/python bench/webhooks.py --seconds 60 \\
        --database-url postgresql://postgres@127.0.0.1:55433/heedful_webhooks_bench

Each database runs in a child process of its own (Django reads its settings once). The load
average is printed: the machine is shared, and a busy one inflates every figure. Last, a
table gives the figures of each database side by side (SQLite beside PostgreSQL).
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HEEDFUL = ROOT / ".venv" / "bin" / "heedful"
SECRET = "bench-zendesk-signing-secret"
SOURCE = "zendesk-bench"
TARGET_EVENTS_PER_SECOND = 300
TARGET_P99_SECONDS = 0.100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=8, help="Sending threads.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--duplicate-every", type=int, default=10)
    parser.add_argument("--drain-timeout", type=float, default=900.0)
    parser.add_argument(
        "--tasks", choices=["immediate", "database"], default="immediate",
        help="The tasks backend: immediate (events applied on a thread of each web worker, "
        "the embedded default) or database (applied by one `heedful db_worker`; needs "
        "django-tasks-db).",
    )
    parser.add_argument("--database-url", help="A PostgreSQL database to measure too.")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--keep-database", action="store_true",
                        help="Keep the PostgreSQL database made for the run (dropped by default).")
    parser.add_argument("--child", choices=["setup", "check"], help=argparse.SUPPRESS)
    parser.add_argument("--expect", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child == "setup":
        setup(options.accounts)
        return
    if options.child == "check":
        print(json.dumps(check(json.loads(Path(options.expect).read_text()),
                               options.drain_timeout)))
        return
    results = []
    if not options.skip_sqlite:
        home = tempfile.mkdtemp(prefix="heedful-webhooks-bench-")
        results.append(measure("SQLite", options, {"HEEDFUL_HOME": home}))
    if options.database_url:
        parts = urlsplit(options.database_url)
        url = urlunsplit(parts._replace(path=f"{parts.path}_{int(time.time())}"))
        create_database(url)
        home = tempfile.mkdtemp(prefix="heedful-webhooks-bench-")
        try:
            results.append(measure("PostgreSQL", options,
                                   {"HEEDFUL_HOME": home, "HEEDFUL_DATABASE_URL": url}))
        finally:
            if not options.keep_database:
                drop_database(url)
    report(results, options)


def create_database(url: str) -> None:
    _administer(url, "CREATE DATABASE")


def drop_database(url: str) -> None:
    _administer(url, "DROP DATABASE IF EXISTS")


def _administer(url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'{statement} "{parts.path.lstrip("/")}"')


def child_env(extra: dict[str, str]) -> dict[str, str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("HEEDFUL_")}
    return {**clean, "HEEDFUL_ALLOWED_HOSTS": "127.0.0.1", "HEEDFUL_LOG_LEVEL": "ERROR",
            "HEEDFUL_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", **extra}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def measure(name: str, options: argparse.Namespace, extra: dict[str, str]) -> dict[str, Any]:
    env = child_env({**extra, "HEEDFUL_TASKS_BACKEND": options.tasks})
    subprocess.run([str(HEEDFUL), "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
    subprocess.run([sys.executable, __file__, "--child", "setup", "--accounts",
                    str(options.accounts)], env=env, cwd=ROOT, check=True)
    port = free_port()
    server = subprocess.Popen(
        [str(HEEDFUL), "serve", "--port", str(port), "--workers", str(options.workers)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    worker = None
    if options.tasks == "database":
        worker = subprocess.Popen(
            [str(HEEDFUL), "db_worker", "--interval", "0.1", "--no-startup-delay"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    try:
        wait_for_port(port)
        load_before = os.getloadavg()[0]
        server_start = tree_cpu_seconds(server.pid)
        client_cpu = time.process_time()
        sent = send_for(port, options)
        client_cpu = time.process_time() - client_cpu
        server_cpu = tree_cpu_seconds(server.pid) - server_start
        load_after = os.getloadavg()[0]
        expect = Path(extra["HEEDFUL_HOME"]) / "expected.json"
        expect.write_text(json.dumps({"events": sent["event_ids"], "tickets": sent["tickets"]}))
        checked = subprocess.run(
            [sys.executable, __file__, "--child", "check", "--expect", str(expect),
             "--drain-timeout", str(options.drain_timeout)],
            env=env, cwd=ROOT, check=True, capture_output=True, text=True,
        )
        applier_cpu = tree_cpu_seconds(worker.pid) if worker is not None else None
        server_after_intake = tree_cpu_seconds(server.pid) - server_start - server_cpu
    finally:
        for process in (server, worker):
            if process is not None:
                process.terminate()
                process.wait(timeout=60)
    result = json.loads(checked.stdout.strip().splitlines()[-1])
    cpu = {"server_cpu": server_cpu, "client_cpu": client_cpu, "applier_cpu": applier_cpu,
           "server_after_intake_cpu": server_after_intake}
    return {"database": name, "load": (load_before, load_after), **sent["figures"], **result,
            **cpu}


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user and system) used so far by ``pid`` and every process below it (the
    gunicorn workers under their master), from /proc: a figure the machine's other load does
    not inflate much, unlike wall-clock rates."""
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, its_parent in parents.items() if its_parent == parent]
        tree.update(children)
        frontier.extend(children)
    return sum(used.get(member, 0.0) for member in tree)


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def zendesk_event(ticket: int, organization: int) -> bytes:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps({
        "account_id": 22129848, "id": str(uuid.uuid4()), "subject": f"zen:ticket:{ticket}",
        "time": now, "type": "zen:event-type:ticket.created",
        "zendesk_event_version": "2022-11-06",
        "detail": {"id": str(ticket), "created_at": now, "updated_at": now,
                   "organization_id": str(organization), "requester_id": "8447388090494",
                   "priority": "NORMAL", "status": "NEW", "subject": f"Bench ticket {ticket}",
                   "via": {"channel": "web_service"}},
        "event": {},
    }).encode()


def signed(body: bytes) -> dict[str, str]:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = hmac.new(SECRET.encode(), stamp.encode() + body, hashlib.sha256).digest()
    return {"Content-Type": "application/json",
            "X-Zendesk-Webhook-Signature": base64.b64encode(digest).decode(),
            "X-Zendesk-Webhook-Signature-Timestamp": stamp}


def send_for(port: int, options: argparse.Namespace) -> dict[str, Any]:
    lock = threading.Lock()
    counter = iter(range(1, 10**9))
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    event_ids: list[str] = []
    tickets: list[int] = []
    deadline = time.monotonic() + options.seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                ticket = next(counter)
            body = zendesk_event(ticket, 1 + ticket % options.accounts)
            times = 2 if ticket % options.duplicate_every == 0 else 1
            for attempt in range(times):
                started = time.perf_counter()
                try:
                    connection.request("POST", f"/webhooks/{SOURCE}/", body, signed(body))
                    response = connection.getresponse()
                    response.read()
                    status = str(response.status)
                except (OSError, http.client.HTTPException):
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    status = "error"
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    key = f"{status}{' (retry)' if attempt else ''}"
                    statuses[key] = statuses.get(key, 0) + 1
                    if attempt == 0 and status == "202":
                        event_ids.append(json.loads(body)["id"])
                        tickets.append(ticket)
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(options.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "event_ids": event_ids, "tickets": tickets,
        "figures": {
            "requests": len(latencies), "seconds": wall,
            "per_second": len(latencies) / wall, "statuses": statuses,
            "p50": statistics.median(ordered) if ordered else float("nan"),
            "p99": ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
            if ordered else float("nan"),
        },
    }


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heedful.settings")
    import django

    django.setup()


def setup(accounts: int) -> None:
    django_setup()
    from heedful.accounts.models import Account
    from heedful.core.models import User
    from heedful.webhooks.models import AccountLink, SigningSecret, WebhookSource

    admin = User.objects.create(username="bench-admin", role="admin")
    source = WebhookSource.objects.create(name=SOURCE, kind="zendesk", acting_user=admin)
    SigningSecret.objects.create(source=source, secret=SECRET, prefix=SECRET[:8])
    for number in range(1, accounts + 1):
        account = Account.objects.create(external_id=f"BENCH-{number}", name=f"Bench {number}")
        AccountLink.objects.create(source=source, customer_id=str(number), account=account)


def check(expected: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Wait until nothing is left to apply, then compare the database with what was sent."""
    django_setup()
    from django.db.models import Count

    from heedful.core.models import AuditEntry
    from heedful.support.models import Ticket
    from heedful.webhooks.models import EventStatus, ReceivedEvent

    started = time.perf_counter()
    while ReceivedEvent.objects.filter(status=EventStatus.RECEIVED).exists():
        if time.perf_counter() - started > timeout:
            break
        time.sleep(0.5)
    drained = time.perf_counter() - started
    stored = ReceivedEvent.objects.filter(key__isnull=False)
    by_status = dict(stored.values_list("status").annotate(Count("id")).order_by())
    wanted = {f"ZD-{ticket}" for ticket in expected["tickets"]}
    found = list(Ticket.objects.filter(external_id__startswith="ZD-")
                 .values_list("external_id", flat=True))
    creates = AuditEntry.objects.filter(action="ticket.create").count()
    return {
        "drain_seconds": drained,
        "stored": stored.count(), "by_status": by_status,
        "events_missing": len(set(expected["events"]) - set(stored.values_list("key", flat=True))),
        "tickets_missing": len(wanted - set(found)),
        "tickets_twice": len(found) - len(set(found)),
        "tickets_created": creates,
        "duplicates_logged": ReceivedEvent.objects.filter(status=EventStatus.DUPLICATE).count(),
    }


def cpu_ms(result: dict[str, Any], key: str) -> str:
    return f"{result[key] / max(result['requests'], 1) * 1000:.2f} ms"


def applier_ms(result: dict[str, Any]) -> str:
    """The CPU the worker (or, on the embedded default, the web workers after the answers)
    spent per event stored, intake and drain together."""
    stored = max(result["stored"], 1)
    if result["applier_cpu"] is not None:
        return f"{result['applier_cpu'] / stored * 1000:.2f} ms (db_worker)"
    together = result["server_cpu"] + result["server_after_intake_cpu"]
    return (f"{together / stored * 1000:.2f} ms with its answer (web workers, intake and "
            "drain)")


def report(results: list[dict[str, Any]], options: argparse.Namespace) -> None:
    applying = "" if options.tasks == "database" else ", applying too"
    print(f"Signed Zendesk webhooks over loopback: {options.seconds:.0f} s, {options.clients} "
          f"clients, {options.workers} gunicorn workers, {options.tasks} tasks;\n  targets "
          f"{TARGET_EVENTS_PER_SECOND} events/s, p99 under {TARGET_P99_SECONDS * 1000:.0f} ms")
    for result in results:
        print(
            f"{result['database']:>11}: {result['per_second']:7.1f} events/s answered "
            f"({result['requests']} in {result['seconds']:.1f} s; "
            f"{result['per_second'] / TARGET_EVENTS_PER_SECOND:.2f} × target), answer p50 "
            f"{result['p50'] * 1000:.1f} ms, p99 {result['p99'] * 1000:.1f} ms "
            f"({result['p99'] / TARGET_P99_SECONDS:.2f} × target)\n"
            f"             answers {result['statuses']}\n"
            f"             applied afterwards in {result['drain_seconds']:.1f} s more: stored "
            f"{result['stored']} {result['by_status']}; missing events "
            f"{result['events_missing']}, missing tickets {result['tickets_missing']}, "
            f"tickets twice {result['tickets_twice']}, tickets created "
            f"{result['tickets_created']}, duplicates logged {result['duplicates_logged']}\n"
            f"             CPU per answered request: server {cpu_ms(result, 'server_cpu')} "
            f"(the gunicorn workers{applying}), sender {cpu_ms(result, 'client_cpu')}; "
            f"applier {applier_ms(result)} per applied event\n"
            f"             load average {result['load'][0]:.1f} before, "
            f"{result['load'][1]:.1f} after ({os.cpu_count()} CPUs)"
        )
    table(results)


def table(results: list[dict[str, Any]]) -> None:
    """The figures of each database side by side (SQLite beside PostgreSQL), as a Markdown
    table for bench/README.md."""
    rows: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        ("answered", lambda r: f"{r['per_second']:.1f} events/s ({r['requests']:,})"),
        ("of the target", lambda r: f"{r['per_second'] / TARGET_EVENTS_PER_SECOND:.2f} x"),
        ("answer p50", lambda r: f"{r['p50'] * 1000:.1f} ms"),
        ("answer p99", lambda r: f"{r['p99'] * 1000:.1f} ms "
                                 f"({r['p99'] / TARGET_P99_SECONDS:.2f} x target)"),
        ("then applied in", lambda r: f"{r['drain_seconds']:.1f} s more"),
        ("server CPU / request", lambda r: cpu_ms(r, "server_cpu")),
        ("sender CPU / request", lambda r: cpu_ms(r, "client_cpu")),
        ("applier CPU / event", lambda r: applier_ms(r).partition(" (")[0]),
        ("checks", lambda r: f"{r['stored']:,} stored, {r['by_status']}, "
                             f"{r['events_missing']} missing, {r['tickets_twice']} twice, "
                             f"{r['duplicates_logged']:,} duplicates logged"),
        ("load average", lambda r: f"{r['load'][0]:.1f} -> {r['load'][1]:.1f}"),
    ]
    print()
    print("| | " + " | ".join(result["database"] for result in results) + " |")
    print("| --- |" + " --- |" * len(results))
    for label, shown in rows:
        print(f"| {label} | " + " | ".join(shown(result) for result in results) + " |")


if __name__ == "__main__":
    main()
