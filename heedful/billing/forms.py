"""Validation of invoices and disputes, for the API and pages."""

from heedful.billing.kinds import DISPUTE, INVOICE
from heedful.billing.models import Dispute, Invoice
from heedful.core.forms import HeedfulModelForm


class InvoiceForm(HeedfulModelForm):
    class Meta:
        model = Invoice
        fields = INVOICE.form_fields

    def clean(self) -> dict:
        cleaned = super().clean()
        self.clean_dates_in_order("period_start", "period_end")
        account, contract = cleaned.get("account"), cleaned.get("contract")
        if account and contract and contract.account_id != account.pk:
            self.add_error("contract", f"Contract {contract.external_id} is not on this account.")
        return cleaned


class DisputeForm(HeedfulModelForm):
    class Meta:
        model = Dispute
        fields = DISPUTE.form_fields

    def clean(self) -> dict:
        cleaned = super().clean()
        self.clean_dates_in_order("opened_on", "resolved_on")
        return cleaned
