"""Reading and writing expense reports, as the user may see them: a rep their own, a manager
those of everyone below them, executives and admins everyone's
(``accounts.visibility.managed_users``, as the scorecards read them)."""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from heedful.accounts import records
from heedful.accounts.visibility import managed_users
from heedful.core.models import User
from heedful.expenses.forms import ExpenseReportForm
from heedful.expenses.models import ExpenseReport


def get_all(*, user: User) -> QuerySet[ExpenseReport]:
    return ExpenseReport.objects.filter(rep__in=managed_users(user)).select_related("rep")


def get_or_raise(*, user: User, id: int) -> ExpenseReport:  # noqa: A002
    return records.get_or_raise(get_all(user=user), pk=id)


def create(*, user: User, data: Mapping[str, Any]) -> ExpenseReport:
    """A new expense report; it is ``user``'s unless ``data`` names another ``rep``."""
    return records.create_with_form(
        ExpenseReportForm, user=user, data={"rep": user.username, **data}
    )


def update(*, user: User, id: int, changes: Mapping[str, Any]) -> ExpenseReport:  # noqa: A002
    return records.update_with_form(
        ExpenseReportForm, user=user, queryset=get_all(user=user), lookup={"pk": id},
        changes=changes,
    )


def delete(*, user: User, id: int) -> None:  # noqa: A002
    """Delete one expense report (one filed twice, or for the wrong month); NotFound for one
    ``user`` may not see."""
    records.delete(get_all(user=user), user=user, lookup={"pk": id})
