"""REST endpoints of accounts, contacts, account teams and news (customer search is
``heedful.book.api``)."""

from django.db.models import QuerySet
from ninja import Router

from heedful.accounts import schemas, services
from heedful.accounts.kinds import ACCOUNT, CONTACT, NEWS_ITEM, TEAM_MEMBERSHIP
from heedful.accounts.models import Account
from heedful.core.models import User
from heedful.core.rest import Resource, register

router = Router()


def _accounts_with_owner(*, user: User) -> QuerySet[Account]:
    return services.get_all(user=user).select_related("owner")


def _account_or_raise(*, user: User, external_id: str) -> Account:
    return services.get_or_raise(user=user, external_id=external_id)


ACCOUNTS = Resource(
    path="accounts", key="external_id",
    out=schemas.AccountOut, page=schemas.AccountPage, filters=schemas.AccountFilter,
    create_schema=schemas.AccountIn, patch_schema=schemas.AccountPatch,
    orderings={
        "name": "name_folded", "external_id": "external_id", "status": "status",
        "segment": "segment", "industry": "industry", "owner_username": "owner__username",
    },
    get_all=_accounts_with_owner, get_or_raise=_account_or_raise,
    create=services.create, update=services.update,
    form_names=ACCOUNT.form_names, joined_lists=ACCOUNT.joined_lists,
)
CONTACTS = Resource(
    path="contacts", key="external_id",
    out=schemas.ContactOut, page=schemas.ContactPage, filters=schemas.ContactFilter,
    create_schema=schemas.ContactIn, patch_schema=schemas.ContactPatch,
    orderings={
        "full_name": "full_name_folded", "external_id": "external_id",
        "account_external_id": "account__external_id", "role_type": "role_type",
    },
    get_all=services.get_all_contacts, get_or_raise=services.get_contact_or_raise,
    create=services.create_contact, update=services.update_contact,
    form_names=CONTACT.form_names, joined_lists=CONTACT.joined_lists,
)
TEAM_MEMBERSHIPS = Resource(
    path="team-memberships", key="id",
    out=schemas.TeamMembershipOut, page=schemas.TeamMembershipPage,
    filters=schemas.TeamMembershipFilter,
    create_schema=schemas.TeamMembershipIn, patch_schema=schemas.TeamMembershipPatch,
    orderings={
        "account_external_id": "account__external_id", "username": "user__username",
        "role": "role", "start_date": "start_date", "end_date": "end_date",
    },
    get_all=services.get_all_team_memberships,
    get_or_raise=services.get_team_membership_or_raise,
    create=services.create_team_membership, update=services.update_team_membership,
    form_names=TEAM_MEMBERSHIP.form_names, joined_lists=TEAM_MEMBERSHIP.joined_lists,
)
NEWS = Resource(
    path="news", key="id",
    out=schemas.NewsItemOut, page=schemas.NewsItemPage, filters=schemas.NewsItemFilter,
    create_schema=schemas.NewsItemIn, patch_schema=schemas.NewsItemPatch,
    orderings={
        "occurred_on": "occurred_on", "account_external_id": "account__external_id",
        "sentiment": "sentiment",
    },
    get_all=services.get_all_news, get_or_raise=services.get_news_item_or_raise,
    create=services.create_news_item, update=services.update_news_item,
    form_names=NEWS_ITEM.form_names, joined_lists=NEWS_ITEM.joined_lists,
)

for resource, tag in [
    (ACCOUNTS, "accounts"), (CONTACTS, "contacts"), (TEAM_MEMBERSHIPS, "account teams"),
    (NEWS, "news"),
]:
    register(router, resource, tag=tag)
