"""Indexes for fuzzy customer search (docs/adr/0003-fuzzy-search.md).

- ``Account.aliases_folded``: the aliases without accents, lower-cased, for matching.
- PostgreSQL: the pg_trgm extension and GIN trigram indexes on the folded names, the folded
  aliases and the contacts' e-mails.
- SQLite (3.34+): FTS5 tables with the trigram tokenizer over the same columns, as
  external-content tables kept in sync by triggers, so rows written by raw SQL are indexed
  too. A later migration that remakes ``accounts_account`` or ``accounts_contact`` on SQLite
  (Django copies the table and drops the old one, and its triggers with it) must run
  ``create_search_indexes`` again; ``tests/accounts/test_search.py`` checks they exist.
"""

import sqlite3

from django.db import migrations, models

from heedful.lib.text import fold

POSTGRES_INDEXES = [
    ("accounts_account_name_trgm", "accounts_account", "name_folded"),
    ("accounts_account_aliases_trgm", "accounts_account", "aliases_folded"),
    ("accounts_contact_name_trgm", "accounts_contact", "full_name_folded"),
    ("accounts_contact_email_trgm", "accounts_contact", "email"),
]

# (search table, content table, indexed columns)
SQLITE_SEARCH_TABLES = [
    ("accounts_account_search", "accounts_account", ["name_folded", "aliases_folded"]),
    ("accounts_contact_search", "accounts_contact", ["full_name_folded"]),
    # E-mails apart: their common trigrams (".co", "com") would swell the names' posting lists.
    ("accounts_contact_email_search", "accounts_contact", ["email"]),
]


def sqlite_has_trigram_tokenizer() -> bool:
    return sqlite3.sqlite_version_info >= (3, 34, 0)


def fold_existing_aliases(apps, schema_editor):  # noqa: ANN001, ANN201
    Account = apps.get_model("accounts", "Account")
    changed = []
    for account in Account.objects.exclude(aliases="").only("pk", "aliases").iterator():
        account.aliases_folded = fold(account.aliases)
        changed.append(account)
    Account.objects.bulk_update(changed, ["aliases_folded"], batch_size=1000)


def _sqlite_statements(
    search: str, content: str, columns: list[str], options: str = "tokenize='trigram'"
) -> list[str]:
    listed = ", ".join(columns)
    new_values = ", ".join(f"new.{column}" for column in columns)
    old_values = ", ".join(f"old.{column}" for column in columns)
    insert = f"INSERT INTO {search}(rowid, {listed}) VALUES (new.id, {new_values});"
    delete = (
        f"INSERT INTO {search}({search}, rowid, {listed}) VALUES ('delete', old.id, {old_values});"
    )
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {search} USING fts5({listed}, "
        f"content='{content}', content_rowid='id', {options})",
        f"CREATE TRIGGER IF NOT EXISTS {search}_insert AFTER INSERT ON {content} "
        f"BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {search}_delete AFTER DELETE ON {content} "
        f"BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {search}_update AFTER UPDATE OF {listed} ON {content} "
        f"BEGIN {delete} {insert} END",
        f"INSERT INTO {search}({search}) VALUES ('rebuild')",
    ]


def create_search_indexes(apps, schema_editor):  # noqa: ANN001, ANN201
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, column in POSTGRES_INDEXES:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
            )
    elif connection.vendor == "sqlite" and sqlite_has_trigram_tokenizer():
        for search, content, columns in SQLITE_SEARCH_TABLES:
            for statement in _sqlite_statements(search, content, columns):
                schema_editor.execute(statement)


def drop_search_indexes(apps, schema_editor):  # noqa: ANN001, ANN201
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for name, _table, _column in POSTGRES_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    elif connection.vendor == "sqlite":
        for search, _content, _columns in SQLITE_SEARCH_TABLES:
            for suffix in ("insert", "delete", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {search}_{suffix}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {search}")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="account",
            name="aliases_folded",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        migrations.RunPython(fold_existing_aliases, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
