"""The demo company: Heedful Networks, a vendor of voice, network, cloud contact centre, managed
security and professional services, with its staff and about three hundred customers.

Everything is dated relative to ``as_of`` and drawn from ``random.Random(seed)``: the same
seed and date build the same rows. The fifteen stories of PRODUCT.md sit on named accounts and
users listed in ``STORIES``; most are on the accounts of the user ``rep``, so that one login
shows them.

Rows are collected unsaved in a ``Plan`` and written with ``bulk_create`` in one transaction.
``bulk_create`` bypasses ``save()``, so derived fields are filled here explicitly.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from heedful.accounts import ownership
from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership
from heedful.billing.models import Dispute, Invoice
from heedful.catalog.models import (
    AdverseChange,
    Contract,
    Holding,
    Product,
    ProductFamily,
    Release,
)
from heedful.core.models import AuditEntry, User
from heedful.demo.meetings import build_meetings
from heedful.demo.programs import build_programs
from heedful.demo.reviews import build_reviews
from heedful.demo.sales_management import build_sales_management
from heedful.demo.vocabulary import (
    CATALOG,
    CHANNELS,
    COUNTRIES,
    COUNTRY_BY_NAME,
    DEMO_PASSWORD,
    DISLIKES,
    FIRST_NAMES,
    INDUSTRIES,
    LAST_NAMES,
    LIKES,
    NAME_WORDS,
    PREFERRED_NAMES,
    PROFESSIONAL_SERVICES,
    PRONUNCIATIONS,
    RELEASES,
    SEGMENTS,
    TITLES,
    UNIT_PRICE,
    VENDOR_DOMAIN,
    Country,
    ascii_word,
)
from heedful.health import services as health_services
from heedful.health.models import OwnerSentiment, OwnerSentimentEntry
from heedful.interactions.models import Interaction, normalize_tags
from heedful.orders.models import Order
from heedful.sales.models import Opportunity, StageChange
from heedful.support.models import ScopeRecord, ServiceMetric, Ticket

DEFAULT_SEED = 2026
BACKGROUND_ACCOUNTS = 285

OPEN_STAGES = ("qualify", "discover", "propose", "negotiate")
WON, LOST = "closed_won", "closed_lost"


# --- The stories ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    number: int
    title: str
    account_external_id: str | None
    username: str | None
    description: str


STORIES: list[Story] = [
    Story(1, "Bill tripled", "ACC-10001", "rep",
          "Tidewater Freight Lines: contracted $2,500.00/month for managed voice, billed "
          "$7,800.00 for last month; the eleven months before were about $2,500."),
    Story(2, "Rich, an e-mail person", "ACC-10002", "rep",
          "Crestline Manufacturing: CIO Richard \"Rich\" Hale prefers e-mail, dislikes phone "
          "calls and golf, likes skiing (winter) and boating (summer)."),
    Story(3, "Two years, never visited", "ACC-10003", "rep",
          "Granite Peak Credit Union: owned by rep for two years; not one site visit ever."),
    Story(4, "Phones cut off", "ACC-10004", "rep",
          "Meridian Insurance Group: severity-1 ticket \"Phones cut off at HQ\" opened a day "
          "ago; nobody on the account team has been in touch since."),
    Story(5, "Maintenance ends, price goes up", "ACC-10005", "rep",
          "Pinecrest Health System: 24x7 and 8x5 maintenance end in 45 days and a price "
          "increase is recorded; no meeting in person since."),
    Story(6, "Big order, no follow-up", "ACC-10006", "rep",
          "Stonegate Retail Group: $184,500 SD-WAN order shipped ten days ago; no contact "
          "since."),
    Story(7, "Closing 30% of offices", "ACC-10007", "rep",
          "Brightwater Financial announced closing 30% of its offices 12 days ago, while an "
          "expansion opportunity is still open."),
    Story(8, "SLA misses, scope overrun", "ACC-10008", "rep",
          "Evergreen Property Management (outsourced service desk): SLA targets missed in two "
          "of the last three months while delivered volume runs 29-40% above contracted "
          "scope."),
    Story(9, "Italian CFO, interpreter", "ACC-10009", "rep",
          "Energia Adriatica S.p.A. (large Italian utility): CFO Vittorio Sant'Angelo speaks "
          "Italian and meets us with an interpreter. The briefing 64 days ago has its "
          "transcript; the quarterly review in four days, in Italian, is the one to prepare."),
    Story(10, "Executive sponsor away nine months", "ACC-10010", "executive",
          "Northstar Media Group: executive sponsor 'executive' last met the customer nine "
          "months ago."),
    Story(11, "The \"top performer\"", "ACC-10011", "priya",
          "Marco Bellini makes the number (largest closed-won total) but opened no new "
          "accounts, leaves open opportunities with close dates long past and no stage change "
          "for months, filed last quarter's forecast late and this quarter's not at all, and "
          "sends his expense reports late and over budget. His manager Priya Raman ('priya') "
          "sees it on her landing page and his scorecard, and coached it in a deal review."),
    Story(12, "New hire in week three", None, "manager",
          "Jordan Blake started three weeks ago under 'manager' with an onboarding plan: "
          "mentor Sofia Marquez ('sofia'), weekly 1:1s, one training overdue, the "
          "territory-plan review coming up; the manager's landing page shows the progress."),
    Story(13, "Only technicians", "ACC-10013", "rep",
          "Copperfield Components: every interaction in the last 180 days was with technical "
          "contacts; the COO and operations director have not heard from us."),
    Story(14, "Doesn't know we do services", "ACC-10014", "rep",
          "Maplewood Outfitters: no professional services although half of retail customers "
          "own them, and we never discussed them."),
    Story(15, "Talks, doesn't ask", None, "brad",
          "Brad Kowalczyk's recent meetings are pitches: their transcripts hold three "
          "questions of his for every ten statements, a ratio of 0.3, and the queue tells him "
          "and his manager."),
]


# --- Staff ------------------------------------------------------------------------------------

# username, full name, role, manager, days employed
STAFF: list[tuple[str, str, str, str | None, int]] = [
    ("admin", "Sam Okonkwo", "admin", None, 2900),
    ("executive", "Catherine Duval", "executive", None, 3400),
    ("manager", "Morgan Lindqvist", "manager", "executive", 2600),
    ("priya", "Priya Raman", "manager", "executive", 2200),
    ("tomasz", "Tomasz Wiśniewski", "manager", "executive", 1900),
    ("rep", "Alex Rivera", "rep", "manager", 1500),
    ("brad", "Brad Kowalczyk", "rep", "manager", 1300),
    ("jordan", "Jordan Blake", "rep", "manager", 21),
    ("sofia", "Sofia Marquez", "rep", "manager", 2400),
    ("hannah", "Hannah Schmid", "rep", "manager", 1100),
    ("marco", "Marco Bellini", "rep", "priya", 2800),
    ("lena", "Lena Fischer", "rep", "priya", 1200),
    ("yuki", "Yuki Tanaka", "rep", "priya", 1600),
    ("kwame", "Kwame Mensah", "rep", "priya", 1400),
    ("chen", "Chen Wei", "rep", "tomasz", 1000),
    ("ines", "Inès Laurent", "rep", "tomasz", 900),
    ("amara", "Amara Nwosu", "rep", "tomasz", 1700),
    ("oliver", "Oliver Grant", "rep", "tomasz", 800),
    ("gary", "Gary Whitfield", "rep", "manager", 3000),
]
FORMER_STAFF = {"gary"}  # left the company; still the previous owner on old team rows
CSM_OF_TEAM = {"manager": "sofia", "priya": "yuki", "tomasz": "amara"}
SE_OF_TEAM = {"manager": "hannah", "priya": "kwame", "tomasz": "oliver"}
BACKGROUND_OWNERS = (("marco", 40), ("lena", 44), ("chen", 46), ("ines", 44), ("brad", 36))


# --- The plan: unsaved rows, written in one go ------------------------------------------------


@dataclass
class Plan:
    as_of: date
    rng: random.Random
    users: dict[str, User] = field(default_factory=dict)
    families: dict[str, ProductFamily] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    releases: list[Release] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    team: list[TeamMembership] = field(default_factory=list)
    holdings: list[Holding] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)
    adverse_changes: list[AdverseChange] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    news: list[NewsItem] = field(default_factory=list)
    metrics: list[ServiceMetric] = field(default_factory=list)
    scope: list[ScopeRecord] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    interaction_contacts: list[tuple[Interaction, Contact]] = field(default_factory=list)
    opportunities: list[Opportunity] = field(default_factory=list)
    stage_changes: list[StageChange] = field(default_factory=list)
    natural_keys: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    serial: dict[str, int] = field(default_factory=dict)

    def next_id(self, prefix: str, start: int) -> str:
        value = self.serial.get(prefix, start)
        self.serial[prefix] = value + 1
        return f"{prefix}-{value}"

    def day(self, days_ago: int) -> date:
        return self.as_of - timedelta(days=days_ago)

    def moment(self, days_ago: int, hour: int = 10, minute: int = 0) -> datetime:
        return datetime.combine(self.day(days_ago), time(hour, minute), tzinfo=UTC)


@dataclass
class Customer:
    """What the builder knows about one account while filling it."""

    account: Account
    country: Country
    owner: User
    owner_since: int  # days ago
    previous_owner: User | None = None
    csm: User | None = None
    se: User | None = None
    sponsor: User | None = None
    contacts: list[Contact] = field(default_factory=list)
    families: list[str] = field(default_factory=list)


def money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date) -> date:
    return add_months(first, 1) - timedelta(days=1)


def weighted(rng: random.Random, pairs: Any) -> Any:
    items = list(pairs)
    return rng.choices([item for item, _ in items], [weight for _, weight in items])[0]


# --- Building blocks --------------------------------------------------------------------------


def add_interaction(
    plan: Plan, customer: Customer, *, days_ago: int, kind: str, user: User | None,
    subject: str, contacts: Sequence[Contact] = (), tags: Sequence[str] = (),
    direction: str = "",
    hour: int | None = None,
) -> Interaction:
    rng = plan.rng
    occurred_at = plan.moment(days_ago, hour if hour is not None else rng.randint(8, 17),
                              rng.choice((0, 15, 30, 45)))
    if not direction:
        direction = {"email": "outbound", "note": "", "chat": "two_way"}.get(kind, "two_way")
    account = customer.account
    while True:
        natural_key = Interaction.compute_natural_key(
            account_external_id=account.external_id, occurred_at_iso=occurred_at.isoformat(),
            kind=kind, username=user.username if user else "", subject=subject,
        )
        if natural_key not in plan.natural_keys:
            break
        occurred_at += timedelta(minutes=7)
    plan.natural_keys.add(natural_key)
    interaction = Interaction(
        account=account, occurred_at=occurred_at, kind=kind, direction=direction, user=user,
        subject=subject, tags=normalize_tags(list(tags)), natural_key=natural_key,
    )
    plan.interactions.append(interaction)
    for contact in {id(c): c for c in contacts}.values():
        plan.interaction_contacts.append((interaction, contact))
    return interaction


def person_name(rng: random.Random, names: str) -> tuple[str, str]:
    first = rng.choice(FIRST_NAMES[names])
    last = rng.choice(LAST_NAMES[names])
    return first, last


def email_local(first: str, last: str) -> str:
    return f"{ascii_word(first)}.{ascii_word(last)}"


def phone_number(rng: random.Random, prefix: str, pattern: str) -> str:
    return prefix + "".join(str(rng.randint(0, 9)) if ch == "#" else ch for ch in pattern)


def add_contact(
    plan: Plan, customer: Customer, *, role_type: str, is_key: bool = False,
    full_name: str | None = None, **fields: Any,
) -> Contact:
    rng = plan.rng
    country = customer.country
    if full_name is None:
        first, last = person_name(rng, country.names)
        full_name = f"{first} {last}"
    else:
        first, last = full_name.split(" ", 1)
    domain = customer.account.website.removeprefix("https://").removeprefix("www.")
    local = email_local(first, last)
    email = f"{local}@{domain}"
    suffix = 2
    while email in plan.emails:
        email = f"{local}{suffix}@{domain}"
        suffix += 1
    plan.emails.add(email)
    city_prefix = dict(country.cities).get(customer.account.city, country.cities[0][1])
    values: dict[str, Any] = dict(
        external_id=plan.next_id("CON", 200001),
        account=customer.account,
        full_name=full_name,
        preferred_name=PREFERRED_NAMES.get(first, "") if rng.random() < 0.6 else "",
        pronunciation=PRONUNCIATIONS.get(first, ""),
        title=rng.choice(TITLES[role_type]),
        email=email,
        phone=phone_number(rng, city_prefix, country.phone_pattern),
        role_type=role_type,
        is_key=is_key,
        preferred_channel=weighted(rng, CHANNELS) if rng.random() < 0.8 else "",
        language=country.language if country.language != "English" or rng.random() < 0.3
        else "",
    )
    likes = rng.sample(LIKES, rng.randint(0, 2))
    values["likes"] = ";".join(likes)
    dislike = rng.choice([d for d in DISLIKES if d not in likes])
    values["dislikes"] = dislike if rng.random() < 0.35 else ""
    values.update(fields)
    contact = Contact(**values)
    contact.refresh_derived_fields()
    plan.contacts.append(contact)
    customer.contacts.append(contact)
    return contact


def unique_company_name(plan: Plan, country: Country, industry: str) -> str:
    rng = plan.rng
    words = INDUSTRIES[industry][1]
    pool = NAME_WORDS.get(country.names, ()) + NAME_WORDS["en"]
    for _ in range(200):
        first = rng.choice(NAME_WORDS[country.names] if country.names in NAME_WORDS
                           and rng.random() < 0.7 else pool)
        name = f"{first} {rng.choice(words)}"
        if name not in plan.names:
            plan.names.add(name)
            return name
    raise RuntimeError("ran out of company names")


def new_account(
    plan: Plan, *, external_id: str | None = None, name: str | None = None,
    industry: str | None = None, country: Country | None = None, segment: str | None = None,
    status: str = "customer", owner: User, city: str | None = None,
) -> tuple[Account, Country]:
    rng = plan.rng
    country = country or weighted(rng, ((c, c.weight) for c in COUNTRIES))
    industry = industry or weighted(rng, ((k, v[0]) for k, v in INDUSTRIES.items()))
    segment = segment or weighted(rng, SEGMENTS)
    if name is None:
        name = unique_company_name(plan, country, industry)
    plan.names.add(name)
    city_name, prefix = next(
        ((c, p) for c, p in country.cities if c == city), rng.choice(country.cities)
    )
    slug = ascii_word(name.split(" S.p.A.")[0])[:24]
    legal = rng.choice(country.suffixes)
    aliases = []
    if legal:
        aliases.append(f"{name} {legal}")
    initials = "".join(word[0] for word in name.split() if word[0].isalpha()).upper()
    if len(initials) >= 2 and rng.random() < 0.5:
        aliases.append(initials)
    account = Account(
        external_id=external_id or plan.next_id("ACC", 10100),
        name=name,
        industry=industry,
        segment=segment,
        status=status,
        owner=owner,
        phone=phone_number(rng, prefix, country.phone_pattern),
        website=f"https://www.{slug}.{country.tld}",
        city=city_name,
        country=country.name,
        aliases=";".join(aliases),
    )
    account.refresh_derived_fields()
    plan.accounts.append(account)
    return account, country


def employed_days(plan: Plan, user: User) -> int:
    return (plan.as_of - user.start_date).days if user.start_date else 3650


def add_team(plan: Plan, customer: Customer) -> None:
    rng = plan.rng
    account = customer.account
    start = plan.day(customer.owner_since)
    if customer.previous_owner is not None:
        before = min(customer.owner_since + rng.randint(300, 900),
                     employed_days(plan, customer.previous_owner))
        if before <= customer.owner_since + 30:
            customer.previous_owner = None
    if customer.previous_owner is not None:
        plan.team.append(TeamMembership(
            account=account, user=customer.previous_owner, role="owner",
            start_date=plan.day(before), end_date=start - timedelta(days=1),
        ))
    plan.team.append(TeamMembership(account=account, user=customer.owner, role="owner",
                                    start_date=start))
    for user, role in ((customer.csm, "csm"), (customer.se, "se"),
                       (customer.sponsor, "executive_sponsor")):
        if user is not None:
            since = rng.randint(400, 900) if role == "executive_sponsor" else rng.randint(
                200, 900)
            plan.team.append(TeamMembership(
                account=account, user=user, role=role,
                start_date=plan.day(min(since, employed_days(plan, user))),
            ))


def add_holdings(
    plan: Plan, customer: Customer, *, professional_services: bool | None = None,
    required: tuple[str, ...] = (),
) -> list[Holding]:
    rng = plan.rng
    account = customer.account
    share = INDUSTRIES[account.industry][2]
    if professional_services is None:
        professional_services = rng.random() < share
    size = {"enterprise": 4.0, "mid-market": 1.5, "smb": 0.5}[account.segment]
    families = [f for f in CATALOG if f != PROFESSIONAL_SERVICES]
    chosen = rng.sample(families, rng.randint(1, 3))
    skus = [rng.choice(CATALOG[family])[0] for family in chosen]
    if professional_services:
        skus.append(rng.choice(CATALOG[PROFESSIONAL_SERVICES])[0])
    skus = [sku for sku in dict.fromkeys([*required, *skus]) if sku != "CCC-DESK"
            or sku in required]
    holdings = []
    for sku in skus:
        product = plan.products[sku]
        per_unit = UNIT_PRICE[sku]
        is_service = product.family.name == PROFESSIONAL_SERVICES
        quantity = 1 if per_unit >= 900 or is_service else max(
            5, int(rng.randint(20, 200) * size))
        tier = "none" if is_service else weighted(
            rng, (("24x7", 45 if size > 1 else 20), ("8x5", 45), ("none", 10)))
        holding = Holding(
            account=account, product=product, quantity=quantity, maintenance_tier=tier,
            maintenance_end=None if tier == "none" else plan.day(-rng.randint(120, 720)),
        )
        plan.holdings.append(holding)
        holdings.append(holding)
        customer.families.append(product.family.name)
    return holdings


def add_contract(
    plan: Plan, customer: Customer, *, name: str, monthly_usd: float,
    started_days_ago: int | None = None, ends_in_days: int | None = None,
    billing_period: str = "monthly", notice_days: int = 90,
) -> Contract:
    rng = plan.rng
    country = customer.country
    started = started_days_ago if started_days_ago is not None else rng.randint(400, 1300)
    ends = ends_in_days if ends_in_days is not None else rng.randint(150, 900)
    per_month = monthly_usd * country.rate
    per_period = {"monthly": 1, "quarterly": 3, "annual": 12}[billing_period]
    contract = Contract(
        external_id=plan.next_id("CTR", 50001), account=customer.account, name=name,
        start_date=month_start(plan.day(started)), end_date=month_end(month_start(
            plan.day(-ends))),
        recurring_amount=money(round(per_month * per_period, -1 if per_month > 100 else 0)),
        currency=country.currency, billing_period=billing_period, notice_days=notice_days,
    )
    plan.contracts.append(contract)
    return contract


def add_invoices(
    plan: Plan, contract: Contract, *, months: int = 12,
    amounts: dict[int, Decimal] | None = None,
) -> list[Invoice]:
    """Invoices for the ``months`` complete months before ``as_of``; ``amounts`` overrides the
    amount of the invoice ``n`` months back (1 is the latest)."""
    rng = plan.rng
    step = {"monthly": 1, "quarterly": 3, "annual": 12}[contract.billing_period]
    this_month = month_start(plan.as_of)
    invoices = []
    for back in range(months, 0, -1):
        start = add_months(this_month, -back)
        if start < contract.start_date or start > contract.end_date or (back - 1) % step:
            continue
        end = month_end(add_months(start, step - 1))
        issued = end + timedelta(days=1)
        if issued > plan.as_of:
            continue
        base = contract.recurring_amount or Decimal("0")
        if amounts and back in amounts:
            amount = amounts[back]
        elif rng.random() < 0.7:
            amount = base
        else:
            amount = money(float(base) * (1 + rng.uniform(0.0, 0.04)))
        invoice = Invoice(
            invoice_number=plan.next_id("INV", 700001), account=contract.account,
            contract=contract, period_start=start, period_end=end, issued_on=issued,
            amount=amount, currency=contract.currency,
        )
        plan.invoices.append(invoice)
        invoices.append(invoice)
        if amounts is None and rng.random() < 0.03 and (plan.as_of - issued).days > 40:
            opened = issued + timedelta(days=rng.randint(5, 15))
            plan.disputes.append(Dispute(
                invoice=invoice, opened_on=opened, amount=money(float(amount) * 0.1),
                status="resolved", resolved_on=opened + timedelta(days=rng.randint(6, 25)),
            ))
    return invoices


TICKET_SUBJECTS = (
    "Calls dropping on SIP trunk", "Branch router offline", "Agent seat cannot log in",
    "Slow internet at branch", "Voicemail not delivering to e-mail", "Firewall rule change",
    "Wi-Fi dead spot in warehouse", "IVR prompt plays wrong language", "Invoice query",
    "Number porting request", "Phishing alert escalated by SOC", "Jitter on video calls",
)
ORDER_ITEMS = (
    ("NET-SDW", "SD-WAN edge appliances"), ("NET-WIFI", "Wi-Fi access points"),
    ("VOI-UCX", "UC seats"), ("CCC-SEAT", "contact centre seats"),
    ("SEC-FW", "managed firewalls"), ("VOI-MOB", "mobile lines"),
)
EMAIL_SUBJECTS = (
    "Follow-up from our call", "Summary of action items", "Updated proposal", "Renewal timeline",
    "Invoice question answered", "Maintenance options", "Change request confirmed",
    "Introductions: our support lead",
)
CALL_SUBJECTS = ("Check-in call", "Billing question", "Rollout status call", "Planning call")
MEETING_SUBJECTS = ("Architecture workshop", "Project kickoff", "Service review",
                    "Security posture review", "Capacity planning")
NOTE_SUBJECTS = ("Account plan updated", "Org change noted", "Competitor pitching them",
                 "Budget cycle starts in Q1")


def add_tickets(plan: Plan, customer: Customer, *, horizon: int) -> None:
    """Past tickets, each resolved and followed by a check-in call; now and then one still
    pending that we have already called about. Nothing happens in the last ``horizon`` days."""
    rng = plan.rng
    reporters = [c for c in customer.contacts if c.role_type == "technical"] or customer.contacts
    count = {"enterprise": 5, "mid-market": 3, "smb": 2}[customer.account.segment]
    for _ in range(rng.randint(1, count)):
        opened_ago = rng.randint(horizon + 12, 360)
        severity = weighted(rng, ((2, 15), (3, 50), (4, 35)))
        opened = plan.moment(opened_ago, rng.randint(7, 18), rng.randint(0, 59))
        resolved = opened + timedelta(hours=rng.randint(2, 24 * (severity + 1)))
        age = (plan.as_of - resolved.date()).days
        reporter = rng.choice(reporters)
        ticket = Ticket(
            external_id=plan.next_id("TCK", 300001), account=customer.account,
            contact=reporter, opened_at=opened, severity=severity,
            subject=rng.choice(TICKET_SUBJECTS), status="closed" if age > 14 else "resolved",
            resolved_at=resolved,
        )
        plan.tickets.append(ticket)
        checkin = age - rng.randint(1, 3)
        add_interaction(plan, customer, days_ago=checkin, kind="call",
                        user=customer.csm or owner_at(customer, checkin),
                        subject=f"Checked {ticket.external_id} is fixed",
                        contacts=[reporter], tags=["support"])
    if horizon <= 3 and rng.random() < 0.15:
        opened_ago = rng.randint(3, 6)
        reporter = rng.choice(reporters)
        ticket = Ticket(
            external_id=plan.next_id("TCK", 300001), account=customer.account,
            contact=reporter,
            opened_at=plan.moment(opened_ago, 9, rng.randint(0, 59)),
            severity=weighted(rng, ((3, 60), (4, 40))), subject=rng.choice(TICKET_SUBJECTS),
            status="pending",
        )
        plan.tickets.append(ticket)
        add_interaction(plan, customer, days_ago=opened_ago - 1, kind="call",
                        user=customer.csm or customer.owner,
                        subject=f"Called about {ticket.external_id}", contacts=[reporter],
                        tags=["support"])


def add_orders(plan: Plan, customer: Customer, *, horizon: int) -> None:
    rng = plan.rng
    size = {"enterprise": 3.0, "mid-market": 1.0, "smb": 0.3}[customer.account.segment]
    for _ in range(rng.randint(0, 3)):
        sku, item = rng.choice(ORDER_ITEMS)
        quantity = max(2, int(rng.randint(5, 60) * size))
        ordered = rng.randint(horizon + 30, 380)
        shipped = ordered - rng.randint(4, 14)
        delivered = shipped - rng.randint(1, 4)
        order = Order(
            external_id=plan.next_id("ORD", 400001), account=customer.account,
            ordered_on=plan.day(ordered), shipped_on=plan.day(shipped),
            delivered_on=plan.day(delivered),
            amount=money(quantity * UNIT_PRICE[sku] * 6 * customer.country.rate),
            currency=customer.country.currency, description=f"{quantity} × {item}",
        )
        plan.orders.append(order)
        add_interaction(plan, customer, days_ago=delivered - 1, kind="email",
                        user=owner_at(customer, delivered - 1),
                        subject=f"Did order {order.external_id} arrive OK?",
                        contacts=[rng.choice(customer.contacts)], tags=["order"])


def owner_at(customer: Customer, days_ago: int) -> User:
    if customer.previous_owner is not None and days_ago > customer.owner_since:
        return customer.previous_owner
    return customer.owner


def add_timeline(
    plan: Plan, customer: Customer, *, horizon: int = 1, visits: bool = True,
    technical_only_days: int = 0, discuss_professional_services: bool = True,
    roadmap: bool = True,
) -> None:
    """The everyday timeline of a healthy account: regular e-mails, calls and meetings with
    every key contact, a recent visit, a roadmap briefing and a service review."""
    rng = plan.rng
    account = customer.account
    technical = [c for c in customer.contacts if c.role_type == "technical"]
    key = [c for c in customer.contacts if c.is_key]

    def who(days_ago: int, pool: list[Contact], kind: str = "") -> list[Contact]:
        if technical_only_days and days_ago <= technical_only_days:
            pool = [c for c in pool if c.role_type == "technical"] or technical
        if kind == "call":
            pool = [c for c in pool if "phone calls" not in c.dislikes] or technical
        return rng.sample(pool, min(len(pool), rng.randint(1, 2)))

    def day_in(low: int, high: int) -> int:
        return rng.randint(max(low, horizon), max(high, horizon))

    families = [f.lower() for f in dict.fromkeys(customer.families)]
    for _ in range(rng.randint(8, 16)):
        days_ago = day_in(2, 540)
        kind = weighted(rng, (("email", 35), ("call", 25), ("meeting", 20), ("note", 10),
                              ("chat", 5)))
        subject = rng.choice({"email": EMAIL_SUBJECTS, "call": CALL_SUBJECTS,
                              "meeting": MEETING_SUBJECTS, "note": NOTE_SUBJECTS,
                              "chat": ("Quick question", "Login help")}[kind])
        tags = [rng.choice(families)] if families and rng.random() < 0.4 else []
        if rng.random() < 0.15:
            tags.append(rng.choice(("pricing", "billing", "renewal", "expansion")))
        user = owner_at(customer, days_ago)
        if kind in ("meeting", "call") and customer.se and rng.random() < 0.3:
            user = customer.se
        add_interaction(plan, customer, days_ago=days_ago, kind=kind, user=user,
                        subject=subject, tags=tags,
                        contacts=[] if kind == "note" else who(days_ago, customer.contacts,
                                                               kind),
                        direction="inbound" if kind == "email" and rng.random() < 0.4 else "")
    # Every key contact heard from us in the last ten weeks.
    for contact in key:
        days_ago = day_in(3, 70)
        channel = contact.preferred_channel or "email"
        kind = {"email": "email", "phone": "call", "in_person": "meeting", "video": "meeting",
                "chat": "chat"}[channel]
        add_interaction(plan, customer, days_ago=days_ago, kind=kind,
                        user=owner_at(customer, days_ago),
                        subject=f"Catch-up with {contact.preferred_name or contact.full_name}",
                        contacts=who(days_ago, [contact]))
    if roadmap and families:
        days_ago = day_in(20, 150)
        family = rng.choice(families)
        add_interaction(plan, customer, days_ago=days_ago, kind="meeting",
                        user=customer.se or customer.owner,
                        subject=f"Roadmap briefing: {family.title()}",
                        tags=["roadmap", family], contacts=who(days_ago, customer.contacts))
    days_ago = day_in(30, 100)
    add_interaction(plan, customer, days_ago=days_ago, kind="meeting",
                    user=owner_at(customer, days_ago), subject="Quarterly business review",
                    tags=["qbr"],
                    contacts=who(days_ago, key or customer.contacts))
    if visits:
        days_ago = day_in(20, 200)
        add_interaction(plan, customer, days_ago=days_ago, kind="visit",
                        user=owner_at(customer, days_ago),
                        subject=f"Site visit: {account.city} offices",
                        contacts=who(days_ago, key or customer.contacts))
    if customer.previous_owner is not None:
        days_ago = max(customer.owner_since - rng.randint(3, 12), horizon, 1)
        add_interaction(plan, customer, days_ago=days_ago, kind="meeting", user=customer.owner,
                        subject="Introduction: your new account manager",
                        tags=["introduction"], contacts=who(days_ago, key or customer.contacts))
    if (discuss_professional_services and PROFESSIONAL_SERVICES.lower() not in families
            and rng.random() < 0.85):
        days_ago = day_in(30, 330)
        add_interaction(plan, customer, days_ago=days_ago, kind="meeting",
                        user=owner_at(customer, days_ago),
                        subject="What our professional services team could do for you",
                        tags=[PROFESSIONAL_SERVICES], contacts=who(days_ago, customer.contacts))
    if rng.random() < 0.06:
        days_ago = day_in(5, 120)
        add_interaction(plan, customer, days_ago=days_ago, kind="email",
                        user=owner_at(customer, days_ago), direction="inbound",
                        subject="Thank you for the smooth cut-over",
                        tags=["praise"], contacts=who(days_ago, key or customer.contacts))


def add_contacts(plan: Plan, customer: Customer) -> None:
    rng = plan.rng
    add_contact(plan, customer, role_type="executive", is_key=True)
    add_contact(plan, customer, role_type="business", is_key=True)
    add_contact(plan, customer, role_type="technical", is_key=True)
    for _ in range(rng.randint(0, 3)):
        add_contact(plan, customer, role_type=weighted(
            rng, (("business", 35), ("technical", 45), ("procurement", 20))))


def add_opportunities(
    plan: Plan, customer: Customer, *, count: int | None = None, stale: bool = False,
    won_scale: float = 1.0, only_open: bool = False,
) -> None:
    rng = plan.rng
    size = {"enterprise": 250_000, "mid-market": 60_000, "smb": 15_000}[customer.account.segment]
    for _ in range(rng.randint(0, 2) if count is None else count):
        outcome = "open" if only_open else weighted(rng, ((WON, 35), (LOST, 25), ("open", 40)))
        created = rng.randint(60, 400)
        product = rng.choice(list(plan.products.values()))
        amount = money(size * rng.uniform(0.3, 1.5) * (won_scale if outcome == WON else 1))
        opportunity = Opportunity(
            external_id=plan.next_id("OPP", 600001), account=customer.account,
            name=f"{product.name} for {customer.account.name}", owner=customer.owner,
            amount=amount, currency="USD", created_on=plan.day(created), stage=OPEN_STAGES[0],
        )
        stages = list(OPEN_STAGES)
        if outcome == "open":
            reached = rng.randint(1, len(stages))
            stages = stages[:reached]
            if stale:
                opportunity.close_date = plan.day(rng.randint(20, 120))
                last_change = rng.randint(130, 200)
                created = max(created, last_change + 10 * len(stages))
                opportunity.created_on = plan.day(created)
            else:
                opportunity.close_date = plan.day(-rng.randint(15, 150))
                created = min(created, 200)
                opportunity.created_on = plan.day(created)
                last_change = rng.randint(2, 25)
        else:
            closed = rng.randint(5, max(created - 30, 6))
            opportunity.close_date = plan.day(closed)
            opportunity.closed_on = plan.day(closed)
            opportunity.won = outcome == WON
            stages.append(outcome)
            last_change = closed
        opportunity.stage = stages[-1]
        plan.opportunities.append(opportunity)
        span = max(created - last_change, 1)
        for index, stage in enumerate(stages):
            days_ago = created - span * index // max(len(stages) - 1, 1)
            plan.stage_changes.append(StageChange(
                opportunity=opportunity, stage=stage,
                changed_at=plan.moment(max(days_ago, last_change), 11, index),
            ))


NEUTRAL_NEWS = (
    "{name} names a new chief executive", "{name} reports steady quarterly results",
    "{name} opens a new headquarters in {city}", "{name} wins industry award",
    "{name} completes acquisition of a regional competitor",
)


def add_news(plan: Plan, customer: Customer) -> None:
    rng = plan.rng
    account = customer.account
    if rng.random() < 0.3:
        plan.news.append(NewsItem(
            account=account, occurred_on=plan.day(rng.randint(15, 300)),
            sentiment=weighted(rng, (("positive", 60), ("neutral", 40))),
            headline=rng.choice(NEUTRAL_NEWS).format(name=account.name, city=account.city),
        ))
    if rng.random() < 0.04:
        plan.news.append(NewsItem(
            account=account, occurred_on=plan.day(rng.randint(150, 330)), sentiment="negative",
            headline=f"{account.name} misses revenue guidance",
        ))


def add_service_records(
    plan: Plan, customer: Customer, *, months: int = 6,
    missed_months_back: tuple[int, ...] = (), overrun: dict[int, float] | None = None,
) -> None:
    """Monthly SLA metrics and delivered-vs-contracted scope for an outsourcing customer.
    ``missed_months_back``: months (1 = last month) whose targets were missed; ``overrun``:
    delivered over contracted per month back (default within a few percent)."""
    rng = plan.rng
    this_month = month_start(plan.as_of)
    for back in range(months, 0, -1):
        period = add_months(this_month, -back).strftime("%Y-%m")
        missed = back in missed_months_back
        for metric, target, better, good, bad in (
            ("First-call resolution %", 80, True, (81, 88), (68, 76)),
            ("Average speed of answer (s)", 30, False, (18, 29), (41, 63)),
            ("Tickets resolved within SLA %", 95, True, (95.2, 98.5), (86, 92)),
        ):
            low, high = bad if missed else good
            plan.metrics.append(ServiceMetric(
                account=customer.account, period=period, metric=metric, target=Decimal(target),
                actual=Decimal(f"{rng.uniform(low, high):.1f}"), higher_is_better=better,
            ))
        ratio = (overrun or {}).get(back, rng.uniform(0.95, 1.05))
        for function, contracted in (("Service desk tickets", 4000), ("Desk-side visits", 250)):
            plan.scope.append(ScopeRecord(
                account=customer.account, period=period, function=function,
                contracted_quantity=Decimal(contracted),
                delivered_quantity=Decimal(round(contracted * ratio)),
            ))


def standard_customer(
    plan: Plan, customer: Customer, *, horizon: int = 1, visits: bool = True,
    professional_services: bool | None = None, standard_contract: bool = True,
    required_skus: tuple[str, ...] = (), **timeline: Any,
) -> None:
    """Fill an account with a healthy customer's records."""
    add_team(plan, customer)
    add_contacts(plan, customer)
    holdings = add_holdings(plan, customer, professional_services=professional_services,
                            required=required_skus)
    if standard_contract:
        monthly = sum(UNIT_PRICE[h.product.sku] * h.quantity for h in holdings) or 1500
        contract = add_contract(plan, customer, name="Managed services agreement",
                                monthly_usd=monthly,
                                billing_period=weighted(plan.rng, (("monthly", 85),
                                                                   ("quarterly", 15))))
        add_invoices(plan, contract)
    add_tickets(plan, customer, horizon=horizon)
    add_orders(plan, customer, horizon=horizon)
    add_timeline(plan, customer, horizon=horizon, visits=visits, **timeline)
    add_news(plan, customer)


