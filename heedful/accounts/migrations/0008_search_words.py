"""Names are searched word by word (docs/adr/0003-fuzzy-search.md, "Words, 2026-11-30").

A typed name is split into words; each word is matched against the vocabulary of the words
in the names (a few thousand, for a million contacts) and the rows holding a near word for
every word typed are read by an index of words:

- SQLite: FTS5 tables with the ``unicode61`` tokenizer over the folded names (and the
  accounts' aliases), kept in step by triggers like migration 0003's; ``fts5vocab`` lists
  their words. They replace 0003's trigram tables for names (e-mails keep theirs).
- PostgreSQL: a table of the distinct words of each kind of name, added to by
  statement-level triggers like migration 0004's (a word is never removed: a stale word
  finds no row), and a GIN index on each row's array of words. They replace 0004's tables
  of whole names and 0003's trigram indexes on names (e-mails keep theirs).

On both, a word is a run of letters and digits: ``[^[:alnum:]]+`` splits them on
PostgreSQL, the tokenizer on SQLite, ``heedful.book.search.words_of`` in Python.
"""

import importlib

from django.db import migrations

search_indexes = importlib.import_module("heedful.accounts.migrations.0003_search_indexes")

SPLIT = "'[^[:alnum:]]+'"
ACCOUNT_WORDS_OF = f"regexp_split_to_array(name_folded || ' ' || aliases_folded, {SPLIT})"
CONTACT_WORDS_OF = f"regexp_split_to_array(full_name_folded, {SPLIT})"

# (words table, content table, columns, the array of a row's words)
WORD_TABLES = [
    ("accounts_account_words", "accounts_account", ["name_folded", "aliases_folded"],
     ACCOUNT_WORDS_OF),
    ("accounts_contact_words", "accounts_contact", ["full_name_folded"], CONTACT_WORDS_OF),
]
SQLITE_OPTIONS = "tokenize='unicode61 remove_diacritics 0', detail='none'"
# Replaced: 0003's trigram tables for names on SQLite, 0004's name vocabularies and 0003's
# trigram indexes on names on PostgreSQL.
SQLITE_NAME_TRIGRAMS = ["accounts_account_search", "accounts_contact_search"]
POSTGRES_NAME_TERMS = [
    ("accounts_contact_name_term", "accounts_contact"),
    ("accounts_account_name_term", "accounts_account"),
]
POSTGRES_NAME_TRIGRAMS = [
    "accounts_account_name_trgm", "accounts_account_aliases_trgm", "accounts_contact_name_trgm",
]


def create_word_indexes(apps, schema_editor):  # noqa: ANN001, ANN201
    connection = schema_editor.connection
    if connection.vendor == "sqlite" and search_indexes.sqlite_has_trigram_tokenizer():
        for search in SQLITE_NAME_TRIGRAMS:
            for suffix in ("insert", "delete", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {search}_{suffix}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {search}")
        for words, content, columns, _array in WORD_TABLES:
            for statement in search_indexes._sqlite_statements(
                words, content, columns, SQLITE_OPTIONS
            ):
                schema_editor.execute(statement)
    elif connection.vendor == "postgresql":
        for terms, content in POSTGRES_NAME_TERMS:
            for event in ("insert", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {terms}_{event} ON {content}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {terms}_add()")
            schema_editor.execute(f"DROP TABLE IF EXISTS {terms}")
        for name in POSTGRES_NAME_TRIGRAMS:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        for words, content, _columns, array in WORD_TABLES:
            _create_postgres_words(schema_editor, words, content, array)


def _create_postgres_words(schema_editor, words: str, content: str, array: str) -> None:  # noqa: ANN001
    # The id grows only when a new word is added: the search's cue to read the words again.
    schema_editor.execute(
        f"CREATE TABLE IF NOT EXISTS {words} "
        "(id bigint GENERATED ALWAYS AS IDENTITY, word text PRIMARY KEY)"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {words}_id ON {words} (id)")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {words}_gin ON {content} USING gin ({array})"
    )
    select = f"SELECT DISTINCT unnest({array}) AS word FROM {{source}}"
    schema_editor.execute(
        f"INSERT INTO {words} (word) SELECT word FROM ({select.format(source=content)}) found "
        "WHERE word <> '' ORDER BY word ON CONFLICT DO NOTHING"
    )
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {words}_add() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN INSERT INTO {words} (word) SELECT word FROM "
        f"({select.format(source='new_rows')}) found WHERE word <> '' "
        "ON CONFLICT DO NOTHING; RETURN NULL; END $$"
    )
    for event in ("insert", "update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {words}_{event} ON {content}")
        schema_editor.execute(
            f"CREATE TRIGGER {words}_{event} AFTER {event.upper()} ON {content} "
            "REFERENCING NEW TABLE AS new_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {words}_add()"
        )
    # The planner needs the arrays' statistics to prefer the index (it reads them at ANALYZE).
    schema_editor.execute(f"ANALYZE {words}")
    schema_editor.execute(f"ANALYZE {content}")


def drop_word_indexes(apps, schema_editor):  # noqa: ANN001, ANN201
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for words, _content, _columns, _array in WORD_TABLES:
            for suffix in ("insert", "delete", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {words}_{suffix}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {words}")
        search_indexes.create_search_indexes(apps, schema_editor)
    elif connection.vendor == "postgresql":
        for words, content, _columns, _array in WORD_TABLES:
            for event in ("insert", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {words}_{event} ON {content}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {words}_add()")
            schema_editor.execute(f"DROP TABLE IF EXISTS {words}")
            schema_editor.execute(f"DROP INDEX IF EXISTS {words}_gin")
        search_indexes.create_search_indexes(apps, schema_editor)
        importlib.import_module(
            "heedful.accounts.migrations.0004_search_terms"
        ).create_search_terms(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0007_contact_reports_to"),
    ]

    operations = [
        migrations.RunPython(create_word_indexes, drop_word_indexes),
    ]
