"""Every query the account pages and the API need, and every write that spans rows.

Visibility comes from ``heedful.core.visibility``; every function here that takes a ``user``
returns only what that user may see.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from heedful.accounts import ownership
from heedful.accounts.forms import AccountForm, ContactForm, NewsItemForm, TeamMembershipForm
from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership
from heedful.billing.models import Invoice
from heedful.catalog.models import AdverseChange, Contract, Holding
from heedful.core import records
from heedful.core.exceptions import NotFound
from heedful.core.forms import HeedfulModelForm
from heedful.core.models import User
from heedful.core.visibility import visible_accounts
from heedful.interactions.models import Interaction
from heedful.lib.charts import Bar, bar_chart_svg
from heedful.lib.money import format_money
from heedful.lib.text import fold
from heedful.orders.models import Order
from heedful.plays import services as plays_services
from heedful.plays.models import Play
from heedful.sales.models import Opportunity
from heedful.support.models import OPEN_TICKET_STATUSES, ScopeRecord, ServiceMetric, Ticket

# --- Reading -----------------------------------------------------------------------------


def get_or_raise(*, user: User, external_id: str) -> Account:
    """The account with this external id if ``user`` may see it; NotFound otherwise (the
    caller answers 404 either way, so nobody learns which accounts exist)."""
    try:
        return visible_accounts(user).get(external_id=external_id)
    except Account.DoesNotExist:
        raise NotFound(f"No account {external_id!r} that you can see.") from None


def get_all(*, user: User) -> QuerySet[Account]:
    return visible_accounts(user)


ACCOUNT_SORTS: dict[str, str] = {
    "name": "name_folded",
    "owner": "owner__full_name",
    "status": "status",
    "segment": "segment",
    "industry": "industry",
    "open_tickets": "open_ticket_count",
    "latest_invoice": "latest_invoice_amount",
}
"""The sort keys of the account list and the column each one orders by."""


@dataclass(frozen=True)
class AccountList:
    accounts: QuerySet[Account]
    """Annotated with ``open_ticket_count``, ``severity_one_count`` and ``latest_invoice_*``."""
    owners: list[User]
    segments: list[str]
    sort: str


def get_all_filtered(
    *,
    user: User,
    as_of: date,
    text: str = "",
    owner_id: int | None = None,
    status: str = "",
    segment: str = "",
    sort: str = "name",
) -> AccountList:
    """The accounts ``user`` may see, filtered and sorted, with what the list shows of each
    (owner, open tickets, latest invoice) in the same query; plus the owners and segments of
    those accounts for the filter choices. ``sort`` is a key of ``ACCOUNT_SORTS``, with a
    leading ``-`` for descending; an unknown key sorts by name."""
    visible = visible_accounts(user, on=as_of)
    accounts = visible.select_related("owner")
    text = text.strip()
    if text:
        accounts = accounts.filter(
            Q(name_folded__contains=fold(text))
            | Q(aliases__icontains=text)
            | Q(external_id__icontains=text)
        )
    if owner_id is not None:
        accounts = accounts.filter(owner_id=owner_id)
    if status:
        accounts = accounts.filter(status=status)
    if segment:
        accounts = accounts.filter(segment=segment)

    open_tickets = Ticket.objects.filter(
        account=OuterRef("pk"), status__in=OPEN_TICKET_STATUSES
    ).order_by()
    latest_invoice = Invoice.objects.filter(account=OuterRef("pk")).order_by("-period_start", "-pk")
    accounts = accounts.annotate(
        open_ticket_count=Coalesce(
            Subquery(open_tickets.values("account").annotate(n=Count("pk")).values("n")), 0
        ),
        severity_one_count=Coalesce(
            Subquery(
                open_tickets.filter(severity=1)
                .values("account").annotate(n=Count("pk")).values("n")
            ),
            0,
        ),
        latest_invoice_amount=Subquery(latest_invoice.values("amount")[:1]),
        latest_invoice_currency=Subquery(latest_invoice.values("currency")[:1]),
        latest_invoice_period=Subquery(latest_invoice.values("period_start")[:1]),
    )

    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in ACCOUNT_SORTS:
        key, descending = "name", False
    column = F(ACCOUNT_SORTS[key])
    ordering = column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
    accounts = accounts.order_by(ordering, "name_folded", "pk")

    owners = list(
        User.objects.filter(pk__in=visible.values("owner_id")).order_by("full_name", "username")
    )
    segments = list(
        visible.exclude(segment="").order_by("segment").values_list("segment", flat=True).distinct()
    )
    return AccountList(
        accounts=accounts, owners=owners, segments=segments,
        sort=f"-{key}" if descending else key,
    )


SPIKE_RATIO = Decimal("1.5")
"""An invoice above this multiple of the contracted rate is shown as a spike."""
RECENT_MONTHS = 6


@dataclass(frozen=True)
class HoldingLine:
    holding: Holding
    maintenance_days_left: int | None


@dataclass(frozen=True)
class ContractLine:
    contract: Contract
    days_left: int
    notice_by: date | None
    """The last day to give notice, or None when the contract names no notice period."""
    notice_days_left: int | None


@dataclass(frozen=True)
class AdverseChangeLine:
    change: AdverseChange
    days_until: int


@dataclass(frozen=True)
class OrderLine:
    order: Order
    status: str
    """ordered, shipped or delivered."""
    days_since_shipped: int | None


@dataclass(frozen=True)
class InvoiceLine:
    invoice: Invoice
    contracted_amount: Decimal | None
    ratio_to_contract: Decimal | None
    """The amount over the contracted rate, e.g. 3.12; None without a contracted rate."""
    is_spike: bool


@dataclass(frozen=True)
class Account360:
    account: Account
    as_of: date
    team: list[TeamMembership]
    past_team: list[TeamMembership]
    contacts: list[Contact]
    holdings: list[HoldingLine]
    contracts: list[ContractLine]
    adverse_changes: list[AdverseChangeLine]
    orders: list[OrderLine]
    invoices: list[InvoiceLine]
    invoice_chart_svg: str
    tickets: list[Ticket]
    open_ticket_count: int
    service_metrics: list[ServiceMetric]
    missed_metric_count: int
    scope_records: list[ScopeRecord]
    interactions: list[Interaction]
    opportunities: list[Opportunity]
    news: list[NewsItem]
    plays: list[Play]
    """The account's open plays, urgent and highest priority first."""


