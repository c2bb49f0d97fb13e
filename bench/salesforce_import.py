"""Benchmark: ``heedful import salesforce`` against the canonical ``heedful import-all`` of
the same records (issue 10: within 2x).

Writes, for ``--accounts N``, a Salesforce Data Export (User.csv, Account.csv, Contact.csv,
Opportunity.csv: 10 contacts and 5 opportunities per account, every cell quoted, datetimes
with milliseconds and ``+0000``) and the canonical files of the same records (users.csv,
accounts.csv, contacts.csv, opportunities.csv), then times each import as a child process
into a fresh empty database (SQLite in a new HEEDFUL_HOME; PostgreSQL with
``--database-url``: a new database beside it for each import) and prints both times and
their ratio, with the load average (1, 5 and 15 minutes) before and after each and the rows
each import left in its database (users, accounts, contacts, opportunities). PostgreSQL's
databases are dropped after they are counted.

    .venv/bin/python bench/salesforce_import.py --accounts 2000
    .venv/bin/python bench/salesforce_import.py --accounts 100000 --data /tmp/sfbench-data \\
        --database-url postgresql://postgres@127.0.0.1:55440/heedful_sfbench

``--data DIR`` writes the two exports there (or, when DIR holds them from an earlier run at
the same size, reads them again); without it they go to a scratch folder removed at the end.
``--pairs N`` runs the two imports N times in turn (the load of a shared machine moves).
"""

import argparse
import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HEEDFUL = ROOT / ".venv" / "bin" / "heedful"
USERS = 20
CONTACTS_PER_ACCOUNT = 10
OPPORTUNITIES_PER_ACCOUNT = 5


def salesforce_id(prefix: str, number: int) -> str:
    return f"{prefix}{number:012d}AAA"  # digits only: the checksum of the 15 is AAA


def write(path: Path, header: list[str], rows: object, *, quote_all: bool) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(rows)  # type: ignore[arg-type]


def write_exports(folder: Path, accounts: int) -> tuple[Path, Path]:
    salesforce, canonical = folder / "salesforce", folder / "canonical"
    salesforce.mkdir()
    canonical.mkdir()
    users = range(1, USERS + 1)
    username = {number: f"rep{number}@bench.example" for number in users}
    write(salesforce / "User.csv", ["Id", "Username", "Name", "Email", "IsActive", "ManagerId"], (
        [salesforce_id("005", n), username[n], f"Rep {n}", username[n], "true",
         salesforce_id("005", 1) if n > 1 else ""] for n in users
    ), quote_all=True)
    write(canonical / "users.csv", ["username", "full_name", "email", "role", "manager_username"], (
        [username[n], f"Rep {n}", username[n], "manager" if n == 1 else "rep",
         username[1] if n > 1 else ""] for n in users
    ), quote_all=False)

    def owner(number: int) -> int:
        return number % USERS + 1

    write(salesforce / "Account.csv",
          ["Id", "IsDeleted", "Name", "Type", "Industry", "BillingCity", "BillingCountry",
           "OwnerId", "CreatedDate"],
          ([salesforce_id("001", a), "false", f"Account {a}", "Customer - Direct", "Retail",
            "Lyon", "France", salesforce_id("005", owner(a)), "2024-01-15T09:30:00.000+0000"]
           for a in range(1, accounts + 1)), quote_all=True)
    write(canonical / "accounts.csv",
          ["external_id", "name", "industry", "status", "owner_username", "city", "country"],
          ([salesforce_id("001", a), f"Account {a}", "Retail", "customer",
            username[owner(a)], "Lyon", "France"] for a in range(1, accounts + 1)),
          quote_all=False)
    contacts = [(a, a * CONTACTS_PER_ACCOUNT + c) for a in range(1, accounts + 1)
                for c in range(CONTACTS_PER_ACCOUNT)]
    write(salesforce / "Contact.csv",
          ["Id", "IsDeleted", "AccountId", "FirstName", "LastName", "Name", "Email", "Title",
           "Phone", "ReportsToId", "DoNotCall", "HasOptedOutOfEmail", "CreatedDate"],
          ([salesforce_id("003", c), "false", salesforce_id("001", a), "Pat", f"Person {c}",
            f"Pat Person {c}", f"pat{c}@customer.example", "Buyer", "+33 4 00 00 00",
            salesforce_id("003", a * CONTACTS_PER_ACCOUNT) if c % CONTACTS_PER_ACCOUNT else "",
            "false", "false", "2024-01-15T09:30:00Z"] for a, c in contacts), quote_all=True)
    write(canonical / "contacts.csv",
          ["external_id", "account_external_id", "full_name", "title", "email", "phone",
           "do_not_contact", "reports_to"],
          ([salesforce_id("003", c), salesforce_id("001", a), f"Pat Person {c}", "Buyer",
            f"pat{c}@customer.example", "+33 4 00 00 00", "false",
            salesforce_id("003", a * CONTACTS_PER_ACCOUNT) if c % CONTACTS_PER_ACCOUNT else ""]
           for a, c in contacts), quote_all=False)
    deals = [(a, a * OPPORTUNITIES_PER_ACCOUNT + o) for a in range(1, accounts + 1)
             for o in range(OPPORTUNITIES_PER_ACCOUNT)]
    write(salesforce / "Opportunity.csv",
          ["Id", "IsDeleted", "AccountId", "Name", "StageName", "Amount", "CloseDate",
           "IsClosed", "IsWon", "OwnerId", "CreatedDate"],
          ([salesforce_id("006", d), "false", salesforce_id("001", a), f"Deal {d}",
            "Closed Won" if d % 3 == 0 else "Qualification", "12000.00", "2026-03-31",
            "true" if d % 3 == 0 else "false", "true" if d % 3 == 0 else "false",
            salesforce_id("005", owner(a)), "2026-01-10T12:00:00.000+0000"]
           for a, d in deals), quote_all=True)
    write(canonical / "opportunities.csv",
          ["external_id", "account_external_id", "name", "owner_username", "stage", "amount",
           "currency", "created_on", "close_date", "closed_on", "won"],
          ([salesforce_id("006", d), salesforce_id("001", a), f"Deal {d}", username[owner(a)],
            "Closed Won" if d % 3 == 0 else "Qualification", "12000.00", "USD", "2026-01-10",
            "2026-03-31", "2026-03-31" if d % 3 == 0 else "", "true" if d % 3 == 0 else ""]
           for a, d in deals), quote_all=False)
    return salesforce, canonical


def fresh_database(url: str) -> str:
    """A new empty database beside ``url``'s, for one import. Not ``flush`` of one database
    for both: autovacuum then analyses the emptied tables, and the import that comes second
    is planned (inside its one transaction) for tables PostgreSQL believes empty, which made
    one of its lookups (contacts by external id) run over a minute at 20,000 accounts."""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{time.time_ns()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


COUNTED = {
    "users": "core_user", "accounts": "accounts_account", "contacts": "accounts_contact",
    "opportunities": "sales_opportunity",
}


def drop_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')


def count_rows(home: str, database_url: str | None) -> dict[str, int]:
    """The rows the import left, counted in the database itself (not the command's report)."""
    queries = {kind: f"SELECT count(*) FROM {table}" for kind, table in COUNTED.items()}
    if database_url:
        import psycopg

        with psycopg.connect(database_url) as connection:
            return {kind: connection.execute(query).fetchone()[0]  # type: ignore[index]
                    for kind, query in queries.items()}
    with sqlite3.connect(Path(home) / "heedful.sqlite3") as connection:
        return {kind: connection.execute(query).fetchone()[0] for kind, query in queries.items()}


def load() -> str:
    return "/".join(f"{figure:.1f}" for figure in os.getloadavg())


def timed(command: list[str], database_url: str | None) -> dict[str, object]:
    """Seconds the import took, the load average (1, 5, 15 minutes) before and after it, and
    the rows it left."""
    home = tempfile.mkdtemp(prefix="heedful-bench-")
    environment = dict(os.environ, HEEDFUL_HOME=home)
    if database_url:
        environment["HEEDFUL_DATABASE_URL"] = fresh_database(database_url)
    try:
        subprocess.run([str(HEEDFUL), "migrate", "-v", "0"], env=environment, check=True)
        load_before = load()
        started = time.perf_counter()
        subprocess.run(command, env=environment, check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
        load_after = load()
        rows = count_rows(home, environment.get("HEEDFUL_DATABASE_URL"))
    finally:
        if database_url:
            drop_database(environment["HEEDFUL_DATABASE_URL"])
        shutil.rmtree(home, ignore_errors=True)
    return {"seconds": seconds, "load_before": load_before, "load_after": load_after,
            "rows": rows}


def exports(folder: Path, accounts: int) -> tuple[Path, Path]:
    """The two exports in ``folder``: written unless an earlier run wrote them at this size."""
    made = folder / "bench-made.json"
    if made.exists() and json.loads(made.read_text()).get("accounts") == accounts:
        return folder / "salesforce", folder / "canonical"
    for part in ("salesforce", "canonical"):
        shutil.rmtree(folder / part, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    written = write_exports(folder, accounts)
    made.write_text(json.dumps({"accounts": accounts}))
    return written


def show(name: str, run: dict[str, object]) -> None:
    rows = ", ".join(f"{count} {kind}" for kind, count in run["rows"].items())  # type: ignore[attr-defined]
    print(f"  {name:<22} {run['seconds']:8.1f} s  (load average 1/5/15 min: "
          f"{run['load_before']} before, {run['load_after']} after; rows: {rows})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--database-url")
    parser.add_argument("--data", type=Path, help="keep (or reuse) the two exports here")
    parser.add_argument("--pairs", type=int, default=1)
    options = parser.parse_args()
    database = "PostgreSQL" if options.database_url else "SQLite"
    contacts = options.accounts * CONTACTS_PER_ACCOUNT
    deals = options.accounts * OPPORTUNITIES_PER_ACCOUNT
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        salesforce, canonical = exports(options.data or Path(scratch), options.accounts)
        print(f"{database}: {options.accounts} accounts, {contacts} contacts, {deals} "
              f"opportunities, {USERS} users (exports ready in "
              f"{time.perf_counter() - started:.0f} s)", flush=True)
        for pair in range(1, options.pairs + 1):
            print(f"pair {pair}:", flush=True)
            canonical_run = timed(
                [str(HEEDFUL), "import-all", str(canonical)], options.database_url
            )
            show("canonical import-all", canonical_run)
            salesforce_run = timed(
                [str(HEEDFUL), "import", "salesforce", str(salesforce)], options.database_url
            )
            show("import salesforce", salesforce_run)
            ratio = salesforce_run["seconds"] / canonical_run["seconds"]  # type: ignore[operator]
            print(f"  ratio salesforce / canonical: {ratio:.2f}x (target: at most 2x)",
                  flush=True)


if __name__ == "__main__":
    sys.exit(main())
