"""Benchmark of fuzzy customer search (``heedful search``) at scale.

For SQLite (always, in a fresh HEEDFUL_HOME) and PostgreSQL (with ``--database-url``, an empty
database): migrates, generates ``--accounts`` accounts with ``heedful generate``, then times
``search_customers`` over ``--queries`` queries sampled from the database with a fixed seed and
perturbed: misspelled account names, misspelled contact names, phones in another format,
e-mails with a typo. Prints generation time, database size, search latency p50/p95 and the
ratio of p95 to the target (50 ms), and how often the sampled record came back.

    .venv/bin/python bench/search.py --accounts 100000 \
        --database-url postgresql://postgres@127.0.0.1:55433/heedful_bench
    .venv/bin/python bench/search.py --accounts 2000          # a quick check, SQLite only

Each database is measured in a child process of its own (Django reads its settings once).
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HEEDFUL = ROOT / ".venv" / "bin" / "heedful"
TARGET_P95_MS = 50.0
WARM_UP_QUERIES = 20
# Shares of the query mix.
MIX = {"account name": 0.35, "contact name": 0.35, "phone": 0.15, "email": 0.15}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1, help="Seed of the generator.")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--query-seed", type=int, default=7, help="Seed of the query sample.")
    parser.add_argument(
        "--database-url", help="An empty PostgreSQL database to measure too (e.g. heedful_bench)."
    )
    parser.add_argument(
        "--home", help="Use this HEEDFUL_HOME for SQLite instead of a fresh temporary folder "
        "(generation is skipped when it already holds accounts).",
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument(
        "--as-user", metavar="USERNAME",
        help="Search as this user (e.g. rep0001 of generated data), with the queries "
        "sampled from the records they may see. Default: an all-seeing operator.",
    )
    parser.add_argument("--measure", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        print(json.dumps(measure(options)))
        return

    results = []
    if not options.skip_sqlite:
        home = options.home or tempfile.mkdtemp(prefix="heedful-bench-")
        results.append(run("sqlite", options, {"HEEDFUL_HOME": home}))
    if options.database_url:
        home = tempfile.mkdtemp(prefix="heedful-bench-pg-")
        env = {"HEEDFUL_HOME": home, "HEEDFUL_DATABASE_URL": options.database_url}
        results.append(run("postgresql", options, env))
    report(results, options)


def run(vendor: str, options: argparse.Namespace, extra_env: dict[str, str]) -> dict[str, Any]:
    env = {**os.environ, **extra_env}
    if vendor == "sqlite":
        env.pop("HEEDFUL_DATABASE_URL", None)
    print(f"[{vendor}] {extra_env}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    subprocess.run([str(HEEDFUL), "migrate", "-v", "0"], env=env, check=True)
    migrate_seconds = time.perf_counter() - started
    if count_accounts(env) == 0:
        print(f"[{vendor}] heedful generate --accounts {options.accounts} --seed {options.seed}",
              file=sys.stderr, flush=True)
        started = time.perf_counter()
        subprocess.run(
            [str(HEEDFUL), "generate", "--accounts", str(options.accounts),
             "--seed", str(options.seed)],
            env=env, check=True,
        )
        generate_seconds: float | None = time.perf_counter() - started
    else:
        print(f"[{vendor}] the database already holds accounts: generation skipped",
              file=sys.stderr, flush=True)
        generate_seconds = None
    arguments = [
        sys.executable, __file__, "--measure", vendor, "--queries", str(options.queries),
        "--query-seed", str(options.query_seed),
    ]
    if options.as_user:
        arguments += ["--as-user", options.as_user]
    measured = subprocess.run(arguments, env=env, check=True, capture_output=True, text=True)
    result = json.loads(measured.stdout)
    result.update(migrate_seconds=migrate_seconds, generate_seconds=generate_seconds)
    return result


def count_accounts(env: dict[str, str]) -> int:
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'heedful.settings');"
        "django.setup(); from heedful.accounts.models import Account;"
        "print(Account.objects.count())"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return int(output.stdout.strip())


# --- In the child process: sample, perturb, time -----------------------------------------


def perturb(text: str, rng: random.Random) -> str:
    """One typo: swap two neighbours, drop or replace a letter (never the first one)."""
    if len(text) < 4:
        return text
    position = rng.randrange(1, len(text) - 1)
    kind = rng.choice(["swap", "drop", "replace"])
    if kind == "swap":
        return text[:position] + text[position + 1] + text[position] + text[position + 2:]
    if kind == "drop":
        return text[:position] + text[position + 1:]
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz".replace(text[position].lower(), ""))
    return text[:position] + letter + text[position + 1:]


def reformat_phone(digits: str, rng: random.Random) -> str:
    """The same number written another way."""
    styles = [
        lambda d: d,
        lambda d: ".".join([d[:3], d[3:6], d[6:]]) if len(d) >= 7 else d,
        lambda d: f"({d[:3]}) {d[3:6]}-{d[6:]}" if len(d) >= 7 else d,
        lambda d: f"+1 {d[:3]} {d[3:6]} {d[6:]}" if len(d) == 10 else "00" + d,
        lambda d: " ".join(d[i:i + 2] for i in range(0, len(d), 2)),
    ]
    return rng.choice(styles)(digits)


def sample(
    model: Any, field_names: list[str], count: int, rng: random.Random,
    ids: list[int] | None = None,
) -> list[Any]:
    """``count`` rows picked by random ids (portable and repeatable for the same data),
    among ``ids`` if given (with repeats when they are fewer than ``count``)."""
    from django.db.models import Max, Min

    if ids is not None:
        picked = [rng.choice(ids) for _ in range(count * 2)] if ids else []
        found = {
            row[0]: row
            for row in model.objects.filter(pk__in=set(picked)).values_list("pk", *field_names)
        }
        return [found[pk] for pk in picked if pk in found and all(found[pk][1:])][:count]
    bounds = model.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return []
    rows: list[Any] = []
    while len(rows) < count:
        ids = [rng.randint(bounds["low"], bounds["high"]) for _ in range(count * 2)]
        found = {
            row[0]: row for row in model.objects.filter(pk__in=ids).values_list("pk", *field_names)
        }
        rows += [found[pk] for pk in ids if pk in found and all(found[pk][1:])]
    return rows[:count]


def build_queries(
    count: int, rng: random.Random, user: Any = None
) -> list[tuple[str, str, str]]:
    """(kind, text, the external id it was made from), from the records ``user`` may see
    if given. Names repeat in generated data (and in life), so a name query is answered
    right when a record of that name comes first."""
    from heedful.accounts.models import Account, Contact
    from heedful.accounts.visibility import visible_accounts

    account_ids = contact_ids = None
    if user is not None:
        account_ids = sorted(visible_accounts(user).values_list("pk", flat=True))
        contact_ids = sorted(
            Contact.objects.filter(account_id__in=account_ids).values_list("pk", flat=True)
        )
    shares = {kind: int(count * share) for kind, share in MIX.items()}
    shares["account name"] += count - sum(shares.values())
    queries = []
    for _pk, name, external_id in sample(
        Account, ["name", "external_id"], shares["account name"], rng, account_ids
    ):
        queries.append(("account name", perturb(name, rng), external_id))
    for _pk, name, external_id in sample(
        Contact, ["full_name", "external_id"], shares["contact name"], rng, contact_ids
    ):
        queries.append(("contact name", perturb(name, rng), external_id))
    phones = sample(
        Contact, ["phone_digits", "external_id"], shares["phone"] // 2, rng, contact_ids
    )
    phones += sample(
        Account, ["phone_digits", "external_id"], shares["phone"] - len(phones), rng,
        account_ids,
    )
    for _pk, digits, external_id in phones:
        queries.append(("phone", reformat_phone(digits, rng), external_id))
    emails = sample(Contact, ["email", "external_id"], shares["email"], rng, contact_ids)
    for _pk, email, external_id in emails:
        queries.append(("email", perturb(email, rng), external_id))
    rng.shuffle(queries)
    return queries


def measure(options: argparse.Namespace) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heedful.settings")
    import django

    django.setup()
    from django.db import connection

    from heedful.accounts.models import Account, Contact
    from heedful.accounts.visibility import visible_accounts
    from heedful.book.search import search_customers
    from heedful.core.models import User

    settle(connection)
    rng = random.Random(options.query_seed)
    if options.as_user:
        operator = searcher(options.as_user)
        queries = build_queries(options.queries, rng, operator)
    else:
        operator = User(username="bench-operator", role="admin", is_superuser=True)
        queries = build_queries(options.queries, rng)
    for _kind, text, _external_id in queries[:WARM_UP_QUERIES]:
        search_customers(user=operator, text=text, limit=10)
    timings: dict[str, list[float]] = {kind: [] for kind in MIX}
    names = sampled_names(queries)
    found_first = found_in_ten = 0
    for kind, text, external_id in queries:
        started = time.perf_counter()
        hits = search_customers(user=operator, text=text, limit=10)
        timings[kind].append((time.perf_counter() - started) * 1000)
        right = [
            hit.external_id == external_id
            or (kind.endswith("name") and hit.name == names.get(external_id))
            for hit in hits
        ]
        found_first += bool(right) and right[0]
        found_in_ten += any(right)
    return {
        "vendor": connection.vendor,
        "user": operator.username,
        "visible_accounts": visible_accounts(operator).count(),
        "accounts": Account.objects.count(),
        "contacts": Contact.objects.count(),
        "database_bytes": database_bytes(connection),
        "timings": timings,
        "queries": len(queries),
        "found_first": found_first,
        "found_in_ten": found_in_ten,
    }


def searcher(username: str) -> Any:
    from heedful.core.models import User

    found = User.objects.filter(username=username).first()
    if found is None:
        raise SystemExit(f"no user {username!r}")
    return found


def settle(connection: Any) -> None:
    """What a database does by itself some time after a bulk load (autovacuum), done now:
    fresh rows make the first reads write hint bits and plan without statistics."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("accounts_account", "accounts_contact", "billing_invoice"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("PRAGMA optimize")


