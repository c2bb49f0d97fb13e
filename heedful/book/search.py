"""Fuzzy customer lookup: find an account or a contact from what a person remembers.

``search_customers`` answers a misspelled or partial name ("Acme Telcom", "Richrd Stone"),
an alias, an e-mail (whole or partial), a phone number in any format, an account or contact
external id, or an invoice number (which finds its account). Exact identifiers come first
(score 100); then the names and e-mails scored by rapidfuzz over a candidate set that a
database index fetches (docs/adr/0003-fuzzy-search.md): names word by word (the nearest words
of their vocabulary, then the rows holding them: FTS5 on SQLite, a GIN index of words on
PostgreSQL), e-mails by their trigrams (FTS5 on SQLite, pg_trgm on their parts on PostgreSQL).
Visibility is applied inside every SQL query, so a user never sees, nor learns of, a customer
outside ``visible_accounts(user)``. A user who sees at most SMALL_SCOPE_ACCOUNTS accounts (a rep,
most managers) skips the name indexes: their accounts and contacts are read by account id
and all of them scored, the same way as the index's candidates.
"""

import bisect
import random
import re
import time
from collections import Counter
from dataclasses import asdict, dataclass
from itertools import zip_longest
from typing import Any

from django.db import connections, router, transaction
from django.db.models import QuerySet
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from heedful.accounts.models import Account, Contact
from heedful.accounts.visibility import FEW_ACCOUNTS, few_visible_account_ids, visible_accounts
from heedful.billing.models import Invoice
from heedful.core.models import User
from heedful.lib.phones import phone_key, phone_keys
from heedful.lib.text import fold, split_list

ACCOUNT = "account"
CONTACT = "contact"

# A fuzzy hit below this score is noise rather than a guess worth showing.
MIN_SCORE = 60.0
# From this score a hit is a close match: every word typed is found in the field, give or
# take a typo ("Ourz Telecon" scores 82 against "Ours Telecom"). Below it, a loose one: part
# of what was typed matches, the rest does not ("xyzzy nothing" against an alias "Nothing").
CLOSE_SCORE = 80.0

EXACT = "exact"
CLOSE = "close"
LOOSE = "loose"
# How many rows the index hands to rapidfuzz for each kind of record.
SQLITE_CANDIDATES = 150
POSTGRES_CANDIDATES = 50
# pg_trgm's word_similarity thresholds for the `<%` operator, tried in turn until enough
# candidates come back: a typo in a full name keeps about 0.7, and a strict threshold keeps
# the rows to recheck few when a name is common; one typo in a short word ("jon" for
# "john") still scores about 0.5.
POSTGRES_WORD_SIMILARITIES = (0.6, 0.4)
POSTGRES_ENOUGH_CANDIDATES = 10
# PostgreSQL matches e-mails' parts against their vocabulary (each distinct part once), then
# fetches at most this many rows of each of the best parts, so that a common one leaves room
# for its neighbours.
POSTGRES_ROWS_PER_TERM = 10
# How many of the most word-similar parts rapidfuzz scores to choose those.
POSTGRES_TERMS = 200
# SQLite, e-mails: at most MAX of the query's trigrams are looked up, the rarest of each stretch of
# the query, keeping at least MIN while the rows they match stay within the budget (a common
# trigram such as "son" matches tens of thousands of rows and would make the lookup slow).
# Measured with bench/search.py: see docs/adr/0003-fuzzy-search.md.
SQLITE_MIN_TRIGRAMS = 3
SQLITE_MAX_TRIGRAMS = 6
SQLITE_ROW_BUDGET = 8_000
# How long a trigram's row count is trusted; counts only steer which trigrams are used.
SQLITE_RARITY_SECONDS = 600.0
# Trigrams estimated (from a sample of 20 x 500 rows) to be in more rows than this are not
# counted exactly: counting reads every row's entry.
SQLITE_COUNTED_BELOW = 3_000
SQLITE_SAMPLE_STRETCHES = 20
SQLITE_SAMPLE_ROWS = 500

# Up to this many visible accounts, their accounts and contacts are all read (by account id)
# and scored instead of asking the global name indexes, from which the planners would read
# thousands of other teams' rows to find the few visible ones.
SMALL_SCOPE_ACCOUNTS = FEW_ACCOUNTS

_PHONE_LIKE = re.compile(r"[\d\s().+\-/]+")
_MIN_PHONE_DIGITS = 6


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One customer found. For an account hit, ``account_*`` repeat the account itself."""

    kind: str  # "account" or "contact"
    external_id: str
    name: str
    account_external_id: str
    account_name: str
    matched: str  # the field that matched: name, alias, email, phone, external_id, ...
    score: float  # 0-100; 100 for an exact identifier
    closeness: str = EXACT  # exact, close or loose: how well what was typed matched

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def is_close(self) -> bool:
        """Exact or close: a match worth showing when closer ones exist."""
        return self.closeness != LOOSE

    @property
    def match_in_words(self) -> str:
        """What matched and how well, as a person says it: "Close match on the preferred
        name", "Exact match on the invoice number"."""
        field = MATCHED_FIELD_WORDS.get(self.matched, self.matched.replace("_", " "))
        return f"{self.closeness.capitalize()} match on the {field}"


MATCHED_FIELD_WORDS = {
    "name": "name", "alias": "alias", "email": "e-mail address", "phone": "phone number",
    "external_id": "id", "invoice_number": "invoice number", "preferred_name": "preferred name",
}
"""The fields a search matches, in words."""


