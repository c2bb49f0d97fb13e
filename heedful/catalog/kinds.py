"""The columns of products, releases, holdings, contracts and adverse changes
(``heedful.core.kinds``): their CSV formats, API fields and forms follow from these."""

from heedful.catalog.models import AdverseChange, Contract, Holding, Product, Release
from heedful.core.kinds import Column, RecordKind, Shown

PRODUCT = RecordKind(
    model=Product,
    columns=(
        Column("sku", required=True),
        Column("name", required=True),
        Column(
            "family", required=True,
            description="The product family's name; a new name makes a new family.",
        ),
        Column("launched_on"),
    ),
)

RELEASE = RecordKind(
    model=Release,
    columns=(
        Column("sku", field="product", required=True, description="The product's SKU."),
        Column("name", required=True),
        Column("release_on", required=True),
        Column("summary"),
    ),
    shown=(Shown("id", int),),
)

HOLDING = RecordKind(
    model=Holding,
    columns=(
        Column("account_external_id", field="account", required=True),
        Column("sku", field="product", required=True, description="The product's SKU."),
        Column("quantity", description="Default 1."),
        Column("maintenance_tier"),
        Column("maintenance_end"),
    ),
    shown=(
        Shown("id", int),
        Shown("product_name", str, read=lambda holding: holding.product.name),
    ),
)

CONTRACT = RecordKind(
    model=Contract,
    columns=(
        Column("external_id", required=True),
        Column("account_external_id", field="account", required=True),
        Column("name", required=True),
        Column("start_date", required=True),
        Column("end_date", required=True),
        Column(
            "recurring_amount",
            description="What each invoice should be, as a decimal string, e.g. \"2500.00\".",
        ),
        Column("currency", description="ISO 4217 code, e.g. USD; required with an amount."),
        Column("billing_period"),
        Column("notice_days"),
    ),
)

ADVERSE_CHANGE = RecordKind(
    model=AdverseChange,
    columns=(
        Column("account_external_id", field="account", required=True),
        Column("kind", required=True),
        Column("effective_on", required=True),
        Column("recorded_on", required=True),
        Column("summary"),
    ),
    shown=(Shown("id", int),),
)
