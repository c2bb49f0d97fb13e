"""Benchmark: the served pages a rep and a manager open, at two sizes of a generated book.

For each size (``--sizes``, default 10,000 and 100,000 accounts) and database (SQLite in a
kept ``HEEDFUL_HOME`` under ``--data``; PostgreSQL with ``--database-url``, one database per
size), generates the book once (``heedful generate``, seed 1; kept and reused), scans it as of
its day so plays exist, ``ANALYZE``s it, then serves it with ``heedful serve`` (gunicorn, two
workers, as a user runs it) and, logged in through the login form, GETs each page
``--requests`` times after ``--warm-up`` unmeasured ones, reading the whole body. Pages, as
a rep (the rep with the most accounts) and as that rep's manager:

- today: where the rep lands after login (``/``, redirects followed);
- accounts list: page 1, and a deep page sorted by name descending and filtered by segment;
- account 360: the rep's accounts in turn;
- search: names of the rep's accounts and contacts with one letter changed;
- team view: the manager's.

Prints p50/p95/max per page and size, p95 ÷ the 100 ms target, and the growth of p95 from the
smaller size to the larger (target at most 1.5x). Latency is wall-clock, client and server on
one machine: run it on a quiet one.

    .venv/bin/python bench/pages.py --sizes 1000,10000            # quick, SQLite
    .venv/bin/python bench/pages.py --database-url postgresql://postgres@127.0.0.1:55440/x
"""

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HEEDFUL = ROOT / ".venv" / "bin" / "heedful"
TARGET_MS = 100.0
GROWTH_TARGET = 1.5
AS_OF = "2026-11-22"
PASSWORD = "heedful-demo"  # every generated user's (heedful.demo.vocabulary.DEMO_PASSWORD)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000",
                        help="Account counts, comma-separated (default 10000,100000).")
    parser.add_argument("--requests", type=int, default=100, help="Timed GETs per page.")
    parser.add_argument("--warm-up", type=int, default=5, help="Unmeasured GETs per page.")
    parser.add_argument("--data", default="/work/bench-data/pages",
                        help="Where the generated SQLite books are kept (reused).")
    parser.add_argument("--database-url", help="A PostgreSQL server to measure too.")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--port", type=int, default=8931)
    parser.add_argument("--save", help="Write the figures to this JSON file.")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    vendors = ([] if options.skip_sqlite else ["sqlite"]) + (
        ["postgresql"] if options.database_url else [])
    if not vendors:
        parser.error("nothing to measure: --skip-sqlite without --database-url")
    figures: dict[str, Any] = {"sizes": sizes, "requests": options.requests, "results": {}}
    for vendor in vendors:
        for size in sizes:
            env = book_env(vendor, size, options)
            prepare_book(env, size)
            note(f"[{vendor} {size:,}] serving and measuring")
            figures["results"][f"{vendor}/{size}"] = measure_pages(env, options)
            report_one(vendor, size, figures["results"][f"{vendor}/{size}"])
    report_growth(figures, vendors, sizes)
    if options.save:
        Path(options.save).write_text(json.dumps(figures, indent=1) + "\n")


# --- The book ------------------------------------------------------------------------------


def book_env(vendor: str, size: int, options: argparse.Namespace) -> dict[str, str]:
    home = Path(options.data) / f"{vendor}-{size}"
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HEEDFUL_HOME": str(home), "DJANGO_ALLOW_ASYNC_UNSAFE": "true"}
    env.pop("HEEDFUL_DATABASE_URL", None)
    if vendor == "postgresql":
        env["HEEDFUL_DATABASE_URL"] = database_for(options.database_url, f"heedful_pages_{size}")
    return env


