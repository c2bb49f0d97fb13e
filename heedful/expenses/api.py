"""REST endpoints of expense reports: a finance system files and reads them."""

from ninja import Router

from heedful.core.rest import Resource, register
from heedful.expenses import schemas, services
from heedful.expenses.kinds import EXPENSE_REPORT

router = Router()

EXPENSE_REPORTS = Resource(
    path="expense-reports", key="id",
    out=schemas.ExpenseReportOut, page=schemas.ExpenseReportPage,
    filters=schemas.ExpenseReportFilter,
    create_schema=schemas.ExpenseReportIn, patch_schema=schemas.ExpenseReportPatch,
    orderings={
        "rep_username": "rep__username", "period": "period", "due_on": "due_on",
        "submitted_on": "submitted_on", "amount": "amount",
    },
    get_all=services.get_all, get_or_raise=services.get_or_raise,
    create=services.create, update=services.update, delete=services.delete,
    form_names=EXPENSE_REPORT.form_names, joined_lists=EXPENSE_REPORT.joined_lists,
)

register(router, EXPENSE_REPORTS, tag="expense reports")
