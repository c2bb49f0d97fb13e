"""The account list: the accounts a user may see, filtered and sorted, with what the list
shows of each (owner, open tickets, latest invoice) read across apps in the same query."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from heedful.accounts.models import Account
from heedful.accounts.visibility import visible_accounts
from heedful.billing.models import Invoice
from heedful.core.models import User
from heedful.lib.text import fold
from heedful.support.models import OPEN_TICKET_STATUSES, Ticket

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
