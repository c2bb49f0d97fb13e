"""Validation of tickets, service metrics and scope records, for the API and pages."""

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.lib.validators import on_another_account
from heedful.support.kinds import SCOPE_RECORD, SERVICE_METRIC, TICKET
from heedful.support.models import ScopeRecord, ServiceMetric, Ticket


class TicketForm(HeedfulModelForm):
    class Meta:
        model = Ticket
        fields = TICKET.form_fields

    def clean(self) -> dict:
        cleaned = super().clean()
        account, contact = cleaned.get("account"), cleaned.get("contact")
        if account and contact and contact.account_id != account.pk:
            self.add_error("contact", on_another_account("contact", [contact.external_id]))
        return cleaned


class ServiceMetricForm(HeedfulModelForm):
    class Meta:
        model = ServiceMetric
        fields = SERVICE_METRIC.form_fields


class ScopeRecordForm(HeedfulModelForm):
    class Meta:
        model = ScopeRecord
        fields = SCOPE_RECORD.form_fields