@dataclass(frozen=True, slots=True)
class _Ranked:
    hit: SearchHit
    is_exact_identifier: bool
    tie_break: float

    def sort_key(self) -> tuple[bool, float, float, str, str]:
        return (
            not self.is_exact_identifier, -self.hit.score, -self.tie_break,
            self.hit.kind, self.hit.name,
        )


class _Hits:
    """The best hit per record."""

    def __init__(self) -> None:
        self._best: dict[tuple[str, str], _Ranked] = {}

    def add(self, hit: SearchHit, *, is_exact_identifier: bool, tie_break: float = 0.0) -> None:
        ranked = _Ranked(hit, is_exact_identifier, tie_break)
        key = (hit.kind, hit.external_id)
        current = self._best.get(key)
        if current is None or ranked.sort_key() < current.sort_key():
            self._best[key] = ranked

    def best(self, limit: int) -> list[SearchHit]:
        ordered = sorted(self._best.values(), key=_Ranked.sort_key)
        return [ranked.hit for ranked in ordered[:limit]]


def search_customers(*, user: User, text: str, limit: int = 10) -> list[SearchHit]:
    """The accounts and contacts ``user`` may see that best match ``text``, best first.

    Returns an empty list for empty text or a limit below 1.
    """
    raw = (text or "").strip()
    if not raw or limit < 1:
        return []
    visible = visible_accounts(user)
    if visible.query.is_empty():
        return []
    # Everyone-seeing users need no filter; anyone else gets the rule's SQL in every query
    # (an exact identifier is one index lookup, then checked against the rule), and, for
    # names and e-mails, when they see few accounts, the list of their ids.
    scope: _Scope = visible.values("pk") if visible.query.where else None
    folded = fold(raw)
    hits = _Hits()
    _find_identifiers(raw, scope, hits)
    if _is_phone_like(raw):
        _find_phones(raw, scope, hits)
        return hits.best(limit)
    # An e-mail's halves are one B-tree lookup each, checked against the rule: cheaper than
    # reading the visible ids (bench/search.py --as-user).
    small = scope is not None and "@" not in raw
    loaded = _load_small_scope(visible) if small else None
    if loaded is not None:
        scope = loaded.ids
    if "@" in raw:
        _find_emails(folded, scope, hits, loaded)
    else:
        if " " not in folded:
            _find_emails(folded, scope, hits, loaded)
        _find_names(folded, scope, hits, loaded)
    return hits.best(limit)


# --- Rows ---------------------------------------------------------------------------------
# Rows are read as tuples, not model instances: a search scores a few hundred of them.

# external_id, name, name_folded, aliases_folded
ACCOUNT_FIELDS = ("external_id", "name", "name_folded", "aliases_folded")
ACCOUNT_SQL_COLUMNS = "a.external_id, a.name, a.name_folded, a.aliases_folded"
# external_id, full_name, full_name_folded, preferred_name, email, account external_id and name
CONTACT_FIELDS = (
    "external_id", "full_name", "full_name_folded", "preferred_name", "email",
    "account__external_id", "account__name",
)
CONTACT_SQL_COLUMNS = (
    "c.external_id, c.full_name, c.full_name_folded, c.preferred_name, c.email, "
    "a.external_id, a.name"
)
AccountRow = tuple[str, str, str, str]
ContactRow = tuple[str, str, str, str, str, str, str]
# What a search is limited to: nothing (every account), the visible accounts' ids, or the
# SQL of the visibility rule.
_Scope = QuerySet[Any] | list[int] | None


@dataclass(frozen=True, slots=True)
class _Loaded:
    """Every account and contact of a small scope, as the rows the index would hand over."""

    ids: list[int]
    accounts: list[AccountRow]
    contacts: list[ContactRow]


def _load_small_scope(visible: QuerySet[Account]) -> _Loaded | None:
    """The visible accounts and their contacts if there are at most SMALL_SCOPE_ACCOUNTS
    accounts: three queries, the last two by account id (the primary key, and the contacts'
    account index)."""
    ids = few_visible_account_ids(visible)
    if ids is None:
        return None
    accounts = {
        row[0]: row[1:]
        for row in Account.objects.filter(pk__in=ids).order_by().values_list(
            "pk", *ACCOUNT_FIELDS
        )
    }
    contacts = [
        (*row[1:], accounts[row[0]][0], accounts[row[0]][1])
        for row in Contact.objects.filter(account_id__in=ids).order_by().values_list(
            "account_id", *CONTACT_FIELDS[:5]
        )
    ]
    return _Loaded(ids, list(accounts.values()), contacts)


def _account_hit(
    row: AccountRow, matched: str, score: float, closeness: str = EXACT
) -> SearchHit:
    external_id, name = row[0], row[1]
    return SearchHit(
        kind=ACCOUNT, external_id=external_id, name=name, account_external_id=external_id,
        account_name=name, matched=matched, score=round(score, 1), closeness=closeness,
    )


def _contact_hit(
    row: ContactRow, matched: str, score: float, closeness: str = EXACT
) -> SearchHit:
    return SearchHit(
        kind=CONTACT, external_id=row[0], name=row[1], account_external_id=row[5],
        account_name=row[6], matched=matched, score=round(score, 1), closeness=closeness,
    )


def _within(queryset: QuerySet[Any], scope: _Scope, field: str) -> QuerySet[Any]:
    return queryset if scope is None else queryset.filter(**{f"{field}__in": scope})


