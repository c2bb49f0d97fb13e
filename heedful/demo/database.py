"""Is the database empty, does it hold demo data, and wiping it for a fresh demo.

The demo and the generator leave an ``AuditEntry`` whose action is ``demo.build`` or
``demo.generate``; only a database with that mark is wiped without ``--force``.
"""

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import connection, models, transaction

from heedful.accounts.models import Account
from heedful.core.models import AuditEntry, User

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


def wipe() -> None:
    """Empty every domain table in one transaction. Foreign keys are deferred on both SQLite
    and PostgreSQL, so the order does not matter: at commit nothing points anywhere."""
    tables = [model._meta.db_table for model in domain_models()]
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(quote(table) for table in tables)
            cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")
