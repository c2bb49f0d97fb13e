"""Benchmark: ``heedful import salesforce`` against the canonical ``heedful import-all`` of
the same records (issue 10: within 2x).

Writes, for ``--accounts N``, a Salesforce Data Export (User.csv, Account.csv, Contact.csv,
Opportunity.csv: 10 contacts and 5 opportunities per account, every cell quoted, datetimes
with milliseconds and ``+0000``) and the canonical files of the same records (users.csv,
accounts.csv, contacts.csv, opportunities.csv), then times each import as a child process
into a fresh empty database (SQLite in a new HEEDFUL_HOME; PostgreSQL with
``--database-url``: a new database beside it for each import) and prints both times and
their ratio.

    .venv/bin/python bench/salesforce_import.py --accounts 2000
    .venv/bin/python bench/salesforce_import.py --accounts 2000 \\
        --database-url postgresql://postgres@127.0.0.1:55440/heedful
"""

import argparse
import csv
import os
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


def timed(command: list[str], database_url: str | None) -> tuple[float, float, float]:
    """Seconds the import took, and the load average (1 minute) before and after it."""
    environment = dict(os.environ, HEEDFUL_HOME=tempfile.mkdtemp(prefix="heedful-bench-"))
    if database_url:
        environment["HEEDFUL_DATABASE_URL"] = fresh_database(database_url)
    subprocess.run([str(HEEDFUL), "migrate", "-v", "0"], env=environment, check=True)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    subprocess.run(command, env=environment, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started, load_before, os.getloadavg()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--database-url")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        salesforce, canonical = write_exports(Path(scratch), options.accounts)
        database = "PostgreSQL" if options.database_url else "SQLite"
        canonical_seconds, *canonical_load = timed(
            [str(HEEDFUL), "import-all", str(canonical)], options.database_url
        )
        salesforce_seconds, *salesforce_load = timed(
            [str(HEEDFUL), "import", "salesforce", str(salesforce)], options.database_url
        )
    contacts = options.accounts * CONTACTS_PER_ACCOUNT
    deals = options.accounts * OPPORTUNITIES_PER_ACCOUNT
    print(f"{database}: {options.accounts} accounts, {contacts} contacts, {deals} opportunities")
    print(f"  canonical import-all:       {canonical_seconds:8.1f} s "
          f"(load average {canonical_load[0]:.1f} before, {canonical_load[1]:.1f} after)")
    print(f"  import salesforce:          {salesforce_seconds:8.1f} s "
          f"(load average {salesforce_load[0]:.1f} before, {salesforce_load[1]:.1f} after)")
    print(f"  ratio salesforce/canonical: {salesforce_seconds / canonical_seconds:8.2f}x "
          "(target: at most 2x)")


if __name__ == "__main__":
    sys.exit(main())