def database_for(server_url: str, name: str) -> str:
    import psycopg

    parts = urlsplit(server_url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(f"CREATE DATABASE {name}")
    return urlunsplit(parts._replace(path=f"/{name}"))


def prepare_book(env: dict[str, str], size: int) -> None:
    marker = Path(env["HEEDFUL_HOME"]) / (
        "book-ready-pg" if "HEEDFUL_DATABASE_URL" in env else "book-ready")
    if marker.exists():
        note(f"reusing the generated book ({marker.read_text().strip()})")
        return
    heedful(["migrate", "-v", "0"], env)
    started = time.perf_counter()
    heedful(["generate", "--accounts", str(size), "--seed", "1", "--as-of", AS_OF], env)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    heedful(["scan", "--as-of", AS_OF], env)
    scanned = time.perf_counter() - started
    heedful(["shell", "-c", "from django.db import connection; "
             "connection.cursor().execute('ANALYZE')"], env)
    marker.write_text(f"{size:,} accounts, generated in {generated:.0f} s, "
                      f"scanned in {scanned:.0f} s\n")


def heedful(arguments: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([str(HEEDFUL), *arguments], env=env, check=True,
                          capture_output=True, text=True)
    return done.stdout


def people_and_samples(env: dict[str, str]) -> dict[str, Any]:
    """The busiest rep, their manager, and what they may open: account ids, names."""
    script = """
import json
from django.db.models import Count
from heedful.accounts.models import Account, Contact
from heedful.core.models import User
rep = (User.objects.filter(role="rep", manager__isnull=False)
       .annotate(n=Count("owned_accounts")).order_by("-n").first())
accounts = list(Account.objects.filter(owner=rep).values_list("external_id", "name")[:200])
contacts = list(Contact.objects.filter(account__owner=rep)
                .values_list("full_name", flat=True)[:200])
segment = Account.objects.values_list("segment", flat=True).first()
print(json.dumps({"rep": rep.username, "manager": rep.manager.username, "accounts": accounts,
                  "contacts": contacts, "segment": segment,
                  "count": Account.objects.count()}))
"""
    return json.loads(heedful(["shell", "-c", script], env).strip().splitlines()[-1])


# --- Serving and measuring -----------------------------------------------------------------


def measure_pages(env: dict[str, str], options: argparse.Namespace) -> dict[str, Any]:
    samples = people_and_samples(env)
    rng = random.Random(1)
    server = subprocess.Popen(
        [str(HEEDFUL), "serve", "--port", str(options.port), "--workers", "2"], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(options.port)
        rep = Session(options.port, samples["rep"])
        manager = Session(options.port, samples["manager"])
        accounts = samples["accounts"] or [("", "")]
        queries = [misspelled(name, rng) for _, name in accounts] + [
            misspelled(name, rng) for name in samples["contacts"]]
        deep = max(1, samples["count"] // 25 // 3)
        pages: dict[str, Any] = {
            "today": lambda i: rep.get("/"),
            "accounts list, page 1": lambda i: rep.get("/accounts/"),
            "accounts list, deep page sorted and filtered": lambda i: manager.get(
                "/accounts/?" + urlencode({"sort": "-name", "segment": samples["segment"],
                                           "page": deep})),
            "account 360": lambda i: rep.get(f"/accounts/{accounts[i % len(accounts)][0]}/"),
            "search": lambda i: rep.get("/accounts/search/?" + urlencode(
                {"q": queries[i % len(queries)]})),
            "team view": lambda i: manager.get("/plays/team/"),
        }
        results = {}
        for label, fetch in pages.items():
            for i in range(options.warm_up):
                fetch(i)
            timings = []
            for i in range(options.requests):
                started = time.perf_counter()
                fetch(i)
                timings.append((time.perf_counter() - started) * 1000)
            results[label] = summary(timings)
        return {"accounts": samples["count"], "rep": samples["rep"],
                "manager": samples["manager"], "load": os.getloadavg()[0], "pages": results}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"heedful serve did not answer on port {port} within {seconds:.0f} s")


class Session:
    """A logged-in browser's cookies over one keep-alive connection; GETs follow redirects
    and read the whole body; any answer but 200 stops the benchmark (it would time an error
    page)."""

    def __init__(self, port: int, username: str) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        login = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', login)
        if token is None:
            sys.exit("no CSRF token on the login page")
        self.request("POST", "/login/", urlencode({
            "csrfmiddlewaretoken": token.group(1).decode(), "username": username,
            "password": PASSWORD}).encode())
        if "sessionid" not in self.cookies:
            sys.exit(f"could not log in as {username}")

    def get(self, path: str) -> bytes:
        return self.request("GET", path)

    def request(self, method: str, path: str, body: bytes | None = None) -> bytes:
        for _ in range(5):
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                       "Referer": f"http://127.0.0.1:{self.port}/login/"}
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            try:
                self.connection.request(method, path, body=body, headers=headers)
                answer = self.connection.getresponse()
            except (http.client.RemoteDisconnected, ConnectionError):
                # gunicorn closed the kept-alive connection between two requests: reconnect
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.connection.request(method, path, body=body, headers=headers)
                answer = self.connection.getresponse()
            content = answer.read()
            for header in answer.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
            if answer.status in (301, 302, 303):
                path, method, body = urlsplit(answer.headers["Location"]).path or "/", "GET", None
                query = urlsplit(answer.headers["Location"]).query
                path += f"?{query}" if query else ""
                continue
            if answer.status != 200:
                sys.exit(f"{method} {path}: HTTP {answer.status}")
            return content
        sys.exit(f"{path}: too many redirects")


def misspelled(text: str, rng: random.Random) -> str:
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:])
    return text[:i] + text[i + 1:]


def summary(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {"p50": statistics.median(ordered),
            "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
            "max": ordered[-1]}


# --- Report --------------------------------------------------------------------------------


def report_one(vendor: str, size: int, result: dict[str, Any]) -> None:
    print(f"\n{vendor}, {result['accounts']:,} accounts (rep {result['rep']}, manager "
          f"{result['manager']}; load {result['load']:.1f})")
    print(f"  {'page':<46} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p95 ÷ 100 ms':>13}")
    for label, figures in result["pages"].items():
        print(f"  {label:<46} {figures['p50']:8.1f} {figures['p95']:8.1f} {figures['max']:8.1f}"
              f" {figures['p95'] / TARGET_MS:12.2f}x")


def report_growth(figures: dict[str, Any], vendors: list[str], sizes: list[int]) -> None:
    if len(sizes) < 2:
        return
    small, large = sizes[0], sizes[-1]
    for vendor in vendors:
        before = figures["results"][f"{vendor}/{small}"]["pages"]
        after = figures["results"][f"{vendor}/{large}"]["pages"]
        print(f"\n{vendor}: p95 growth from {small:,} to {large:,} accounts "
              f"(target at most {GROWTH_TARGET}x)")
        for label in after:
            growth = after[label]["p95"] / before[label]["p95"]
            print(f"  {label:<46} {growth:6.2f}x{'' if growth <= GROWTH_TARGET else '  over'}")


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