def _months_before(as_of: date, months: int) -> str:
    """The YYYY-MM period ``months`` months before ``as_of`` (service metrics and scope use it)."""
    index = as_of.year * 12 + as_of.month - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _invoice_lines(invoices: list[Invoice]) -> list[InvoiceLine]:
    lines = []
    for invoice in invoices:
        contracted = invoice.contract.recurring_amount if invoice.contract else None
        ratio = (invoice.amount / contracted).quantize(Decimal("0.01")) if contracted else None
        lines.append(
            InvoiceLine(
                invoice=invoice, contracted_amount=contracted, ratio_to_contract=ratio,
                is_spike=ratio is not None and ratio > SPIKE_RATIO,
            )
        )
    return lines


def _invoice_chart(lines: list[InvoiceLine]) -> str:
    chronological = list(reversed(lines))
    if not chronological:
        return ""
    currency = chronological[-1].invoice.currency
    bars = [
        Bar(
            label=f"{line.invoice.period_start:%b %y}",
            value=line.invoice.amount,
            reference=line.contracted_amount,
            is_highlighted=line.is_spike,
        )
        for line in chronological
    ]
    return bar_chart_svg(
        bars=bars,
        title=f"Invoiced per period ({currency}), latest {len(bars)}",
        format_value=lambda amount: format_money(amount, currency).removesuffix(".00"),
        reference_label="Contracted rate",
    )


def get_account_360(*, account: Account, as_of: date) -> Account360:
    """Everything the Account 360 page shows, in a fixed number of queries whatever the size
    of the account. Lists are bounded: the latest 12 invoices, 50 interactions, 30 tickets
    (open ones first), 20 orders, 10 news items, the last six months of metrics, and every
    open play."""
    memberships = list(
        TeamMembership.objects.filter(account=account)
        .select_related("user__manager")
        .order_by("role", "start_date", "pk")
    )
    team = [membership for membership in memberships if membership.is_active(as_of)]
    past_team = sorted(
        (m for m in memberships if m.end_date is not None and m.end_date < as_of),
        key=lambda m: m.end_date or as_of, reverse=True,
    )
    contacts = list(account.contacts.order_by("-is_key", "full_name"))
    holdings = [
        HoldingLine(holding=h, maintenance_days_left=h.maintenance_days_left(as_of))
        for h in account.holdings.select_related("product__family").order_by(
            F("maintenance_end").asc(nulls_last=True), "product__name"
        )
    ]
    contracts = []
    for contract in account.contracts.order_by("end_date"):
        notice_by = (
            contract.end_date - timedelta(days=contract.notice_days)
            if contract.notice_days is not None else None
        )
        contracts.append(
            ContractLine(
                contract=contract, days_left=contract.days_left(as_of), notice_by=notice_by,
                notice_days_left=(notice_by - as_of).days if notice_by else None,
            )
        )
    adverse_changes = [
        AdverseChangeLine(change=change, days_until=(change.effective_on - as_of).days)
        for change in account.adverse_changes.filter(effective_on__gte=as_of).order_by(
            "effective_on"
        )
    ]
    orders = [
        OrderLine(
            order=order,
            status="delivered" if order.delivered_on else "shipped" if order.shipped_on
            else "ordered",
            days_since_shipped=(as_of - order.shipped_on).days if order.shipped_on else None,
        )
        for order in account.orders.order_by("-ordered_on", "-pk")[:20]
    ]
    invoices = _invoice_lines(
        list(
            account.invoices.select_related("contract")
            .prefetch_related("disputes")
            .order_by("-period_start", "-pk")[:12]
        )
    )
    tickets: list[Ticket] = list(
        account.tickets.select_related("contact")
        .annotate(
            is_open_rank=Case(
                When(status__in=OPEN_TICKET_STATUSES, then=Value(0)),
                default=Value(1), output_field=IntegerField(),
            )
        )
        .order_by("is_open_rank", "severity", "-opened_at")[:30]
    )
    since = _months_before(as_of, RECENT_MONTHS)
    service_metrics = list(
        account.service_metrics.filter(period__gte=since).order_by("metric", "-period")
    )
    scope_records = list(
        account.scope_records.filter(period__gte=since).order_by("function", "-period")
    )
    interactions = list(
        account.interactions.select_related("user")
        .prefetch_related("contacts")
        .order_by("-occurred_at")[:50]
    )
    opportunities = list(
        account.opportunities.select_related("owner").order_by(
            F("closed_on").desc(nulls_first=True), "close_date"
        )
    )
    news = list(account.news.order_by("-occurred_on")[:10])
    return Account360(
        account=account,
        as_of=as_of,
        team=team,
        past_team=past_team,
        contacts=contacts,
        holdings=holdings,
        contracts=contracts,
        adverse_changes=adverse_changes,
        orders=orders,
        invoices=invoices,
        invoice_chart_svg=_invoice_chart(invoices),
        tickets=tickets,
        open_ticket_count=account.tickets.filter(status__in=OPEN_TICKET_STATUSES).count(),
        service_metrics=service_metrics,
        missed_metric_count=sum(1 for metric in service_metrics if not metric.met_target),
        scope_records=scope_records,
        interactions=interactions,
        opportunities=opportunities,
        news=news,
        plays=plays_services.get_for_account(account_id=account.pk),
    )


