"""The facts of a play in words: what each fact is (declared by its rule, next to the code that
stores it) and the one renderer that turns a stored value into what a person reads, on the
pages, in e-mails, the digest and chat messages alike.

A rule declares ``declared_facts``: for each key it stores, a ``Fact`` with a label and a kind
(money, percent, date, person, record, choice, list, table...). Stored values stay JSON
(amounts as strings, ISO dates, references as ``{"id": ..., "name": ...}``) so the API keeps
every digit; only what people read is worded. A key a rule did not declare still reads as
words (its name spelled out, its value by its JSON type), never as a Python structure.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from html import escape
from typing import Any
from urllib.parse import urlencode

from django.db.models import Choices
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from heedful.lib import words


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    PERCENT = "percent"
    MONEY = "money"
    DAY = "day"
    MOMENT = "moment"
    MONTH = "month"
    DAYS = "days"
    YES_NO = "yes_no"
    CHOICE = "choice"
    PERSON = "person"
    CONTACT = "contact"
    RECORD = "record"
    RULE = "rule"
    TABLE = "table"
    REVIEW = "review"


@dataclass(frozen=True)
class Fact:
    """How one stored fact reads. ``many``: the value is a list of such values. ``currency``:
    for money, the key of the fact holding its ISO 4217 code (that fact is then not shown on
    its own). ``choices``: for a choice, the stored values' labels. ``section``: for a
    record, the Account 360 section that lists it. ``fields``: for a table, how each key of
    its rows reads. ``hidden``: stored for scripts, not shown (e.g. a currency shown with
    its amount)."""

    label: str
    kind: Kind = Kind.TEXT
    many: bool = False
    currency: str = "currency"
    choices: Mapping[str, str] = field(default_factory=dict)
    section: str = ""
    fields: Mapping[str, "Fact"] = field(default_factory=dict)
    hidden: bool = False


# -- declaring facts (used by the rules) ---------------------------------------------------


def text(label: str, *, many: bool = False) -> Fact:
    return Fact(label, Kind.TEXT, many=many)


def number(label: str) -> Fact:
    return Fact(label, Kind.NUMBER)


def percent(label: str) -> Fact:
    return Fact(label, Kind.PERCENT)


def money(label: str, *, currency: str = "currency", many: bool = False) -> Fact:
    return Fact(label, Kind.MONEY, currency=currency, many=many)


def day(label: str, *, many: bool = False) -> Fact:
    return Fact(label, Kind.DAY, many=many)


def moment(label: str) -> Fact:
    return Fact(label, Kind.MOMENT)


def month(label: str) -> Fact:
    return Fact(label, Kind.MONTH)


def days(label: str) -> Fact:
    return Fact(label, Kind.DAYS)


def yes_no(label: str) -> Fact:
    return Fact(label, Kind.YES_NO)


def choice(label: str, choices: type[Choices] | Mapping[str, str], *, many: bool = False) -> Fact:
    labels = dict(choices.choices) if isinstance(choices, type) else dict(choices)
    return Fact(label, Kind.CHOICE, choices={str(k): str(v) for k, v in labels.items()}, many=many)


def person(label: str) -> Fact:
    """One of our users, stored as ``{"id": user id, "name": their name}``."""
    return Fact(label, Kind.PERSON)


def contact(label: str, *, many: bool = False) -> Fact:
    """A customer's contact, stored as ``{"id": external id, "name": their name}``."""
    return Fact(label, Kind.CONTACT, many=many)


def record(label: str, section: str, *, many: bool = False) -> Fact:
    """A record of the account (invoice, contract, order, ticket), stored as its name (a
    string that is its own name, e.g. an invoice number) or ``{"id": ..., "name": ...}``."""
    return Fact(label, Kind.RECORD, section=section, many=many)


def review(label: str) -> Fact:
    """The account's service review of a period, stored as the period ("2026-Q4"): read as a
    link to that review's draft (heedful/reviews)."""
    return Fact(label, Kind.REVIEW)


def rules(label: str) -> Fact:
    """Rule keys, read as the rules' names."""
    return Fact(label, Kind.RULE, many=True)


def table(label: str, fields: Mapping[str, Fact]) -> Fact:
    """A list of rows (objects); each row reads as a labelled list of its fields."""
    return Fact(label, Kind.TABLE, many=True, fields=dict(fields))


def hidden(label: str = "") -> Fact:
    return Fact(label, hidden=True)


