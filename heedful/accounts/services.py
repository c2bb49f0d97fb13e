"""Every read of account records that the pages and the API need, and every write that spans rows.

Visibility comes from ``heedful.accounts.visibility``; every function here that takes a ``user``
returns only what that user may see.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from heedful.accounts import ownership, records
from heedful.accounts.forms import AccountForm, ContactForm, NewsItemForm, TeamMembershipForm
from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership
from heedful.accounts.record_forms import HeedfulModelForm
from heedful.accounts.visibility import visible_accounts
from heedful.core.exceptions import NotFound
from heedful.core.models import User

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


@dataclass
class OrgChartNode:
    contact: Contact
    reports: list["OrgChartNode"] = field(default_factory=list)


def get_org_chart(*, contacts: Sequence[Contact]) -> list[OrgChartNode]:
    """The customer's org chart from ``contacts`` (one account's, in the order to show):
    the people who report to no one listed at the top, each with their reports beneath.
    Empty when nobody reports to anyone, so a page shows no chart of loose names. Reads no
    database row; a manager outside ``contacts`` puts their report at the top."""
    listed = {contact.pk for contact in contacts}
    reports_of: dict[int | None, list[Contact]] = defaultdict(list)
    for contact in contacts:
        manager_id = contact.reports_to_id if contact.reports_to_id in listed else None
        reports_of[manager_id].append(contact)
    if len(reports_of[None]) == len(contacts):
        return []
    placed: set[int] = set()

    def node(contact: Contact) -> OrgChartNode:
        placed.add(contact.pk)
        return OrgChartNode(
            contact,
            [node(report) for report in reports_of[contact.pk] if report.pk not in placed],
        )

    chart = [node(contact) for contact in reports_of[None]]
    # A circle (the rules refuse one; a database edited by hand may hold one) shows at the top.
    chart += [node(contact) for contact in contacts if contact.pk not in placed]
    return chart


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