# --- Writing -----------------------------------------------------------------------------


def _write_owner(form: HeedfulModelForm, account: Account) -> None:
    """The owner chosen in the form, from today on, through the one writer of ownership."""
    if "owner" not in form.changed_data and account.owner_id is not None:
        return
    owner = form.cleaned_data.get("owner")
    ownership.set_owners({account.pk: owner.pk if owner is not None else None})
    account.refresh_from_db(fields=["owner"])


def create(*, user: User, data: Mapping[str, Any]) -> Account:
    """A new account; its owner is ``user`` unless ``data`` names one (form field names)."""
    return records.create_with_form(
        AccountForm, user=user, data={"owner": user.username, **data}, after_save=_write_owner
    )


def update(*, user: User, external_id: str, changes: Mapping[str, Any]) -> Account:
    return records.update_with_form(
        AccountForm, user=user, queryset=visible_accounts(user),
        lookup={"external_id": external_id}, changes=changes, after_save=_write_owner,
    )


def get_all_contacts(*, user: User) -> QuerySet[Contact]:
    return Contact.objects.filter(account__in=visible_accounts(user)).select_related("account")


def get_contact_or_raise(*, user: User, external_id: str) -> Contact:
    return records.get_or_raise(get_all_contacts(user=user), external_id=external_id)


def create_contact(*, user: User, data: Mapping[str, Any]) -> Contact:
    return records.create_with_form(ContactForm, user=user, data=data)


def update_contact(*, user: User, external_id: str, changes: Mapping[str, Any]) -> Contact:
    return records.update_with_form(
        ContactForm, user=user, queryset=get_all_contacts(user=user),
        lookup={"external_id": external_id}, changes=changes,
    )


def get_all_team_memberships(*, user: User) -> QuerySet[TeamMembership]:
    return TeamMembership.objects.filter(account__in=visible_accounts(user)).select_related(
        "account", "user"
    )


def get_team_membership_or_raise(*, user: User, id: int) -> TeamMembership:  # noqa: A002
    return records.get_or_raise(get_all_team_memberships(user=user), pk=id)


def create_team_membership(*, user: User, data: Mapping[str, Any]) -> TeamMembership:
    return records.create_with_form(TeamMembershipForm, user=user, data=data)


def update_team_membership(
    *, user: User, id: int, changes: Mapping[str, Any]  # noqa: A002
) -> TeamMembership:
    return records.update_with_form(
        TeamMembershipForm, user=user, queryset=get_all_team_memberships(user=user),
        lookup={"pk": id}, changes=changes,
    )


def get_all_news(*, user: User) -> QuerySet[NewsItem]:
    return NewsItem.objects.filter(account__in=visible_accounts(user)).select_related("account")


def get_news_item_or_raise(*, user: User, id: int) -> NewsItem:  # noqa: A002
    return records.get_or_raise(get_all_news(user=user), pk=id)


def create_news_item(*, user: User, data: Mapping[str, Any]) -> NewsItem:
    return records.create_with_form(NewsItemForm, user=user, data=data)


def update_news_item(*, user: User, id: int, changes: Mapping[str, Any]) -> NewsItem:  # noqa: A002
    return records.update_with_form(
        NewsItemForm, user=user, queryset=get_all_news(user=user), lookup={"pk": id},
        changes=changes,
    )