def reference(identifier: Any, name: str | None) -> dict[str, Any]:
    """How a rule stores a person, contact or record: its id for scripts, its name for
    people."""
    return {"id": identifier, "name": (name or "").strip() or str(identifier)}


# -- rendering -----------------------------------------------------------------------------


WIDE_TEXT = 48
"""A fact longer than this (a summary, a table) gets a row of its own on the pages."""


@dataclass(frozen=True)
class ShownFact:
    key: str
    label: str
    text: str
    html: SafeString

    @property
    def is_wide(self) -> bool:
        return len(self.text) > WIDE_TEXT or 'class="fact-list"' in self.html


EMPTY = "—"


spelled_out = words.spelled_out


def render_facts(
    facts: Mapping[str, Any] | None, declared: Mapping[str, Fact] | None = None,
    *, account_external_id: str | None = None,
) -> list[ShownFact]:
    """Every fact of ``facts`` worth showing, in the order stored, with its label and value
    as plain text and as HTML (links to the person's queue, the record's section of the
    Account 360). Empty facts (None, "", []) are left out: a missing value says nothing."""
    declared = declared or {}
    facts = facts or {}
    currencies = {
        fact.currency for fact in declared.values() if fact.kind == Kind.MONEY
    }
    shown = []
    for key, value in facts.items():
        fact = declared.get(key)
        if fact is None:
            if key in currencies:  # shown with its amount
                continue
            fact = Fact(spelled_out(key))
        if fact.hidden or value is None or value == "" or value == []:
            continue
        context = _Context(facts=facts, account_external_id=account_external_id)
        plain, markup = _render(fact, value, context)
        shown.append(ShownFact(key=key, label=fact.label, text=plain, html=mark_safe(markup)))
    return shown


def shown_facts(play: Any) -> list[ShownFact]:
    """A play's facts as its rule declares them (``Rule.declared_facts``), linked within its
    account."""
    from heedful.plays.rules import RULES_BY_KEY, facts_of_plays_of  # they import this module

    rule = RULES_BY_KEY.get(play.rule)
    return render_facts(
        play.facts, facts_of_plays_of(rule) if rule else None,
        account_external_id=play.account.external_id,
    )


def facts_as_text(shown: Sequence[ShownFact]) -> list[str]:
    """``Label: value`` lines for e-mails, the digest and chat."""
    return [f"{fact.label}: {fact.text}" for fact in shown]


@dataclass(frozen=True)
class _Context:
    facts: Mapping[str, Any]
    account_external_id: str | None


def _render(fact: Fact, value: Any, context: _Context) -> tuple[str, str]:
    """(text, html) of one value."""
    if fact.kind == Kind.TABLE:
        rows = value if isinstance(value, list) else [value]
        return _list([_row(fact.fields, row, context) for row in rows], stacked=True)
    if fact.many or isinstance(value, list | tuple):
        items = value if isinstance(value, list | tuple) else [value]
        one = Fact(fact.label, fact.kind, currency=fact.currency, choices=fact.choices,
                   section=fact.section, fields=fact.fields)
        return _list([_render(one, item, context) for item in items])
    if isinstance(value, dict) and fact.kind not in (Kind.PERSON, Kind.CONTACT, Kind.RECORD):
        return _row({}, value, context)
    return _one(fact, value, context)


def _one(fact: Fact, value: Any, context: _Context) -> tuple[str, str]:
    if value is None or value == "":
        return EMPTY, EMPTY
    kind = fact.kind
    if kind == Kind.MONEY:
        currency = str(context.facts.get(fact.currency) or "")
        return _plain(words.format_money(value, currency))
    if kind == Kind.NUMBER:
        return _plain(words.format_number(value))
    if kind == Kind.PERCENT:
        return _plain(words.format_percent(value))
    if kind == Kind.DAY:
        return _plain(words.format_day(value))
    if kind == Kind.MOMENT:
        return _plain(words.format_moment(value))
    if kind == Kind.MONTH:
        return _plain(words.format_month(value))
    if kind == Kind.DAYS:
        return _plain(words.format_days(int(value)) if isinstance(value, int) else str(value))
    if kind == Kind.YES_NO:
        return _plain(words.yes_no(value))
    if kind == Kind.CHOICE:
        return _plain(fact.choices.get(str(value), spelled_out(str(value))))
    if kind == Kind.RULE:
        from heedful.plays.rules import RULES_BY_KEY

        rule = RULES_BY_KEY.get(str(value))
        return _plain(rule.name if rule else str(value))
    if kind == Kind.REVIEW:
        return _review_link(str(value), context)
    if kind == Kind.PERSON:
        identifier, name = _reference(value)
        url = ""
        if isinstance(identifier, int):
            url = f"{reverse('plays:queue')}?{urlencode({'owner': identifier})}"
        return _linked(name, url)
    if kind == Kind.CONTACT:
        identifier, name = _reference(value)
        url = _account_url(context, f"contact-{identifier}" if identifier else "contacts")
        return _linked(name, url)
    if kind == Kind.RECORD:
        _, name = _reference(value)
        return _linked(name, _account_url(context, fact.section) if fact.section else "")
    return _plain(_generic(value))


