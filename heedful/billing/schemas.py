"""API input and output of invoices and disputes (CSV field names)."""

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from heedful.billing.kinds import DISPUTE, INVOICE
from heedful.core.rest import Day

# --- Invoices ----------------------------------------------------------------------------


InvoiceIn, InvoicePatch, InvoiceOut, InvoicePage = INVOICE.schemas("Invoice")


class InvoiceFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    contract_external_id: Annotated[str | None, FilterLookup("contract__external_id")] = None
    period_from: Annotated[Day | None, FilterLookup("period_start__gte")] = None
    period_to: Annotated[Day | None, FilterLookup("period_start__lte")] = None


# --- Disputes ----------------------------------------------------------------------------


DisputeIn, DisputePatch, DisputeOut, DisputePage = DISPUTE.schemas("Dispute")


class DisputeFilter(FilterSchema):
    account_external_id: Annotated[
        str | None, FilterLookup("invoice__account__external_id")
    ] = None
    invoice_number: Annotated[str | None, FilterLookup("invoice__invoice_number")] = None
    status: str | None = None