# --- The accounts -----------------------------------------------------------------------------


def build_staff(plan: Plan) -> None:
    password = make_password(DEMO_PASSWORD)  # hashed once for every demo user
    for username, full_name, role, manager, days in STAFF:
        started = plan.day(days)
        user = User(
            username=username, full_name=full_name, role=role,
            first_name=full_name.split(" ")[0], last_name=full_name.split(" ", 1)[1],
            email=f"{username}@{VENDOR_DOMAIN}", password=password,
            manager=plan.users.get(manager) if manager else None, start_date=started,
            is_active=username not in FORMER_STAFF,
            date_joined=datetime.combine(started, time(9), tzinfo=UTC),
        )
        plan.users[username] = user
        # Managers come before their reports in STAFF, so each can point at a saved row.
        User.objects.bulk_create([user])


def build_catalog(plan: Plan) -> None:
    for family_name, products in CATALOG.items():
        family = ProductFamily(name=family_name)
        plan.families[family_name] = family
        for sku, name, years in products:
            plan.products[sku] = Product(
                sku=sku, name=name, family=family, launched_on=plan.day(365 * years + 40)
            )
    for sku, releases in RELEASES.items():
        for name, days_ahead, summary in releases:
            plan.releases.append(Release(product=plan.products[sku], name=name,
                                         release_on=plan.day(-days_ahead), summary=summary))


