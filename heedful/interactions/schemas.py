"""API input and output of timeline interactions (CSV field names)."""

from datetime import datetime
from typing import Annotated

from ninja import FilterLookup, FilterSchema, Schema
from pydantic import Field

from heedful.core.rest import Page, patch_schema
from heedful.interactions.models import Interaction


class InteractionIn(Schema):
    account_external_id: str
    occurred_at: datetime = Field(description="ISO 8601; without a time zone it is UTC.")
    kind: str = Field(description="email, call, meeting, visit, note, chat")
    direction: str | None = Field(None, description="inbound, outbound, two_way")
    username: str | None = Field(None, description="Who on our side took part; default you.")
    contact_external_ids: list[str] | None = None
    subject: str | None = None
    tags: list[str] | None = Field(None, description="Free tags, stored lower-case.")


InteractionPatch = patch_schema(InteractionIn, "InteractionPatch")


class InteractionOut(Schema):
    id: int
    account_external_id: str
    occurred_at: datetime
    kind: str
    direction: str
    username: str | None
    contact_external_ids: list[str]
    subject: str
    tags: list[str]

    @staticmethod
    def resolve_account_external_id(interaction: Interaction) -> str:
        return interaction.account.external_id

    @staticmethod
    def resolve_username(interaction: Interaction) -> str | None:
        return interaction.user.username if interaction.user is not None else None

    @staticmethod
    def resolve_contact_external_ids(interaction: Interaction) -> list[str]:
        return sorted(contact.external_id for contact in interaction.contacts.all())

    @staticmethod
    def resolve_tags(interaction: Interaction) -> list[str]:
        return interaction.tag_list


class InteractionPage(Page):
    items: list[InteractionOut]


class InteractionFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    kind: str | None = None
    username: Annotated[str | None, FilterLookup("user__username")] = None
    occurred_from: Annotated[datetime | None, FilterLookup("occurred_at__gte")] = None
    occurred_to: Annotated[datetime | None, FilterLookup("occurred_at__lte")] = None