def _generic(value: Any) -> str:
    """A value of a key no rule declared, by its JSON type."""
    if isinstance(value, bool):
        return words.yes_no(value)
    if isinstance(value, int | float):
        return words.format_number(value)
    if isinstance(value, str):
        if len(value) == 10 and value[4:5] == "-" and words.parse_day(value):
            return words.format_day(value)
        if len(value) > 10 and value[10:11] == "T" and words.parse_moment(value):
            return words.format_moment(value)
        if words.as_decimal(value) is not None and "." in value:
            return words.format_number(value)
    return str(value)


def _row(fields: Mapping[str, Fact], row: Any, context: _Context) -> tuple[str, str]:
    """A dict as a labelled list: "Product MPLS circuits, quantity 6, maintenance 24x7"."""
    if not isinstance(row, dict):
        return _plain(_generic(row))
    texts: list[str] = []
    markups: list[str] = []
    row_context = _Context(
        facts={**context.facts, **row}, account_external_id=context.account_external_id
    )
    ordered = [key for key in fields if key in row] + [key for key in row if key not in fields]
    for key in ordered:
        value = row[key]
        fact = fields.get(key) or Fact(spelled_out(key))
        if fact.hidden or value is None or value == "":
            continue
        if fact.kind == Kind.TEXT and not fields.get(key):
            plain, markup = _plain(_generic(value))
        else:
            plain, markup = _render(fact, value, row_context)
        texts.append(f"{fact.label.lower() if texts else fact.label} {plain}")
        markups.append(
            f'<span class="fact-part"><span class="fact-part-label">{escape(fact.label)}</span> '
            f"{markup}</span>"
        )
    return ", ".join(texts), " ".join(markups)


def _list(items: list[tuple[str, str]], *, stacked: bool = False) -> tuple[str, str]:
    """Items as a list: a table's rows one under the other, single values on one line; in
    text, joined by commas, or by semicolons when an item has commas of its own."""
    if len(items) == 1:
        return items[0]
    separator = "; " if any("," in plain for plain, _ in items) else ", "
    plain = separator.join(text for text, _ in items)
    css = "fact-list" if stacked else "fact-list fact-list-inline"
    markup = f'<ul class="{css}">' + "".join(f"<li>{html}</li>" for _, html in items) + "</ul>"
    return plain, markup


def _reference(value: Any) -> tuple[Any, str]:
    if isinstance(value, dict):
        identifier = value.get("id")
        return identifier, str(value.get("name") or identifier or EMPTY)
    return value, str(value)


def _review_link(period: str, context: _Context) -> tuple[str, str]:
    """"The Q4 2026 review", linked to the page of that review of the account (by the URL's
    name: the reviews are a page app above this one)."""
    year, _, quarter = period.partition("-Q")
    first, _, last = period.partition("..")
    if quarter:
        name = f"The Q{quarter} {year} review"
    elif last:
        name = f"The review of {words.format_month(first)} to {words.format_month(last)}"
    else:
        name = f"The {words.format_month(period)} review"
    if not context.account_external_id:
        return _plain(name)
    url = reverse("reviews:period", kwargs={
        "external_id": context.account_external_id, "period": period,
    })
    return _linked(name, url)


def _account_url(context: _Context, anchor: str) -> str:
    if not context.account_external_id:
        return ""
    path = reverse("accounts:detail", kwargs={"external_id": context.account_external_id})
    return f"{path}#{anchor}" if anchor else path


def _plain(text: str) -> tuple[str, str]:
    return text, escape(text)


def _linked(name: str, url: str) -> tuple[str, str]:
    if not url:
        return _plain(name)
    return name, f'<a href="{escape(url)}">{escape(name)}</a>'