def team_of(plan: Plan, owner: User) -> tuple[User, User]:
    lead = owner.manager.username if owner.manager else "manager"
    return plan.users[CSM_OF_TEAM.get(lead, "sofia")], plan.users[SE_OF_TEAM.get(lead, "hannah")]


def customer_for(
    plan: Plan, account: Account, country: Country, owner: User, *, owner_since: int,
    previous_owner: User | None = None, sponsor: User | None = None,
) -> Customer:
    rng = plan.rng
    csm, se = team_of(plan, owner)
    return Customer(
        account=account, country=country, owner=owner, owner_since=owner_since,
        previous_owner=previous_owner, sponsor=sponsor,
        csm=csm if account.segment != "smb" and rng.random() < 0.6 else None,
        se=se if rng.random() < 0.35 else None,
    )


def build_story_accounts(plan: Plan) -> None:
    users = plan.users
    rep, executive = users["rep"], users["executive"]
    us = COUNTRY_BY_NAME["United States"]
    rng = plan.rng

    def story_account(number: int, name: str, industry: str, city: str, *,
                      segment: str = "enterprise", country: Country = us,
                      owner: User = rep, owner_since: int = 900,
                      previous_owner: User | None = None,
                      sponsor: User | None = None) -> Customer:
        account, country = new_account(
            plan, external_id=f"ACC-{10000 + number}", name=name, industry=industry,
            country=country, segment=segment, owner=owner, city=city,
        )
        customer = customer_for(plan, account, country, owner, owner_since=owner_since,
                                previous_owner=previous_owner, sponsor=sponsor)
        return customer

    # 1. Contracted at $2,500 a month, billed $7,800 last month.
    c = story_account(1, "Tidewater Freight Lines", "Logistics", "Atlanta", segment="mid-market")
    standard_customer(plan, c, standard_contract=False)
    contract = add_contract(plan, c, name="Managed voice & SIP trunking", monthly_usd=2500,
                            started_days_ago=700, ends_in_days=400)
    contract.recurring_amount = Decimal("2500.00")
    add_invoices(plan, contract, amounts={
        back: Decimal("2500.00") for back in range(2, 13)
    } | {5: Decimal("2531.40"), 1: Decimal("7800.00")})

    # 2. Rich, the e-mail person who hates golf.
    c = story_account(2, "Crestline Manufacturing", "Manufacturing", "Chicago")
    rich = add_contact(
        plan, c, role_type="executive", is_key=True, full_name="Richard Hale",
        preferred_name="Rich", pronunciation="Rich (never \"Mitch\")",
        title="Chief Information Officer", preferred_channel="email", language="English",
        likes="skiing (winter);boating (summer)", dislikes="phone calls;golf",
    )
    standard_customer(plan, c)
    for days_ago, subject, direction, tags in (
        (130, "Invitation: customer golf day", "outbound", ["golf"]),
        (129, "Re: Invitation: customer golf day — I hate golf", "inbound", []),
        (44, "Voice contract questions", "inbound", ["voice"]),
        (41, "Re: Voice contract questions", "outbound", ["voice"]),
        (12, "Anything we should know before ski season?", "outbound", []),
    ):
        add_interaction(plan, c, days_ago=days_ago, kind="email", user=rep, subject=subject,
                        contacts=[rich], tags=tags, direction=direction)

    # 3. Owner for two years, never visited.
    c = story_account(3, "Granite Peak Credit Union", "Financial Services", "Denver",
                      segment="mid-market", owner_since=740, previous_owner=users["gary"])
    standard_customer(plan, c, visits=False)

    # 4. Phones cut off at HQ yesterday; nobody on our side knows.
    c = story_account(4, "Meridian Insurance Group", "Insurance", "Boston")
    standard_customer(plan, c, horizon=9, required_skus=("VOI-SIP", "VOI-PBX"))
    telecom = add_contact(plan, c, role_type="technical", is_key=True,
                          full_name="Dolores Nuñez", title="Telecom Manager",
                          preferred_channel="phone")
    add_interaction(plan, c, days_ago=30, kind="call", user=rep, contacts=[telecom],
                    subject="SIP capacity for the new call centre", tags=["voice"])
    plan.tickets.append(Ticket(
        external_id="TCK-STORY-4", account=c.account, contact=telecom,
        opened_at=plan.moment(1, 8, 12), severity=1, subject="Phones cut off at HQ",
        status="open",
    ))

    # 5. Maintenance ends in 45 days; price increase recorded; 24x7 vs 8x5.
    c = story_account(5, "Pinecrest Health System", "Healthcare", "Seattle")
    standard_customer(plan, c, horizon=7)
    ends = plan.day(-45)
    for holding in [h for h in plan.holdings if h.account is c.account]:
        holding.maintenance_end = None if holding.maintenance_tier == "none" else plan.day(
            -rng.randint(200, 500))
    for sku, tier, quantity in (("VOI-PBX", "24x7", 3), ("NET-MPLS", "24x7", 6),
                                ("VOI-SIP", "8x5", 480)):
        existing = [h for h in plan.holdings if h.account is c.account and h.product.sku == sku]
        holding = existing[0] if existing else Holding(account=c.account,
                                                       product=plan.products[sku])
        holding.maintenance_tier, holding.maintenance_end, holding.quantity = tier, ends, quantity
        if not existing:
            plan.holdings.append(holding)
    add_contract(plan, c, name="Maintenance & support (PBX, MPLS, SIP)", monthly_usd=9400,
                 started_days_ago=1050, ends_in_days=45, notice_days=30)
    plan.contracts[-1].end_date = ends
    add_invoices(plan, plan.contracts[-1])
    plan.adverse_changes.append(AdverseChange(
        account=c.account, kind="price_increase", effective_on=ends + timedelta(days=1),
        recorded_on=plan.day(6),
        summary="24x7 maintenance list price rises 22% at renewal (8x5 rises 6%). Options: "
        "move the PBX to 8x5, upgrade the older PBX 7 gear, or a three-year term at today's "
        "price.",
    ))

    # 6. A large order shipped ten days ago; no follow-up.
    c = story_account(6, "Stonegate Retail Group", "Retail", "Columbus")
    standard_customer(plan, c, horizon=11, professional_services=True)
    plan.orders.append(Order(
        external_id="ORD-STORY-6", account=c.account, ordered_on=plan.day(32),
        shipped_on=plan.day(10), delivered_on=plan.day(8), amount=Decimal("184500.00"),
        currency="USD", description="SD-WAN rollout: 120 branch edge appliances",
    ))

    # 7. Announced closing 30% of its offices; an expansion deal is still open.
    c = story_account(7, "Brightwater Financial", "Financial Services", "Charlotte")
    standard_customer(plan, c, horizon=13)
    plan.news.append(NewsItem(
        account=c.account, occurred_on=plan.day(12), sentiment="negative",
        headline="Brightwater Financial announced closing 30% of its offices",
    ))
    opportunity = Opportunity(
        external_id="OPP-STORY-7", account=c.account, name="New branch connectivity (SD-WAN)",
        owner=rep, stage="propose", amount=Decimal("145000.00"), currency="USD",
        created_on=plan.day(75), close_date=plan.day(-30),
    )
    plan.opportunities.append(opportunity)
    for index, (stage, days_ago) in enumerate((("qualify", 75), ("discover", 50),
                                                ("propose", 20))):
        plan.stage_changes.append(StageChange(opportunity=opportunity, stage=stage,
                                              changed_at=plan.moment(days_ago, 11, index)))

    # 8. Outsourced service desk: SLAs missed while volume runs far above scope.
    c = story_account(8, "Evergreen Property Management", "Hospitality", "Phoenix")
    standard_customer(plan, c, required_skus=("CCC-DESK",), standard_contract=False)
    contract = add_contract(plan, c, name="Outsourced service desk (4,000 tickets/month)",
                            monthly_usd=14000, started_days_ago=800, ends_in_days=500)
    contract.recurring_amount = Decimal("14000.00")
    add_invoices(plan, contract)
    add_service_records(plan, c, months=6, missed_months_back=(1, 2),
                        overrun={6: 1.02, 5: 1.06, 4: 1.12, 3: 1.29, 2: 1.355, 1: 1.40})

    # 9. The CFO of a large Italian utility, who meets us with an interpreter.
    italy = COUNTRY_BY_NAME["Italy"]
    c = story_account(9, "Energia Adriatica S.p.A.", "Utilities", "Milano", country=italy)
    cfo = add_contact(
        plan, c, role_type="executive", is_key=True, full_name="Vittorio Sant'Angelo",
        preferred_name="Dottor Sant'Angelo",
        pronunciation="vee-TOR-yoh sahnt-AHN-jeh-loh; speaks Italian: bring an interpreter",
        title="Chief Financial Officer (CFO)", preferred_channel="in_person",
        language="Italian", likes="opera;Formula 1", dislikes="laptops open in meetings",
    )
    standard_customer(plan, c)
    add_interaction(plan, c, days_ago=64, kind="meeting", user=rep, contacts=[cfo],
                    subject="Executive briefing with the CFO (Italian interpreter present)",
                    tags=["executive", "interpreter"])
    add_interaction(plan, c, days_ago=63, kind="note", user=rep,
                    subject="CFO meetings: book an Italian interpreter; laptops closed",
                    tags=["interpreter"])

    # 10. An executive sponsor who has not seen the customer in nine months.
    c = story_account(10, "Northstar Media Group", "Media", "New York", sponsor=executive)
    standard_customer(plan, c)
    add_interaction(plan, c, days_ago=273, kind="visit", user=executive,
                    subject="Executive sponsor visit: annual strategy review",
                    tags=["executive"], contacts=[x for x in c.contacts if x.is_key])

    # 11. The "top performer": Marco's biggest account (more in build_background).
    marco = users["marco"]
    c = story_account(11, "Goldleaf Capital", "Financial Services", "New York", owner=marco,
                      owner_since=2400)
    standard_customer(plan, c)
    for name, amount, closed in (("Trading-floor voice refresh", "420000.00", 40),
                                 ("SOC monitoring, three years", "310000.00", 120)):
        won = Opportunity(
            external_id=plan.next_id("OPP", 600001), account=c.account, name=name, owner=marco,
            stage=WON, amount=Decimal(amount), currency="USD", created_on=plan.day(closed + 90),
            close_date=plan.day(closed), closed_on=plan.day(closed), won=True,
        )
        plan.opportunities.append(won)
        plan.stage_changes.append(StageChange(opportunity=won, stage=WON,
                                              changed_at=plan.moment(closed, 16)))
    add_opportunities(plan, c, count=2, stale=True)

    # 13. Only technicians in the last 180 days.
    c = story_account(13, "Copperfield Components", "Manufacturing", "Columbus",
                      segment="mid-market")
    standard_customer(plan, c, technical_only_days=180)
    add_contact(plan, c, role_type="technical", title="Network Engineer")
    for contact in c.contacts:
        contact.title = {"executive": "Chief Operating Officer",
                         "business": "Director of Operations"}.get(contact.role_type,
                                                                   contact.title)
    keep_to_technical(plan, c, days=180)

    # 14. Does not know we sell professional services.
    c = story_account(14, "Maplewood Outfitters", "Retail", "Denver", segment="mid-market")
    # It owns one product of every other family, so services is the one family it lacks.
    every_other_family = tuple(
        products[0][0] for family, products in CATALOG.items() if family != PROFESSIONAL_SERVICES
    )
    standard_customer(plan, c, professional_services=False, required_skus=every_other_family,
                      discuss_professional_services=False)


