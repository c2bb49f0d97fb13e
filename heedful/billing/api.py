"""REST endpoints of invoices and disputes."""

from ninja import Router

from heedful.billing import schemas, services
from heedful.billing.kinds import DISPUTE, INVOICE
from heedful.core.rest import Resource, register

router = Router()

INVOICES = Resource(
    path="invoices", key="invoice_number",
    out=schemas.InvoiceOut, page=schemas.InvoicePage, filters=schemas.InvoiceFilter,
    create_schema=schemas.InvoiceIn, patch_schema=schemas.InvoicePatch,
    orderings={
        "invoice_number": "invoice_number", "account_external_id": "account__external_id",
        "period_start": "period_start", "issued_on": "issued_on", "amount": "amount",
    },
    get_all=services.get_all_invoices, get_or_raise=services.get_invoice_or_raise,
    create=services.create_invoice, update=services.update_invoice,
    form_names=INVOICE.form_names, joined_lists=INVOICE.joined_lists,
)
DISPUTES = Resource(
    path="disputes", key="id",
    out=schemas.DisputeOut, page=schemas.DisputePage, filters=schemas.DisputeFilter,
    create_schema=schemas.DisputeIn, patch_schema=schemas.DisputePatch,
    orderings={
        "opened_on": "opened_on", "resolved_on": "resolved_on", "status": "status",
        "invoice_number": "invoice__invoice_number", "amount": "amount",
    },
    get_all=services.get_all_disputes, get_or_raise=services.get_dispute_or_raise,
    create=services.create_dispute, update=services.update_dispute,
    form_names=DISPUTE.form_names, joined_lists=DISPUTE.joined_lists,
)

register(router, INVOICES, tag="invoices")
register(router, DISPUTES, tag="disputes")
