"""The columns of expense reports (``heedful.core.kinds``): their API fields and form follow
from these, in the order of a finance system's monthly file."""

from heedful.core.kinds import Column, RecordKind, Shown
from heedful.expenses.models import ExpenseReport

EXPENSE_REPORT = RecordKind(
    model=ExpenseReport,
    columns=(
        Column("rep_username", field="rep", required=True, defaults_to_you=True),
        Column("period", required=True),
        Column("due_on", required=True),
        Column("submitted_on"),
        Column("amount", description="A decimal string, e.g. \"1840.50\"; empty until known."),
        Column("budget", description="A decimal string, e.g. \"2000.00\"."),
        Column("currency", description="ISO 4217 code, e.g. USD; required with an amount."),
    ),
    shown=(Shown("id", int),),
)
