"""The columns of opportunities (``heedful.core.kinds``): their CSV format, API fields and
form follow from these."""

from decimal import Decimal

from heedful.core.kinds import Column, RecordKind, Shown
from heedful.sales.models import Opportunity, OpportunityProduct, Quota, StageChange

OPPORTUNITY = RecordKind(
    model=Opportunity,
    columns=(
        Column("external_id", required=True),
        Column("account_external_id", field="account", required=True),
        Column("name", required=True),
        Column("owner_username", field="owner", required=True, defaults_to_you=True),
        Column("stage", required=True),
        Column("amount", description="A decimal string, e.g. \"50000.00\"."),
        Column("currency", description="ISO 4217 code, e.g. USD; required with an amount."),
        Column("created_on"),
        Column("close_date", description="When it is expected to close."),
        Column("closed_on", description="When it closed; empty while open."),
        Column("won", description="Empty while open."),
        Column(
            "forecast_category",
            description="pipeline, best_case, commit, omitted or closed; empty: the stage's.",
        ),
        Column("competitor"),
        Column("next_step"),
        Column("customer_value"),
    ),
)

STAGE_CHANGE = RecordKind(
    model=StageChange,
    columns=(
        Column("opportunity_external_id", field="opportunity", required=True),
        Column("stage", required=True),
        Column(
            "changed_at", required=True, description="ISO 8601; without a time zone it is UTC."
        ),
    ),
    shown=(
        Shown("id", int),
        Shown(
            "account_external_id", str,
            read=lambda change: change.opportunity.account.external_id,
        ),
    ),
)

OPPORTUNITY_PRODUCT = RecordKind(
    model=OpportunityProduct,
    columns=(
        Column("opportunity_external_id", field="opportunity", required=True),
        Column("sku", field="product", required=True, description="The product's SKU."),
        Column("quantity", description="How many, a whole number of at least 1; default 1."),
        Column(
            "unit_price", required=True,
            description=(
                "The price of one, a decimal string (e.g. \"1200.00\") in the opportunity's "
                "currency, which must be set."
            ),
        ),
    ),
    shown=(
        Shown("id", int),
        Shown("product_name", str, read=lambda line: line.product.name),
        Shown(
            "currency", str, read=lambda line: line.opportunity.currency,
            description="The opportunity's currency, in which the prices are.",
        ),
        Shown(
            "total_price", Decimal, read=lambda line: line.total_price,
            description="Quantity × unit price.",
        ),
        Shown(
            "account_external_id", str,
            read=lambda line: line.opportunity.account.external_id,
        ),
    ),
)

QUOTA = RecordKind(
    model=Quota,
    columns=(
        Column("username", field="user", required=True),
        Column("period_start", required=True),
        Column("period_end", required=True),
        Column("amount", required=True, description="A decimal string, e.g. \"250000.00\"."),
        Column("currency", required=True),
    ),
    shown=(Shown("id", int),),
)
