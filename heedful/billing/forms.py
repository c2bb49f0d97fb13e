"""Validation of invoices and disputes, for the API and pages."""

from heedful.billing.models import Dispute, Invoice
from heedful.core.forms import HeedfulModelForm


class InvoiceForm(HeedfulModelForm):
    class Meta:
        model = Invoice
        fields = [
            "invoice_number", "account", "contract", "period_start", "period_end", "issued_on",
            "amount", "currency",
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        account, contract = cleaned.get("account"), cleaned.get("contract")
        if account and contract and contract.account_id != account.pk:
            self.add_error("contract", f"Contract {contract.external_id} is not on this account.")
        return cleaned


class DisputeForm(HeedfulModelForm):
    class Meta:
        model = Dispute
        fields = ["invoice", "opened_on", "amount", "status", "resolved_on"]