def _account_rows(scope: _Scope, **lookup: Any) -> list[AccountRow]:
    rows = _within(Account.objects.filter(**lookup), scope, "pk")
    return list(rows.order_by().values_list(*ACCOUNT_FIELDS))


def _contact_rows(scope: _Scope, **lookup: Any) -> list[ContactRow]:
    rows = _within(Contact.objects.filter(**lookup), scope, "account_id")
    return list(rows.order_by().values_list(*CONTACT_FIELDS))


# --- Exact identifiers -------------------------------------------------------------------


def _identifier_variants(raw: str) -> list[str]:
    return list(dict.fromkeys([raw, raw.upper(), raw.lower()]))


def _find_identifiers(raw: str, scope: _Scope, hits: _Hits) -> None:
    variants = _identifier_variants(raw)
    for account in _account_rows(scope, external_id__in=variants):
        hits.add(_account_hit(account, "external_id", 100.0), is_exact_identifier=True)
    for contact in _contact_rows(scope, external_id__in=variants):
        hits.add(_contact_hit(contact, "external_id", 100.0), is_exact_identifier=True)
    invoiced = Invoice.objects.filter(invoice_number__in=variants).values("account_id")
    for account in _account_rows(scope, pk__in=invoiced):
        hits.add(_account_hit(account, "invoice_number", 100.0), is_exact_identifier=True)


def _is_phone_like(raw: str) -> bool:
    return bool(_PHONE_LIKE.fullmatch(raw)) and len(phone_key(raw)) >= _MIN_PHONE_DIGITS


def _find_phones(raw: str, scope: _Scope, hits: _Hits) -> None:
    """The stored key and the query's keys come from one function (``lib.phones``), so a
    number typed in its national form finds it stored in its international one."""
    keys = phone_keys(raw)
    for account in _account_rows(scope, phone_digits__in=keys):
        hits.add(_account_hit(account, "phone", 100.0), is_exact_identifier=True)
    for contact in _contact_rows(scope, phone_digits__in=keys):
        hits.add(_contact_hit(contact, "phone", 100.0), is_exact_identifier=True)


# --- E-mails and names -------------------------------------------------------------------


def _find_emails(folded: str, scope: _Scope, hits: _Hits, loaded: _Loaded | None) -> None:
    """An exact e-mail; failing that, e-mails near it (a typo) or containing it (a part)."""
    exact = _contact_rows(scope, email=folded)
    for contact in exact:
        hits.add(_contact_hit(contact, "email", 100.0), is_exact_identifier=True)
    if exact:
        return
    if loaded is not None:
        candidates = _loaded_candidates(CONTACT_EMAILS, folded, loaded)
    else:
        assert not isinstance(scope, list), "a list of ids comes with its rows loaded"
        candidates = _email_half_candidates(folded, scope)
        if not candidates:
            candidates = _candidates(CONTACT_EMAILS, folded, scope)
    for contact in candidates:
        best = _best_field(folded, [("email", contact[4])])
        if best is not None:
            hits.add(
                _contact_hit(contact, best.matched, best.score, best.closeness),
                is_exact_identifier=False,
                tie_break=best.tie_break,
            )


def _find_names(folded: str, scope: _Scope, hits: _Hits, loaded: _Loaded | None) -> None:
    for account in _candidates(ACCOUNT_NAMES, folded, scope, loaded):
        fields = [("name", account[2])]
        fields += [("alias", alias) for alias in split_list(account[3])]
        best = _best_field(folded, fields)
        if best is not None:
            hits.add(
                _account_hit(account, best.matched, best.score, best.closeness),
                is_exact_identifier=False,
                tie_break=best.tie_break,
            )
    for contact in _candidates(CONTACT_NAMES, folded, scope, loaded):
        fields = [("name", contact[2])]
        if contact[3]:
            surname = contact[2].rsplit(" ", 1)[-1]
            fields.append(("preferred_name", f"{fold(contact[3])} {surname}"))
        best = _best_field(folded, fields)
        if best is not None:
            hits.add(
                _contact_hit(contact, best.matched, best.score, best.closeness),
                is_exact_identifier=False,
                tie_break=best.tie_break,
            )


@dataclass(frozen=True, slots=True)
class _FieldScore:
    score: float
    tie_break: float
    matched: str

    @property
    def closeness(self) -> str:
        if self.score >= 100.0 and self.tie_break >= 100.0:
            return EXACT
        return CLOSE if self.score >= CLOSE_SCORE else LOOSE


def _best_field(folded: str, fields: list[tuple[str, str]]) -> _FieldScore | None:
    """The field that matches best, if it matches well enough. WRatio forgives typos, word
    order and partial names; plain ratio breaks its ties in favour of the closer whole. The
    score is at most how much of the text typed the field holds (``_coverage``): WRatio alone
    scores 90 for a short field found inside a long text ("nothing" in "xyzzy nothing")."""
    best: _FieldScore | None = None
    for matched, value in fields:
        if not value:
            continue
        score = fuzz.WRatio(folded, value)
        if score >= CLOSE_SCORE and (len(value) < len(folded) or " " in folded):
            # Only a hit that would count as close is checked (the rest are loose already),
            # and only where WRatio may have matched the value inside the query rather than
            # the query inside the value: a few of the candidates, not each one.
            score = min(score, _coverage(folded, value))
        scored = _FieldScore(score, _closeness_of_whole(folded, value), matched)
        if best is None or (scored.score, scored.tie_break) > (best.score, best.tie_break):
            best = scored
    return best if best is not None and best.score >= MIN_SCORE else None


