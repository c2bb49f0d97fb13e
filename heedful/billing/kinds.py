"""The columns of invoices and disputes (``heedful.core.kinds``): their CSV formats, API
fields and forms follow from these."""

from heedful.billing.models import Dispute, Invoice
from heedful.core.kinds import Column, RecordKind, Shown

INVOICE = RecordKind(
    model=Invoice,
    columns=(
        Column("account_external_id", field="account", required=True),
        Column("invoice_number", required=True),
        Column("contract_external_id", field="contract"),
        Column("period_start", required=True),
        Column("period_end", required=True),
        Column("issued_on"),
        Column(
            "amount", required=True,
            description="A decimal string, e.g. \"2500.00\"; negative for a credit note.",
        ),
        Column("currency", required=True, description="ISO 4217 code, e.g. USD."),
    ),
)

DISPUTE = RecordKind(
    model=Dispute,
    columns=(
        Column("invoice_number", field="invoice", required=True),
        Column("opened_on", required=True),
        Column("amount", description="The amount disputed, a decimal string."),
        Column("status"),
        Column("resolved_on"),
    ),
    shown=(
        Shown("id", int),
        Shown(
            "account_external_id", str,
            read=lambda dispute: dispute.invoice.account.external_id,
        ),
        Shown(
            "currency", str, read=lambda dispute: dispute.invoice.currency,
            description="The invoice's currency.",
        ),
    ),
)