def sampled_names(queries: list[tuple[str, str, str]]) -> dict[str, str]:
    """The true name of each record a query was made from."""
    from heedful.accounts.models import Account, Contact

    ids = [external_id for _kind, _text, external_id in queries]
    names = dict(Account.objects.filter(external_id__in=ids).values_list("external_id", "name"))
    names.update(
        Contact.objects.filter(external_id__in=ids).values_list("external_id", "full_name")
    )
    return names


def database_bytes(connection: Any) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    name = Path(str(connection.settings_dict["NAME"]))
    return sum(path.stat().st_size for path in name.parent.glob(name.name + "*"))


# --- Report ------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(results: list[dict[str, Any]], options: argparse.Namespace) -> None:
    print(f"Fuzzy customer search, target p95 < {TARGET_P95_MS:.0f} ms "
          f"({options.queries} queries after {WARM_UP_QUERIES} warm-up ones, limit 10, "
          f"{'as an all-seeing operator' if not options.as_user else 'as a user'})")
    for result in results:
        every = [value for values in result["timings"].values() for value in values]
        p50, p95 = percentile(every, 0.50), percentile(every, 0.95)
        generated = result["generate_seconds"]
        print(f"\n{result['vendor']}: {result['accounts']:,} accounts, "
              f"{result['contacts']:,} contacts; searching as {result['user']}, who sees "
              f"{result['visible_accounts']:,} accounts")
        print("  generation: "
              + (f"{generated:.1f} s" if generated is not None else "skipped (reused)")
              + f"; migrate {result['migrate_seconds']:.1f} s")
        print(f"  database size: {result['database_bytes'] / 1e6:,.0f} MB")
        print(f"  latency: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(every):.1f} ms, "
              f"mean {statistics.fmean(every):.1f} ms")
        print(f"  p95 / target: {p95 / TARGET_P95_MS:.2f} "
              f"({'met' if p95 < TARGET_P95_MS else 'MISSED'})")
        for kind, values in result["timings"].items():
            if values:
                print(f"    {kind:13} n={len(values):4}  p50 {percentile(values, 0.5):6.1f} ms"
                      f"  p95 {percentile(values, 0.95):6.1f} ms")
        print(f"  the sampled record (or, for a name, one of that name) came first in "
              f"{result['found_first']}/{result['queries']}, in the top ten in "
              f"{result['found_in_ten']}/{result['queries']}")


if __name__ == "__main__":
    main()