def _closeness_of_whole(folded: str, value: str) -> float:
    """Breaks WRatio's ties: plain ratio, then, of equals, the fewer typos counting two
    letters swapped as one ("tarcie" is one typo from "tracie", two from "stacie")."""
    return fuzz.ratio(folded, value) + OSA.normalized_similarity(folded, value) / 100


def _coverage(folded: str, value: str) -> float:
    """0-100: how much of the text typed is found in ``value``, each word weighed by its
    length: a word found (give or take a typo) anywhere in the value counts in full; a word
    longer than the value counts only as far as the two are alike."""
    words = folded.split()
    total = sum(len(word) for word in words)
    if not total:
        return 0.0
    found = 0.0
    for word in words:
        if len(word) <= len(value):
            found += fuzz.partial_ratio(word, value) * len(word)
        else:
            found += fuzz.ratio(word, value) * len(word)
    return found / total


# --- Candidates from the index -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Target:
    """What one index covers: a table and its folded columns, and on SQLite the FTS5 table
    (of words for names, of trigrams for e-mails)."""

    model: type[Account] | type[Contact]
    columns: tuple[str, ...]
    sqlite_table: str
    # Names are searched word by word (migration 0008): on PostgreSQL, the table of the
    # distinct words and the array of the words of a row ``t`` (the GIN-indexed expression).
    postgres_words: str = ""
    postgres_words_of: str = ""
    # E-mails, on PostgreSQL: the table of the distinct values (terms) of the columns
    # (migration 0004), and the expressions of a row ``t`` that equal one of its terms.
    postgres_terms: str = ""
    postgres_term_of: tuple[str, ...] = ()
    # The column by whose trigram similarity to the text a term's rows are ordered, if they
    # differ (e-mails sharing a part); else by id.
    postgres_rows_by: str = ""

    @property
    def is_account(self) -> bool:
        return self.model is Account

    @property
    def by_words(self) -> bool:
        return bool(self.postgres_words)


# The arrays of words migration 0008 indexes, written as it writes them (so PostgreSQL uses
# the index), over a row ``t``.
_SPLIT_WORDS = "'[^[:alnum:]]+'"
ACCOUNT_NAMES = _Target(
    Account, ("name_folded", "aliases_folded"), "accounts_account_words",
    postgres_words="accounts_account_words",
    postgres_words_of=(
        f"regexp_split_to_array(t.name_folded || ' ' || t.aliases_folded, {_SPLIT_WORDS})"
    ),
)
CONTACT_NAMES = _Target(
    Contact, ("full_name_folded",), "accounts_contact_words",
    postgres_words="accounts_contact_words",
    postgres_words_of=f"regexp_split_to_array(t.full_name_folded, {_SPLIT_WORDS})",
)
# E-mail terms are the parts before and after the "@".
CONTACT_EMAILS = _Target(
    Contact, ("email",), "accounts_contact_email_search",
    postgres_terms="accounts_contact_email_term",
    postgres_term_of=("split_part(t.email, '@', 1)", "split_part(t.email, '@', 2)"),
    postgres_rows_by="t.email",
)
SQLITE_SEARCH_TABLES = tuple(
    target.sqlite_table for target in (ACCOUNT_NAMES, CONTACT_NAMES, CONTACT_EMAILS)
)


def _candidates(
    target: _Target, folded: str, scope: _Scope, loaded: _Loaded | None = None
) -> list[Any]:
    """Rows of ``target`` near ``folded`` by the index, within ``scope``; unordered. Of a
    small scope, every row ``loaded``."""
    if loaded is not None:
        return _loaded_candidates(target, folded, loaded)
    assert not isinstance(scope, list), "a list of ids comes with its rows loaded"
    connection = connections[router.db_for_read(target.model)]
    indexed = connection.vendor == "postgresql" or (
        connection.vendor == "sqlite" and _has_search_tables(connection)
    )
    if len(folded) < 3 or not indexed:
        return _prefix_candidates(target, folded, scope)
    if target.by_words:
        return _word_candidates(connection, target, folded, scope)
    if connection.vendor == "postgresql":
        return _postgres_term_candidates(connection, target, folded, scope)
    return _sqlite_candidates(connection, target, folded, scope)


def _loaded_candidates(target: _Target, folded: str, loaded: _Loaded) -> list[Any]:
    """All the rows of a small scope, to be scored; for a text too short for trigrams, only
    those the index would give (see ``_prefix_candidates``)."""
    rows: list[Any] = loaded.accounts if target.is_account else loaded.contacts
    if len(folded) >= 3:
        return rows
    field = (ACCOUNT_FIELDS if target.is_account else CONTACT_FIELDS).index(target.columns[0])
    starting = sorted(
        (row for row in rows if row[field].startswith(folded)), key=lambda row: row[field]
    )
    return starting[:POSTGRES_CANDIDATES]


