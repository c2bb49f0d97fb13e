"""API input and output of accounts, contacts, account teams, news and customer search.

Field names are those of the CSV formats (CONTRACTS.md); the forms in ``forms.py`` validate.
"""

from typing import Annotated

from ninja import FilterLookup, FilterSchema
from pydantic import Field

from heedful.accounts.kinds import ACCOUNT, CONTACT, NEWS_ITEM, TEAM_MEMBERSHIP
from heedful.core.rest import Day

# --- Accounts ----------------------------------------------------------------------------


AccountIn, AccountPatch, AccountOut, AccountPage = ACCOUNT.schemas("Account")


class AccountFilter(FilterSchema):
    owner_username: Annotated[str | None, FilterLookup("owner__username")] = None
    status: str | None = None
    segment: str | None = None
    industry: str | None = None
    q: Annotated[
        str | None, FilterLookup(["name__icontains", "external_id__icontains"])
    ] = Field(None, description="Part of the name or external id.")


# --- Contacts ----------------------------------------------------------------------------


ContactIn, ContactPatch, ContactOut, ContactPage = CONTACT.schemas("Contact")


class ContactFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    role_type: str | None = None
    is_key: bool | None = None
    q: Annotated[
        str | None, FilterLookup(["full_name__icontains", "email__icontains"])
    ] = Field(None, description="Part of the name or e-mail address.")


# --- Account teams -----------------------------------------------------------------------


TeamMembershipIn, TeamMembershipPatch, TeamMembershipOut, TeamMembershipPage = (
    TEAM_MEMBERSHIP.schemas("TeamMembership")
)


class TeamMembershipFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    username: Annotated[str | None, FilterLookup("user__username")] = None
    role: str | None = None


# --- News --------------------------------------------------------------------------------


NewsItemIn, NewsItemPatch, NewsItemOut, NewsItemPage = NEWS_ITEM.schemas("NewsItem")


class NewsItemFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    sentiment: str | None = None
    occurred_on_from: Annotated[Day | None, FilterLookup("occurred_on__gte")] = None
    occurred_on_to: Annotated[Day | None, FilterLookup("occurred_on__lte")] = None
