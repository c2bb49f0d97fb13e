"""The account list: the accounts a user may see, filtered and sorted, with what the list
shows of each (owner, open plays, open tickets, last two-way contact, next contract end, latest
invoice and its value in the reporting currency) read across apps in the same query: one
subquery per column, never a query per row."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from heedful.accounts.models import Account
from heedful.accounts.visibility import few_visible_account_ids, report_ids, visible_accounts
from heedful.billing.models import Invoice, reporting_currency
from heedful.billing.services import get_currencies_without_rate, in_reporting_currency
from heedful.catalog.models import Contract
from heedful.core.models import User
from heedful.interactions.models import TWO_WAY_CONVERSATION, Interaction
from heedful.lib.text import fold
from heedful.plays.models import Play, PlayStatus
from heedful.plays.rules.base import end_of
from heedful.support.models import OPEN_TICKET_STATUSES, Ticket

MANY_OWNERS = 50
"""Beyond this many owners among the accounts a user sees (a manager whose team is also on
other owners' accounts), the owner filter offers their own team only."""

ACCOUNT_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name_folded",),
    "owner": ("owner__full_name",),
    "status": ("status",),
    "segment": ("segment",),
    "industry": ("industry",),
    # The urgent plays first: three routine plays wait, one urgent one does not.
    "open_plays": ("urgent_play_count", "open_play_count"),
    "open_tickets": ("open_ticket_count",),
    "last_contact": ("last_contact_at",),
    "next_renewal": ("next_contract_end",),
    # By value in the reporting currency: ¥10,593,600 is worth less than $414,606. Amounts
    # in a currency without a rate come after, by currency and within it by amount, then the
    # accounts never invoiced.
    "latest_invoice": (
        "latest_invoice_reporting_amount", "latest_invoice_currency", "latest_invoice_amount",
    ),
}
"""The sort keys of the account list and the columns each one orders by; a row without a
value (no contact on record, no rate for its currency) comes last either way."""


@dataclass(frozen=True)
class AccountList:
    accounts: QuerySet[Account]
    """Filtered and sorted, annotated only with the columns its sort reads: page it, then
    read the page's columns with ``with_columns`` (a deep page of thousands of accounts
    would otherwise compute every column of every account the sort passes over)."""
    owners: list[User]
    segments: list[str]
    sort: str
    reporting_currency: str
    currencies_without_rate: list[str]
    """Currencies invoices are in that have no rate: their amounts sort last."""
    columns: dict[str, Any]
    owners_are_team: bool
    """The owner filter offers only the user's team (they and everyone reporting to them):
    the accounts they see have more than MANY_OWNERS owners."""

    def with_columns(self, accounts: Iterable[Account]) -> list[Account]:
        """``accounts`` (a page of ``self.accounts``), in the same order, annotated with
        ``open_play_count``, ``urgent_play_count``, ``open_ticket_count``,
        ``severity_one_count``, ``last_contact_at``, ``next_contract_end`` and
        ``latest_invoice_*`` (``latest_invoice_reporting_amount`` is None without a rate for
        its currency), in one query."""
        ids = [account.pk for account in accounts]
        annotated = Account.objects.filter(pk__in=ids).select_related("owner").annotate(
            **self.columns
        )
        by_id = {account.pk: account for account in annotated}
        return [by_id[pk] for pk in ids]


def _columns(as_of: date) -> dict[str, Any]:
    """What the list shows of each account, as one subquery per column."""

    def count_of(rows: QuerySet[Any]) -> Coalesce:
        return Coalesce(Subquery(rows.values("account").annotate(n=Count("pk")).values("n")), 0)

    open_plays = Play.objects.filter(account=OuterRef("pk"), status=PlayStatus.OPEN).order_by()
    open_tickets = Ticket.objects.filter(
        account=OuterRef("pk"), status__in=OPEN_TICKET_STATUSES
    ).order_by()
    last_contact = Interaction.objects.filter(
        TWO_WAY_CONVERSATION, account=OuterRef("pk"), occurred_at__lt=end_of(as_of)
    ).order_by("-occurred_at")
    next_contract = Contract.objects.filter(
        account=OuterRef("pk"), end_date__gte=as_of
    ).order_by("end_date")
    latest_invoice = Invoice.objects.filter(account=OuterRef("pk")).order_by("-period_start", "-pk")
    return dict(
        open_play_count=count_of(open_plays),
        urgent_play_count=count_of(open_plays.filter(urgent=True)),
        open_ticket_count=count_of(open_tickets),
        severity_one_count=count_of(open_tickets.filter(severity=1)),
        last_contact_at=Subquery(last_contact.values("occurred_at")[:1]),
        next_contract_end=Subquery(next_contract.values("end_date")[:1]),
        latest_invoice_amount=Subquery(latest_invoice.values("amount")[:1]),
        latest_invoice_currency=Subquery(latest_invoice.values("currency")[:1]),
        latest_invoice_period=Subquery(latest_invoice.values("period_start")[:1]),
        latest_invoice_reporting_amount=Subquery(
            latest_invoice.annotate(
                reporting_amount=in_reporting_currency(amount="amount", currency="currency")
            ).values("reporting_amount")[:1]
        ),
    )


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
    (see ``AccountList.accounts``) in the same query; plus the owners and segments of
    those accounts for the filter choices. ``sort`` is a key of ``ACCOUNT_SORTS``, with a
    leading ``-`` for descending; an unknown key sorts by name."""
    visible = visible_accounts(user, on=as_of)
    few = None if user.sees_every_account else few_visible_account_ids(visible)
    if few is not None:
        visible = Account.objects.filter(pk__in=few)  # one visibility query, not four
    accounts = visible
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

    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in ACCOUNT_SORTS:
        key, descending = "name", False
    orderings = [
        F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
        for column in ACCOUNT_SORTS[key]
    ]
    columns = _columns(as_of)
    accounts = accounts.annotate(
        **{name: columns[name] for name in ACCOUNT_SORTS[key] if name in columns}
    ).order_by(*orderings, "name_folded", "pk")

    # The filters' choices from one read of (owner, segment) pairs.
    pairs = list(visible.order_by().values_list("owner_id", "segment").distinct())
    owner_ids = {owner for owner, _ in pairs if owner is not None}
    segments = sorted({segment for _, segment in pairs if segment})
    team_owners = (
        owner_ids & (report_ids(user) | {owner_id}) if len(owner_ids) > MANY_OWNERS else set()
    )
    owners_are_team = bool(team_owners - {owner_id})
    owners = list(
        User.objects.filter(pk__in=team_owners if owners_are_team else owner_ids)
        .order_by("full_name", "username")
        .only("pk", "full_name", "username", "first_name", "last_name")
    )
    return AccountList(
        accounts=accounts, owners=owners, segments=segments,
        sort=f"-{key}" if descending else key,
        reporting_currency=reporting_currency(),
        currencies_without_rate=get_currencies_without_rate(),
        columns=columns,
        owners_are_team=owners_are_team,
    )