def _prefix_candidates(target: _Target, folded: str, scope: QuerySet[Any] | None) -> list[Any]:
    """Rows whose first column starts with ``folded``, by a B-tree index range: for texts too
    short for trigrams, and where no trigram index exists."""
    column = target.columns[0]
    upper = folded[:-1] + chr(ord(folded[-1]) + 1)
    lookup = {f"{column}__gte": folded, f"{column}__lt": upper}
    if target.is_account:
        rows = _within(Account.objects.filter(**lookup), scope, "pk").values_list(*ACCOUNT_FIELDS)
    else:
        rows = _within(Contact.objects.filter(**lookup), scope, "account_id").values_list(
            *CONTACT_FIELDS
        )
    return list(rows.order_by(column)[:POSTGRES_CANDIDATES])


def _scope_sql(scope: QuerySet[Any] | None, connection: Any) -> tuple[str, list[Any]]:
    if scope is None:
        return "", []
    # Without the accounts' default ordering: an ORDER BY inside the subquery makes PostgreSQL
    # read every account in name order, once per lookup (seconds in a lateral join).
    sql, params = scope.order_by().query.get_compiler(connection=connection).as_sql()
    return sql, list(params)


def _rows_sql(target: _Target, ids_sql: str) -> str:
    """The rows whose ids ``ids_sql`` selects (in a column named ``id``)."""
    if target.is_account:
        return (
            f"SELECT {ACCOUNT_SQL_COLUMNS} FROM ({ids_sql}) AS found "
            "JOIN accounts_account a ON a.id = found.id"
        )
    return (
        f"SELECT {CONTACT_SQL_COLUMNS} FROM ({ids_sql}) AS found "
        "JOIN accounts_contact c ON c.id = found.id JOIN accounts_account a ON a.id = c.account_id"
    )


def _visible_ids_sql(target: _Target, scope_sql: str) -> str:
    """SQL selecting the ids of ``target``'s rows in the visible accounts."""
    if target.is_account:
        return scope_sql
    return f"SELECT c.id FROM accounts_contact c WHERE c.account_id IN ({scope_sql})"


def _scope_filter(target: _Target, scope_sql: str) -> str:
    """SQL keeping the rows of ``t`` (``target``'s table) in the visible accounts."""
    if not scope_sql:
        return ""
    column = "t.id" if target.is_account else "t.account_id"
    return f"AND {column} IN ({scope_sql})"


def _pieces(target: _Target, folded: str) -> list[str]:
    """What to match against ``target``'s terms: an e-mail's parts before and after its
    "@" (each a term of its own), else the whole text."""
    if target is CONTACT_EMAILS and folded.count("@") == 1:
        return [piece for piece in folded.split("@") if piece]
    return [folded]


def _postgres_terms(connection: Any, target: _Target, piece: str) -> list[tuple[float, str]]:
    """The terms word-similar to ``piece`` (``<%``, GIN-indexed: the most similar, at the
    strict threshold if enough pass it), scored with rapidfuzz like the rows."""
    terms: list[str] = []
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for threshold in POSTGRES_WORD_SIMILARITIES:
            # The planner takes word_similarity for cheap and would rather scan thousands of
            # terms (20 ms) than read the trigram index (0.2 ms).
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true), "
                "set_config('enable_seqscan', 'off', true)",
                [str(threshold)],
            )
            cursor.execute(
                f"SELECT term FROM {target.postgres_terms} WHERE %s <%% term "
                "ORDER BY word_similarity(%s, term) DESC, term LIMIT %s",
                [piece, piece, POSTGRES_TERMS],
            )
            terms = [row[0] for row in cursor.fetchall()]
            if len(terms) >= POSTGRES_ENOUGH_CANDIDATES:
                break
    return [(fuzz.WRatio(piece, term) + fuzz.ratio(piece, term) / 1000, term) for term in terms]


def _postgres_term_candidates(
    connection: Any, target: _Target, folded: str, scope: QuerySet[Any] | None
) -> list[Any]:
    """pg_trgm over the vocabulary: the distinct terms (names, e-mail parts) near each piece
    of ``folded``, best first by rapidfuzz (the rows of a name share its score) and taken in
    turn from each piece, then rows holding them by B-tree indexes, within ``scope``."""
    by_piece = [
        [term for _score, term in sorted(
            _postgres_terms(connection, target, piece),
            key=lambda scored: (-scored[0], scored[1]),
        )]
        for piece in _pieces(target, folded)
    ]
    interleaved = [term for turn in zip_longest(*by_piece) for term in turn if term is not None]
    terms = list(dict.fromkeys(interleaved))
    if not terms:
        return []
    if target.postgres_rows_by:
        rank, rank_params = f"1 - similarity({target.postgres_rows_by}, %s)", [folded]
    else:
        rank, rank_params = "t.id", []
    if scope is not None:
        return _postgres_visible_term_rows(connection, target, terms, rank, rank_params, scope)
    # Everything visible: the first few rows of each of the best terms. Each term gives a
    # row at least, so more than POSTGRES_CANDIDATES of them would only cost.
    best_terms = terms[:POSTGRES_CANDIDATES]
    table = target.model._meta.db_table
    # One index range per expression, each stopping after a few rows.
    per_expression = " UNION ".join(
        f"(SELECT t.id, {rank} AS rank FROM {table} t "
        f"WHERE {expression} = terms.term ORDER BY rank, t.id LIMIT %s)"
        for expression in target.postgres_term_of
    )
    ids_sql = (
        "SELECT found.id FROM unnest(%s::text[]) WITH ORDINALITY AS terms(term, rank) "
        f"CROSS JOIN LATERAL (SELECT matched.id FROM ({per_expression}) AS matched "
        "ORDER BY matched.rank, matched.id LIMIT %s) AS found "
        "ORDER BY terms.rank, found.id LIMIT %s"
    )
    params: list[Any] = [best_terms]
    for _expression in target.postgres_term_of:
        params += [*rank_params, POSTGRES_ROWS_PER_TERM]
    params += [POSTGRES_ROWS_PER_TERM, POSTGRES_CANDIDATES]
    with connection.cursor() as cursor:
        cursor.execute(_rows_sql(target, ids_sql), params)
        return cursor.fetchall()


