"""Synthetic data at scale, in the demo's shapes: ``heedful generate --accounts N``.

Per account, on average: 10 contacts, 36 monthly invoices, 10 tickets, 5 orders, 20
interactions (half with one contact), 2 team rows, 3 holdings, one contract, one
opportunity with its stage changes. Accounts are made in chunks of ``CHUNK`` with their own
``random.Random(f"{seed}:{chunk}")``, so a seed gives the same rows on every run.

Rows are plain tuples written with ``executemany`` on SQLite and ``COPY`` on PostgreSQL, with
ids assigned here (the database must hold no rows of these tables: see ``generate``). Values
are written in the text form Django itself stores (dates ``YYYY-MM-DD``; timestamps in UTC).
"""

import multiprocessing
import random
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction

from heedful.accounts import ownership
from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership
from heedful.billing.models import Dispute, Invoice
from heedful.catalog.models import Contract, Holding, Product, ProductFamily, Release
from heedful.core.models import AuditEntry, User
from heedful.demo.book_names import BOOK_FIRST_NAMES, BOOK_LAST_NAMES, company_words
from heedful.demo.company import add_months, month_start
from heedful.demo.database import bulk_load
from heedful.demo.vocabulary import (
    CATALOG,
    CHANNELS,
    COUNTRIES,
    DEMO_PASSWORD,
    DISLIKES,
    INDUSTRIES,
    LIKES,
    PREFERRED_NAMES,
    PRONUNCIATIONS,
    RELEASES,
    SEGMENTS,
    TITLES,
    UNIT_PRICE,
    VENDOR_DOMAIN,
    Country,
    ascii_word,
)
from heedful.interactions.models import Interaction, normalize_tags
from heedful.lib.phones import phone_key
from heedful.lib.text import fold
from heedful.orders.models import Order
from heedful.sales.models import Opportunity, StageChange
from heedful.support.models import ScopeRecord, ServiceMetric, Ticket

CHUNK = 1000
ACCOUNTS_PER_REP = 100
REPS_PER_MANAGER = 10
INVOICE_MONTHS = 36

OPEN_STAGES = ("qualify", "discover", "propose", "negotiate")
TICKET_SUBJECTS = (
    "Calls dropping on SIP trunk", "Branch router offline", "Agent seat cannot log in",
    "Slow internet at branch", "Voicemail not delivering to e-mail", "Firewall rule change",
    "Wi-Fi dead spot in warehouse", "IVR prompt plays wrong language", "Invoice query",
    "Number porting request", "Phishing alert escalated by SOC", "Jitter on video calls",
)
SUBJECTS = {
    "email": ("Follow-up from our call", "Summary of action items", "Updated proposal",
              "Renewal timeline", "Invoice question answered", "Maintenance options"),
    "call": ("Check-in call", "Billing question", "Rollout status call", "Planning call"),
    "meeting": ("Quarterly business review", "Roadmap briefing", "Architecture workshop",
                "Project kickoff", "Service review"),
    "visit": ("Site visit", "Data-centre walk-through", "Branch tour"),
    "note": ("Account plan updated", "Org change noted", "Competitor pitching them"),
    "chat": ("Quick question", "Login help"),
}
KINDS = (("email", 34), ("call", 24), ("meeting", 20), ("visit", 5), ("note", 10), ("chat", 7))
TAGS = ("renewal", "roadmap", "praise", "qbr", "pricing", "billing", "support", "expansion",
        *(family.lower() for family in CATALOG))
ORDER_ITEMS = (("NET-SDW", "SD-WAN edge appliances"), ("NET-WIFI", "Wi-Fi access points"),
               ("VOI-UCX", "UC seats"), ("CCC-SEAT", "contact centre seats"),
               ("SEC-FW", "managed firewalls"), ("VOI-MOB", "mobile lines"))


