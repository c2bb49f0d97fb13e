"""Validation of invoices and disputes, for the API and pages."""

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.billing.kinds import DISPUTE, INVOICE
from heedful.billing.models import Dispute, Invoice
from heedful.lib.validators import on_another_account


class InvoiceForm(HeedfulModelForm):
    class Meta:
        model = Invoice
        fields = INVOICE.form_fields

    def clean(self) -> dict:
        cleaned = super().clean()
        account, contract = cleaned.get("account"), cleaned.get("contract")
        if account and contract and contract.account_id != account.pk:
            self.add_error("contract", on_another_account("contract", [contract.external_id]))
        return cleaned


class DisputeForm(HeedfulModelForm):
    class Meta:
        model = Dispute
        fields = DISPUTE.form_fields
