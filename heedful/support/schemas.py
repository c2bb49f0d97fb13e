"""API input and output of tickets, service metrics and scope records (CSV field names)."""

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from heedful.core.rest import Moment
from heedful.support.kinds import SCOPE_RECORD, SERVICE_METRIC, TICKET

# --- Tickets -----------------------------------------------------------------------------


TicketIn, TicketPatch, TicketOut, TicketPage = TICKET.schemas("Ticket")


class TicketFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    contact_external_id: Annotated[str | None, FilterLookup("contact__external_id")] = None
    status: str | None = None
    severity: int | None = None
    opened_from: Annotated[Moment | None, FilterLookup("opened_at__gte")] = None
    opened_to: Annotated[Moment | None, FilterLookup("opened_at__lte")] = None


# --- Service metrics ---------------------------------------------------------------------


ServiceMetricIn, ServiceMetricPatch, ServiceMetricOut, ServiceMetricPage = (
    SERVICE_METRIC.schemas("ServiceMetric")
)


class ServiceMetricFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    metric: str | None = None
    period: str | None = None


# --- Scope records -----------------------------------------------------------------------


ScopeRecordIn, ScopeRecordPatch, ScopeRecordOut, ScopeRecordPage = (
    SCOPE_RECORD.schemas("ScopeRecord")
)


class ScopeRecordFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    function: str | None = None
    period: str | None = None
