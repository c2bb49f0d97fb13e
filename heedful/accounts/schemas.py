"""API input and output of accounts, contacts, account teams, news and customer search.

Field names are those of the CSV formats (CONTRACTS.md); the forms in ``forms.py`` validate.
"""

from datetime import date
from typing import Annotated

from ninja import FilterLookup, FilterSchema, Schema
from pydantic import Field

from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership
from heedful.core.rest import Page, patch_schema

# --- Accounts ----------------------------------------------------------------------------


class AccountIn(Schema):
    external_id: str = Field(description="The id in your CRM.")
    name: str
    industry: str | None = None
    segment: str | None = Field(None, description="e.g. enterprise, mid-market")
    status: str | None = Field(None, description="prospect, customer (default) or former")
    owner_username: str | None = Field(
        None, description="The account owner; defaults to you. Reps and managers may choose "
        "only themselves or their reports.",
    )
    phone: str | None = None
    website: str | None = None
    city: str | None = None
    country: str | None = None
    aliases: list[str] | None = Field(None, description="Other names the customer goes by.")


AccountPatch = patch_schema(AccountIn, "AccountPatch")


class AccountOut(Schema):
    external_id: str
    name: str
    industry: str
    segment: str
    status: str
    owner_username: str | None
    phone: str
    website: str
    city: str
    country: str
    aliases: list[str]

    @staticmethod
    def resolve_owner_username(account: Account) -> str | None:
        return account.owner.username if account.owner is not None else None

    @staticmethod
    def resolve_aliases(account: Account) -> list[str]:
        return account.alias_list


class AccountPage(Page):
    items: list[AccountOut]


class AccountFilter(FilterSchema):
    owner_username: Annotated[str | None, FilterLookup("owner__username")] = None
    status: str | None = None
    segment: str | None = None
    industry: str | None = None
    q: Annotated[
        str | None, FilterLookup(["name__icontains", "external_id__icontains"])
    ] = Field(None, description="Part of the name or external id.")


# --- Contacts ----------------------------------------------------------------------------


class ContactIn(Schema):
    external_id: str
    account_external_id: str
    full_name: str
    preferred_name: str | None = Field(None, description="What they like to be called.")
    pronunciation: str | None = None
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    role_type: str | None = Field(None, description="business, technical, executive, procurement")
    is_key: bool = False
    preferred_channel: str | None = Field(None, description="email, phone, in_person, video, chat")
    language: str | None = None
    likes: list[str] | None = None
    dislikes: list[str] | None = None
    do_not_contact: bool = False


ContactPatch = patch_schema(ContactIn, "ContactPatch")


class ContactOut(Schema):
    external_id: str
    account_external_id: str
    full_name: str
    preferred_name: str
    pronunciation: str
    title: str
    email: str
    phone: str
    role_type: str
    is_key: bool
    preferred_channel: str
    language: str
    likes: list[str]
    dislikes: list[str]
    do_not_contact: bool

    @staticmethod
    def resolve_account_external_id(contact: Contact) -> str:
        return contact.account.external_id

    @staticmethod
    def resolve_likes(contact: Contact) -> list[str]:
        return contact.like_list

    @staticmethod
    def resolve_dislikes(contact: Contact) -> list[str]:
        return contact.dislike_list


class ContactPage(Page):
    items: list[ContactOut]


class ContactFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    role_type: str | None = None
    is_key: bool | None = None
    q: Annotated[
        str | None, FilterLookup(["full_name__icontains", "email__icontains"])
    ] = Field(None, description="Part of the name or e-mail address.")


# --- Account teams -----------------------------------------------------------------------


class TeamMembershipIn(Schema):
    account_external_id: str
    username: str
    role: str = Field(description="owner, csm, se, executive_sponsor, support_lead")
    start_date: date | None = None
    end_date: date | None = Field(None, description="Empty while still on the team.")


TeamMembershipPatch = patch_schema(TeamMembershipIn, "TeamMembershipPatch")


class TeamMembershipOut(Schema):
    id: int
    account_external_id: str
    username: str
    role: str
    start_date: date | None
    end_date: date | None

    @staticmethod
    def resolve_account_external_id(membership: TeamMembership) -> str:
        return membership.account.external_id

    @staticmethod
    def resolve_username(membership: TeamMembership) -> str:
        return membership.user.username


class TeamMembershipPage(Page):
    items: list[TeamMembershipOut]


class TeamMembershipFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    username: Annotated[str | None, FilterLookup("user__username")] = None
    role: str | None = None


# --- News --------------------------------------------------------------------------------


class NewsItemIn(Schema):
    account_external_id: str
    occurred_on: date
    sentiment: str = Field(description="negative, neutral or positive")
    headline: str


NewsItemPatch = patch_schema(NewsItemIn, "NewsItemPatch")


class NewsItemOut(Schema):
    id: int
    account_external_id: str
    occurred_on: date
    sentiment: str
    headline: str

    @staticmethod
    def resolve_account_external_id(item: NewsItem) -> str:
        return item.account.external_id


class NewsItemPage(Page):
    items: list[NewsItemOut]


class NewsItemFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    sentiment: str | None = None
    occurred_on_from: Annotated[date | None, FilterLookup("occurred_on__gte")] = None
    occurred_on_to: Annotated[date | None, FilterLookup("occurred_on__lte")] = None


# --- Search ------------------------------------------------------------------------------


class SearchHit(Schema):
    kind: str = Field(description="account or contact")
    external_id: str
    name: str
    account_external_id: str
    account_name: str
    matched: str = Field(description="The field that matched.")
    score: float