def cumulative(pairs: Iterable[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    items, weights, total = [], [], 0
    for item, weight in pairs:
        total += weight
        items.append(item)
        weights.append(total)
    return items, weights


# --- Tables -----------------------------------------------------------------------------------


def _column(field: models.Field) -> str:
    assert field.column is not None  # a concrete field has a column
    return field.column


class Table:
    """One table written from tuples in the order of ``fields`` (attnames); every other
    concrete column gets its model default, so a column added later needs no change here."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]) -> None:
        self.model = model
        meta = model._meta
        self.name = meta.db_table
        by_attname = {f.attname: f for f in meta.concrete_fields}
        self.columns = [_column(by_attname[name]) for name in fields]
        extras = [f for f in meta.concrete_fields if f.attname not in fields]
        self.extra_columns = [_column(f) for f in extras if f.db_default is models.NOT_PROVIDED]
        self.extra_values = tuple(
            f.get_default() for f in extras if f.db_default is models.NOT_PROVIDED
        )
        self.next_id = 1

    def take_ids(self, count: int) -> int:
        first = self.next_id
        self.next_id += count
        return first

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        columns = self.columns + self.extra_columns
        extra = self.extra_values
        data: Iterable[tuple[Any, ...]] = (row + extra for row in rows) if extra else rows
        quote = connection.ops.quote_name
        listed = ", ".join(quote(c) for c in columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(self.name)} ({listed}) FROM STDIN") as copy:
                    for row in data:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in columns)
                cursor.cursor.executemany(
                    f"INSERT INTO {quote(self.name)} ({listed}) VALUES ({marks})", data
                )


ACCOUNT_FIELDS = ["id", "external_id", "name", "name_folded", "industry", "segment", "status",
                  "owner_id", "phone", "phone_digits", "website", "city", "country", "aliases"]
# Search (heedful.book.search) matches folded aliases where the model has them.
FOLDED_ALIASES = any(f.attname == "aliases_folded" for f in Account._meta.concrete_fields)
if FOLDED_ALIASES:
    ACCOUNT_FIELDS.append("aliases_folded")


def build_tables() -> dict[str, Table]:
    return {
        "account": Table(Account, ACCOUNT_FIELDS),
        "contact": Table(Contact, ["id", "external_id", "account_id", "full_name",
                                   "full_name_folded", "preferred_name", "pronunciation",
                                   "title", "email", "phone", "phone_digits", "role_type",
                                   "is_key", "preferred_channel", "language", "likes",
                                   "dislikes", "do_not_contact"]),
        "team": Table(TeamMembership, ["id", "account_id", "user_id", "role", "start_date",
                                       "end_date"]),
        "holding": Table(Holding, ["id", "account_id", "product_id", "quantity",
                                   "maintenance_tier", "maintenance_end"]),
        "contract": Table(Contract, ["id", "external_id", "account_id", "name", "start_date",
                                     "end_date", "recurring_amount", "currency",
                                     "billing_period", "notice_days"]),
        "invoice": Table(Invoice, ["id", "invoice_number", "account_id", "contract_id",
                                   "period_start", "period_end", "issued_on", "amount",
                                   "currency"]),
        "dispute": Table(Dispute, ["id", "invoice_id", "opened_on", "amount", "status",
                                   "resolved_on"]),
        "ticket": Table(Ticket, ["id", "external_id", "account_id", "contact_id", "opened_at",
                                 "severity", "subject", "status", "resolved_at"]),
        "order": Table(Order, ["id", "external_id", "account_id", "ordered_on", "shipped_on",
                               "delivered_on", "amount", "currency", "description"]),
        "interaction": Table(Interaction, ["id", "account_id", "occurred_at", "kind",
                                           "direction", "user_id", "subject", "tags",
                                           "natural_key"]),
        "interaction_contact": Table(Interaction.contacts.through,
                                     ["id", "interaction_id", "contact_id"]),
        "news": Table(NewsItem, ["id", "account_id", "occurred_on", "sentiment", "headline"]),
        "opportunity": Table(Opportunity, ["id", "external_id", "account_id", "name",
                                           "owner_id", "stage", "amount", "currency",
                                           "created_on", "close_date", "closed_on", "won"]),
        "stage_change": Table(StageChange, ["id", "opportunity_id", "stage", "changed_at"]),
        "metric": Table(ServiceMetric, ["id", "account_id", "period", "metric", "target",
                                        "actual", "higher_is_better"]),
        "scope": Table(ScopeRecord, ["id", "account_id", "period", "function",
                                     "contracted_quantity", "delivered_quantity"]),
    }


# --- Context shared by every chunk ------------------------------------------------------------


@dataclass
class Context:
    as_of: date
    seed: int
    reps: list[tuple[int, str]]  # (id, username)
    csms: list[tuple[int, str]]
    products: list[tuple[int, str, str]]  # (id, sku, family)
    tables: dict[str, Table]
    timestamp_suffix: str
    days: dict[int, str] = field(default_factory=dict)
    months: list[tuple[date, str, str, str]] = field(default_factory=list)
    slugs: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def day(self, days_ago: int) -> str:
        text = self.days.get(days_ago)
        if text is None:
            text = (self.as_of - timedelta(days=days_ago)).isoformat()
            self.days[days_ago] = text
        return text

    def moment(self, days_ago: int, hour: int, minute: int) -> str:
        return f"{self.day(days_ago)} {hour:02d}:{minute:02d}:00{self.timestamp_suffix}"


FOLDED: dict[str, str] = {}


def folded(text: str) -> str:
    value = FOLDED.get(text)
    if value is None:
        value = FOLDED[text] = fold(text)
    return value


def local_part(text: str) -> str:
    key = "@" + text
    value = FOLDED.get(key)
    if value is None:
        value = FOLDED[key] = ascii_word(text)
    return value


def phone_format(prefix: str, pattern: str) -> tuple[str, int]:
    """A format string and how many random digits it takes."""
    return prefix + pattern.replace("#", "{}"), pattern.count("#")


# --- One chunk of accounts --------------------------------------------------------------------


COUNTRY_ITEMS, COUNTRY_WEIGHTS = cumulative((c, c.weight) for c in COUNTRIES)
INDUSTRY_ITEMS, INDUSTRY_WEIGHTS = cumulative((k, v[0]) for k, v in INDUSTRIES.items())
SEGMENT_ITEMS, SEGMENT_WEIGHTS = cumulative(SEGMENTS)
CHANNEL_ITEMS, CHANNEL_WEIGHTS = cumulative(CHANNELS)
KIND_ITEMS, KIND_WEIGHTS = cumulative(KINDS)
SIZE = {"enterprise": 4.0, "mid-market": 1.5, "smb": 0.5}


def pick(r: Callable[[], float], items: list[Any], weights: list[int]) -> Any:
    return items[bisect_right(weights, r() * weights[-1])]


def make_chunk(context: Context, index: int, first_account: int, count: int) -> dict[str, list]:
    rng = random.Random(f"{context.seed}:{index}")
    r = rng.random

    def choice(items: Sequence[Any]) -> Any:
        return items[int(r() * len(items))]

    def between(low: int, high: int) -> int:
        return low + int(r() * (high - low + 1))

    def phone(prefix: str, pattern: str) -> str:
        template, count = phone_format(prefix, pattern)
        return template.format(*f"{int(r() * 10 ** count):0{count}d}")

    tables = context.tables
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in tables}
    as_of = context.as_of
    this_month = month_start(as_of)
    for number in range(first_account, first_account + count):
        account_id = tables["account"].take_ids(1)
        country: Country = pick(r, COUNTRY_ITEMS, COUNTRY_WEIGHTS)
        industry: str = pick(r, INDUSTRY_ITEMS, INDUSTRY_WEIGHTS)
        segment: str = pick(r, SEGMENT_ITEMS, SEGMENT_WEIGHTS)
        size = SIZE[segment]
        first_word, second_word = company_words(number)
        name = f"{first_word} {second_word} {choice(INDUSTRIES[industry][1])}"
        slug = local_part(first_word + second_word)
        seen = context.slugs.get(slug, 0)
        context.slugs[slug] = seen + 1
        domain = f"{slug}{seen or ''}.{country.tld}"
        city, prefix = choice(country.cities)
        account_phone = phone(prefix, country.phone_pattern)
        status = "customer" if r() < 0.9 else choice(("prospect", "former"))
        owner_id, owner_name = choice(context.reps)
        legal = choice(country.suffixes)
        aliases = f"{name} {legal}" if legal else ""
        account_row = (  # the owner (a cache) is set from the team rows at the end
            account_id, f"ACC-{number:07d}", name, fold(name), industry, segment, status,
            None, account_phone, phone_key(account_phone), f"https://www.{domain}", city,
            country.name,
            aliases,
        )
        rows["account"].append(account_row + (fold(aliases),) if FOLDED_ALIASES else account_row)
        # Team, with history on a third of the accounts.
        owner_since = between(30, 1500)
        if r() < 0.3:
            previous_id, _ = choice(context.reps)
            if previous_id != owner_id:
                rows["team"].append((tables["team"].take_ids(1), account_id, previous_id,
                                     "owner", context.day(owner_since + between(200, 900)),
                                     context.day(owner_since + 1)))
        rows["team"].append((tables["team"].take_ids(1), account_id, owner_id, "owner",
                             context.day(owner_since), None))
        if r() < 0.5:
            csm_id, _ = choice(context.csms)
            rows["team"].append((tables["team"].take_ids(1), account_id, csm_id, "csm",
                                 context.day(between(30, 900)), None))
        # Contacts.
        contact_ids = []
        local_names: set[str] = set()
        names = country.names
        for position in range(between(6, 14)):
            contact_id = tables["contact"].take_ids(1)
            contact_ids.append(contact_id)
            first = choice(BOOK_FIRST_NAMES[names])
            last = choice(BOOK_LAST_NAMES[names])
            full_name = f"{first} {last}"
            local = f"{local_part(first)}.{local_part(last)}"
            if local in local_names:
                local = f"{local}{position}"
            local_names.add(local)
            role_type = ("executive", "business", "technical")[position] if position < 3 else \
                choice(("business", "technical", "technical", "procurement"))
            contact_phone = phone(prefix, country.phone_pattern)
            likes = choice(LIKES) if r() < 0.4 else ""
            rows["contact"].append((
                contact_id, f"CON-{contact_id:08d}", account_id, full_name,
                f"{folded(first)} {folded(last)}",
                PREFERRED_NAMES.get(first, "") if r() < 0.5 else "",
                PRONUNCIATIONS.get(first, ""), choice(TITLES[role_type]),
                f"{local}@{domain}", contact_phone, phone_key(contact_phone), role_type,
                position < 3, pick(r, CHANNEL_ITEMS, CHANNEL_WEIGHTS),
                country.language, likes,
                choice(DISLIKES) if r() < 0.2 else "", False,
            ))
        # Holdings, the contract and 36 months of invoices.
        monthly = 0.0
        for product_id, sku, _family in rng.sample(context.products, between(2, 4)):
            quantity = 1 if UNIT_PRICE[sku] >= 900 or UNIT_PRICE[sku] == 0 else max(
                5, int(between(20, 200) * size))
            monthly += UNIT_PRICE[sku] * quantity
            tier = "none" if sku.startswith("PS-") else choice(("24x7", "8x5", "8x5"))
            rows["holding"].append((
                tables["holding"].take_ids(1), account_id, product_id, quantity, tier,
                None if tier == "none" else context.day(-between(30, 720)),
            ))
        if status != "prospect":
            amount = round(max(monthly, 500.0) * country.rate, -1)
            contract_id = tables["contract"].take_ids(1)
            started_months = between(INVOICE_MONTHS + 1, 60)
            start = add_months(this_month, -started_months)
            ends_months = between(3, 36) if status == "customer" else -between(1, 12)
            end = add_months(this_month, ends_months) - timedelta(days=1)
            rows["contract"].append((
                contract_id, f"CTR-{contract_id:08d}", account_id, "Managed services agreement",
                start.isoformat(), end.isoformat(), f"{amount:.2f}", country.currency,
                "monthly", 90,
            ))
            for period_start, start_text, end_text, issued_text in context.months:
                if period_start > end:
                    break
                billed = amount if r() < 0.7 else amount * (1 + r() * 0.04)
                if r() < 0.002:
                    billed = amount * rng.uniform(2.0, 3.5)  # the odd bill spike
                invoice_id = tables["invoice"].take_ids(1)
                rows["invoice"].append((
                    invoice_id, f"INV-{invoice_id:09d}", account_id, contract_id,
                    start_text, end_text, issued_text, f"{billed:.2f}", country.currency,
                ))
                if r() < 0.01:
                    opened = date.fromisoformat(issued_text) + timedelta(days=between(3, 20))
                    resolved = opened + timedelta(days=between(5, 40))
                    done = resolved < as_of
                    rows["dispute"].append((
                        tables["dispute"].take_ids(1), invoice_id, opened.isoformat(),
                        f"{billed * 0.1:.2f}", "resolved" if done else "open",
                        resolved.isoformat() if done else None,
                    ))
        # Tickets.
        for _ in range(between(5, 15)):
            ticket_id = tables["ticket"].take_ids(1)
            opened_ago = between(1, 1000)
            severity = choice((2, 3, 3, 3, 4, 4)) if r() > 0.01 else 1
            is_open = opened_ago < 10 and r() < 0.5
            resolved_ago = max(opened_ago - between(0, 5), 1)
            rows["ticket"].append((
                ticket_id, f"TCK-{ticket_id:08d}", account_id, choice(contact_ids),
                context.moment(opened_ago, between(7, 18), between(0, 59)), severity,
                choice(TICKET_SUBJECTS), "open" if is_open else (
                    "closed" if resolved_ago > 14 else "resolved"),
                None if is_open else context.moment(resolved_ago, 19, between(0, 59)),
            ))
        # Orders.
        for _ in range(between(2, 8)):
            order_id = tables["order"].take_ids(1)
            ordered = between(15, 1000)
            shipped = ordered - between(3, 14)
            delivered = shipped - between(1, 4)
            sku, item = choice(ORDER_ITEMS)
            quantity = max(2, int(between(5, 60) * size))
            rows["order"].append((
                order_id, f"ORD-{order_id:08d}", account_id, context.day(ordered),
                context.day(shipped), context.day(delivered) if delivered >= 1 else None,
                f"{quantity * UNIT_PRICE[sku] * 6 * country.rate:.2f}", country.currency,
                f"{quantity} × {item}",
            ))
        # Interactions, half of them with one contact.
        used: set[str] = set()
        for _ in range(between(14, 26)):
            interaction_id = tables["interaction"].take_ids(1)
            kind = pick(r, KIND_ITEMS, KIND_WEIGHTS)
            subject = choice(SUBJECTS[kind])
            day, hour, minute = context.day(between(1, 720)), between(8, 17), between(0, 59)
            moment = f"{day} {hour:02d}:{minute:02d}:00{context.timestamp_suffix}"
            natural_key = Interaction.compute_natural_key(
                account_external_id=f"ACC-{number:07d}",
                occurred_at_iso=f"{day}T{hour:02d}:{minute:02d}:00+00:00",
                kind=kind, username=owner_name, subject=subject,
            )
            if natural_key in used:
                continue
            used.add(natural_key)
            tags = normalize_tags([choice(TAGS)]) if r() < 0.35 else ""
            rows["interaction"].append((
                interaction_id, account_id, moment, kind,
                "" if kind == "note" else choice(("outbound", "inbound", "two_way")),
                owner_id, subject, tags, natural_key,
            ))
            if kind != "note" and r() < 0.55:
                rows["interaction_contact"].append((
                    tables["interaction_contact"].take_ids(1), interaction_id,
                    choice(contact_ids),
                ))
        # News, opportunities, and service records for outsourcing customers.
        if r() < 0.3:
            sentiment = choice(("positive", "neutral", "neutral", "negative"))
            happened = "cuts jobs" if sentiment == "negative" else "reports results"
            rows["news"].append((
                tables["news"].take_ids(1), account_id, context.day(between(1, 700)),
                sentiment, f"{name} {happened}",
            ))
        for _ in range(between(0, 2)):
            opportunity_id = tables["opportunity"].take_ids(1)
            created = between(30, 700)
            outcome = choice(("open", "open", "closed_won", "closed_lost"))
            stages = list(OPEN_STAGES[: between(1, 4)])
            closed = between(1, created - 10) if outcome != "open" else None
            if outcome != "open":
                stages.append(outcome)
            product_name = choice(context.products)[1]
            rows["opportunity"].append((
                opportunity_id, f"OPP-{opportunity_id:08d}", account_id,
                f"{product_name} for {name}", owner_id, stages[-1],
                f"{rng.uniform(5_000, 300_000) * size:.2f}", "USD", context.day(created),
                context.day(closed if closed else -between(10, 180)),
                context.day(closed) if closed else None,
                None if closed is None else outcome == "closed_won",
            ))
            last = closed or between(1, created)
            for position, stage in enumerate(stages):
                days_ago = created - (created - last) * position // max(len(stages) - 1, 1)
                rows["stage_change"].append((
                    tables["stage_change"].take_ids(1), opportunity_id, stage,
                    context.moment(days_ago, 11, position),
                ))
        if status == "customer" and r() < 0.05:
            for back in range(12, 0, -1):
                period = add_months(this_month, -back).strftime("%Y-%m")
                missed = r() < 0.2
                rows["metric"].append((
                    tables["metric"].take_ids(1), account_id, period,
                    "First-call resolution %", "80",
                    f"{rng.uniform(68, 79) if missed else rng.uniform(80, 90):.1f}", True,
                ))
                rows["metric"].append((
                    tables["metric"].take_ids(1), account_id, period,
                    "Average speed of answer (s)", "30",
                    f"{rng.uniform(31, 60) if missed else rng.uniform(15, 30):.1f}", False,
                ))
                rows["scope"].append((
                    tables["scope"].take_ids(1), account_id, period, "Service desk tickets",
                    "4000", f"{4000 * rng.uniform(0.9, 1.4):.0f}",
                ))
    return rows


# --- The whole run ----------------------------------------------------------------------------


def make_staff(*, accounts: int, seed: int, as_of: date) -> tuple[list, list]:
    """Managers and reps in proportion to the accounts, plus the demo's four logins."""
    rng = random.Random(f"{seed}:staff")
    password = make_password(DEMO_PASSWORD)
    rep_count = max(3, accounts // ACCOUNTS_PER_REP)
    manager_count = max(1, rep_count // REPS_PER_MANAGER)
    joined = datetime.combine(as_of - timedelta(days=900), time(9), tzinfo=UTC)

    def person(username: str, role: str, manager: User | None) -> User:
        first, last = rng.choice(BOOK_FIRST_NAMES["en"]), rng.choice(BOOK_LAST_NAMES["en"])
        return User(username=username, full_name=f"{first} {last}", first_name=first,
                    last_name=last, role=role, manager=manager, password=password,
                    email=f"{username}@{VENDOR_DOMAIN}", start_date=joined.date(),
                    date_joined=joined)

    executive = person("executive", "executive", None)
    User.objects.bulk_create([person("admin", "admin", None), executive])
    managers = [person("manager" if n == 0 else f"manager{n:03d}", "manager", executive)
                for n in range(manager_count)]
    User.objects.bulk_create(managers)
    reps = [person("rep" if n == 0 else f"rep{n:04d}", "rep", managers[n % manager_count])
            for n in range(rep_count)]
    csms = [person(f"csm{n:03d}", "rep", managers[n % manager_count])
            for n in range(max(1, rep_count // 4))]
    User.objects.bulk_create(reps + csms, batch_size=1000)
    return [(u.pk, u.username) for u in reps], [(u.pk, u.username) for u in csms]


def make_catalog(as_of: date) -> list[tuple[int, str, str]]:
    products = []
    for family_name, items in CATALOG.items():
        family = ProductFamily.objects.create(name=family_name)
        for sku, name, years in items:
            product = Product.objects.create(sku=sku, name=name, family=family,
                                             launched_on=as_of - timedelta(days=365 * years))
            products.append((product.pk, sku, family_name))
            for release, days_ahead, summary in RELEASES.get(sku, []):
                Release.objects.create(product=product, name=release, summary=summary,
                                       release_on=as_of + timedelta(days=days_ahead))
    return products


WORKER_CONTEXT: Context | None = None


def make_job(job: tuple[int, int, int]) -> dict[str, list]:
    assert WORKER_CONTEXT is not None
    return make_chunk(WORKER_CONTEXT, *job)


@contextmanager
def chunks(jobs: list[tuple[int, int, int]]) -> Iterator[Iterable[dict[str, list]]]:
    """The chunks' rows, made in one forked worker while this process writes the previous
    chunk (two cores: one makes, one writes). One worker keeps the order, and so the ids and
    the rows, the same on every run. Without fork, or for one chunk, they are made here."""
    if len(jobs) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield (make_job(job) for job in jobs)
        return
    with multiprocessing.get_context("fork").Pool(1) as pool:
        yield pool.imap(make_job, jobs)


def generate(
    *, accounts: int, seed: int, as_of: date,
    on_chunk: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write ``accounts`` accounts and everything around them; returns rows per table.
    Expects tables without rows (the command wipes or refuses first)."""
    tables = build_tables()
    for table in tables.values():
        table.next_id = (table.model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB for index building
    with transaction.atomic():
        reps, csms = make_staff(accounts=accounts, seed=seed, as_of=as_of)
        products = make_catalog(as_of)
    context = Context(
        as_of=as_of, seed=seed, reps=reps, csms=csms, products=products, tables=tables,
        timestamp_suffix="+00:00" if connection.vendor == "postgresql" else "",
    )
    this_month = month_start(as_of)
    for back in range(INVOICE_MONTHS, 0, -1):
        start = add_months(this_month, -back)
        end = add_months(start, 1) - timedelta(days=1)
        context.months.append((start, start.isoformat(), end.isoformat(),
                               (end + timedelta(days=1)).isoformat()))
    counts = {name: 0 for name in tables}
    global WORKER_CONTEXT
    WORKER_CONTEXT = context
    starts = list(range(1, accounts + 1, CHUNK))
    jobs = [(index, first, min(CHUNK, accounts + 1 - first)) for index, first in enumerate(starts)]
    with bulk_load([table.name for table in tables.values()]), chunks(jobs) as made:
        for (_index, _first, count), rows in zip(jobs, made, strict=True):
            with transaction.atomic():
                for name, table in tables.items():
                    table.write(rows[name])
                    counts[name] += len(rows[name])
            if on_chunk:
                on_chunk(count)
    with transaction.atomic():
        # The owner memberships written above are the truth; the one writer of ownership
        # fills the accounts' cached owner from them.
        ownership.refresh_cached_owners(on=as_of)
        if connection.vendor == "postgresql":
            statements = connection.ops.sequence_reset_sql(
                no_style(), [table.model for table in tables.values()])
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        AuditEntry.objects.create(
            action="demo.generate", subject=f"{accounts} generated accounts",
            detail={"accounts": accounts, "seed": seed, "as_of": as_of.isoformat()},
        )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # back to the connection's own page cache
            cursor.execute(f"PRAGMA cache_size = -{settings.SQLITE_CACHE_MIB * 1024}")
    # Without statistics after a bulk load, SQLite picks the wrong index for rules that
    # join interactions (measured: 6.5 s instead of 0.09 s for team.site_never_visited).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts
