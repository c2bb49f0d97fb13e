"""Validation of expense reports, for the API (and any page that files one)."""

from typing import Any

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.accounts.visibility import managed_users
from heedful.core.models import User
from heedful.expenses.kinds import EXPENSE_REPORT
from heedful.expenses.models import ExpenseReport


class ExpenseReportForm(HeedfulModelForm):
    """An expense report of someone whose performance ``user`` may see: their own, or of a
    person who reports to them (executives and admins: anyone's)."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        field = self.fields["rep"]
        field.queryset = managed_users(user)  # type: ignore[attr-defined]
        field.error_messages["invalid_choice"] = (
            "You can file expense reports only for yourself and the people who report to you."
        )

    class Meta:
        model = ExpenseReport
        fields = EXPENSE_REPORT.form_fields
