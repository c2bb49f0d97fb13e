"""API input and output of invoices and disputes (CSV field names)."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import FilterLookup, FilterSchema, Schema
from pydantic import Field

from heedful.billing.models import Dispute, Invoice
from heedful.core.rest import Page, patch_schema

# --- Invoices ----------------------------------------------------------------------------


class InvoiceIn(Schema):
    invoice_number: str
    account_external_id: str
    contract_external_id: str | None = None
    period_start: date
    period_end: date
    issued_on: date | None = None
    amount: Decimal = Field(description="A decimal string, e.g. \"2500.00\"; negative for a "
                            "credit note.")
    currency: str = Field(description="ISO 4217 code, e.g. USD.")


InvoicePatch = patch_schema(InvoiceIn, "InvoicePatch")


class InvoiceOut(Schema):
    invoice_number: str
    account_external_id: str
    contract_external_id: str | None
    period_start: date
    period_end: date
    issued_on: date | None
    amount: Decimal
    currency: str

    @staticmethod
    def resolve_account_external_id(invoice: Invoice) -> str:
        return invoice.account.external_id

    @staticmethod
    def resolve_contract_external_id(invoice: Invoice) -> str | None:
        return invoice.contract.external_id if invoice.contract is not None else None


class InvoicePage(Page):
    items: list[InvoiceOut]


class InvoiceFilter(FilterSchema):
    account_external_id: Annotated[str | None, FilterLookup("account__external_id")] = None
    contract_external_id: Annotated[str | None, FilterLookup("contract__external_id")] = None
    period_from: Annotated[date | None, FilterLookup("period_start__gte")] = None
    period_to: Annotated[date | None, FilterLookup("period_start__lte")] = None


# --- Disputes ----------------------------------------------------------------------------


class DisputeIn(Schema):
    invoice_number: str
    opened_on: date
    amount: Decimal | None = Field(None, description="The amount disputed, a decimal string.")
    status: str | None = Field(None, description="open (default) or resolved")
    resolved_on: date | None = None


DisputePatch = patch_schema(DisputeIn, "DisputePatch")


class DisputeOut(Schema):
    id: int
    invoice_number: str
    account_external_id: str
    opened_on: date
    amount: Decimal | None
    currency: str = Field(description="The invoice's currency.")
    status: str
    resolved_on: date | None

    @staticmethod
    def resolve_invoice_number(dispute: Dispute) -> str:
        return dispute.invoice.invoice_number

    @staticmethod
    def resolve_account_external_id(dispute: Dispute) -> str:
        return dispute.invoice.account.external_id

    @staticmethod
    def resolve_currency(dispute: Dispute) -> str:
        return dispute.invoice.currency


class DisputePage(Page):
    items: list[DisputeOut]


class DisputeFilter(FilterSchema):
    account_external_id: Annotated[
        str | None, FilterLookup("invoice__account__external_id")
    ] = None
    invoice_number: Annotated[str | None, FilterLookup("invoice__invoice_number")] = None
    status: str | None = None
