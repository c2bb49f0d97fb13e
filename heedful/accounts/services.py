"""Every query the account pages and the API need, and every write that spans rows.

Visibility comes from ``heedful.accounts.visibility``; every function here that takes a ``user``
returns only what that user may see.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from heedful.accounts import ownership, records
from heedful.accounts.forms import AccountForm, ContactForm, NewsItemForm, TeamMembershipForm
from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership
from heedful.accounts.record_forms import HeedfulModelForm
from heedful.accounts.visibility import visible_accounts
from heedful.billing.models import Invoice
from heedful.core.exceptions import NotFound
from heedful.core.models import User
from heedful.lib.text import fold
from heedful.support.models import OPEN_TICKET_STATUSES, Ticket

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


# --- Writing -----------------------------------------------------------------------------


def _write_owner(form: HeedfulModelForm, account: Account) -> None:
    """The owner chosen in the form, from today on, through the one writer of ownership."""
    if "owner" not in form.changed_data:
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
