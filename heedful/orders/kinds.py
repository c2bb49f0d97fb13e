"""The columns of orders (``heedful.core.kinds``): their CSV format, API fields and form
follow from these."""

from heedful.core.kinds import Column, RecordKind
from heedful.orders.models import Order

ORDER = RecordKind(
    model=Order,
    columns=(
        Column("external_id", required=True),
        Column("account_external_id", field="account", required=True),
        Column("ordered_on", required=True),
        Column("shipped_on"),
        Column("delivered_on"),
        Column("amount", description="A decimal string, e.g. \"1200.00\"."),
        Column("currency", description="ISO 4217 code, e.g. USD; required with an amount."),
        Column("description"),
    ),
)
