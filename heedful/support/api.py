"""REST endpoints of tickets, service metrics and scope records."""

from ninja import Router

from heedful.core.rest import Resource, register
from heedful.support import schemas, services
from heedful.support.kinds import SCOPE_RECORD, SERVICE_METRIC, TICKET

router = Router()

TICKETS = Resource(
    path="tickets", key="external_id",
    out=schemas.TicketOut, page=schemas.TicketPage, filters=schemas.TicketFilter,
    create_schema=schemas.TicketIn, patch_schema=schemas.TicketPatch,
    orderings={
        "external_id": "external_id", "account_external_id": "account__external_id",
        "opened_at": "opened_at", "severity": "severity", "status": "status",
        "resolved_at": "resolved_at",
    },
    get_all=services.get_all_tickets, get_or_raise=services.get_ticket_or_raise,
    create=services.create_ticket, update=services.update_ticket,
    form_names=TICKET.form_names, joined_lists=TICKET.joined_lists,
)
SERVICE_METRICS = Resource(
    path="service-metrics", key="id",
    out=schemas.ServiceMetricOut, page=schemas.ServiceMetricPage,
    filters=schemas.ServiceMetricFilter,
    create_schema=schemas.ServiceMetricIn, patch_schema=schemas.ServiceMetricPatch,
    orderings={
        "account_external_id": "account__external_id", "period": "period", "metric": "metric",
    },
    get_all=services.get_all_service_metrics, get_or_raise=services.get_service_metric_or_raise,
    create=services.create_service_metric, update=services.update_service_metric,
    form_names=SERVICE_METRIC.form_names, joined_lists=SERVICE_METRIC.joined_lists,
)
SCOPE_RECORDS = Resource(
    path="scope-records", key="id",
    out=schemas.ScopeRecordOut, page=schemas.ScopeRecordPage, filters=schemas.ScopeRecordFilter,
    create_schema=schemas.ScopeRecordIn, patch_schema=schemas.ScopeRecordPatch,
    orderings={
        "account_external_id": "account__external_id", "period": "period",
        "function": "function",
    },
    get_all=services.get_all_scope_records, get_or_raise=services.get_scope_record_or_raise,
    create=services.create_scope_record, update=services.update_scope_record,
    form_names=SCOPE_RECORD.form_names, joined_lists=SCOPE_RECORD.joined_lists,
)

register(router, TICKETS, tag="tickets")
register(router, SERVICE_METRICS, tag="service metrics")
register(router, SCOPE_RECORDS, tag="scope records")