def keep_to_technical(plan: Plan, customer: Customer, *, days: int) -> None:
    """Story 13: whoever else an interaction of the last ``days`` involved, it was only ever
    with the customer's technical people."""
    since = plan.moment(days, 0)
    technical = [c for c in customer.contacts if c.role_type == "technical"]
    kept: list[tuple[Interaction, Contact]] = []
    seen: set[tuple[int, int]] = set()
    for interaction, contact in plan.interaction_contacts:
        if (interaction.account is customer.account and interaction.occurred_at >= since
                and contact.role_type != "technical"):
            contact = technical[len(kept) % len(technical)]
        if (id(interaction), id(contact)) not in seen:
            seen.add((id(interaction), id(contact)))
            kept.append((interaction, contact))
    plan.interaction_contacts[:] = kept


def build_background(plan: Plan) -> None:
    """About 285 more accounts: customers, prospects and a few former customers."""
    rng = plan.rng
    users = plan.users
    owners = [(users[name], weight) for name, weight in BACKGROUND_OWNERS]
    sponsor_slots = 12
    for index in range(BACKGROUND_ACCOUNTS):
        if index < 4:
            owner = users["rep"]
        elif index < 7:
            owner = users["jordan"]
        else:
            owner = weighted(rng, owners)
        status = "customer"
        if index >= 7 and owner.username != "marco":
            status = weighted(rng, (("customer", 86), ("prospect", 10), ("former", 4)))
        industry = "Retail" if index % 9 == 0 else None  # enough retail for story 14
        account, country = new_account(plan, owner=owner, status=status, industry=industry)
        if owner.username == "jordan":
            # Taken over from Lena two weeks ago; Jordan introduced themselves since.
            customer = customer_for(plan, account, country, owner, owner_since=14,
                                    previous_owner=users["lena"])
        else:
            previous = None
            if rng.random() < 0.35:
                previous = weighted(rng, owners + [(users["gary"], 30)])
                previous = None if previous is owner else previous
            owner_since = rng.randint(200, 1500) if owner.username != "marco" else \
                rng.randint(1200, 2600)
            owner_since = min(owner_since, employed_days(plan, owner) - 30)
            sponsor = None
            if account.segment == "enterprise" and status == "customer" and sponsor_slots:
                sponsor_slots -= 1
                sponsor = users["executive"]
            customer = customer_for(plan, account, country, owner,
                                    owner_since=min(owner_since, 1400), previous_owner=previous,
                                    sponsor=sponsor)
        if status == "prospect":
            build_prospect(plan, customer)
        elif status == "former":
            build_former(plan, customer)
        else:
            outsourcing = index % 31 == 5
            standard_customer(plan, customer,
                              required_skus=("CCC-DESK",) if outsourcing else ())
            if outsourcing:
                add_service_records(plan, customer, months=6)
            if customer.sponsor is not None:
                days_ago = rng.randint(15, 110)
                add_interaction(plan, customer, days_ago=days_ago, kind="visit",
                                user=customer.sponsor, subject="Executive sponsor visit",
                                tags=["executive"],
                                contacts=[x for x in customer.contacts if x.is_key][:2])
            if owner.username == "marco":
                add_opportunities(plan, customer, count=rng.randint(0, 2), stale=True,
                                  won_scale=1.8)
            else:
                add_opportunities(plan, customer)
    build_brads_pitches(plan)