def _postgres_visible_term_rows(
    connection: Any, target: _Target, terms: list[str], rank: str, rank_params: list[Any],
    scope: QuerySet[Any],
) -> list[Any]:
    """The visible rows holding any of ``terms`` (all of them: a user who sees a few
    accounts may see none of the best names' first rows), in the terms' order. One query, so
    that the planner may start from the visible accounts when they are few."""
    table = target.model._meta.db_table
    scope_sql, scope_params = _scope_sql(scope, connection)
    expressions = target.postgres_term_of
    holds = " OR ".join(f"{expression} = ANY(%s::text[])" for expression in expressions)
    position = ", ".join(f"array_position(%s::text[], {expr}::text)" for expr in expressions)
    ids_sql = (
        f"SELECT t.id FROM {table} t WHERE ({holds}) {_scope_filter(target, scope_sql)} "
        f"ORDER BY least({position}), {rank}, t.id LIMIT %s"
    )
    params: list[Any] = [terms] * len(expressions) + scope_params + [terms] * len(expressions)
    params += [*rank_params, POSTGRES_CANDIDATES]
    with connection.cursor() as cursor:
        cursor.execute(_rows_sql(target, ids_sql), params)
        return cursor.fetchall()


# --- Names, word by word ------------------------------------------------------------------
# Each word typed is matched against the vocabulary of the words in the names (15,000 words
# for a million contacts, 1,500 for 100,000 accounts), and the rows holding a near word for
# every word typed are read by an index of words. A typo spoils one word, not the rows'
# ranking: "Carole Hendirx" reads the Caroles holding a word near "hendirx", where trigrams
# ranked every Carole with an "hend" alike (docs/adr/0003-fuzzy-search.md).

_WORD = re.compile(r"[^\W_]+")
# A word of the vocabulary is a choice for a word typed from this rapidfuzz ratio: one typo
# in a three-letter word ("roe" for "rose") keeps 86, a letter replaced in it 67.
WORD_MIN_RATIO = 60.0
# Words starting with what was typed are choices too ("brightw" for "brightwater"), at
# least this near.
WORD_PREFIX_RATIO = 75.0
# The choices kept per word typed, nearest first.
WORD_CHOICES = 25
# Rows read for rapidfuzz to score.
WORD_ROWS = 300
# The vocabulary is read again when the index says it changed, and at least this often
# (a rolled-back write can leave the index looking as it did).
WORDS_SECONDS = 60.0


def words_of(folded: str) -> list[str]:
    """The words of a folded text, cut as the indexes cut them: runs of letters and digits."""
    return _WORD.findall(folded)


_Words = tuple[list[str], frozenset[str]]


class _Vocabulary:
    """The distinct words of the names of a target, per database, read again when they
    change (SQLite: the FTS5 table's structure record; PostgreSQL: the words table's last
    id, which grows only when a word is added)."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], tuple[Any, float, _Words]] = {}

    def words(self, connection: Any, target: _Target) -> "_Words":
        """The words in order (for prefixes), and as a set."""
        key = (str(connection.settings_dict["NAME"]), target.sqlite_table)
        now = time.monotonic()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT max(id) FROM {target.postgres_words}")
            else:
                cursor.execute(f"SELECT block FROM {target.sqlite_table}_data WHERE id = 10")
            row = cursor.fetchone()
            version = row[0] if row else None
            known = self._known.get(key)
            if known is not None and known[0] == version and now - known[1] < WORDS_SECONDS:
                return known[2]
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT word FROM {target.postgres_words} ORDER BY word")
            else:
                cursor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{target.sqlite_table}_vocabulary "
                    f"USING fts5vocab(main, {target.sqlite_table}, row)"
                )
                cursor.execute(
                    f"SELECT term FROM temp.{target.sqlite_table}_vocabulary ORDER BY term"
                )
            ordered = [row[0] for row in cursor.fetchall()]
        words = (ordered, frozenset(ordered))
        self._known[key] = (version, now, words)
        return words

    def forget(self) -> None:
        self._known.clear()


_vocabulary = _Vocabulary()


def forget_words() -> None:
    """Read the vocabularies again at the next search (tests roll writes back)."""
    _vocabulary.forget()


def _word_choices(typed: str, words: list[str]) -> list[tuple[float, str]]:
    """The words of the vocabulary ``typed`` may stand for, nearest first: near ones by
    rapidfuzz's ratio, and those starting with it."""
    scored = {
        word: score
        for word, score, _index in process.extract(
            typed, words, scorer=fuzz.ratio, score_cutoff=WORD_MIN_RATIO, limit=WORD_CHOICES
        )
    }
    if len(typed) >= 3:
        start = bisect.bisect_left(words, typed)
        for word in words[start:start + WORD_CHOICES]:
            if not word.startswith(typed):
                break
            scored[word] = max(scored.get(word, 0.0), WORD_PREFIX_RATIO)
    nearest_first = sorted(scored.items(), key=lambda choice: (-choice[1], choice[0]))
    return [(score, word) for word, score in nearest_first[:WORD_CHOICES]]


def _split_if_joined(typed: str, known: frozenset[str]) -> list[str]:
    """Two words of the vocabulary typed without the space between them ("brianbarber"), as
    two words; else the word as typed. Each part has three letters at least: a typo in a
    short word often leaves two words of two letters ("daris": "da", "ris")."""
    if typed in known:
        return [typed]
    for cut in range(3, len(typed) - 2):
        if typed[:cut] in known and typed[cut:] in known:
            return [typed[:cut], typed[cut:]]
    return [typed]


def _word_candidates(
    connection: Any, target: _Target, folded: str, scope: QuerySet[Any] | None
) -> list[Any]:
    """The rows holding, for every word typed that is near a word of the vocabulary, one of
    its choices: first those holding the nearest choices, then any; if that finds none, the
    rows missing one of the words typed (one too far from any word, or a short one: "th" of
    "nguyen th ibean"). At most WORD_ROWS, unordered."""
    words, known = _vocabulary.words(connection, target)
    typed_words = [part for typed in words_of(folded) for part in _split_if_joined(typed, known)]
    choices = [
        found for found in (_word_choices(typed, words) for typed in typed_words) if found
    ]
    if not choices:
        return []
    nearest = [[word for score, word in found if score == found[0][0]] for found in choices]
    every = [[word for _score, word in found] for found in choices]
    rows: dict[str, Any] = {}
    for required in (nearest, every):
        _read_rows_holding(connection, target, required, scope, rows)
    if not rows and len(every) > 1:
        for left_out in range(len(every)):
            others = every[:left_out] + every[left_out + 1:]
            _read_rows_holding(connection, target, others, scope, rows)
    return list(rows.values())


def _read_rows_holding(
    connection: Any, target: _Target, required: list[list[str]], scope: QuerySet[Any] | None,
    rows: dict[str, Any],
) -> None:
    """Add to ``rows`` (by external id) up to WORD_ROWS in all of the visible rows holding
    one word of each list of ``required``."""
    wanted = WORD_ROWS - len(rows)
    if wanted <= 0:
        return
    scope_sql, scope_params = _scope_sql(scope, connection)
    if connection.vendor == "postgresql":
        holds = " AND ".join(f"{target.postgres_words_of} && %s::text[]" for _ in required)
        ids_sql = (
            f"SELECT t.id FROM {target.model._meta.db_table} t WHERE {holds} "
            f"{_scope_filter(target, scope_sql)} LIMIT %s"
        )
        params: list[Any] = [list(words) for words in required]
    else:
        table = target.sqlite_table
        visible = f"AND rowid IN ({_visible_ids_sql(target, scope_sql)})" if scope_sql else ""
        ids_sql = f"SELECT rowid AS id FROM {table} WHERE {table} MATCH %s {visible} LIMIT %s"
        params = [" AND ".join(
            "(" + " OR ".join(_fts_phrase(word) for word in words) + ")" for words in required
        )]
    params += [*scope_params, wanted + len(rows)]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Without statistics on the arrays (a fresh import, before autovacuum) the planner
            # expects thousands of rows and scans the table for the first few hundred: seconds.
            cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
        cursor.execute(_rows_sql(target, ids_sql), params)
        for row in cursor.fetchall():
            rows.setdefault(row[0], row)


def _email_half_candidates(folded: str, scope: QuerySet[Any] | None) -> list[Any]:
    """PostgreSQL: the contacts whose e-mail has the same part before the "@" as ``folded``,
    or the same part after it, the most similar first. One typo leaves one half intact, and
    each half is one B-tree lookup (migration 0004) where trigrams of a million e-mails
    ("com", ".co") are not selective. Empty elsewhere, and when no half is found."""
    connection = connections[router.db_for_read(Contact)]
    if connection.vendor != "postgresql" or folded.count("@") != 1:
        return []
    local, domain = folded.split("@")
    if not local or not domain:
        return []
    scope_sql, scope_params = _scope_sql(scope, connection)
    ids_sql = (
        "SELECT t.id FROM accounts_contact t WHERE (split_part(t.email, '@', 1) = %s "
        f"OR split_part(t.email, '@', 2) = %s) {_scope_filter(CONTACT_EMAILS, scope_sql)} "
        "ORDER BY similarity(t.email, %s) DESC, t.id LIMIT %s"
    )
    params = [local, domain, *scope_params, folded, POSTGRES_CANDIDATES]
    with connection.cursor() as cursor:
        cursor.execute(_rows_sql(CONTACT_EMAILS, ids_sql), params)
        return cursor.fetchall()


_databases_with_search_tables: set[str] = set()


def _has_search_tables(connection: Any) -> bool:
    database = str(connection.settings_dict["NAME"])
    if database in _databases_with_search_tables:
        return True
    placeholders = ", ".join(["%s"] * len(SQLITE_SEARCH_TABLES))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ({placeholders})",
            list(SQLITE_SEARCH_TABLES),
        )
        found = cursor.fetchone()[0] == len(SQLITE_SEARCH_TABLES)
    if found:
        _databases_with_search_tables.add(database)
    return found


def trigrams(folded: str) -> list[str]:
    """The distinct three-character pieces of ``folded``, in order, as FTS5's trigram
    tokenizer cuts them (spaces included)."""
    return list(dict.fromkeys(folded[start:start + 3] for start in range(len(folded) - 2)))


class _TrigramRarity:
    """How many rows of an FTS5 table hold each trigram. Counting reads the trigram's whole
    posting list, so only the rare ones (the ones worth looking up) are counted, and the
    counts are remembered for a while per database; a common trigram's count is estimated
    from a sample of rows instead (a million-row "com" would take longer than the search)."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, str, str], tuple[int, float]] = {}
        self._samples: dict[tuple[str, str], tuple[dict[str, float], float]] = {}

    def counts(self, connection: Any, target: "_Target", grams: list[str]) -> dict[str, int]:
        database = str(connection.settings_dict["NAME"])
        table = target.sqlite_table
        now = time.monotonic()
        estimates = self._estimates(connection, target, database, now)
        known: dict[str, int] = {}
        unknown: list[str] = []
        for gram in grams:
            cached = self._counts.get((database, table, gram))
            if estimates.get(gram, 0.0) >= SQLITE_COUNTED_BELOW:
                known[gram] = int(estimates[gram])
            elif cached is not None and now - cached[1] < SQLITE_RARITY_SECONDS:
                known[gram] = cached[0]
            else:
                unknown.append(gram)
        if unknown:
            found = dict.fromkeys(unknown, 0)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_vocabulary "
                    f"USING fts5vocab(main, {table}, row)"
                )
                placeholders = ", ".join(["%s"] * len(unknown))
                cursor.execute(
                    f"SELECT term, doc FROM temp.{table}_vocabulary WHERE term IN ({placeholders})",
                    unknown,
                )
                found.update(dict(cursor.fetchall()))
            for gram, count in found.items():
                # A trigram no row holds is asked again next time: a new row may hold it.
                if count:
                    self._counts[(database, table, gram)] = (count, now)
            known.update(found)
        return known

    def _estimates(
        self, connection: Any, target: "_Target", database: str, now: float
    ) -> dict[str, float]:
        """Rows per trigram, estimated from stretches of consecutive rows at random places."""
        key = (database, target.sqlite_table)
        cached = self._samples.get(key)
        if cached is not None and now - cached[1] < SQLITE_RARITY_SECONDS:
            return cached[0]
        content = target.model._meta.db_table
        columns = ", ".join(target.columns)
        held: Counter[str] = Counter()
        sampled = 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT min(id), max(id), count(*) FROM {content}")
            low, high, total = cursor.fetchone()
            places = random.Random(0)
            for _ in range(SQLITE_SAMPLE_STRETCHES if total else 0):
                cursor.execute(
                    f"SELECT {columns} FROM {content} WHERE id >= %s ORDER BY id LIMIT %s",
                    [places.randint(low, high), SQLITE_SAMPLE_ROWS],
                )
                for row in cursor.fetchall():
                    held.update({gram for value in row for gram in trigrams(value or "")})
                    sampled += 1
        scale = total / sampled if sampled else 0.0
        estimates = {gram: count * scale for gram, count in held.items()}
        self._samples[key] = (estimates, now)
        return estimates


_rarity = _TrigramRarity()


def _chosen_trigrams(counts: dict[str, int], grams: list[str]) -> list[str]:
    """A few of the query's trigrams to look up: the rarest of each stretch of the query, so
    that a typo, which spoils at most three neighbouring trigrams, leaves most of them intact;
    then the commonest are dropped while the rows they match exceed the budget. A trigram no
    row holds (often the typo itself) costs nothing and is never chosen."""
    present = [gram for gram in grams if counts.get(gram)]
    stretches = min(len(present), SQLITE_MAX_TRIGRAMS)
    chosen = [
        min(present[index * len(present) // stretches:(index + 1) * len(present) // stretches],
            key=lambda gram: counts[gram])
        for index in range(stretches)
    ]
    chosen.sort(key=lambda gram: counts[gram])
    within: list[str] = []
    rows = 0
    for gram in chosen:
        if len(within) >= SQLITE_MIN_TRIGRAMS and rows + counts[gram] > SQLITE_ROW_BUDGET:
            break
        within.append(gram)
        rows += counts[gram]
    return within


def _fts_phrase(gram: str) -> str:
    return '"' + gram.replace('"', '""') + '"'


def _sqlite_candidates(
    connection: Any, target: _Target, folded: str, scope: QuerySet[Any] | None
) -> list[Any]:
    """FTS5 trigram tables: the rows holding the most of the query's rarest trigrams (each
    trigram one indexed lookup), within the visible accounts."""
    grams = trigrams(folded)
    chosen = _chosen_trigrams(_rarity.counts(connection, target, grams), grams)
    if not chosen:
        return []
    table = target.sqlite_table
    lookups = " UNION ALL ".join(
        f"SELECT rowid AS id FROM {table} WHERE {table} MATCH %s" for _ in chosen
    )
    scope_sql, scope_params = _scope_sql(scope, connection)
    visible = f"WHERE matched.id IN ({_visible_ids_sql(target, scope_sql)})" if scope_sql else ""
    ids_sql = (
        f"SELECT matched.id AS id FROM ({lookups}) AS matched {visible} "
        f"GROUP BY matched.id ORDER BY count(*) DESC, matched.id LIMIT %s"
    )
    params = [_fts_phrase(gram) for gram in chosen] + scope_params + [SQLITE_CANDIDATES]
    with connection.cursor() as cursor:
        cursor.execute(_rows_sql(target, ids_sql), params)
        return cursor.fetchall()
