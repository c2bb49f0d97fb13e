"""Benchmark: from a severity-1 ticket POSTed to the API to the chat webhook's delivery.

For SQLite (always, a fresh HEEDFUL_HOME) and PostgreSQL (with ``--database-url``; the
database is created when missing; each run uses an account of its own): migrates, creates a rep with
an e-mail address, their account and an API token, starts a local webhook server, then
``--tickets`` times POSTs a new severity-1 ticket to ``/api/v1/tickets`` (Django's test
client, in process, bearer token) and measures the time from just before the request until
the webhook server has the JSON body (after one unmeasured first request, which pays for
the process's first imports). No scan runs in between: the write's on-commit trigger
evaluates the account's rules, e-mails the owner (in-memory backend) and posts to the hook.
Prints p50/p95/max of that latency and of the request itself, and the ratio to the target
(1 s).

    .venv/bin/python bench/notify_latency.py
    .venv/bin/python bench/notify_latency.py \\
        --database-url postgresql://postgres@127.0.0.1:55433/heedful_notify_bench
    .venv/bin/python bench/notify_latency.py --accounts 10000   # around a generated book

Each database is measured in a child process of its own (Django reads its settings once).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=50, help="How many tickets to POST.")
    parser.add_argument(
        "--accounts", type=int, default=0,
        help="First generate this many other accounts with `heedful generate` (default none).",
    )
    parser.add_argument("--database-url", help="A PostgreSQL database to measure too.")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        print(json.dumps(measure(options)))
        return

    results = []
    home = tempfile.mkdtemp(prefix="heedful-notify-bench-")
    base_env = {
        "HEEDFUL_HOME": home,
        "HEEDFUL_TASKS_BACKEND": "immediate",
        "HEEDFUL_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "HEEDFUL_ALLOWED_HOSTS": "testserver",
    }
    if not options.skip_sqlite:
        results.append(run("sqlite", options, base_env))
    if options.database_url:
        create_database_if_missing(options.database_url)
        results.append(
            run("postgresql", options, {**base_env, "HEEDFUL_DATABASE_URL": options.database_url})
        )
    report(results, options)


def run(name: str, options: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--measure", "--tickets", str(options.tickets),
               "--accounts", str(options.accounts)]
    clean = {key: value for key, value in os.environ.items() if not key.startswith("HEEDFUL_")}
    completed = subprocess.run(
        command, env={**clean, **env}, capture_output=True, text=True, cwd=ROOT, check=False
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"{name}: the measurement failed")
    return {"database": name, **json.loads(completed.stdout.strip().splitlines()[-1])}


def create_database_if_missing(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


class Hook:
    """A local webhook that notes when each body arrived (time.perf_counter)."""

    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}
        self.arrived = threading.Condition()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                now = time.perf_counter()
                with hook.arrived:
                    found = re.search(r"B-\d+-\d+", body["text"])
                    if found:
                        hook.arrivals.setdefault(found.group(), now)
                    hook.arrived.notify_all()
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/services/bench"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def wait_for(self, ticket: str, timeout: float = 30.0) -> float | None:
        with self.arrived:
            self.arrived.wait_for(lambda: ticket in self.arrivals, timeout)
            return self.arrivals.get(ticket)


def measure(options: argparse.Namespace) -> dict[str, Any]:
    hook = Hook()
    os.environ["HEEDFUL_CHAT_WEBHOOK_URL"] = hook.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heedful.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from heedful.accounts.models import Account
    from heedful.core.models import ApiToken, User
    from heedful.plays import engine
    from heedful.plays.models import Play

    setup_test_environment()  # mail.outbox for the in-memory backend
    scan_seconds: list[float] = []
    original_scan = engine.scan

    def timed_scan(**kwargs: Any) -> Any:
        result = original_scan(**kwargs)
        scan_seconds.append(result.seconds)
        return result

    engine.scan = timed_scan  # the part of the latency that is the rules' evaluation
    call_command("migrate", interactive=False, verbosity=0)
    if options.accounts:
        call_command("generate", "--accounts", str(options.accounts), "--force", verbosity=0)
    owner, _ = User.objects.get_or_create(
        username="bench-rep", defaults={"email": "bench-rep@vendor.example", "role": "rep"}
    )
    account, _ = Account.objects.get_or_create(
        external_id=f"ACC-BENCH-{os.getpid()}", defaults={"name": "Bench Telecom", "owner": owner}
    )
    _, raw = ApiToken.issue(user=owner, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    latencies, requests, failures = [], [], 0
    load_before = os.getloadavg()[0]
    cold = None
    for number in range(-1, options.tickets):  # number -1: the first, cold request
        external_id = f"B-{os.getpid()}-{number + 1}"
        payload = {
            "external_id": external_id, "account_external_id": account.external_id,
            "opened_at": datetime.now(UTC).isoformat(), "severity": 1,
            "subject": f"Phones down {external_id}", "status": "open",
        }
        started = time.perf_counter()
        response = client.post(
            "/api/v1/tickets", json.dumps(payload), content_type="application/json"
        )
        answered = time.perf_counter()
        if response.status_code != 201:
            raise SystemExit(f"POST answered {response.status_code}: {response.content[:300]!r}")
        arrived = hook.wait_for(external_id)
        if arrived is None:
            failures += 1
            continue
        if number < 0:
            cold = arrived - started  # first imports, URL and schema building: not per ticket
            continue
        latencies.append(arrived - started)
        requests.append(answered - started)
    plays = Play.objects.filter(account=account, rule="support.ticket_opened", urgent=True)
    return {
        "vendor": connection.vendor,
        "accounts": Account.objects.count(),
        "tickets": options.tickets,
        "delivered": len(latencies),
        "missed": failures,
        "urgent_plays": plays.count(),
        "emails": len(mail.outbox),
        "latency": summary(latencies),
        "request": summary(requests),
        "scan": summary(scan_seconds[1:]),
        "cold": cold,
        "load": [load_before, os.getloadavg()[0]],
    }


def summary(seconds: list[float]) -> dict[str, float]:
    if not seconds:
        return {"p50": float("nan"), "p95": float("nan"), "max": float("nan")}
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": statistics.median(ordered), "p95": p95, "max": ordered[-1]}


def report(results: list[dict[str, Any]], options: argparse.Namespace) -> None:
    print(f"Ticket POST → webhook delivery, {options.tickets} tickets, target "
          f"{TARGET_SECONDS:.0f} s (immediate tasks backend, in-process client)")
    for result in results:
        latency, request, scan = result["latency"], result["request"], result["scan"]
        print(
            f"{result['database']:>10}: {result['accounts']} accounts; delivered "
            f"{result['delivered']}/{result['tickets']}, urgent plays {result['urgent_plays']}, "
            f"e-mails {result['emails']}\n"
            f"            to webhook  p50 {latency['p50'] * 1000:7.1f} ms  p95 "
            f"{latency['p95'] * 1000:7.1f} ms  max {latency['max'] * 1000:7.1f} ms  "
            f"(p95 / target = {latency['p95'] / TARGET_SECONDS:.3f}; first, cold request "
            f"{(result['cold'] or float('nan')) * 1000:.0f} ms, not counted)\n"
            f"            request     p50 {request['p50'] * 1000:7.1f} ms  p95 "
            f"{request['p95'] * 1000:7.1f} ms  max {request['max'] * 1000:7.1f} ms\n"
            f"            of it, scan p50 {scan['p50'] * 1000:7.1f} ms  p95 "
            f"{scan['p95'] * 1000:7.1f} ms  max {scan['max'] * 1000:7.1f} ms\n"
            f"            machine load average {result['load'][0]:.1f} before, "
            f"{result['load'][1]:.1f} after ({os.cpu_count()} CPUs)"
        )


if __name__ == "__main__":
    main()