def build_prospect(plan: Plan, customer: Customer) -> None:
    rng = plan.rng
    add_team(plan, customer)
    add_contact(plan, customer, role_type="executive", is_key=True)
    add_contact(plan, customer, role_type="technical")
    for _ in range(rng.randint(2, 5)):
        days_ago = rng.randint(2, 80)
        add_interaction(plan, customer, days_ago=days_ago,
                        kind=weighted(rng, (("email", 50), ("call", 30), ("meeting", 20))),
                        user=customer.owner, subject="Discovery: how do you run voice today?",
                        contacts=customer.contacts[:1], tags=["new logo"])
    add_opportunities(plan, customer, count=1, only_open=True)


def build_former(plan: Plan, customer: Customer) -> None:
    rng = plan.rng
    add_team(plan, customer)
    add_contact(plan, customer, role_type="executive", is_key=False)
    add_contact(plan, customer, role_type="technical")
    contract = add_contract(plan, customer, name="Managed services agreement (ended)",
                            monthly_usd=rng.randint(800, 6000), started_days_ago=1300,
                            ends_in_days=-200)
    add_invoices(plan, contract, months=12)
    add_interaction(plan, customer, days_ago=215, kind="meeting", user=customer.owner,
                    subject="Exit review: why they left", tags=["churn"],
                    contacts=customer.contacts[:1])


