"""Validation of tickets, service metrics and scope records, for the API and pages."""

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator

from heedful.core.forms import HeedfulModelForm
from heedful.support.kinds import SCOPE_RECORD, SERVICE_METRIC, TICKET
from heedful.support.models import ScopeRecord, ServiceMetric, Ticket


class TicketForm(HeedfulModelForm):
    class Meta:
        model = Ticket
        fields = TICKET.form_fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        severity = self.fields["severity"]
        severity.validators += [MinValueValidator(1), MaxValueValidator(4)]
        severity.help_text = "1 is the highest (e.g. phones down), 4 the lowest."

    def clean(self) -> dict:
        cleaned = super().clean()
        self.clean_dates_in_order("opened_at", "resolved_at")
        account, contact = cleaned.get("account"), cleaned.get("contact")
        if account and contact and contact.account_id != account.pk:
            self.add_error("contact", f"{contact.full_name} is not a contact of this account.")
        return cleaned


class ServiceMetricForm(HeedfulModelForm):
    class Meta:
        model = ServiceMetric
        fields = SERVICE_METRIC.form_fields


class ScopeRecordForm(HeedfulModelForm):
    class Meta:
        model = ScopeRecord
        fields = SCOPE_RECORD.form_fields
