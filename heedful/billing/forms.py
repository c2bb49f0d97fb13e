"""Validation of invoices and disputes, for the API and pages."""

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.billing.kinds import DISPUTE, INVOICE
from heedful.billing.models import Dispute, Invoice


class InvoiceForm(HeedfulModelForm):
    class Meta:
        model = Invoice
        fields = INVOICE.form_fields

    on_the_same_account = {"contract": "contract"}


class DisputeForm(HeedfulModelForm):
    class Meta:
        model = Dispute
        fields = DISPUTE.form_fields
