"""Is the database empty, does it hold demo data, and wiping it for a fresh demo.

The demo and the generator leave an ``AuditEntry`` whose action is ``demo.build`` or
``demo.generate``; only a database with that mark is wiped without ``--force``.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import connection, models, transaction

from heedful.accounts.models import Account
from heedful.core.models import AuditEntry, User
from heedful.sales.models import Opportunity
from heedful.sales.pipeline_summary import stamp_every_owner

DEMO_ACTIONS = ("demo.build", "demo.generate")


def holds_data() -> bool:
    return Account.objects.exists() or User.objects.exists()


def holds_only_demo_data() -> bool:
    return AuditEntry.objects.filter(action__in=DEMO_ACTIONS).exists()


def domain_models() -> list[type[models.Model]]:
    """Every table of Heedful's own apps (m2m tables included), plus the tables outside them
    that point at our users: what a wipe empties."""
    found: list[type[models.Model]] = [LogEntry, Session]
    for config in apps.get_app_configs():
        if config.name.startswith("heedful."):
            found.extend(config.get_models(include_auto_created=True))
    return found


@contextmanager
def bulk_load(tables: list[str]) -> Iterator[None]:
    """On SQLite, write many rows faster: drop the tables' secondary indexes and triggers
    (those that keep full-text search tables in step), then recreate them and rebuild those
    search tables once at the end. Elsewhere, and inside a transaction, it does nothing."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    quote = connection.ops.quote_name
    marks = ", ".join("%s" for _ in tables)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            f"AND sql IS NOT NULL AND tbl_name IN ({marks})", tables,
        )
        saved = cursor.fetchall()
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                       "AND sql LIKE 'CREATE VIRTUAL TABLE%%'")
        search_tables = [name for name, sql in cursor.fetchall()
                         if any(f"content='{table}'" in sql for table in tables)]
        for kind, name, _sql in saved:
            cursor.execute(f"DROP {kind.upper()} IF EXISTS {quote(name)}")
        # Regenerable data: no need to wait for the disk on every commit.
        cursor.execute("PRAGMA synchronous = OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for kind, _name, sql in saved:
                if kind == "index":
                    cursor.execute(sql)
            for name in search_tables:
                cursor.execute(f"INSERT INTO {quote(name)}({quote(name)}) VALUES ('rebuild')")
            for kind, _name, sql in saved:
                if kind == "trigger":
                    cursor.execute(sql)
            cursor.execute("PRAGMA synchronous = NORMAL")
        if Opportunity._meta.db_table in tables:
            # The pipeline's triggers were down: its cache must not trust its stamps.
            stamp_every_owner()


def wipe() -> None:
    """Empty every domain table. Foreign keys are deferred on both SQLite and PostgreSQL, so
    the order does not matter: at commit nothing points anywhere."""
    tables = [model._meta.db_table for model in domain_models()]
    quote = connection.ops.quote_name
    with bulk_load(tables), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(quote(table) for table in tables)
            cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")