def build_brads_pitches(plan: Plan) -> None:
    """Story 15: Brad's meetings are pitches. The question ratio itself needs transcripts."""
    rng = plan.rng
    brad = plan.users["brad"]
    accounts = [a for a in plan.accounts if a.owner is brad and a.status == "customer"]
    contacts_by_account: dict[int, list[Contact]] = {}
    for contact in plan.contacts:
        contacts_by_account.setdefault(id(contact.account), []).append(contact)
    for number, account in enumerate(accounts[:8]):
        customer = Customer(account=account, country=COUNTRY_BY_NAME[account.country],
                            owner=brad, owner_since=0,
                            contacts=contacts_by_account[id(account)])
        product = rng.choice(list(plan.products.values()))
        add_interaction(plan, customer, days_ago=5 + number * 9, kind="meeting", user=brad,
                        subject=f"Pitch: {product.name}", tags=["pitch", "conversation"],
                        contacts=customer.contacts[:2])


# --- Writing ----------------------------------------------------------------------------------


def write(plan: Plan) -> None:
    def bulk(model: Any, rows: list[Any]) -> None:
        model.objects.bulk_create(rows, batch_size=2000)

    bulk(ProductFamily, list(plan.families.values()))
    bulk(Product, list(plan.products.values()))
    bulk(Release, plan.releases)
    # The owner memberships are the truth; the accounts' cached owner is set from them by
    # the one writer of ownership, as of the demo's day.
    planned_owners = [account.owner for account in plan.accounts]
    for account in plan.accounts:
        account.owner = None
    bulk(Account, plan.accounts)
    bulk(Contact, plan.contacts)
    bulk(TeamMembership, plan.team)
    ownership.refresh_cached_owners(on=plan.as_of)
    for account, owner in zip(plan.accounts, planned_owners, strict=True):
        account.owner = owner
    bulk(Holding, plan.holdings)
    bulk(Contract, plan.contracts)
    bulk(AdverseChange, plan.adverse_changes)
    bulk(Invoice, plan.invoices)
    bulk(Dispute, plan.disputes)
    bulk(Ticket, plan.tickets)
    bulk(Order, plan.orders)
    bulk(NewsItem, plan.news)
    bulk(ServiceMetric, plan.metrics)
    bulk(ScopeRecord, plan.scope)
    bulk(Interaction, plan.interactions)
    through = Interaction.contacts.through
    bulk(through, [through(interaction_id=i.pk, contact_id=c.pk)
                   for i, c in plan.interaction_contacts])
    bulk(Opportunity, plan.opportunities)
    bulk(StageChange, plan.stage_changes)


