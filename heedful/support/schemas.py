"""API input and output of tickets, service metrics and scope records (CSV field names)."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from ninja import FilterLookup, FilterSchema, Schema
from pydantic import Field

from heedful.core.rest import Page, patch_schema
from heedful.support.models import ScopeRecord, ServiceMetric, Ticket

# --- Tickets -----------------------------------------------------------------------------


class TicketIn(Schema):
    external_id: str
    account_external_id: str
    contact_external_id: str | None = None
    opened_at: datetime = Field(description="ISO 8601; without a time zone it is UTC.")
    severity: int = Field(description="1 (highest) to 4.")
    subject: str | None = None
    status: str = Field(description="open, pending, resolved, closed")
    resolved_at: datetime | None = None


TicketPatch = patch_schema(TicketIn, "TicketPatch")


class TicketOut(Schema):
    external_id: str
    account_external_id: str
    contact_external_id: str | None
    opened_at: datetime
    severity: int
    subject: str
    status: str
    resolved_at: datetime | None

    @staticmethod
    def resolve_account_external_id(ticket: Ticket) -> str:
        return ticket.account.external_id

    @staticmethod
    def resolve_contact_external_id(ticket: Ticket) -> str | None:
        return ticket.contact.external_id if ticket.contact is not None else None


class TicketPage(Page):
    items: list[TicketOut]


class TicketFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    contact_external_id: Annotated[str | None, FilterLookup("contact__external_id")] = None
    status: str | None = None
    severity: int | None = None
    opened_from: Annotated[datetime | None, FilterLookup("opened_at__gte")] = None
    opened_to: Annotated[datetime | None, FilterLookup("opened_at__lte")] = None


# --- Service metrics ---------------------------------------------------------------------


class ServiceMetricIn(Schema):
    account_external_id: str
    period: str = Field(description="The month, YYYY-MM.")
    metric: str
    target: Decimal
    actual: Decimal
    higher_is_better: bool = True


ServiceMetricPatch = patch_schema(ServiceMetricIn, "ServiceMetricPatch")


class ServiceMetricOut(Schema):
    id: int
    account_external_id: str
    period: str
    metric: str
    target: Decimal
    actual: Decimal
    higher_is_better: bool
    met_target: bool

    @staticmethod
    def resolve_account_external_id(metric: ServiceMetric) -> str:
        return metric.account.external_id


class ServiceMetricPage(Page):
    items: list[ServiceMetricOut]


class ServiceMetricFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    metric: str | None = None
    period: str | None = None


# --- Scope records -----------------------------------------------------------------------


class ScopeRecordIn(Schema):
    account_external_id: str
    period: str = Field(description="The month, YYYY-MM.")
    function: str
    contracted_quantity: Decimal
    delivered_quantity: Decimal


ScopeRecordPatch = patch_schema(ScopeRecordIn, "ScopeRecordPatch")


class ScopeRecordOut(Schema):
    id: int
    account_external_id: str
    period: str
    function: str
    contracted_quantity: Decimal
    delivered_quantity: Decimal

    @staticmethod
    def resolve_account_external_id(record: ScopeRecord) -> str:
        return record.account.external_id


class ScopeRecordPage(Page):
    items: list[ScopeRecordOut]


class ScopeRecordFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    function: str | None = None
    period: str | None = None
