"""Validation of tickets, service metrics and scope records, for the API and pages."""

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.support.kinds import SCOPE_RECORD, SERVICE_METRIC, TICKET
from heedful.support.models import ScopeRecord, ServiceMetric, Ticket


class TicketForm(HeedfulModelForm):
    class Meta:
        model = Ticket
        fields = TICKET.form_fields

    on_the_same_account = {"contact": "contact"}


class ServiceMetricForm(HeedfulModelForm):
    class Meta:
        model = ServiceMetric
        fields = SERVICE_METRIC.form_fields


class ScopeRecordForm(HeedfulModelForm):
    class Meta:
        model = ScopeRecord
        fields = SCOPE_RECORD.form_fields