# How each owner feels about some story accounts: (external id, sentiment, days ago, note).
# Story 3's was set long ago and has gone stale.
OWNER_SENTIMENTS = [
    ("ACC-10002", OwnerSentiment.POSITIVE, 20, "Rich answers every e-mail the same day."),
    ("ACC-10003", OwnerSentiment.POSITIVE, 150, "Quiet, but they pay on time."),
    ("ACC-10004", OwnerSentiment.NEUTRAL, 35, "Fine, no complaints lately."),
    ("ACC-10007", OwnerSentiment.NEGATIVE, 10, "Office closures: their budget is frozen."),
    ("ACC-10008", OwnerSentiment.NEGATIVE, 9,
     "They feel we miss our targets; we feel they ask for more than they pay for."),
    ("ACC-10014", OwnerSentiment.POSITIVE, 15, "Happy with the gear, growing fast."),
]
HEALTH_HISTORY_WEEKS = 12


def build_health_history(plan: Plan) -> None:
    """The owners' sentiments, and a health score for each of the twelve weeks before the
    demo's day (the scan adds the day's own), so that each Account 360 shows a trend."""
    accounts = {account.external_id: account for account in plan.accounts}
    OwnerSentimentEntry.objects.bulk_create([
        OwnerSentimentEntry(
            account=accounts[external_id], sentiment=sentiment, note=note,
            set_on=plan.as_of - timedelta(days=days_ago), set_by=accounts[external_id].owner,
        )
        for external_id, sentiment, days_ago, note in OWNER_SENTIMENTS
    ])
    for weeks_ago in range(HEALTH_HISTORY_WEEKS, 0, -1):
        health_services.compute_scores(as_of=plan.as_of - timedelta(weeks=weeks_ago))


def build_demo(*, as_of: date, seed: int = DEFAULT_SEED) -> Plan:
    """Build the demo company into an empty database; returns the plan of what was written."""
    plan = Plan(as_of=as_of, rng=random.Random(seed))
    with transaction.atomic():
        build_staff(plan)
        build_catalog(plan)
        build_story_accounts(plan)
        build_background(plan)
        write(plan)
        _analyze()  # before the health history reads what was written
        build_meetings(plan)
        build_reviews(plan)
        build_health_history(plan)
        build_sales_management(as_of=as_of)
        build_programs(plan)
        AuditEntry.objects.create(
            action="demo.build", subject=f"Demo company as of {as_of.isoformat()}",
            detail={"as_of": as_of.isoformat(), "seed": seed},
        )
        _analyze()
    return plan


def _analyze() -> None:
    """Statistics for the planner after a bulk load: without them PostgreSQL ran the
    gone-cold rule's correlated subquery as a nested scan for over ten minutes in a test that
    built the demo, and the health history's key-contacts query for minutes (in a transaction,
    ANALYZE sees its rows too)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
