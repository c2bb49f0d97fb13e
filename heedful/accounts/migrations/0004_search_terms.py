"""Faster fuzzy search on PostgreSQL (docs/adr/0003-fuzzy-search.md); nothing on SQLite.

- Vocabularies: ``accounts_contact_name_term`` holds each distinct folded contact name,
  ``accounts_account_name_term`` each distinct folded account name and aliases text,
  ``accounts_contact_email_term`` each distinct part of an e-mail before or after its "@",
  with a GIN trigram index. A million contacts share a few thousand names, so the fuzzy match runs
  over thousands of short rows instead of rechecking a million-row table; the rows of the
  best names are then fetched by their B-tree indexes. Statement-level triggers add the
  names of inserted and updated rows. A term is never removed (the rows are always fetched
  by their current name, so a stale term finds nothing); ``DELETE FROM ... WHERE NOT EXISTS``
  may prune them at any time.
- B-tree indexes on each term's expression and ``id``, to fetch the first rows of a term in
  id order; the e-mail ones also find an e-mail with one typo through its intact half.
"""

from django.db import migrations

CONTACT_TERMS = "accounts_contact_name_term"
ACCOUNT_TERMS = "accounts_account_name_term"
EMAIL_TERMS = "accounts_contact_email_term"

# (terms table, content table, the expressions over its rows whose values are terms)
VOCABULARIES = [
    (CONTACT_TERMS, "accounts_contact", ["full_name_folded"]),
    (ACCOUNT_TERMS, "accounts_account", ["name_folded", "aliases_folded"]),
    (EMAIL_TERMS, "accounts_contact", ["split_part(email, '@', 1)", "split_part(email, '@', 2)"]),
]

# The rows of a term in id order, read from the index alone (a common name, or the part
# before the "@" of a common e-mail, has hundreds).
INDEXES = [
    ("accounts_contact_name_id", "accounts_contact", "(full_name_folded, id)"),
    ("accounts_account_name_id", "accounts_account", "(name_folded, id)"),
    ("accounts_account_aliases_id", "accounts_account", "(aliases_folded, id)"),
    ("accounts_contact_email_local", "accounts_contact",
     "(split_part(email, '@', 1), id) INCLUDE (email)"),
    ("accounts_contact_email_domain", "accounts_contact",
     "(split_part(email, '@', 2), id) INCLUDE (email)"),
]


def _terms_select(columns: list[str], source: str) -> str:
    return " UNION ".join(
        f"SELECT {column} FROM {source} WHERE {column} <> ''" for column in columns
    )


def create_search_terms(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, expression in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {expression}")
    for terms, content, columns in VOCABULARIES:
        schema_editor.execute(f"CREATE TABLE IF NOT EXISTS {terms} (term text PRIMARY KEY)")
        schema_editor.execute(
            f"INSERT INTO {terms} (term) {_terms_select(columns, content)} ON CONFLICT DO NOTHING"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {terms}_trgm ON {terms} USING gin (term gin_trgm_ops)"
        )
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {terms}_add() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN INSERT INTO {terms} (term) {_terms_select(columns, 'new_rows')} "
            "ON CONFLICT DO NOTHING; RETURN NULL; END $$"
        )
        for event in ("insert", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {terms}_{event} ON {content}")
            schema_editor.execute(
                f"CREATE TRIGGER {terms}_{event} AFTER {event.upper()} ON {content} "
                "REFERENCING NEW TABLE AS new_rows "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {terms}_add()"
            )
    for terms, _content, _columns in VOCABULARIES:
        schema_editor.execute(f"ANALYZE {terms}")


def drop_search_terms(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "postgresql":
        return
    for terms, content, _columns in VOCABULARIES:
        for event in ("insert", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {terms}_{event} ON {content}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {terms}_add()")
        schema_editor.execute(f"DROP TABLE IF EXISTS {terms}")
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_search_indexes"),
    ]

    operations = [
        migrations.RunPython(create_search_terms, drop_search_terms),
    ]
