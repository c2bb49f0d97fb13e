"""API input and output of expense reports (the field names of ``EXPENSE_REPORT``'s columns)."""

from typing import Annotated

from ninja import FilterLookup, FilterSchema
from pydantic import Field

from heedful.core.rest import Day
from heedful.expenses.kinds import EXPENSE_REPORT

ExpenseReportIn, ExpenseReportPatch, ExpenseReportOut, ExpenseReportPage = (
    EXPENSE_REPORT.schemas("ExpenseReport")
)


class ExpenseReportFilter(FilterSchema):
    rep_username: Annotated[str | None, FilterLookup("rep__username")] = None
    period: str | None = None
    period_from: Annotated[str | None, FilterLookup("period__gte")] = Field(
        None, description="The first month, e.g. 2026-01 (months sort as text)."
    )
    period_to: Annotated[str | None, FilterLookup("period__lte")] = None
    is_outstanding: Annotated[bool | None, FilterLookup("submitted_on__isnull")] = Field(
        None, description="true: not yet submitted; false: submitted."
    )
    due_from: Annotated[Day | None, FilterLookup("due_on__gte")] = None
    due_to: Annotated[Day | None, FilterLookup("due_on__lte")] = None
